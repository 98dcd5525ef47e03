#!/usr/bin/env bash
# jcr-top speed: one background refresh (scan + model update), one render, and key latency while refreshes
# run, measured first on the machine as it is, then with N (default 2000) extra sleeping processes.
# Every figure is printed with a baseline measured in the same run (see TopBench) and their ratio.
# Usage: bench/top.sh [N]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-2000}"
"$here/bin/jcr" --version >/dev/null          # builds app/target/jcr.jar if stale
jar="$(mktemp --suffix=.jar)"                  # a copy: a build meanwhile may rewrite the original
cp "$here/app/target/jcr.jar" "$jar"
run() { java -XX:+UseSerialGC -cp "$jar" dev.jcr.app.top.bench.TopBench; }

echo "== machine as it is"
run

echo "== with $n extra sleeping processes"
pids=()
cleanup() { ((${#pids[@]})) && kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null || true; rm -f "$jar"; }
trap cleanup EXIT
for ((i = 0; i < n; i++)); do sleep 3600 & pids+=($!); done
sleep 1
run

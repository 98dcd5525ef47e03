#!/usr/bin/env bash
# Benchmark: `jcr ps --json` over the whole machine with N (default 1000) extra sleeping processes,
# next to procps `ps -eo pid,ppid,rss,comm` measured in the same run.
#  1. in-process (one warmed JVM, round-robin so every measure sees the same load): the tree scan,
#     scan + C/R analysis, the whole ps --json command, procps spawned, and a /bin/true spawn baseline;
#  2. whole commands from the shell, interleaved: procps vs bin/jcr ps --json (JVM start included).
# Usage: bench/ps.sh [N] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
rounds=${2:-15}

bin/jcr --version >/dev/null   # builds app/target/jcr.jar when stale

# the sleepers live in their own session; the trap kills exactly that process group
setsid bash -c "for i in \$(seq $n); do sleep 900 & done; wait" </dev/null >/dev/null 2>&1 &
leader=$!
trap 'kill -TERM -- -$leader 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  [[ $(pgrep -c -P "$leader" sleep || true) -ge $n ]] && break
  sleep 0.1
done
echo "sleepers: $(pgrep -c -P "$leader" sleep || true) (extra), processes on the machine: $(ls /proc | grep -c '^[0-9]')"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== in-process (ms)"
java -cp app/target/jcr.jar dev.jcr.app.cli.PsBench "$rounds"

echo "== whole commands from the shell (ms, median of $rounds interleaved runs)"
ps_ms=(); jcr_ms=()
for _ in $(seq "$rounds"); do
  t0=$(date +%s%N); ps -eo pid,ppid,rss,comm >/dev/null; t1=$(date +%s%N)
  bin/jcr ps --json >/dev/null; t2=$(date +%s%N)
  ps_ms+=($(( (t1 - t0) / 1000000 ))); jcr_ms+=($(( (t2 - t1) / 1000000 )))
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
p=$(median "${ps_ms[@]}"); j=$(median "${jcr_ms[@]}")
echo "procps_command median_ms $p"
echo "jcr_ps_json_command median_ms $j"
awk -v p="$p" -v j="$j" 'BEGIN { if (p > 0) printf "ratio jcr_ps_json_command / procps_command = %.1fx\n", j / p }'
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

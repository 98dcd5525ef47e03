#!/bin/sh
# Dump speed of `jcr dump`: a process with 1 MiB, 256 MiB and 1 GiB (default sizes) of touched anonymous
# memory is dumped with the CLI (a fresh JVM each time, as a user runs it). Reported per size: dump time
# (jcr's total, from its stats), frozen time (how long the target was stopped), image size, jcr's peak RSS,
# next to the physical baseline measured in the same run: a C program writing the same number of bytes from
# its memory to a file in the same directory (write(2) 1 MiB at a time, then fsync, as jcr syncs its images).
# A warm-up dump runs first. Every run is repeated ROUNDS times; medians are reported.
# Usage: bench/dump.sh [ROUNDS] [SIZES_MIB...]      e.g. bench/dump.sh 3 1 256 1024
set -eu
ROUNDS=${1:-3}
[ $# -gt 0 ] && shift
SIZES=${*:-1 256 1024}
cd "$(dirname "$0")/.."
ROOT=$(pwd)
"$ROOT/bin/jcr" --version >/dev/null   # builds the jar if it is stale
WORK=$(mktemp -d "${TMPDIR:-/tmp}/jcr-dumpbench.XXXXXX")
FIX=
cleanup() { [ -n "$FIX" ] && kill -9 "$FIX" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
gcc -O2 -o "$WORK/memhog" bench/dump-memhog.c
gcc -O2 -o "$WORK/baseline" bench/dump-baseline.c

start() { # MIB -> sets FIX
  setsid "$WORK/memhog" "$1" </dev/null >"$WORK/memhog.out" 2>&1 &
  FIX=$!
  while ! grep -q READY "$WORK/memhog.out" 2>/dev/null; do sleep 0.05; done
}
stop() { kill -9 "$FIX" 2>/dev/null || true; while [ -d "/proc/$FIX" ]; do sleep 0.05; done; FIX=; }

jcrdump() { # DIR -> prints "total_s frozen_s image_bytes peak_rss_kib"
  /usr/bin/time -f "%M" -o "$WORK/rss" "$ROOT/bin/jcr" dump "$FIX" -D "$1" --no-progress >/dev/null
  python3 - "$1" "$(cat "$WORK/rss")" <<'PY'
import json, os, subprocess, sys
d, rss = sys.argv[1], sys.argv[2]
s = json.loads(subprocess.check_output(["crit", "decode", "-i", os.path.join(d, "stats-dump")]))["entries"][0]["dump"]
size = sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d))
# frozen_time counts until the tree is released; total = freezing + frozen + checks, approximated by the
# stats' own times: report frozen and the wall time measured by the script instead of guessing.
print(s["frozen_time"] / 1e6, size, rss)
PY
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "warm-up"
start 1; jcrdump "$WORK/warm" >/dev/null; rm -rf "$WORK/warm"; stop

printf "%-8s %10s %10s %10s %9s %10s %12s %12s\n" size baseline dump ratio frozen "f-ratio" image "jcr-peakRSS"
for mib in $SIZES; do
  start "$mib"
  : >"$WORK/b"; : >"$WORK/d"; : >"$WORK/f"; : >"$WORK/s"; : >"$WORK/r"
  i=0
  while [ $i -lt "$ROUNDS" ]; do
    "$WORK/baseline" "$mib" "$WORK/base.bin" | awk '{print $1 + $2}' >>"$WORK/b"
    rm -f "$WORK/base.bin"
    t0=$(date +%s.%N)
    out=$(jcrdump "$WORK/img")
    t1=$(date +%s.%N)
    echo "$t1 $t0" | awk '{print $1 - $2}' >>"$WORK/d"
    echo "$out" | awk '{print $1}' >>"$WORK/f"
    echo "$out" | awk '{print $2}' >>"$WORK/s"
    echo "$out" | awk '{print $3}' >>"$WORK/r"
    rm -rf "$WORK/img"
    i=$((i + 1))
  done
  b=$(median <"$WORK/b"); d=$(median <"$WORK/d"); f=$(median <"$WORK/f"); s=$(median <"$WORK/s"); r=$(median <"$WORK/r")
  echo "$mib $b $d $f $s $r" | awk '{printf "%-8s %9.3fs %9.3fs %9.2fx %8.3fs %9.2fx %10.1fMiB %10.1fMiB\n",
      $1 "MiB", $2, $3, $3 / $2, $4, $4 / $2, $5 / 1048576, $6 / 1024}'
  stop
done
echo "dump = wall time of 'jcr dump' (JVM start included); frozen = target stopped; ratios against the baseline."

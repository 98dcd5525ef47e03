#!/bin/sh
# Dump speed of `jcr dump`: a process with 1 MiB, 256 MiB and 1 GiB (default sizes) of touched anonymous
# memory is dumped with the CLI (a fresh JVM each time, as a user runs it), next to the physical baseline
# measured in the same run: a C program writing the same number of bytes from its own (touched) memory to a
# file in the same directory, write(2) 1 MiB at a time, then fsync.
#
# Like for like: jcr releases the target once every page is in the page cache (the frozen window has no
# fsync, as the baseline's write phase has none); it fsyncs its images before it returns (so jcr's command
# time is compared with the baseline's write + fsync).
#
# Columns (medians of ROUNDS runs, after a warm-up that touches the memory once and runs one dump):
#   base-write   baseline write(2) time              base+sync  baseline write + fsync
#   frozen       how long the target was stopped      (jcr's stats-dump)
#   engine       jcr's dump time without JVM start   (jcr's own total: check, freeze, dump, fsync, rename)
#   wall         the whole `jcr dump` command         (JVM start included; JVM start alone is printed below)
#   f/write      frozen / base-write                 f/sync, e/sync, w/sync   frozen, engine, wall / base+sync
#   image        image directory size                jcr-RSS  jcr's peak RSS (/usr/bin/time)
# Usage: bench/dump.sh [ROUNDS] [SIZES_MIB...]      e.g. bench/dump.sh 5 1 256 1024
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
  : >"$WORK/memhog.out"
  setsid "$WORK/memhog" "$1" </dev/null >"$WORK/memhog.out" 2>&1 &
  FIX=$!
  while ! grep -q READY "$WORK/memhog.out" 2>/dev/null; do sleep 0.05; done
}
stop() { kill -9 "$FIX" 2>/dev/null || true; while [ -d "/proc/$FIX" ]; do sleep 0.05; done; FIX=; }
now() { date +%s.%N; }

jcrdump() { # DIR -> prints "wall_s engine_s frozen_s image_bytes peak_rss_kib"
  t0=$(now)
  /usr/bin/time -f "%M" -o "$WORK/rss" "$ROOT/bin/jcr" dump "$FIX" -D "$1" --no-progress >"$WORK/summary"
  t1=$(now)
  python3 - "$1" "$(cat "$WORK/rss")" "$t0" "$t1" "$WORK/summary" <<'PY'
import json, os, re, subprocess, sys
d, rss, t0, t1, summary = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
s = json.loads(subprocess.check_output(["crit", "decode", "-i", os.path.join(d, "stats-dump")]))["entries"][0]["dump"]
size = sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d))
engine = float(re.search(r" in ([0-9.]+) s,", open(summary).read()).group(1))
print(t1 - t0, engine, s["frozen_time"] / 1e6, size, rss)
PY
}

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

max=0
for mib in $SIZES; do [ "$mib" -gt "$max" ] && max=$mib; done
echo "warm-up: touching ${max} MiB once, one dump, JVM start"
start "$max"; stop
start 1; jcrdump "$WORK/warm" >/dev/null; rm -rf "$WORK/warm"; stop
: >"$WORK/jvm"
i=0
while [ $i -lt "$ROUNDS" ]; do
  t0=$(now); "$ROOT/bin/jcr" --version >/dev/null; t1=$(now)
  echo "$t1 $t0" | awk '{print $1 - $2}' >>"$WORK/jvm"
  i=$((i + 1))
done
jvm=$(median <"$WORK/jvm")

printf "%-8s %10s %10s %8s %8s %8s %8s %7s %7s %7s %9s %8s\n" size base-write base+sync frozen engine wall \
    f/write f/sync e/sync w/sync image jcr-RSS
for mib in $SIZES; do
  start "$mib"
  for f in bw bs w e f s r; do : >"$WORK/$f"; done
  i=0
  while [ $i -lt "$ROUNDS" ]; do
    "$WORK/baseline" "$mib" "$WORK/base.bin" >"$WORK/base.out"
    rm -f "$WORK/base.bin"
    awk '{print $1}' "$WORK/base.out" >>"$WORK/bw"
    awk '{print $1 + $2}' "$WORK/base.out" >>"$WORK/bs"
    out=$(jcrdump "$WORK/img")
    rm -rf "$WORK/img"
    set -- $out
    echo "$1" >>"$WORK/w"; echo "$2" >>"$WORK/e"; echo "$3" >>"$WORK/f"; echo "$4" >>"$WORK/s"; echo "$5" >>"$WORK/r"
    i=$((i + 1))
  done
  echo "$mib $(median <"$WORK/bw") $(median <"$WORK/bs") $(median <"$WORK/f") $(median <"$WORK/e") \
      $(median <"$WORK/w") $(median <"$WORK/s") $(median <"$WORK/r")" |
    awk '{printf "%-8s %9.4fs %9.4fs %7.3fs %7.3fs %7.3fs %7.2fx %6.2fx %6.2fx %6.2fx %6.0fMiB %5.0fMiB\n",
        $1 "MiB", $2, $3, $4, $5, $6, $4 / $2, $4 / $3, $5 / $3, $6 / $3, $7 / 1048576, $8 / 1024}'
  stop
done
printf "JVM start + exit (jcr --version): %.3fs (part of wall, not of engine)\n" "$jvm"
echo "frozen: pages in the page cache, no fsync (as base-write); engine and wall include jcr's fsync (as base+sync)."
echo "load average now: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs (figures are only comparable within one run)"

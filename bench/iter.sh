#!/bin/sh
# Iterative dumps: how long a process writing a moving 10 % of its memory per second is frozen by the
# final dump of a chain (two pre-dumps, then `jcr dump --prev-images-dir`), against the frozen time of a
# full dump of the same process measured in the same run (goal: <= 0.1x).
#
# The process is the memhog test fixture (core/src/test/resources/fixtures/memhog.c): SIZE MiB, every
# page filled, then a window of pages rewritten every 10 ms (10 % of SIZE per second). Each round:
#   full    jcr dump PID -D full                       (no tracking: every page copied while frozen)
#   pre1    jcr dump PID --pre-dump -D p1              (copy with the process running; frozen to arm tracking)
#   pre2    jcr dump PID --pre-dump --prev-images-dir ../p1 -D p2
#   final   jcr dump PID --prev-images-dir ../p2 -D fin (frozen: only pages written since pre2 copied)
# Frozen times come from each dump's stats-dump. Columns are medians over ROUNDS rounds (after a warm-up).
# Before every dump the page cache is written back and its clean pages dropped (sync, drop_caches): on
# these VMs a dump that writes into memory never touched before (earlier images still cached) was up to
# 6x slower than the same dump into recycled memory, which made the last dump of a round look slow for
# reasons that are not its own.
# Usage: bench/iter.sh [ROUNDS] [SIZE_MIB]      e.g. bench/iter.sh 3 1024
set -eu
ROUNDS=${1:-3}
SIZE=${2:-1024}
cd "$(dirname "$0")/.."
ROOT=$(pwd)
"$ROOT/bin/jcr" --version >/dev/null   # builds the jar if it is stale
WORK=$(mktemp -d "${TMPDIR:-/tmp}/jcr-iterbench.XXXXXX")
FIX=
cleanup() { [ -n "$FIX" ] && kill -9 "$FIX" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
gcc -O2 -o "$WORK/memhog" core/src/test/resources/fixtures/memhog.c

start() {
  : >"$WORK/memhog.out"
  setsid "$WORK/memhog" "$SIZE" 10 </dev/null >"$WORK/memhog.out" 2>&1 &
  FIX=$!
  while ! grep -q READY "$WORK/memhog.out" 2>/dev/null; do sleep 0.05; done
}
stop() { kill -9 "$FIX" 2>/dev/null || true; while [ -d "/proc/$FIX" ]; do sleep 0.05; done; FIX=; }

# DIR -> "frozen_s pages_written pages_in_parent"
stats() {
  python3 - "$1" <<'PY'
import json, os, subprocess, sys
s = json.loads(subprocess.check_output(["crit", "decode", "-i", os.path.join(sys.argv[1], "stats-dump")]))["entries"][0]["dump"]
print(s["frozen_time"] / 1e6, s.get("pages_written", 0), s.get("pages_skipped_parent", 0))
PY
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
clean() { sync; echo 1 >/proc/sys/vm/drop_caches 2>/dev/null || true; }
jcr() { clean; "$ROOT/bin/jcr" dump "$FIX" --no-progress "$@" >/dev/null; }

echo "warm-up: ${SIZE} MiB touched, one full dump and one pre-dump"
start
jcr -D "$WORK/w1"; jcr --pre-dump -D "$WORK/w2"; rm -rf "$WORK/w1" "$WORK/w2"
for f in full p1 p2 fin finpages finparent ratio; do : >"$WORK/$f"; done
i=0
while [ $i -lt "$ROUNDS" ]; do
  d="$WORK/r$i"; mkdir "$d"
  jcr -D "$d/full"
  jcr --pre-dump -D "$d/p1"
  jcr --pre-dump --prev-images-dir ../p1 -D "$d/p2"
  jcr --prev-images-dir ../p2 -D "$d/fin"
  set -- $(stats "$d/full"); echo "$1" >>"$WORK/full"; full=$1
  set -- $(stats "$d/p1"); echo "$1" >>"$WORK/p1"
  set -- $(stats "$d/p2"); echo "$1" >>"$WORK/p2"
  set -- $(stats "$d/fin"); echo "$1" >>"$WORK/fin"; echo "$2" >>"$WORK/finpages"; echo "$3" >>"$WORK/finparent"
  echo "$1 $full" | awk '{print $1 / $2}' >>"$WORK/ratio"
  rm -rf "$d"
  i=$((i + 1))
done
stop
best=$(sort -g "$WORK/full" | head -1)
printf "%-8s %10s %10s %10s %10s %12s %12s %10s %10s\n" size full pre1 pre2 final final-pages in-parent final/full /best-full
printf "%-8s %9.3fs %9.3fs %9.3fs %9.3fs %12s %12s %9.3fx %9.3fx\n" "${SIZE}MiB" "$(median <"$WORK/full")" "$(median <"$WORK/p1")" \
  "$(median <"$WORK/p2")" "$(median <"$WORK/fin")" "$(median <"$WORK/finpages")" "$(median <"$WORK/finparent")" \
  "$(median <"$WORK/ratio")" "$(echo "$(median <"$WORK/fin") $best" | awk '{print $1 / $2}')"
echo "frozen times (stats-dump); final/full is the median of each round's ratio, /best-full the median final against"
echo "the fastest full dump of the run (a full dump's copy varies up to 5x on these VMs). The writer rewrites 10 % of ${SIZE} MiB per second."
echo "load average now: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs (figures are only comparable within one run)"

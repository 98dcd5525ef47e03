#!/bin/sh
# Unix sockets: dump and restore of a process holding N unix socketpairs (default 1000) with 64 bytes
# queued in each direction of each (bench/unix-pairs.c), next to a C baseline that creates the same
# objects (socketpair + two writes per pair) measured in the same run. The same process with no pairs
# is dumped and restored too, so that what the pairs cost is told apart from the fixed cost of a dump
# (JVM start, freezing, memory) and a restore: per pair = (time with N pairs - time with 0) / N.
#
# Prints medians of ROUNDS (after a warm-up round) and the ratios. Needs root (CAP_CHECKPOINT_RESTORE)
# and the subject's pid free for reuse. Usage: bench/unix.sh [ROUNDS] [N]
set -eu
ROUNDS=${1:-5}
N=${2:-1000}
cd "$(dirname "$0")/.."
ROOT=$(pwd)
"$ROOT/bin/jcr" --version >/dev/null            # builds the jar and the CDS archive if stale
WORK=$(mktemp -d "${TMPDIR:-/tmp}/jcr-unix-bench.XXXXXX")
PID=
cleanup() { [ -n "$PID" ] && kill -9 "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
gcc -O2 -o "$WORK/unix-pairs" bench/unix-pairs.c
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
gone() { while [ -d "/proc/$1" ]; do sleep 0.02; done; }
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

round() { # PAIRS -> appends "dump_ms restore_ms" to $WORK/t-PAIRS
  pairs=$1
  setsid "$WORK/unix-pairs" "$pairs" </dev/null >"$WORK/out" 2>&1 &
  PID=$!
  while ! grep -q READY "$WORK/out" 2>/dev/null; do sleep 0.02; done
  rm -rf "$WORK/img"
  s=$(date +%s%N)
  "$ROOT/bin/jcr" dump "$PID" -D "$WORK/img" --kill --no-progress >/dev/null
  d=$(ms "$s")
  gone "$PID"
  s=$(date +%s%N)
  "$ROOT/bin/jcr" restore -D "$WORK/img" --detach >/dev/null
  r=$(ms "$s")
  [ "$(ls /proc/"$PID"/fd | wc -l)" -ge $((2 * pairs)) ] || { echo "restored process lacks its sockets" >&2; exit 1; }
  kill -9 "$PID"; gone "$PID"; PID=
  echo "$d $r" >>"$WORK/t-$pairs"
}

i=0
while [ $i -le "$ROUNDS" ]; do
  round "$N"
  round 0
  "$WORK/unix-pairs" "$N" --time >>"$WORK/c"
  i=$((i + 1))
done
med() { tail -n +2 "$1" | awk -v c="$2" '{print $c}' | median; }   # the first round is the warm-up
dN=$(med "$WORK/t-$N" 1); rN=$(med "$WORK/t-$N" 2); d0=$(med "$WORK/t-0" 1); r0=$(med "$WORK/t-0" 2)
c=$(tail -n +2 "$WORK/c" | median)
echo "== $N unix socketpairs, 64 bytes queued each way; median of $ROUNDS (wall, whole jcr commands)"
awk -v n="$N" -v dN="$dN" -v rN="$rN" -v d0="$d0" -v r0="$r0" -v c="$c" 'BEGIN {
  cms = c * 1000
  printf "C baseline, creating them:            %8.1f ms  (%6.2f us per pair)\n", cms, cms * 1000 / n
  printf "jcr dump --kill,   %5d pairs / none: %8d ms / %d ms  -> %6.2f us per pair, %5.1fx the baseline\n", n, dN, d0, (dN - d0) * 1000 / n, (dN - d0) / cms
  printf "jcr restore,       %5d pairs / none: %8d ms / %d ms  -> %6.2f us per pair, %5.1fx the baseline\n", n, rN, r0, (rN - r0) * 1000 / n, (rN - r0) / cms
}'

#!/bin/sh
# Unix sockets: dump and restore of a process holding N unix socketpairs (default 1000) with 64 bytes
# queued in each direction of each (bench/unix-pairs.c), next to a C baseline that creates the same
# objects (socketpair + two writes per pair) measured in the same run. The same process with no pairs
# is dumped and restored too, so that what the pairs cost is told apart from the fixed cost of a dump
# (JVM start, freezing, memory) and a restore: per pair = (time with N pairs - time with 0) / N.
#
# Prints medians of ROUNDS (after a warm-up round) and the ratios, in wall time and in CPU time (user +
# sys of the jcr command: on a loaded machine wall time mostly measures the wait for a CPU). Needs root
# (CAP_CHECKPOINT_RESTORE) and the subject's pid free for reuse. Usage: bench/unix.sh [ROUNDS] [N]
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

round() { # PAIRS -> appends "dump_wall_ms restore_wall_ms dump_cpu_ms restore_cpu_ms" to $WORK/t-PAIRS
  pairs=$1
  setsid "$WORK/unix-pairs" "$pairs" </dev/null >"$WORK/out" 2>&1 &
  PID=$!
  while ! grep -q READY "$WORK/out" 2>/dev/null; do sleep 0.02; done
  rm -rf "$WORK/img"
  s=$(date +%s%N)
  /usr/bin/time -f "%U %S" -o "$WORK/cpu-d" "$ROOT/bin/jcr" dump "$PID" -D "$WORK/img" --kill --no-progress >/dev/null
  d=$(ms "$s")
  gone "$PID"
  s=$(date +%s%N)
  /usr/bin/time -f "%U %S" -o "$WORK/cpu-r" "$ROOT/bin/jcr" restore -D "$WORK/img" --detach >/dev/null
  r=$(ms "$s")
  [ "$(ls /proc/"$PID"/fd | wc -l)" -ge $((2 * pairs)) ] || { echo "restored process lacks its sockets" >&2; exit 1; }
  kill -9 "$PID"; gone "$PID"; PID=
  echo "$d $r $(awk '{print int(($1 + $2) * 1000)}' "$WORK/cpu-d") $(awk '{print int(($1 + $2) * 1000)}' "$WORK/cpu-r")" \
    >>"$WORK/t-$pairs"
}

i=0
while [ $i -le "$ROUNDS" ]; do
  round "$N"
  round 0
  "$WORK/unix-pairs" "$N" --time >>"$WORK/c"
  i=$((i + 1))
done
med() { tail -n +2 "$1" | awk -v c="$2" '{print $c}' | median; }   # the first round is the warm-up
c=$(tail -n +2 "$WORK/c" | median)
echo "== $N unix socketpairs, 64 bytes queued each way; median of $ROUNDS (whole jcr commands)"
awk -v n="$N" -v c="$c" 'BEGIN { cms = c * 1000
  printf "C baseline, creating them: %.1f ms (%.2f us per pair)\n", cms, cms * 1000 / n }'
for col in 1:wall 3:cpu; do
  i=${col%%:*}; what=${col#*:}
  dN=$(med "$WORK/t-$N" "$i"); d0=$(med "$WORK/t-0" "$i")
  rN=$(med "$WORK/t-$N" $((i + 1))); r0=$(med "$WORK/t-0" $((i + 1)))
  awk -v n="$N" -v w="$what" -v dN="$dN" -v rN="$rN" -v d0="$d0" -v r0="$r0" -v c="$c" 'BEGIN { cms = c * 1000
    printf "%-4s jcr dump --kill, %d pairs / none: %6d ms / %5d ms -> %7.1f us per pair, %6.1fx the baseline\n", w, n, dN, d0, (dN - d0) * 1000 / n, (dN - d0) / cms
    printf "%-4s jcr restore,     %d pairs / none: %6d ms / %5d ms -> %7.1f us per pair, %6.1fx the baseline\n", w, n, rN, r0, (rN - r0) * 1000 / n, (rN - r0) / cms
  }'
done

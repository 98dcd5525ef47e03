#!/bin/sh
# Restore speed, one command. Two parts:
#
# 1. Memory: for processes with 1 MiB, 256 MiB and 1 GiB (default sizes) of touched anonymous memory (the
#    `pattern` fixture), dump once with `jcr dump --kill`, then restore the images in one JVM ROUNDS times
#    after a warm-up (dev.jcr.restore.RestoreBench, killing the tree in between) next to two baselines
#    measured in the same run, round by round, by bench/restore-baseline.c reading the same pages files:
#    read-reuse (pread into one reused 1 MiB buffer: the bytes cross once, nothing is allocated) and
#    read-fresh (preadv into newly mapped anonymous memory: the kernel also allocates and zeroes every
#    page, as it must for any restore). Page cache warm for all (warm-to-warm) unless COLD=1, which drops
#    the page cache (echo 3 > /proc/sys/vm/drop_caches) before each baseline and each restore.
#    Also the median time of every restore phase (RestoreStats).
# 2. Whole command for a small process (the `loop` fixture): wall and CPU time of `bin/jcr restore --detach`
#    (JVM start, class loading, everything) with the launcher's class-data-sharing archive and without it
#    (JCR_NO_CDS=1), next to `bin/jcr --version` (the launcher and JVM start with jcr's classes, no restore),
#    the bare JVM start with the same flags (`java -version`) and /bin/true, all timed the same way.
#
# Prints medians and ratios. Needs root (CAP_CHECKPOINT_RESTORE) and the fixtures' pids free for reuse.
# Usage: bench/restore.sh [ROUNDS] [SIZES_MIB...]        e.g. COLD=1 bench/restore.sh 5 1 256 1024
set -eu
ROUNDS=${1:-5}
[ $# -gt 0 ] && shift
SIZES=${*:-1 256 1024}
cd "$(dirname "$0")/.."
ROOT=$(pwd)
"$ROOT/bin/jcr" --version >/dev/null            # builds the jar and the CDS archive if stale
mvn -B -q -o -pl core test-compile >/dev/null   # RestoreBench
WORK=$(mktemp -d "${TMPDIR:-/tmp}/jcr-restore-bench.XXXXXX")
FIX=
cleanup() { [ -n "$FIX" ] && kill -9 "$FIX" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
gcc -O2 -o "$WORK/pattern" core/src/test/resources/fixtures/pattern.c
gcc -O2 -o "$WORK/loop" core/src/test/resources/fixtures/loop.c
gcc -O2 -o "$WORK/baseline" bench/restore-baseline.c
CP="$ROOT/app/target/jcr.jar:$ROOT/core/target/test-classes"
MODE=warm
[ -n "${COLD:-}" ] && MODE=cold

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
gone() { while [ -d "/proc/$1" ]; do sleep 0.02; done; }

dumped() { # NAME ARGS... -> dumps the fixture (killing it) into $WORK/img-NAME, sets PID
  name=$1; shift
  setsid "$WORK/$name" "$@" </dev/null >"$WORK/out-$name" 2>&1 &
  FIX=$!
  while ! grep -q READY "$WORK/out-$name" 2>/dev/null; do sleep 0.05; done
  PID=$FIX
  "$ROOT/bin/jcr" dump "$PID" -D "$WORK/img-$name" --kill --no-progress >/dev/null
  gone "$PID"; FIX=
  sync
}

echo "== memory: in-process restore vs reading the same pages files ($MODE page cache, median of $ROUNDS)"
printf "%-9s %10s %11s %8s %11s %8s\n" size restore read-reuse ratio read-fresh ratio
: >"$WORK/phases"
for mib in $SIZES; do
  dumped pattern "$mib"
  mv "$WORK/img-pattern" "$WORK/img-$mib"
  java -XX:-UsePerfData -XX:+UseSerialGC -cp "$CP" dev.jcr.restore.RestoreBench "$WORK/img-$mib" "$ROUNDS" "$WORK/baseline" "$MODE" \
    >"$WORK/res-$mib"
  awk -v m="$mib" '
    $1 == "restore" { r = $2 } $1 == "read-reuse" { u = $2 } $1 == "read-fresh" { f = $2 }
    /^phase-/ { sub("phase-", "", $1); ph = ph sprintf(" %s %.1f", $1, $2 * 1000) }
    END {
      printf "%-9s %9.4fs %10.4fs %7.2fx %10.4fs %7.2fx\n", m "MiB", r, u, r / u, f, r / f
      print m "MiB phases (ms):" ph > "/dev/stderr"
    }' "$WORK/res-$mib" 2>>"$WORK/phases"
  rm -rf "$WORK/img-$mib"
done
cat "$WORK/phases"

echo
echo "== whole command, small process (loop fixture), median of $ROUNDS after a warm-up: wall s / CPU s (user+sys)"
dumped loop
timed() { # LABEL CMD... -> appends "wall cpu" to $WORK/t-LABEL
  label=$1; shift
  s=$(date +%s%N)
  /usr/bin/time -f "%U %S" -o "$WORK/cpu" "$@" >/dev/null 2>&1
  e=$(date +%s%N)
  echo "$(( (e - s) / 1000 )) $(awk '{print $1 + $2}' "$WORK/cpu")" >>"$WORK/t-$label"
}
JAVA_FLAGS="-XX:-UsePerfData -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto"
i=0
while [ $i -le "$ROUNDS" ]; do
  timed restore "$ROOT/bin/jcr" restore -D "$WORK/img-loop" --detach
  kill -9 "$PID"; gone "$PID"
  JCR_NO_CDS=1 timed restore-nocds "$ROOT/bin/jcr" restore -D "$WORK/img-loop" --detach
  kill -9 "$PID"; gone "$PID"
  timed version "$ROOT/bin/jcr" --version
  # shellcheck disable=SC2086
  timed jvm java $JAVA_FLAGS -version
  timed true /bin/true
  i=$((i + 1))
done
row() { # LABEL TEXT
  tail -n +2 "$WORK/t-$1" >"$WORK/t2"   # the first round is the warm-up
  w=$(awk '{print $1}' "$WORK/t2" | median); c=$(awk '{print $2}' "$WORK/t2" | median)
  echo "$w $c" >"$WORK/m-$1"
  printf "%-46s %8.3f s %8.3f s\n" "$2" "$(echo "$w" | awk '{print $1 / 1e6}')" "$c"
}
row restore "jcr restore --detach"
row restore-nocds "jcr restore --detach, JCR_NO_CDS=1"
row version "jcr --version (launcher + JVM + CLI)"
row jvm "java -version, same JVM flags (bare JVM)"
row true "/bin/true"
awk '{print $1}' "$WORK/m-restore" "$WORK/m-jvm" "$WORK/m-restore-nocds" | tr '\n' ' ' | awk '{
  printf "restore / bare JVM start: %.1fx; restore with CDS / without: %.2fx\n", $1 / $2, $1 / $3 }'

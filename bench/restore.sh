#!/bin/sh
# Restore speed: for processes with 1 MiB, 256 MiB and 1 GiB of touched anonymous memory (the
# pattern fixture), dump once with jcr (--kill), then restore the images ROUNDS times (after a
# warm-up) next to the baseline measured in the same run: reading the same pages files with pread
# into a buffer. Then the whole-command time of `jcr restore --detach` of the 1 MiB process (JVM
# start included). Prints medians and ratios. Needs root (CAP_CHECKPOINT_RESTORE) and free pids.
# Usage: bench/restore.sh [ROUNDS] [SIZES_MIB...]
set -eu
ROUNDS=${1:-5}
shift || true
SIZES=${*:-"1 256 1024"}
cd "$(dirname "$0")/.."
mvn -B -q -o package -DskipTests
mvn -B -q -o -pl core test-compile
WORK=$(mktemp -d "${TMPDIR:-/tmp}/jcr-restore-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
gcc -O2 -o "$WORK/pattern" core/src/test/resources/fixtures/pattern.c
JAR=app/target/jcr.jar
CP="$JAR:core/target/test-classes"

for MIB in $SIZES; do
  setsid "$WORK/pattern" "$MIB" </dev/null >"$WORK/out-$MIB" 2>&1 &
  while ! grep -q READY "$WORK/out-$MIB"; do sleep 0.05; done
  PID=$(awk '/^READY/ {print $2}' "$WORK/out-$MIB")
  java -cp "$JAR" dev.jcr.app.Main dump "$PID" -D "$WORK/img-$MIB" --kill >/dev/null
  while [ -e "/proc/$PID" ]; do sleep 0.05; done
  java -cp "$CP" dev.jcr.restore.RestoreBench "$WORK/img-$MIB" "$ROUNDS" | sed "s/^/$MIB /" | tee -a "$WORK/results"
done

# whole command, JVM start included (small process)
SMALL=$(echo "$SIZES" | awk '{print $1}')
for i in $(seq 0 "$ROUNDS"); do
  s=$(date +%s.%N)
  java -XX:TieredStopAtLevel=1 -Xshare:auto -cp "$JAR" dev.jcr.app.Main restore -D "$WORK/img-$SMALL" --detach >/dev/null
  e=$(date +%s.%N)
  PID=$(awk '/^READY/ {print $2}' "$WORK/out-$SMALL")
  kill -9 "$PID"; while [ -e "/proc/$PID" ]; do sleep 0.02; done
  [ "$i" -gt 0 ] && echo "$SMALL command $(echo "$e - $s" | bc)" >>"$WORK/results"
done

awk '
  $2 == "read-pages" { rd[$1] = $3 }
  $2 == "restore" { rs[$1] = $3 }
  $2 == "command" { c[$1] = c[$1] " " $3 }
  END {
    for (m in rs) printf "%5d MiB: restore %.3f s, read baseline %.3f s, ratio %.2fx\n", m, rs[m], rd[m], rs[m] / rd[m]
    for (m in c) printf "whole command (%d MiB, JVM included), seconds per run:%s\n", m, c[m]
  }' "$WORK/results"

#!/bin/sh
# Many fds, one command: a process holding one epoll instance that watches N eventfds, one that watches
# the read ends of N/2 pipes, and one inotify instance with N watches (bench/fds-holder.c), for N = 1000,
# 5000 and 10000 (default). For each, ROUNDS times after a warm-up round (dev.jcr.restore.FdsBench, in one
# JVM): jcr's check, dump (--kill) and restore, against the C baseline measured in the same run: the
# holder's own time to make the same objects (epoll_create1 + eventfd/pipe + epoll_ctl, or inotify_init1 +
# inotify_add_watch). Prints medians, the time per fd (per watch) in µs, each as a ratio to the baseline,
# and linearity: µs per fd at each N over µs per fd at the smallest N (about 1 when linear).
# Needs root and RLIMIT_NOFILE >= N + 16. Usage: bench/fds.sh [ROUNDS] [N...]
set -eu
ROUNDS=${1:-3}
[ $# -gt 0 ] && shift
SIZES=${*:-1000 5000 10000}
cd "$(dirname "$0")/.."
ROOT=$(pwd)
"$ROOT/bin/jcr" --version >/dev/null            # builds the jar
mvn -B -q -o -pl core test-compile >/dev/null   # FdsBench, LiveProcess
WORK=$(mktemp -d "${TMPDIR:-/tmp}/jcr-fds-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
gcc -O2 -o "$WORK/holder" bench/fds-holder.c
CP="$ROOT/app/target/jcr.jar:$ROOT/core/target/test-classes"
java -XX:+UseSerialGC -XX:-UsePerfData -cp "$CP" dev.jcr.restore.FdsBench "$WORK/holder" "$WORK" "$ROUNDS" \
  eventfd,pipe,inotify $SIZES >"$WORK/res"
echo "== N fds (watches) in one process: median of $ROUNDS, µs per fd, ratio to the C baseline that makes them"
printf "%-8s %6s %9s %9s %7s %9s %7s %9s %7s\n" kind N made/fd check/fd ratio dump/fd ratio restore/fd ratio
awk '{
  u = 1e6 / $2
  printf "%-8s %6d %9.2f %9.2f %6.0fx %9.2f %6.0fx %9.2f %6.0fx\n", $1, $2, $3*u, $4*u, $4/$3, $5*u, $5/$3, $6*u, $6/$3
}' "$WORK/res"
echo
echo "== linearity: µs per fd at N over µs per fd at the smallest N (1.0 = linear)"
awk '{
  if (!($1 in base)) { base[$1] = $2; c[$1] = $4/$2; d[$1] = $5/$2; r[$1] = $6/$2 }
  printf "%-8s %6d check %.2f  dump %.2f  restore %.2f\n", $1, $2, ($4/$2)/c[$1], ($5/$2)/d[$1], ($6/$2)/r[$1]
}' "$WORK/res"

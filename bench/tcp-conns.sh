#!/bin/sh
# TCP connections: dump and restore of a server holding N established connections (bench/tcp-conns.c: N
# loopback connections, clients in the same process, 16 bytes queued each way on each), against a C
# baseline measured in the same run that opens the same N connections (connect, accept, 16 bytes each
# way). For each N (default 250 500 1000), ROUNDS times (default 3), after one warm-up round:
#   jcr dump --kill (engine time and frozen time, from jcr's own summary: no JVM start), then
#   jcr restore --detach (restore time from its summary), then the restored server checks every
#   connection (queued bytes, one more message each way) and must print PASS N.
# Prints medians, the ratios to the baseline and the time per connection (linear: the same for every N).
# Needs root (TCP repair, nftables) and nft. Usage: bench/tcp-conns.sh [ROUNDS] [N...]
set -eu
ROUNDS=${1:-3}
[ $# -gt 0 ] && shift
COUNTS=${*:-250 500 1000}
cd "$(dirname "$0")/.."
ROOT=$(pwd)
"$ROOT/bin/jcr" --version >/dev/null            # builds the jar if stale
WORK=$(mktemp -d "${TMPDIR:-/tmp}/jcr-tcp-bench.XXXXXX")
FIX=
cleanup() { [ -n "$FIX" ] && kill -9 "$FIX" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
gcc -O2 -o "$WORK/tcp-conns" bench/tcp-conns.c
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
gone() { while [ -d "/proc/$1" ]; do sleep 0.02; done; }

# one dump + restore of a server with N connections; appends "dump frozen restore" (seconds) to $WORK/t-N
round() {
  n=$1
  rm -rf "$WORK/img" "$WORK/out"
  setsid "$WORK/tcp-conns" "$n" </dev/null >"$WORK/out" 2>&1 &
  FIX=$!
  while ! grep -q READY "$WORK/out" 2>/dev/null; do sleep 0.02; done
  # the fixture is this shell's child: reap it as soon as the dump has killed it, or --kill would wait
  # (10 s, then a warning) for a pid that only its parent can free
  "$ROOT/bin/jcr" dump "$FIX" -D "$WORK/img" --kill --no-progress >"$WORK/dump.out" &
  J=$!
  while kill -0 "$J" 2>/dev/null; do
    [ "$(awk '{print $3}' "/proc/$FIX/stat" 2>/dev/null)" = Z ] && wait "$FIX" 2>/dev/null
    sleep 0.02
  done
  wait "$J" || { echo "tcp-conns $n: dump failed: $(cat "$WORK/dump.out")" >&2; exit 1; }
  d=$(cat "$WORK/dump.out")
  gone "$FIX"
  r=$("$ROOT/bin/jcr" restore -D "$WORK/img" --detach)
  kill -USR1 "$FIX"
  while ! grep -q "PASS\|FAIL" "$WORK/out"; do sleep 0.02; done
  grep -q "PASS $n" "$WORK/out" || { echo "tcp-conns $n: $(cat "$WORK/out")" >&2; exit 1; }
  gone "$FIX"; FIX=
  # "…: 1.2 MiB in 0.53 s, frozen 0.27 s; killed" and "restored 1 process, root P, in 1076 ms"
  dump=$(echo "$d" | sed -n 's/.* in \([0-9.]*\) s, frozen \([0-9.]*\) s.*/\1 \2/p')
  rest=$(echo "$r" | sed -n 's/.* in \([0-9]*\) ms.*/\1/p')
  echo "$dump $(awk "BEGIN {print $rest / 1000}")" >>"$WORK/t-$n"
}

echo "== warm-up"
round 100 && rm -f "$WORK/t-100"
echo "== $ROUNDS rounds each; baseline: the same connections opened by C (connect + accept + 16 bytes each way)"
printf "%6s %9s %9s %9s %9s %11s %11s %12s %12s\n" conns baseline dump frozen restore dump/base restore/base "dump/conn" "restore/conn"
for n in $COUNTS; do
  for i in $(seq "$ROUNDS"); do round "$n"; done
  base=$("$WORK/tcp-conns" --baseline "$n" "$ROUNDS" | awk '{print $2}' | median)
  dump=$(awk '{print $1}' "$WORK/t-$n" | median)
  frozen=$(awk '{print $2}' "$WORK/t-$n" | median)
  rest=$(awk '{print $3}' "$WORK/t-$n" | median)
  awk -v n="$n" -v b="$base" -v d="$dump" -v f="$frozen" -v r="$rest" 'BEGIN {
    printf "%6d %8.4fs %8.3fs %8.3fs %8.3fs %10.1fx %10.1fx %10.0fus %10.0fus\n", n, b, d, f, r, d / b, r / b, d / n * 1e6, r / n * 1e6 }'
done

#!/bin/bash
# Migration and page-server speed, each against a baseline measured in the same run, on this machine
# (the receiver is a page server on 127.0.0.1, so the network is the loopback device):
#
#  1. downtime: `jcr migrate` of the memhog fixture (SIZE MiB, 10 % of it rewritten per second) to a page
#     server restoring into a new PID namespace — from the final freeze to the receiver's report that the
#     tree runs — against a full dump + restore of the same process through files: the full dump's frozen
#     time (stats-dump) plus the restore's own time (`jcr restore --pid-ns`, "in N ms").
#  2. page-server throughput: the pages copy of `jcr dump --page-server` of the same process (memwrite_time
#     in the stats-dump the server received) against `cat` of the same number of bytes (the pages file)
#     into the same TCP path (bash's /dev/tcp) to a receiver writing them to a file in the same directory
#     (python3, read 1 MiB + write).
# Before every measured step the page cache is written back and its clean pages dropped (sync,
# drop_caches), so that each writes into recycled memory: on these VMs memory touched for the first time
# is several times slower, which would charge whichever step comes later for the earlier steps' images.
# Medians of ROUNDS. Usage: bench/migrate.sh [ROUNDS] [SIZE_MIB]     e.g. bench/migrate.sh 3 1024
set -euo pipefail
ROUNDS=${1:-3}
SIZE=${2:-1024}
cd "$(dirname "$0")/.."
ROOT=$(pwd)
"$ROOT/bin/jcr" --version >/dev/null
WORK=$(mktemp -d "${TMPDIR:-/tmp}/jcr-migbench.XXXXXX")
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill -9 "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
gcc -O2 -o "$WORK/memhog" core/src/test/resources/fixtures/memhog.c
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
jcr() { "$ROOT/bin/jcr" "$@"; }
clean() { sync; echo 1 >/proc/sys/vm/drop_caches 2>/dev/null || true; }
start_hog() { # -> HOG
  : >"$WORK/hog.out"
  setsid "$WORK/memhog" "$SIZE" 10 </dev/null >"$WORK/hog.out" 2>&1 &
  HOG=$!; PIDS+=("$HOG")
  while ! grep -q READY "$WORK/hog.out" 2>/dev/null; do sleep 0.05; done
}
init_of() { awk '/^PPid:/{print $2}' "/proc/$1/status"; }
start_server() { # DIR -> PORT, SERVER
  jcr page-server --port 0 -D "$1" --pid-ns >"$WORK/server.out" 2>&1 &
  SERVER=$!; PIDS+=("$SERVER")
  while ! grep -q listening "$WORK/server.out" 2>/dev/null; do sleep 0.05; done
  PORT=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$WORK/server.out")
}
stat_of() { # DIR FIELD
  crit decode -i "$1/stats-dump" | python3 -c "import json,sys; print(json.load(sys.stdin)['entries'][0]['dump'].get('$2', 0))"
}

echo "warm-up: ${SIZE} MiB memhog, one dump"
start_hog; jcr dump "$HOG" -D "$WORK/warm" --kill --no-progress >/dev/null; rm -rf "$WORK/warm"

for f in mig full tput base; do : >"$WORK/$f"; done
i=0
while [ $i -lt "$ROUNDS" ]; do
  # 1a. migration downtime
  start_hog; mkdir -p "$WORK/recv$i"; start_server "$WORK/recv$i"
  clean
  out=$(jcr migrate "$HOG" --to "127.0.0.1:$PORT")
  echo "$out" | sed -n 's/.*downtime \([0-9.]*\) s.*/\1/p' >>"$WORK/mig"
  copy=$(sed -n 's/.*(host pid \([0-9]*\)).*/\1/p' "$WORK/server.out"); kill -9 "$(init_of "$copy")" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  # 1b. full dump + restore through files
  start_hog; clean
  jcr dump "$HOG" -D "$WORK/full$i" --kill --no-progress >/dev/null
  frozen=$(stat_of "$WORK/full$i" frozen_time)
  clean
  r=$(jcr restore -D "$WORK/full$i" --pid-ns)
  ms=$(echo "$r" | sed -n 's/.* in \([0-9]*\) ms.*/\1/p')
  copy=$(echo "$r" | sed -n 's/.*(pid \([0-9]*\) on this host.*/\1/p'); kill -9 "$(init_of "$copy")" 2>/dev/null || true
  echo "$frozen $ms" | awk '{print $1 / 1e6 + $2 / 1e3}' >>"$WORK/full"
  # 2a. page-server throughput: the pages copy of a full dump sent to the server
  start_hog; mkdir -p "$WORK/ps$i"; start_server "$WORK/ps$i"; clean
  jcr dump "$HOG" --page-server "127.0.0.1:$PORT" -D img --kill --no-progress >/dev/null
  wait "$SERVER" 2>/dev/null || true
  bytes=$(stat -c %s "$WORK/ps$i/img/pages-1.img")
  echo "$(stat_of "$WORK/ps$i/img" memwrite_time) $bytes" | awk '{print $1 / 1e6}' >>"$WORK/tput"
  # 2b. cat of the same bytes over TCP to a receiver writing a file
  python3 - "$WORK/base.port" "$WORK/base$i.bin" <<'PY' &
import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
c, _ = s.accept()
with open(sys.argv[2], "wb") as f:
    while True:
        b = c.recv(1 << 20)
        if not b:
            break
        f.write(b)
PY
  rx=$!
  while [ ! -s "$WORK/base.port" ]; do sleep 0.02; done
  clean
  t0=$(date +%s.%N)
  cat "$WORK/ps$i/img/pages-1.img" >"/dev/tcp/127.0.0.1/$(cat "$WORK/base.port")"
  wait "$rx"
  t1=$(date +%s.%N)
  echo "$t1 $t0" | awk '{print $1 - $2}' >>"$WORK/base"
  rm -rf "$WORK/recv$i" "$WORK/full$i" "$WORK/ps$i" "$WORK/base$i.bin" "$WORK/base.port"
  i=$((i + 1))
done
mig=$(median <"$WORK/mig"); full=$(median <"$WORK/full"); tput=$(median <"$WORK/tput"); base=$(median <"$WORK/base")
printf "%-30s %10s %10s %8s\n" "${SIZE} MiB, 10%/s written" jcr baseline ratio
printf "%-30s %9.3fs %9.3fs %7.2fx\n" "downtime (migrate vs dump+restore)" "$mig" "$full" "$(echo "$mig $full" | awk '{print $1/$2}')"
printf "%-30s %9.3fs %9.3fs %7.2fx\n" "pages over TCP (vs cat)" "$tput" "$base" "$(echo "$tput $base" | awk '{print $1/$2}')"
printf "throughput: page server %.0f MiB/s, cat %.0f MiB/s\n" "$(echo "$SIZE $tput" | awk '{print $1/$2}')" "$(echo "$SIZE $base" | awk '{print $1/$2}')"
echo "load average now: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs (figures are only comparable within one run)"

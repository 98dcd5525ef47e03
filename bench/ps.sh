#!/usr/bin/env bash
# Benchmark: `jcr ps --json` over the whole machine with N (default 1000) extra sleeping processes,
# next to procps `ps -eo pid,ppid,rss,comm` measured in the same run.
#  1. in-process (one warmed JVM, round-robin so every measure sees the same load): the tree scan,
#     scan + C/R analysis, the whole ps --json command, procps spawned, and a /bin/true spawn baseline;
#  2. whole commands from the shell, interleaved: procps vs bin/jcr ps --json (JVM start included).
# Usage: bench/ps.sh [N] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
rounds=${2:-15}

bin/jcr --version >/dev/null   # builds app/target/jcr.jar when stale

# the sleepers live in their own session; the trap kills exactly that process group
setsid bash -c "for i in \$(seq $n); do sleep 900 & done; wait" </dev/null >/dev/null 2>&1 &
leader=$!
trap 'kill -TERM -- -$leader 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  [[ $(pgrep -c -P "$leader" sleep || true) -ge $n ]] && break
  sleep 0.1
done
echo "sleepers: $(pgrep -c -P "$leader" sleep || true) (extra), processes on the machine: $(ls /proc | grep -c '^[0-9]')"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== in-process (ms)"
java -cp app/target/jcr.jar dev.jcr.app.cli.PsBench "$rounds"

echo "== whole commands from the shell (median of $rounds interleaved runs; wall ms and CPU ms = user+sys)"
# jcr twice: as launched (class data sharing archive, see bin/_launch) and with JCR_NO_CDS=1 (before)
timed() { /usr/bin/time -f '%e %U %S' -o "$tf" "$@" >/dev/null; awk '{printf "%d %d\n", $1*1000, ($2+$3)*1000}' "$tf"; }
tf=$(mktemp); trap 'kill -TERM -- -$leader 2>/dev/null || true; rm -f "$tf"' EXIT
declare -A wall cpu
for _ in $(seq "$rounds"); do
  for m in procps jcr_no_cds jcr; do
    case $m in
      procps) r=$(timed ps -eo pid,ppid,rss,comm) ;;
      jcr_no_cds) r=$(JCR_NO_CDS=1 timed bin/jcr ps --json) ;;
      jcr) r=$(timed bin/jcr ps --json) ;;
    esac
    wall[$m]+="${r% *} "; cpu[$m]+="${r#* } "
  done
done
median() { printf '%s\n' $@ | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for m in procps jcr_no_cds jcr; do
  echo "${m}_command median_wall_ms $(median ${wall[$m]}) median_cpu_ms $(median ${cpu[$m]})"
done
p=$(median ${wall[procps]}); a=$(median ${wall[jcr_no_cds]}); b=$(median ${wall[jcr]})
pc=$(median ${cpu[procps]}); ac=$(median ${cpu[jcr_no_cds]}); bc=$(median ${cpu[jcr]})
awk -v p="$p" -v a="$a" -v b="$b" -v pc="$pc" -v ac="$ac" -v bc="$bc" 'BEGIN {
  if (p > 0) printf "wall: jcr_no_cds / procps = %.1fx, jcr / procps = %.1fx, jcr / jcr_no_cds = %.2fx\n", a / p, b / p, b / a
  if (pc > 0) printf "cpu:  jcr_no_cds / procps = %.1fx, jcr / procps = %.1fx, jcr / jcr_no_cds = %.2fx\n", ac / pc, bc / pc, bc / ac }'
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

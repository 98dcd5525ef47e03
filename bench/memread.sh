#!/bin/sh
# Memory read path of the dump engine: copy MIB (default 256) MiB of a fixture's touched anonymous memory
# into a file with jcr's RemoteMemory (process_vm_readv into a shared file mapping; and into a buffer +
# pwrite; and read only), next to the physical baseline measured in the same run: a C program writing
# the same number of bytes from its own memory to a file in the same directory. Prints medians and ratios.
# Usage: bench/memread.sh [MIB] [ROUNDS]    (VMSPLICE=true also times PipeDrain, the remote-vmsplice path)
set -eu
MIB=${1:-256}
ROUNDS=${2:-5}
cd "$(dirname "$0")/.."
mvn -B -q -pl core test-compile
WORK=$(mktemp -d "${TMPDIR:-/tmp}/jcr-memread.XXXXXX")
trap 'kill -9 $FIX 2>/dev/null || true; rm -rf "$WORK"' EXIT
gcc -O2 -o "$WORK/baseline" bench/memread-baseline.c
gcc -O2 -o "$WORK/pattern" core/src/test/resources/fixtures/pattern.c
JNA=$(find "$HOME/.m2/repository/net/java/dev/jna/jna" -name 'jna-*.jar' | sort | tail -1)
CP="core/target/classes:core/target/test-classes:$JNA"

setsid "$WORK/pattern" "$MIB" </dev/null >"$WORK/fixture.out" 2>&1 &
FIX=$!
while ! grep -q READY "$WORK/fixture.out"; do sleep 0.05; done
AREA=$(awk '/^AREA/ {print $2, $3}' "$WORK/fixture.out")

"$WORK/baseline" "$MIB" "$WORK/c-pages.img" "$ROUNDS" | tee "$WORK/results"
# shellcheck disable=SC2086
java -Dvmsplice="${VMSPLICE:-false}" -cp "$CP" dev.jcr.ptrace.MemReadBench "$FIX" $AREA "$WORK" "$ROUNDS" | tee -a "$WORK/results"

awk -v mib="$MIB" '
  { t[$1] = $2 }
  END {
    base = t["c-write"]
    printf "\n%d MiB; baseline c-write %.3f s (%.2f GiB/s)\n", mib, base, mib / 1024 / base
    split("c-memcpy java-mmap-file java-stream-pwrite java-vmsplice java-read-only", k, " ")
    for (i = 1; i <= 5; i++) if (k[i] in t) printf "%-20s %.3f s  %.2fx baseline\n", k[i], t[k[i]], t[k[i]] / base
    printf "remote syscall round trip: %.1f us\n", t["remote-getpid-x1000"] * 1000
  }' "$WORK/results"

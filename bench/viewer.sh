#!/usr/bin/env bash
# jcr-show speed on a large dump: `x DIR mems`, `x DIR rss` and `diff` next to crit (same run), and diff
# throughput next to `cmp -l` reading the same two pages files. Figures are medians of RUNS runs after
# warm-up, with ratios; whole-command figures include JVM start, in-JVM figures (ViewerBench) do not.
# The dump is made synthetically from the memhog16 CRIU vector (BigDump: + MIB MiB of dumped memory)
# until jcr's own dumper can make one from a live process.
# Usage: bench/viewer.sh [MIB (default 1024)] [RUNS (default 5)]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mib="${1:-1024}"
runs="${2:-5}"
vectors="${JCR_VECTORS:-$("$here/bin/vectors")}"   # the project's own copy, unpacked
[[ -d "$vectors/memhog16" ]] || { echo "viewer bench: CRIU vectors not found at $vectors (set JCR_VECTORS)" >&2; exit 2; }
command -v crit >/dev/null || { echo "viewer bench: crit (package criu) is needed as the baseline" >&2; exit 2; }

"$here/bin/jcr-show" --version >/dev/null                       # builds app/target/jcr.jar if stale
(cd "$here" && mvn -B -q -o test-compile -pl image-viewer -am >/dev/null)  # BigDump, ViewerBench
cp="$here/app/target/jcr.jar:$here/image-viewer/target/test-classes"
work="$(mktemp -d "${TMPDIR:-/tmp}/jcr-viewer-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "== making two dumps with $mib MiB of extra memory each (B: 64 pages changed)"
java -cp "$cp" dev.jcr.show.bench.BigDump make "$vectors/memhog16" "$work/a" "$mib"
cp -r "$work/a" "$work/b"
java -cp "$cp" dev.jcr.show.bench.BigDump change "$work/b" 64
pages="$(ls "$work"/a/pages-*.img)"
size=$(stat -c %s "$pages")
printf "pages file: %d MiB; pagemap entries: %d\n" $((size >> 20)) "$(crit decode -i "$work"/a/pagemap-*.img | grep -o vaddr | wc -l)"

jshow() { java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -cp "$here/app/target/jcr.jar" dev.jcr.show.ShowMain "$@"; }

# median wall time in ms of a command (output discarded), after one warm-up run
median() {
  "$@" >/dev/null 2>&1 || true
  local t=()
  for ((i = 0; i < runs; i++)); do
    local s e
    s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N)
    t+=($(((e - s) / 1000000)))
  done
  printf "%s\n" "${t[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == 0) a = 0.5; printf "%.1f", b / a }'; }

echo "== whole command (JVM start included), median of $runs, ms"
printf "%-12s %10s %10s %12s\n" view jcr-show crit "crit/jcr"
for view in mems rss; do
  j=$(median jshow x "$work/a" "$view")
  c=$(median crit x "$work/a" "$view")
  printf "%-12s %10s %10s %12s\n" "x $view" "$j" "$c" "$(ratio "$j" "$c")"
done
jd=$(median jshow diff "$work/a" "$work/b")
# cmp -l reads both files to the end (listing every differing byte); its output must not go to
# /dev/null, where GNU cmp stops at the first difference
cmpall() { cmp -l "$1" "$2" >"$work/cmp.out"; }
cm=$(median cmpall "$pages" "$(ls "$work"/b/pages-*.img)")
printf "%-12s %10s %10s %12s\n" "diff" "$jd" "-" "(crit has none)"
echo "== diff throughput: both pages files read in full (2 x $((size >> 20)) MiB), median of $runs"
printf "%-22s %8s ms  %8s MiB/s\n" "cmp -l (baseline)" "$cm" "$(awk -v s="$size" -v t="$cm" 'BEGIN { printf "%.0f", 2 * s / 1048576 / (t / 1000) }')"
printf "%-22s %8s ms  %8s MiB/s   jcr/cmp speed %sx\n" "jcr-show diff" "$jd" \
  "$(awk -v s="$size" -v t="$jd" 'BEGIN { printf "%.0f", 2 * s / 1048576 / (t / 1000) }')" "$(ratio "$jd" "$cm")"

echo "== in-JVM after warm-up (JVM start excluded), median of $runs, ms"
java -XX:+UseSerialGC -cp "$cp" dev.jcr.show.bench.ViewerBench "$work/a" "$work/b" "$runs" | while read -r name ms; do
  printf "%-12s %10s\n" "$name" "$ms"
done
echo "(JVM start alone: $(median java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -cp "$here/app/target/jcr.jar" dev.jcr.show.ShowMain --version) ms)"

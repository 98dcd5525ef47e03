#!/usr/bin/env bash
# Benchmark: `jcr-show decode` against `crit decode` (CRIU's reference tool) in the same run.
#   1. whole command, JVM / Python start included: every vector image, one process per image;
#   2. in process, start excluded (warmed up): the same images, and a synthetic fragmented pagemap
#      (131072 entries: a 1 GiB process whose resident pages alternate with holes).
# Figures are ratios crit/jcr measured here (> 1: jcr is faster). Output also in bench/out/show.txt.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
vectors="${JCR_VECTORS:-$("$here/bin/vectors")}"   # the project's own copy, unpacked
[[ -d "$vectors" ]] || { echo "bench/show.sh: CRIU 4.2 vectors not found at $vectors (set JCR_VECTORS)" >&2; exit 2; }
command -v crit >/dev/null || { echo "bench/show.sh: crit (package criu) is not installed" >&2; exit 2; }
out="$here/bench/out"; mkdir -p "$out"
"$here/bin/jcr-show" --version >/dev/null            # builds app/target/jcr.jar when stale
jar="$here/app/target/jcr.jar"
jvm=(java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -cp "$jar")
mapfile -t images < <(find "$vectors" -mindepth 2 -maxdepth 2 -type f \( -name '*.img' -o -name 'stats-dump' \) ! -name 'pages-*' | sort)
big="$out/pagemap-131072.img"
[[ -f "$big" ]] || "${jvm[@]}" "$here/bench/DecodeBench.java" gen "$big" 131072

jvmc2=(java -XX:+UseSerialGC -Xshare:auto -cp "$jar")   # in-process timing: full JIT

# Runs a command line N times in a loop; prints "wall_ms cpu_ms" (cpu = user + sys of all children).
measure() {
  /usr/bin/time -f "%e %U %S" -o "$out/.time" bash -c "$1" >/dev/null 2>&1
  read -r e u s < "$out/.time"
  echo "$(echo "$e * 1000" | bc) $(echo "($u + $s) * 1000" | bc)"
}
report() { # name jcr_ms crit_ms [unit]
  printf '%-46s %10.1f %10.1f   crit/jcr %5.2fx\n' "$1" "$2" "$3" "$(echo "scale=3; $3 / $2" | bc)"
}

{
echo "jcr-show decode vs crit decode, $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg), ${#images[@]} vector images"
printf '%-46s %10s %10s\n' "workload (ms)" "jcr" "crit"

# 1. whole commands, one process per image (JVM / Python start included); page cache warmed first
list="${images[*]}"
for f in "${images[@]}"; do crit decode -i "$f" >/dev/null; done
measure "for f in $list; do ${jvm[*]} dev.jcr.show.ShowMain decode \$f; done" >/dev/null
read -r jw jc < <(measure "for f in $list; do ${jvm[*]} dev.jcr.show.ShowMain decode \$f; done")
read -r cw cc < <(measure "for f in $list; do crit decode -i \$f; done")
report "all images, one command each: wall" "$jw" "$cw"
report "all images, one command each: cpu" "$jc" "$cc"
read -r jw jc < <(measure "${jvm[*]} dev.jcr.show.ShowMain decode $big")
read -r cw cc < <(measure "crit decode -i $big")
report "big pagemap, one command: wall" "$jw" "$cw"
report "big pagemap, one command: cpu" "$jc" "$cc"
read -r jw jc < <(measure "${jvm[*]} dev.jcr.show.ShowMain decode --pretty $big")
read -r cw cc < <(measure "crit decode --pretty -i $big")
report "big pagemap, one command --pretty: wall" "$jw" "$cw"

# 2. in process, start excluded, warmed up: mean CPU ms per pass (thread CPU time / process_time)
pybench() {
  /usr/bin/python3 - "$@" <<'PY'
import sys, time, json
from pycriu import images
it, pretty, files = int(sys.argv[1]), sys.argv[2] == 'true', sys.argv[3:]
def one():
    for f in files:
        with open(f, 'rb') as fh:
            json.dumps(images.load(fh, pretty), indent=4 if pretty else None)
for _ in range(max(2, it // 2)): one()
t = time.process_time()
for _ in range(it): one()
print("%.3f" % ((time.process_time() - t) * 1000 / it))
PY
}
for pretty in false true; do
  j=$("${jvmc2[@]}" "$here/bench/DecodeBench.java" time 300 $pretty "${images[@]}")
  p=$(pybench 10 $pretty "${images[@]}")
  report "all images, in process (cpu), pretty=$pretty" "$j" "$p"
done
j=$("${jvmc2[@]}" "$here/bench/DecodeBench.java" time 20 false "$big")
p=$(pybench 2 false "$big")
report "big pagemap (131072 entries), in process (cpu)" "$j" "$p"
j=$("${jvmc2[@]}" "$here/bench/DecodeBench.java" time 20 true "$big")
p=$(pybench 2 true "$big")
report "big pagemap, in process (cpu), pretty" "$j" "$p"
} | tee "$out/show.txt"

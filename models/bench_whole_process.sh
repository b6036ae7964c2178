#!/bin/bash
# Whole-process speed and memory of the `acuity` program against its peers,
# side by side in one run, timed with /usr/bin/time -v (wall, user, sys,
# peak RSS, minor page faults). Prints markdown tables for models/RESULTS.md
# ("Whole process") and datasets/RESULTS.md ("Whole process: analyze").
#
#   models/bench_whole_process.sh [BUILD_DIR] [--skip-12mp]
#
# Rows:
#   start-up     acuity --help; acuity analyze of an 8×8 PNG
#   thick ×4     acuity enhance (default = auto precision, and --precision
#                fp32) vs the TF.js reference (node models/bench_tfjs.mjs,
#                wasm + SIMD, 1 thread: the pinned packages) on 128² and 256²
#                crops of astronaut
#   analyze 12MP acuity analyze of a 4000×3000 JPEG vs scikit-image
#                estimate_sigma + blur_effect in one Python process
#                (datasets/peers.py) on the same file
#   slim ×4 12MP acuity enhance --steps upscale:4 --model esrgan-slim
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
skip12=0
[[ "${2:-}" == "--skip-12mp" ]] && skip12=1
acuity=$build/acuity
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

/usr/bin/python3 - "$work" <<'PY'
import sys
import numpy as np
from skimage import data, io, transform
w = sys.argv[1]
a = data.astronaut()
io.imsave(f"{w}/a128.png", a[100:228, 150:278], check_contrast=False)
io.imsave(f"{w}/a256.png", a[100:356, 150:406], check_contrast=False)
io.imsave(f"{w}/tiny.png", a[200:208, 200:208], check_contrast=False)
big = (transform.resize(a, (3000, 4000), order=3, anti_aliasing=False) * 255).clip(0, 255).astype(np.uint8)
io.imsave(f"{w}/photo12mp.jpg", big, quality=90, check_contrast=False)
for n in (128, 256):
    c = a[100:100 + n, 150:150 + n]
    c.astype(np.uint8).tofile(f"{w}/a{n}.u8")
PY

# One timed run: LABEL then the command. Prints a table row.
row() {
  local label=$1; shift
  /usr/bin/time -v -o "$work/time.txt" "$@" > "$work/out.txt" 2> "$work/err.txt" || {
    echo "| $label | FAILED: $(tail -1 "$work/err.txt") |"; return; }
  awk -v label="$label" -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); wall = (n == 3) ? p[1]*3600 + p[2]*60 + p[3] : p[1]*60 + p[2] }
    /User time/ { user = $2 } /System time/ { sys = $2 }
    /Maximum resident set size/ { rss = $2 / 1024 }
    /Minor \(reclaiming a frame\) page faults/ { minflt = $2 }
    END { printf "| %s | %.3f | %.2f | %.2f | %.0f %% | %.0f | %d |\n", label, wall, user, sys,
          (user + sys > 0 ? 100 * sys / (user + sys) : 0), rss, minflt }' "$work/time.txt"
}

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)
flags=$(grep -m1 '^flags' /proc/cpuinfo | grep -o 'avx512_bf16\|avx512f\|avx2' | sort -u | xargs)
echo "machine: $cpu, $(nproc) cores, flags: $flags; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| run | wall s | user s | sys s | sys share | peak RSS MB | minor faults |"
echo "|---|---|---|---|---|---|---|"
for i in 1 2 3; do row "acuity --help (run $i)" "$acuity" --help; done
for i in 1 2 3; do row "acuity analyze 8×8 PNG (run $i)" "$acuity" analyze "$work/tiny.png"; done
for n in 128 256; do
  row "acuity thick ×4 ${n}² (auto precision)" "$acuity" enhance --steps upscale:4 --model esrgan-thick -o "$work/o$n.png" "$work/a$n.png"
  row "acuity thick ×4 ${n}² (--precision fp32)" "$acuity" enhance --steps upscale:4 --model esrgan-thick --precision fp32 -o "$work/f$n.png" "$work/a$n.png"
  row "TF.js wasm thick ×4 ${n}²" node "$here/models/bench_tfjs.mjs" --model esrgan-thick --scale 4 --input "$work/a$n.u8" --height $n --width $n --repeat 1
done
row "acuity analyze 12 MP JPEG" "$acuity" analyze "$work/photo12mp.jpg"
row "scikit-image estimate_sigma + blur_effect 12 MP JPEG" /usr/bin/python3 "$here/datasets/peers.py" "$work/photo12mp.jpg"
if [[ $skip12 == 0 ]]; then
  row "acuity slim ×4 12 MP → 192 MP" "$acuity" enhance --steps upscale:4 --model esrgan-slim -o "$work/big.jpg" "$work/photo12mp.jpg"
fi
echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

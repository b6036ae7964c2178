#!/usr/bin/env bash
# Measures acuity's peak memory (max RSS from /usr/bin/time -v) for the
# calibration of enhance/memory_estimate.h: analyze at a few sizes, and
# upscales with each kind of model. Prints one line per run: the command,
# the size and the max RSS in MB.
#
#   datasets/measure_memory.sh [build/acuity [REGEX]]   (~11 minutes on 2 cores; REGEX: only those runs)
set -euo pipefail
ACUITY=$(realpath "${1:-build/acuity}")
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
/usr/bin/python3 - "$TMP" <<'PY'
import sys
from skimage import data, io, transform, util
out = sys.argv[1]
photo = data.astronaut()
for w, h in [(64, 48), (128, 96), (256, 192), (384, 288), (512, 384), (1024, 768), (2048, 1536), (4096, 3072),
             (6000, 4000), (8000, 6000)]:
    io.imsave(f"{out}/{w}x{h}.png", util.img_as_ubyte(transform.resize(photo, (h, w), anti_aliasing=True)),
              check_contrast=False)
PY
ONLY=${2:-}  # a regular expression: run only the matching lines
rss() {  # SIZE ARGS...
  [[ -z "$ONLY" || "$*" =~ $ONLY ]] || return 0
  local size=$1; shift
  /usr/bin/time -v "$ACUITY" "$@" >/dev/null 2>"$TMP/time.txt" || { tail -3 "$TMP/time.txt"; return 1; }
  printf '%-72s %-10s %6.0f MB\n' "$*" "$size" \
    "$(awk '/Maximum resident/ {print $6 / 1024}' "$TMP/time.txt")" | sed "s|$TMP/||g"
}
for s in 64x48 1024x768 2048x1536 4096x3072 6000x4000 8000x6000; do
  rss "$s" analyze "$TMP/$s.png"
  rss "$s" advise "$TMP/$s.png"  # faces and text looked for too
done
rss 1024x768 enhance --steps denoise:8,sharpen:0.5 -o "$TMP/o.png" "$TMP/1024x768.png"
for s in 256x192 512x384; do
  rss "$s" enhance --steps upscale:2 --model esrgan-slim -o "$TMP/o.png" "$TMP/$s.png"
  rss "$s" enhance --steps upscale:4 --model esrgan-slim -o "$TMP/o.png" "$TMP/$s.png"
done
rss 1024x768 enhance --steps upscale:2 --model esrgan-slim -o "$TMP/o.png" "$TMP/1024x768.png"
for m in esrgan-medium esrgan-thick realesr-general-x4v3; do
  rss 128x96 enhance --steps upscale:4 --model $m -o "$TMP/o.png" "$TMP/128x96.png"
  rss 384x288 enhance --steps upscale:4 --model $m -o "$TMP/o.png" "$TMP/384x288.png"
done
rss 64x48 enhance --steps upscale:4 --model realesrgan-x4plus -o "$TMP/o.png" "$TMP/64x48.png"
rss 256x192 enhance --steps upscale:4 --model realesrgan-x4plus -o "$TMP/o.png" "$TMP/256x192.png"

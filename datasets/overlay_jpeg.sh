#!/usr/bin/env bash
# Drawn overlays in JPEG files (docs/json.md, content.overlay_pct;
# analysis/measurements/overlay_strokes.h), held out from the photos and
# the font the stroke rule was tuned on (DejaVu Sans over astronaut, coffee,
# chelsea, rocket, motorcycle_left, immunohistochemistry, text, camera):
# a date stamp, a watermark, a caption and a logo in four other fonts
# (matplotlib's STIX and Computer Modern, DejaVu Serif) over 17 other
# photos (scikit-image's, matplotlib's Grace Hopper, SciPy's raccoon and
# ascent), sharp and blurred by 2 px, saved by PIL at q60 (4:2:0) and q85
# (4:4:4); and the photos without text, sharp, blurred, and sharp in one
# ellipse only (the rest blurred by 3 px). Prints, for the blurred files
# with text, how often the blur reading moves by over 15 % (+0.1 px) from
# the same file's without text, and the files without text that read an
# overlay.
#
#   datasets/overlay_jpeg.sh [ACUITY] [WORK_DIR]    # about 3 min on 2 cores
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ACUITY=$(realpath "${1:-build/acuity}")
WORK=${2:-$(mktemp -d /tmp/acuity-overlay-jpeg.XXXXXX)}
mkdir -p "$WORK" && cd "$WORK"

/usr/bin/python3 -W ignore - <<'PY'
import numpy as np, skimage.data as d, scipy.misc as sm
from PIL import Image, ImageDraw, ImageFont, ImageFilter
mpl = "/usr/share/matplotlib/mpl-data/"
fonts = [mpl + "fonts/ttf/STIXGeneralBol.ttf", mpl + "fonts/ttf/STIXGeneral.ttf", mpl + "fonts/ttf/cmr10.ttf",
         "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"]
gray = lambda a: np.dstack([a] * 3)
photos = {"retina": d.retina(), "hubble": d.hubble_deep_field(), "brick": gray(d.brick()), "grass": gray(d.grass()),
          "gravel": gray(d.gravel()), "coins": gray(d.coins()), "page": gray(d.page()), "cat": d.cat(),
          "motoR": d.stereo_motorcycle()[1], "colorwheel": d.colorwheel(),
          "hopper": np.asarray(Image.open(mpl + "sample_data/grace_hopper.jpg").convert("RGB")),
          "raccoon": sm.face(), "ascent": gray(sm.ascent().astype(np.uint8)), "clock": gray(d.clock()),
          "moon": gray(d.moon()), "cell": gray(d.cell()), "sign": gray(d.text())}

def overlay(im, kind, font):
    im = im.copy(); dr = ImageDraw.Draw(im); W, H = im.size
    if kind == "stamp": dr.text((W - 200, H - 34), "05/17/2024 2:22 PM", font=ImageFont.truetype(font, 20), fill=(255, 140, 0))
    if kind == "wm": dr.text((W // 6, H // 2 - 22), "SAMPLE PHOTO", font=ImageFont.truetype(font, 38), fill=(255, 255, 255))
    if kind == "caption": dr.text((10, H - 28), "www.example-shop.com", font=ImageFont.truetype(font, 17), fill=(0, 0, 0))
    if kind == "logo":
        dr.rectangle((10, 10, 120, 50), fill=(200, 20, 40))
        dr.text((18, 16), "BRAND", font=ImageFont.truetype(font, 24), fill=(255, 255, 255))
    return im

for i, (name, a) in enumerate(photos.items()):
    base = Image.fromarray(np.asarray(a)[..., :3].astype(np.uint8)).convert("RGB")
    if max(base.size) > 640:
        base = base.resize((base.size[0] * 640 // max(base.size), base.size[1] * 640 // max(base.size)), Image.LANCZOS)
    font = fonts[i % len(fonts)]
    for s in (0, 2):
        b = base.filter(ImageFilter.GaussianBlur(s)) if s else base
        for kind in ("none", "stamp", "wm", "caption", "logo"):
            im = overlay(b, kind, font)
            for q in (60, 85):
                im.save(f"{name}_s{s}_{kind}_q{q}.jpg", quality=q, subsampling=2 if q == 60 else 0)
    soft = base.filter(ImageFilter.GaussianBlur(3)); W, H = base.size
    m = Image.new("L", base.size, 0); ImageDraw.Draw(m).ellipse((W // 4, H // 5, 3 * W // 4, 4 * H // 5), fill=255)
    Image.composite(base, soft, m.filter(ImageFilter.GaussianBlur(10))).save(f"{name}_dof_none_q85.jpg", quality=85)
PY

for f in *.jpg; do
  printf '%s ' "$f"
  "$ACUITY" analyze --json "$f" | /usr/bin/python3 -c \
    "import json,sys; j=json.load(sys.stdin); print(j['sharpness']['blur_sigma_px'], j['content']['overlay_pct'])"
done >readings.txt

/usr/bin/python3 -W ignore - <<'PY'
import re
rows = {}
for line in open("readings.txt"):
    f, blur, overlay = line.split()
    name, s, kind, q = re.match(r"(\w+?)_(s\d|dof)_(\w+?)_q(\d+)\.jpg", f).groups()
    rows[(name, s, kind, q)] = (None if blur == "None" else float(blur), overlay)
print("| files | n | blur moved > 15 % by the text | overlay found |")
print("|---|---|---|---|")
for s, words in (("s2", "blurred 2 px, with text"), ("s0", "sharp, with text")):
    n = moved = found = 0
    for (name, ss, kind, q), (b, o) in rows.items():
        ref = rows[(name, ss, "none", q)][0] if ss == s and kind != "none" else None
        if ref is None or b is None: continue
        n += 1; moved += abs(b - ref) > 0.15 * ref + 0.1; found += o not in ("0.0", "None")
    print(f"| {words} | {n} | {100 * moved / n:.0f} % | {100 * found / n:.0f} % |")
clean = [(k, o) for k, (b, o) in rows.items() if k[2] == "none"]
false = [f"{k[0]} {k[1]} q{k[3]}" for k, o in clean if o not in ("0.0", "None")]
print(f"| without text (sharp, blurred, sharp in one part) | {len(clean)} | — | {len(false)} ({', '.join(false) or 'none'}) |")
PY

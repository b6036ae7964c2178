#!/usr/bin/env bash
# Content kind of JPEG files (docs/json.md, content.kind): scikit-image photos
# (colour, and the colour ones also as gray) at JPEG q25–95; 17 photos
# blurred by σ 0.6, 0.8 and 1 px (scipy) at q75 and q90, whose smooth areas
# come out flat; and drawn pictures made here (a UI window light and dark, a
# bar chart, pixel art of 6 saturated colours with 4-, 8- and 12-px cells) at
# q60–90, all saved by PIL (4:2:0 chroma for colour). Prints each file's
# kind, then per class how many read as they should: photos `photo`,
# drawings `synthetic` (`mixed` is counted apart: not wrong for a photo's
# advice, but not drawn content). The set analysis/measurements/
# drawn_fills.h was tuned on; datasets/content_kind_heldout.py is held out.
#
#   datasets/content_kind_jpeg.sh [ACUITY] [WORK_DIR]    # about 1.5 min on 2 cores
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ACUITY=$(realpath "${1:-build/acuity}")
WORK=${2:-$(mktemp -d /tmp/acuity-content-kind.XXXXXX)}
mkdir -p "$WORK" && cd "$WORK"

/usr/bin/python3 - <<'PY'
import numpy as np
from PIL import Image, ImageDraw, ImageFont
import skimage.data as d

photos = ["astronaut", "coffee", "chelsea", "rocket", "motorcycle_left", "brick", "grass", "gravel",
          "camera", "moon", "coins", "immunohistochemistry", "hubble_deep_field"]
for name in photos:
    a = d.stereo_motorcycle()[0] if name == "motorcycle_left" else getattr(d, name)()
    im = Image.fromarray(a)
    if max(im.size) > 640:
        s = 640 / max(im.size)
        im = im.resize((round(im.size[0] * s), round(im.size[1] * s)), Image.LANCZOS)
    variants = [("colour", im)] if im.mode == "RGB" else [("gray", im)]
    if im.mode == "RGB":
        variants.append(("gray", im.convert("L")))
    for tone, v in variants:
        for q in (25, 40, 50, 75, 95):
            v.save(f"photo_{name}_{tone}_q{q}.jpg", quality=q)

from scipy.ndimage import gaussian_filter
soft = ["astronaut", "coffee", "chelsea", "camera", "brick", "grass", "gravel", "ihc", "retina", "motorcycle_left",
        "motorcycle_right", "rocket", "coins", "hubble_deep_field", "cell", "moon", "clock_motion"]
for name in soft:
    a = d.stereo_motorcycle()[0 if name == "motorcycle_left" else 1] if name.startswith("motorcycle") else \
        getattr(d, {"ihc": "immunohistochemistry", "clock_motion": "clock"}.get(name, name))()
    for sigma in (0.6, 0.8, 1.0):
        f = np.clip(np.rint(gaussian_filter(a.astype(np.float32), (sigma, sigma, 0)[:a.ndim])), 0, 255).astype(np.uint8)
        for q in (75, 90):
            Image.fromarray(f).save(f"blurred_{name}_s{sigma}_q{q}.jpg", quality=q)

font_dir = "/usr/share/fonts/truetype/dejavu/"
def ui(dark):
    bg, fg = ((30, 30, 30), (220, 220, 220)) if dark else ((245, 245, 245), (20, 20, 20))
    im = Image.new("RGB", (400, 300), bg)
    dr = ImageDraw.Draw(im)
    f = ImageFont.truetype(font_dir + "DejaVuSans.ttf", 11)
    fb = ImageFont.truetype(font_dir + "DejaVuSans-Bold.ttf", 13)
    dr.rectangle([0, 0, 400, 28], fill=(50, 50, 60) if dark else (220, 225, 235))
    dr.text((8, 7), "File  Edit  View  Window  Help", font=fb, fill=fg)
    dr.rectangle([0, 28, 90, 300], fill=(40, 40, 45) if dark else (232, 232, 236))
    for i, s in enumerate(["Inbox", "Drafts", "Sent", "Archive", "Spam", "Trash"]):
        dr.text((10, 40 + i * 20), s, font=f, fill=fg)
    for i in range(12):
        dr.text((100, 40 + i * 20), f"Message {i}: meeting notes and report v{i}.2", font=f, fill=fg)
        dr.line([100, 55 + i * 20, 390, 55 + i * 20], fill=(70, 70, 70) if dark else (200, 200, 200))
    dr.rounded_rectangle([300, 265, 390, 290], 5, fill=(40, 110, 220))
    dr.text((318, 270), "Send", font=fb, fill=(255, 255, 255))
    return im

def chart():
    im = Image.new("RGB", (400, 300), "white")
    dr = ImageDraw.Draw(im)
    f = ImageFont.truetype(font_dir + "DejaVuSans.ttf", 10)
    dr.line([40, 260, 390, 260], fill="black")
    dr.line([40, 20, 40, 260], fill="black")
    vals = [120, 180, 90, 210, 150, 60, 200]
    for i, v in enumerate(vals):
        dr.rectangle([55 + i * 48, 260 - v, 85 + i * 48, 260], fill=(70, 130, 180))
        dr.text((58 + i * 48, 265), f"Q{i + 1}", font=f, fill="black")
    dr.line([(70 + i * 48, 240 - v * 0.8) for i, v in enumerate(vals[::-1])], fill=(220, 60, 40), width=2)
    return im

def pixel_art(cell, seed):
    rng = np.random.default_rng(seed)
    pal = np.array([[0, 0, 0], [255, 255, 255], [230, 50, 50], [50, 200, 80], [40, 80, 220], [250, 220, 40]],
                   np.uint8)
    n = 300 // cell
    half = rng.integers(0, 6, (n, (n + 1) // 2))
    sprite = np.concatenate([half, half[:, -2::-1] if n % 2 else half[:, ::-1]], 1)
    return Image.fromarray(pal[sprite]).resize((n * cell, n * cell), Image.NEAREST)

drawings = {"ui_light": ui(False), "ui_dark": ui(True), "chart": chart()}
for cell in (4, 8, 12):
    drawings[f"pixelart{cell}"] = pixel_art(cell, cell)
for name, im in drawings.items():
    for q in (60, 75, 90):
        im.save(f"drawn_{name}_q{q}.jpg", quality=q)
PY

for f in photo_*.jpg blurred_*.jpg drawn_*.jpg; do
  kind=$("$ACUITY" analyze --json "$f" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["content"]["kind"])')
  printf '%-44s %s\n' "$f" "$kind"
done | tee kinds.txt

/usr/bin/python3 - <<'PY'
import collections
rows = [l.split() for l in open("kinds.txt")]
by = collections.defaultdict(collections.Counter)
for f, kind in rows:
    cls = f.split("_")[0] + (" pixel art" if "pixelart" in f else "") + (" gray" if "_gray_" in f else "")
    cls = "photo blurred 0.6-1 px" if cls == "blurred" else cls
    by[cls][kind] += 1
print()
print(f"{'class':<22} {'files':>5} {'photo':>6} {'mixed':>6} {'synthetic':>9}")
for cls, c in sorted(by.items()):
    print(f"{cls:<22} {sum(c.values()):>5} {c['photo']:>6} {c['mixed']:>6} {c['synthetic']:>9}")
PY

#!/usr/bin/python3
"""Enlargements straightened since, made by another tool than the test's
(issue #25): Pillow enlarges a crop of a scikit-image photo x2, x3 (Lanczos)
or x4 (bicubic), turns it -2, 3, -5 or 7 degrees (its own bicubic) and crops
the rectangle inside, saved as PNG and as JPEG q90; `acuity analyze --json`
reads them. Prints, per photo and format, how many read at their factor
(native_scale within 8 %), how many at another factor, and the worst photo:
the figures of the "tilted_grid" block of datasets/RESULTS.md (kept by hand;
datasets/evaluate keeps the block).

    /usr/bin/python3 datasets/tilted_grid_peers.py --acuity build/acuity --work /tmp/acuity-tilted

Needs PIL and numpy (setup.sh installs them) and scikit-image's photos.
"""
import argparse
import json
import math
import os
import subprocess
from collections import defaultdict

from PIL import Image

PHOTOS = "/usr/lib/python3/dist-packages/skimage/data"
NAMES = ["astronaut.png", "coffee.png", "chelsea.png", "motorcycle_left.png", "rocket.jpg", "ihc.png",
         "grass.png", "brick.png", "camera.png"]
FACTORS = [2, 3, 4]
TURNS_DEG = [-2, 3, -5, 7]


def straightened(image, turn_deg):
    """`image` turned by `turn_deg` (counter-clockwise), cropped to the
    largest rectangle of its aspect inside."""
    turned = image.rotate(turn_deg, resample=Image.BICUBIC)
    a = math.radians(abs(turn_deg))
    w, h = turned.size
    k = min(w / (w * math.cos(a) + h * math.sin(a)), h / (h * math.cos(a) + w * math.sin(a)))
    cw, ch = int(w * k) - 4, int(h * k) - 4
    left, top = (w - cw) // 2, (h - ch) // 2
    return turned.crop((left, top, left + cw, top + ch))


def find_path(record):
    """The input's path in an `analyze --json` record."""
    if isinstance(record, dict):
        if isinstance(record.get("path"), str):
            return record["path"]
        for value in record.values():
            found = find_path(value)
            if found:
                return found
    return None


def make(work):
    for name in NAMES:
        photo = Image.open(os.path.join(PHOTOS, name)).convert("RGB")
        half = photo.resize((photo.size[0] // 2, photo.size[1] // 2), Image.BOX)
        for f in FACTORS:
            cw, ch = min(400 // f, half.size[0]), min(300 // f, half.size[1])
            left, top = (half.size[0] - cw) // 2, (half.size[1] - ch) // 2
            kernel = Image.LANCZOS if f == 3 else Image.BICUBIC
            big = half.crop((left, top, left + cw, top + ch)).resize((cw * f, ch * f), kernel)
            for turn in TURNS_DEG:
                out = straightened(big, turn)
                stem = os.path.join(work, f"{name.split('.')[0]}_x{f}_t{turn}")
                out.save(stem + ".png")
                out.save(stem + "_q90.jpg", quality=90)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--acuity", default="build/acuity")
    parser.add_argument("--work", default="/tmp/acuity-tilted")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    make(args.work)
    out = subprocess.run([args.acuity, "analyze", "--json", args.work], capture_output=True, text=True, check=False)
    counts = defaultdict(lambda: [0, 0, 0])  # (photo, format) -> read, other factor, cases
    for line in out.stdout.splitlines():
        record = json.loads(line)
        path = find_path(record)
        base = os.path.basename(path)
        photo, fmt = base.split("_x")[0], "JPEG q90" if base.endswith(".jpg") else "PNG"
        f = int(base.split("_x")[1].split("_")[0])
        scale = record["resolution"]["native_scale"]
        c = counts[(photo, fmt)]
        c[2] += 1
        if scale is not None and abs(scale - 1 / f) <= 0.08 / f:
            c[0] += 1
        elif scale is not None and scale < 1.0:
            c[1] += 1
    print("| photo | format | read at the factor | at another factor |")
    print("|---|---|---|---|")
    for (photo, fmt), (read, other, cases) in sorted(counts.items()):
        print(f"| {photo} | {fmt} | {read} of {cases} | {other} |")
    for fmt in ("PNG", "JPEG q90"):
        rows = [(c[0] / c[2], p) for (p, f), c in counts.items() if f == fmt and c[2]]
        total = sum(c[0] for (p, f), c in counts.items() if f == fmt)
        cases = sum(c[2] for (p, f), c in counts.items() if f == fmt)
        print(f"{fmt}: {total} of {cases}; worst photo {min(rows)[1]} ({min(rows)[0]:.0%})")


if __name__ == "__main__":
    main()

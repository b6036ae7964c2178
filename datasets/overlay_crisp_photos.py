#!/usr/bin/python3
"""Drawn overlays on photos nearly as crisp as text (issue #25): the set the
photo-crispness margin of analysis/measurements/overlay_strokes.h
(kOverlayCrispnessMargin) was tuned on. 20 scikit-image photos blurred by
0.6, 0.7, 0.8, 0.9 and 1.0 px (scipy's Gaussian), saved by PIL as JPEG q75
and q90, read by `acuity analyze --json`: how many read "drawn on it"
(content.overlay_pct > 0) though nothing is. And 8 of them blurred by 0.6–3
px with a watermark in DejaVu Sans 22 px white, DejaVu Sans Bold 30 px black
or DejaVu Serif 18 px white: how many of those are found.

    /usr/bin/python3 datasets/overlay_crisp_photos.py --acuity build/acuity --work /tmp/acuity-crisp

Needs PIL, numpy, scipy (setup.sh installs them), scikit-image's photos and
fonts-dejavu-core. About 2 minutes on 2 cores.
"""
import argparse
import json
import os
import subprocess
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from scipy.ndimage import gaussian_filter

PHOTOS = "/usr/lib/python3/dist-packages/skimage/data"
FONTS = "/usr/share/fonts/truetype/dejavu"
PLAIN = ["astronaut", "coffee", "chelsea", "camera", "brick", "grass", "gravel", "ihc", "retina", "motorcycle_left",
         "motorcycle_right", "rocket", "coins", "hubble_deep_field", "cell", "page", "text", "moon", "horse",
         "clock_motion"]
PLAIN_SIGMAS = [0.6, 0.7, 0.8, 0.9, 1.0]
MARKED = ["astronaut", "coffee", "chelsea", "camera", "motorcycle_left", "rocket", "coins", "retina"]
MARKED_SIGMAS = [0.6, 0.8, 1.0, 1.5, 2.0, 3.0]
MARKS = [("DejaVuSans.ttf", 22, 255), ("DejaVuSans-Bold.ttf", 30, 0), ("DejaVuSerif.ttf", 18, 255)]
QUALITIES = [75, 90]


def load(name):
    path = os.path.join(PHOTOS, name + ".png")
    if not os.path.exists(path):
        path = os.path.join(PHOTOS, name + ".jpg")
    pixels = np.asarray(Image.open(path)).astype(float)
    return pixels[..., :3] if pixels.ndim == 3 else pixels


def blurred(pixels, sigma):
    sigmas = (sigma, sigma, 0) if pixels.ndim == 3 else sigma
    return Image.fromarray(np.clip(gaussian_filter(pixels, sigmas), 0, 255).round().astype(np.uint8))


def make(work):
    files = []  # (path, group, sigma, drawn)
    for name in PLAIN:
        pixels = load(name)
        for sigma in PLAIN_SIGMAS:
            image = blurred(pixels, sigma)
            for q in QUALITIES:
                path = os.path.join(work, f"{name}_s{sigma}_q{q}.jpg")
                image.save(path, quality=q)
                files.append((path, name, sigma, False))
    for name in MARKED:
        pixels = load(name)
        for sigma in MARKED_SIGMAS:
            image = blurred(pixels, sigma)
            for k, (font, size, level) in enumerate(MARKS):
                marked = image.copy()
                fill = level if marked.mode == "L" else (level, level, level)
                ImageDraw.Draw(marked).text((marked.width - 260, marked.height - 50), "(c) studio 2026",
                                            font=ImageFont.truetype(os.path.join(FONTS, font), size), fill=fill)
                for q in QUALITIES:
                    path = os.path.join(work, f"{name}_s{sigma}_mark{k}_q{q}.jpg")
                    marked.save(path, quality=q)
                    files.append((path, name, sigma, True))
    return files


def overlay_pct(acuity, path):
    out = subprocess.run([acuity, "analyze", "--json", path], capture_output=True, text=True, check=True).stdout
    return json.loads(out)["content"].get("overlay_pct")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--acuity", default="build/acuity")
    parser.add_argument("--work", default="/tmp/acuity-crisp")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    files = make(args.work)
    acuity = os.path.abspath(args.acuity)
    with ThreadPoolExecutor(max_workers=2) as pool:
        read = list(pool.map(lambda f: overlay_pct(acuity, f[0]), files))
    plain, marked = defaultdict(lambda: [0, 0]), defaultdict(lambda: [0, 0])
    flagged = []
    for (path, name, sigma, drawn), pct in zip(files, read):
        if pct is None:  # read as drawn throughout (horse: a silhouette): not measured
            continue
        table = marked if drawn else plain
        table[sigma][0] += 1
        table[sigma][1] += pct > 0
        if not drawn and pct > 0:
            flagged.append(f"{os.path.basename(path)} ({pct:.1f} %)")
    print("| blur σ px | photos without text: read with an overlay | with a watermark: found |")
    print("|---|---|---|")
    for sigma in sorted(set(plain) | set(marked)):
        p = f"{plain[sigma][1]} of {plain[sigma][0]}" if sigma in plain else "—"
        m = f"{marked[sigma][1]} of {marked[sigma][0]}" if sigma in marked else "—"
        print(f"| {sigma} | {p} | {m} |")
    print("\nRead with an overlay, without text:", ", ".join(flagged) or "none")


if __name__ == "__main__":
    main()

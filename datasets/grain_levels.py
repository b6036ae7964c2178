#!/usr/bin/python3
"""Grain that grows with brightness: what acuity's noise level function reads
for a film's grain or a scanned paper's texture (every channel times 1 + g,
g one Gaussian field blurred and scaled to a share of the level), and for
clean pictures the binned reading must leave alone: clean ×2 Lanczos
enlargements, sharpened or not, and sharpened photos (docs/json.md,
`noise.sigma`: "Grain that grows with brightness").

    /usr/bin/python3 datasets/grain_levels.py --acuity build/acuity --work /tmp/acuity-grain

Each scikit-image photo is area-reduced (its own noise mostly gone) and
gets grain of 3 % blurred 1 px, 4 % blurred 0.8 px, 5 % blurred 0.6 px, and
4 % blurred 0.8 px drawn per channel. Prints one row per file: the truth per
brightness bin (the grain's std-dev over the clean pixels of that level,
8-bit units), what acuity reads there, and whether it read binned; then how
many grain files read their loudest bin at 5 or more (a grain the advice
denoises) and the loudest bin any clean file reads.
"""
import argparse
import json
import os
import subprocess

import numpy as np
from PIL import Image, ImageFilter
from scipy import ndimage
from skimage import data

SKIMAGE = os.path.dirname(data.__file__) + os.sep  # scikit-image's own photos
# Photo and the area reduction that leaves its own noise under about 1.
PHOTOS = {"astronaut.png": 2, "coffee.png": 2, "chelsea.png": 1, "motorcycle_left.png": 2, "rocket.jpg": 2,
          "camera.png": 2, "moon.png": 2, "retina.jpg": 3}
GRAIN = [(1.0, 0.03, False), (0.8, 0.04, False), (0.6, 0.05, False), (0.8, 0.04, True)]


def area(a, k):
    h, w = a.shape[0] // k * k, a.shape[1] // k * k
    a = a[:h, :w]
    return a.reshape(h // k, k, w // k, k, *a.shape[2:]).mean(axis=(1, 3))


def bins(clean, noise):
    c = clean if clean.ndim == 3 else clean[..., None]
    n = noise if noise.ndim == 3 else noise[..., None]
    out = []
    for b in range(6):
        m = (c >= 255 * b / 6) & (c < 255 * (b + 1) / 6) & (c > 8) & (c < 247)
        out.append(float(n[m].std()) if m.sum() > 2000 else None)
    return out


def save(a, path):
    Image.fromarray(np.clip(np.round(a), 0, 255).astype(np.uint8)).save(path)


def read(acuity, path):
    out = subprocess.run([acuity, "analyze", "--json", path], capture_output=True, text=True, check=True).stdout
    noise = json.loads(out)["noise"]
    return [b["sigma"] for b in noise.get("level_function") or []], noise.get("correlated")


def fmt(values):
    return " ".join("-" if v is None else f"{v:.1f}" for v in values)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--acuity", default="build/acuity")
    p.add_argument("--work", default="/tmp/acuity-grain")
    args = p.parse_args()
    os.makedirs(args.work, exist_ok=True)
    rng = np.random.default_rng(41)
    grain_read, grain_files, clean_loudest = 0, 0, 0.0
    print("| file | truth by level | read by level | binned |\n|---|---|---|---|")
    for photo, k in PHOTOS.items():
        im = Image.open(SKIMAGE + photo)
        clean = area(np.asarray(im.convert("L" if im.mode == "L" else "RGB")).astype(float), k)
        name = photo.split(".")[0]
        for blur, share, per_channel in GRAIN:
            if per_channel and clean.ndim == 2:
                continue
            shape = clean.shape if per_channel else clean.shape[:2]
            g = ndimage.gaussian_filter(rng.normal(0, 1, shape), (blur, blur, 0) if per_channel else blur)
            g = g / g.std() * share
            g = g if per_channel or clean.ndim == 2 else g[..., None]
            path = os.path.join(args.work, f"{name}_grain{int(share * 100)}_{blur}{'_rgb' if per_channel else ''}.png")
            save(clean * (1 + g), path)
            levels, correlated = read(args.acuity, path)
            grain_files += 1
            grain_read += max((v or 0) for v in levels) >= 5 if levels else 0
            print(f"| {os.path.basename(path)} | {fmt(bins(clean, clean * g))} | {fmt(levels)} | {correlated} |")
        small = Image.fromarray(np.clip(np.round(clean), 0, 255).astype(np.uint8))
        up = small.resize((small.width * 2, small.height * 2), Image.LANCZOS)
        for label, picture in [("x2", up), ("x2_sharpened", up.filter(ImageFilter.UnsharpMask(1.5, 200, 0))),
                               ("sharpened", small.filter(ImageFilter.UnsharpMask(1, 300, 0)))]:
            path = os.path.join(args.work, f"{name}_{label}.png")
            picture.save(path)
            levels, correlated = read(args.acuity, path)
            clean_loudest = max([clean_loudest] + [v for v in levels if v is not None])
            print(f"| {os.path.basename(path)} | clean | {fmt(levels)} | {correlated} |")
    print(f"\ngrain read at 5 or more in its loudest bin: {grain_read} of {grain_files}; "
          f"the loudest bin of a clean file: {clean_loudest:.1f}")


if __name__ == "__main__":
    main()

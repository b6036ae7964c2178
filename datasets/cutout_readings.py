#!/usr/bin/python3
"""Cut-outs on held-out photos: does a picture with transparency read what
shows, whatever colour its file stores under the transparent pixels?
(analysis/measurements/visible_part.h; the tuned cases are
VisiblePartTest's astronaut, chelsea and coffee with an ellipse.)

Each of scikit-image's rocket, cat, hubble_deep_field, immunohistochemistry,
retina (held out) and coffee (tuned on, here with another blur, noise and
mask) is blurred (Gaussian, 1-2.5 px) and given noise (σ 1-5),
then cut out with an irregular, feathered mask (σ 1.2 px); under alpha 0 the
file stores black, white, the photo, or uniform noise. Prints, per photo,
the opaque photo's blur σ (px), noise σ and native scale, and each stored
colour's readings: they should agree with each other and with the opaque
photo.

  /usr/bin/python3 datasets/cutout_readings.py build/acuity [--dir /tmp/cutouts]
"""
import argparse
import json
import os
import subprocess

import numpy as np
import skimage.data
import skimage.io
from scipy.ndimage import gaussian_filter

PHOTOS = ["rocket", "cat", "hubble_deep_field", "immunohistochemistry", "retina", "coffee"]
STORED = ["black", "white", "photo", "noise"]


def make(name, rng, out_dir):
    a = getattr(skimage.data, name)()
    if a.ndim == 2:
        a = np.dstack([a] * 3)
    a = a[..., :3].astype(float)
    h, w = a.shape[:2]
    blur = rng.uniform(1.0, 2.5)
    b = np.stack([gaussian_filter(a[..., c], blur) for c in range(3)], -1)
    b = np.clip(b + rng.normal(0, rng.uniform(1, 5), b.shape), 0, 255).astype(np.uint8)
    blob = gaussian_filter(rng.normal(size=(h, w)), min(h, w) / 8)
    blob = (blob - blob.mean()) / blob.std()
    yy, xx = np.mgrid[:h, :w]
    shown = (blob * 0.3 - np.hypot((yy - h / 2) / h, (xx - w / 2) / w) * 3 + 0.9) > 0
    alpha = gaussian_filter(shown * 255.0, 1.2).round().clip(0, 255).astype(np.uint8)
    paths = {"opaque": os.path.join(out_dir, f"{name}_opaque.png")}
    skimage.io.imsave(paths["opaque"], b, check_contrast=False)
    for stored in STORED:
        c = b.copy()
        under = alpha == 0
        if stored == "black":
            c[under] = 0
        elif stored == "white":
            c[under] = 255
        elif stored == "noise":
            c[under] = rng.integers(0, 256, (np.count_nonzero(under), 3))
        paths[stored] = os.path.join(out_dir, f"{name}_{stored}.png")
        skimage.io.imsave(paths[stored], np.dstack([c, alpha]), check_contrast=False)
    return paths


def read(acuity, path):
    j = json.loads(subprocess.run([acuity, "analyze", "--json", path], check=True, capture_output=True,
                                  text=True).stdout)
    return (j["sharpness"]["blur_sigma_px"], j["noise"]["sigma"], j["resolution"]["native_scale"],
            j["content"]["kind"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("acuity")
    parser.add_argument("--dir", default="/tmp/cutouts")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    rng = np.random.default_rng(5)
    print("| photo | stored under alpha 0 | blur σ px | noise σ | native scale | content |")
    print("|---|---|---|---|---|---|")
    worst = 0.0
    for name in PHOTOS:
        paths = make(name, rng, args.dir)
        opaque = read(args.acuity, paths["opaque"])
        print(f"| {name} | (opaque) | {opaque[0]} | {opaque[1]} | {opaque[2]} | {opaque[3]} |")
        for stored in STORED:
            r = read(args.acuity, paths[stored])
            if r[0] is not None and opaque[0] is not None:
                worst = max(worst, abs(r[0] - opaque[0]))
            else:
                worst = float("inf")
            print(f"| {name} | {stored} | {r[0]} | {r[1]} | {r[2]} | {r[3]} |")
    print(f"\nworst blur error against the opaque photo: {worst:.2f} px")


if __name__ == "__main__":
    main()

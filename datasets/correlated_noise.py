#!/usr/bin/python3
"""Correlated noise: what acuity's noise reading gives for grain that spans
more than a pixel (a demosaic's, a phone's noise reduction, a JPEG's), and
what it gives where there is none (analysis/measurements/noise.h,
NoiseResult::correlated; the figures of docs/json.md, `noise.correlated`).

    /usr/bin/python3 datasets/correlated_noise.py --acuity build/acuity --work /tmp/acuity-noise \
        [--photos coffee,camera,...]

Each scikit-image photo (halved with area averaging when over 600 px tall)
gets white noise of sigma 10 per pixel after a Gaussian blur of 0, 0.5, 0.7
and 1 px (the noise rescaled to sigma 10 after the blur: the truth is 10),
saved as PNG, as JPEG q92 (0.7 and 1 px) and, unblurred, as JPEG q75; texture everywhere (gravel, grass,
brick, gray) gets brightness-dependent white noise (variance a*level + b) and
is sharpened (250 %, radius 2 px). Prints one Markdown row per class: the
sigma acuity reads (min-max over the photos), how many were read binned, the
range of those and the photos not read binned.
"""
import argparse
import json
import os
import subprocess

import numpy as np
from PIL import Image, ImageFilter
from scipy import ndimage
from skimage import data

PHOTOS = "astronaut,brick,camera,chelsea,coffee,grass,gravel,hubble_deep_field,immunohistochemistry,moon,page,retina,rocket"


def photo(name):
    im = getattr(data, name)()
    if im.ndim == 2:
        im = np.stack([im] * 3, -1)
    pil = Image.fromarray(im[..., :3].astype(np.uint8))
    if pil.height > 600:
        pil = pil.reduce(2)
    return np.asarray(pil).astype(float)


def noisy(im, blur_px, rng):
    n = rng.normal(0, 1, im.shape)
    if blur_px > 0:
        n = np.stack([ndimage.gaussian_filter(n[..., c], blur_px) for c in range(3)], -1)
    return Image.fromarray(np.clip(np.round(im + n / n.std() * 10), 0, 255).astype(np.uint8))


def read(acuity, path):
    out = subprocess.run([acuity, "analyze", "--json", path], capture_output=True, text=True, check=True).stdout
    noise = json.loads(out.splitlines()[0])["noise"]
    return noise["sigma"], bool(noise.get("correlated"))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--acuity", default="build/acuity")
    p.add_argument("--work", default="/tmp/acuity-noise")
    p.add_argument("--photos", default=PHOTOS)
    a = p.parse_args()
    os.makedirs(a.work, exist_ok=True)
    rng = np.random.default_rng(1)
    classes = {}
    for name in a.photos.split(","):
        im = photo(name)
        files = {"clean PNG": (Image.fromarray(im.astype(np.uint8)), "png", None)}
        for blur in (0.0, 0.5, 0.7, 1.0):
            files[f"sigma 10 blurred {blur} px, PNG"] = (noisy(im, blur, rng), "png", None)
        files["sigma 10 blurred 0.7 px, JPEG q92"] = (noisy(im, 0.7, rng), "jpg", 92)
        files["sigma 10 blurred 1.0 px, JPEG q92"] = (noisy(im, 1.0, rng), "jpg", 92)
        files["sigma 10 white, JPEG q75"] = (noisy(im, 0.0, rng), "jpg", 75)
        files["clean, JPEG q92"] = (Image.fromarray(im.astype(np.uint8)), "jpg", 92)
        if name in ("gravel", "grass", "brick"):
            gray = im[..., 0]
            for k, b in ((0.25, 1), (1, 2)):
                x = gray + rng.normal(0, 1, gray.shape) * np.sqrt(k * gray + b)
                files[f"texture + white noise a={k}"] = (Image.fromarray(np.clip(np.round(x), 0, 255).astype(np.uint8)), "png", None)
            sharp = Image.fromarray(im.astype(np.uint8)).filter(ImageFilter.UnsharpMask(radius=2, percent=250, threshold=0))
            files["texture sharpened 250 %"] = (sharp, "png", None)
        for label, (image, ext, quality) in files.items():
            path = os.path.join(a.work, f"{name}_{len(classes.get(label, []))}_{abs(hash(label)) % 10**6}.{ext}")
            image.save(path, quality=quality) if quality else image.save(path)
            classes.setdefault(label, []).append((name, *read(a.acuity, path)))
    print("| class | sigma read (min-max) | read binned | sigma read binned (min-max) | not read binned |\n|---|---|---|---|---|")
    for label, rows in classes.items():
        sigmas = [s for _, s, _ in rows if s is not None]
        binned = [s for _, s, c in rows if c and s is not None]
        span = f"{min(sigmas):.2f}-{max(sigmas):.2f}" if sigmas else "not measured"
        binned_span = f"{min(binned):.2f}-{max(binned):.2f}" if binned else "-"
        others = ", ".join(n for n, _, c in rows if not c) or "-"
        print(f"| {label} | {span} | {len(binned)} of {len(rows)} | {binned_span} | {others} |")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Peer measurements for acuity's evaluation and benchmark (tooling only).

Runs scikit-image's `estimate_sigma` (noise σ, 8-bit units, channels averaged)
and `blur_effect` (Crété-Roffet blur, 0 sharp – 1 blurred, no unit) on every
image of a list, in one Python process, and prints one JSON object per line:

  {"file": ..., "estimate_sigma": 4.9, "blur_effect": 0.31,
   "estimate_sigma_s": 0.012, "blur_effect_s": 0.020}

The *_s fields are the seconds spent inside each scikit-image call (image
loading and interpreter start-up excluded). `--repeat N` runs each call N
times and reports the fastest (for the speed benchmark).

  /usr/bin/python3 datasets/peers.py LIST_FILE        # one path per line
  /usr/bin/python3 datasets/peers.py --repeat 3 a.png b.jpg
"""
import argparse
import json
import sys
import time
import warnings

import numpy as np
from skimage import io
from skimage.measure import blur_effect
from skimage.restoration import estimate_sigma


def load(path):
    img = io.imread(path)
    if img.ndim == 3 and img.shape[2] == 4:
        img = img[..., :3]
    if img.dtype == np.uint16:
        img = img / 257.0  # 8-bit units, like acuity
    return img.astype(np.float64)


def timed(fn, repeat):
    best, value = None, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = fn()
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    return value, best


def measure(path, repeat):
    img = load(path)
    color = img.ndim == 3
    axis = -1 if color else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sigma, t_sigma = timed(lambda: estimate_sigma(img, average_sigmas=True, channel_axis=axis), repeat)
        blur, t_blur = timed(lambda: blur_effect(img, channel_axis=axis), repeat)
    return {"file": path, "estimate_sigma": float(sigma), "blur_effect": float(blur),
            "estimate_sigma_s": t_sigma, "blur_effect_s": t_blur}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", help="image files, or one text file listing them")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    paths = args.paths
    if len(paths) == 1 and paths[0].endswith((".txt", ".list")):
        with open(paths[0]) as f:
            paths = [line.strip() for line in f if line.strip()]
    for path in paths:
        try:
            row = measure(path, max(1, args.repeat))
        except Exception as e:  # keep going: one bad file must not hide the others
            row = {"file": path, "error": str(e)}
        sys.stdout.write(json.dumps(row) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()

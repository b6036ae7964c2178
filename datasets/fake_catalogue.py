#!/usr/bin/python3
"""Writes a fake `acuity batch --out DIR` folder of N records (default
10 000) to measure the catalogue report's size and speed at scale
(docs/targets.md): readings, warnings and QA verdicts are random but shaped
like real records; --images real 512 px JPEGs (shifted copies of scikit-image's
astronaut) stand for every input and output, cycled, so that every item the
report gives a thumbnail or a before/after crop has a real one (the size
measured is the most the page can be).
Records only: the report's correctness is tested on a real batch
(tests/destinations_e2e_test.cc).

  /usr/bin/python3 datasets/fake_catalogue.py OUT_DIR [--records 10000] [--images 300]
  build/acuity report --batch OUT_DIR/out -o OUT_DIR/catalogue.html
"""
import argparse
import json
import os
import random

import numpy as np
import skimage.data
import skimage.io

CODES = ["severe_blur", "heavy_jpeg", "already_upscaled", "motion_blur", "oversharpened_input",
         "scale_above_4x", "invented_detail", "low_print_dpi", "borderline_blur"]
STEPS = ["deblock", "denoise", "upscale", "downscale", "sharpen", "encode"]
CHECKS = ["halo_crispness", "fake_texture_pct", "noise_amplification", "tile_seams", "fidelity_psnr_db"]


def record(i, path, source, rng):
    warnings = [{"code": c, "message": "fake"} for c in rng.sample(CODES, rng.choice([0, 0, 0, 1, 1, 2, 3]))]
    verdict = rng.choices(["pass", "warn", "fail"], [70, 20, 10])[0]
    checks = [{"name": c, "status": "pass" if verdict == "pass" else rng.choice(["warn", "fail"])}
              for c in rng.sample(CHECKS, 2)]
    status = "error" if rng.random() < 0.01 else "ok"
    r = {"input": {"path": path, "size_bytes": rng.randint(50_000, 5_000_000), "mtime_ns": 0},
         "do": "enhance", "output": source, "status": status, "error": None, "exit_code": 0}
    if status == "error":
        r["error"] = "not a JPEG file: starts with 0x6e 0x6f"
        r["exit_code"] = 3
        return r
    r["analysis"] = {
        "input": {"path": source, "width": 4000, "height": 3000},
        "sharpness": {"blur_sigma_px": round(rng.lognormvariate(-0.2, 0.5), 3)},
        "noise": {"sigma": round(rng.lognormvariate(1.0, 0.7), 3)},
        "compression": {"jpeg_quality_estimate": rng.choice([None, rng.randint(20, 98)])},
        "resolution": {"native_scale": round(min(1.0, rng.uniform(0.3, 1.4)), 2)},
        "target": {"effective_dpi": round(rng.uniform(60, 450), 1)},
        "warnings": warnings[:1],
    }
    r["plan"] = {"steps": [{"op": s} for s in rng.sample(STEPS, rng.randint(0, 3))], "warnings": warnings[1:]}
    r["qa"] = {"verdict": verdict, "checks": checks}
    return r


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("--records", type=int, default=10000)
    p.add_argument("--images", type=int, default=300)
    a = p.parse_args()
    rng = random.Random(7)
    os.makedirs(os.path.join(a.dir, "in"), exist_ok=True)
    os.makedirs(os.path.join(a.dir, "out"), exist_ok=True)
    photo = skimage.data.astronaut()
    with open(os.path.join(a.dir, "out", "results.jsonl"), "w") as f:
        for i in range(a.records):
            path = f"shop/item-{i:05d}.jpg"
            source = os.path.join(a.dir, "in", f"item-{i % a.images:05d}.jpg")
            if i < a.images:
                skimage.io.imsave(source, np.roll(photo, i * 7, axis=1), quality=85, check_contrast=False)
            f.write(json.dumps(record(i, path, source, rng), separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""QA's detail_retained on noisy inputs: does the noise choose the edges?

Each photo (scikit-image's, at most 512 px wide) is made noisy four ways —
white noise σ 4 or 8, or darkened to 25 % or 35 % under noise σ 6 (a night
shot) — and read by `acuity qa` against three outputs at 1200 px wide:

  ideal   the photo without its noise, Lanczos-enlarged (a perfect denoise):
          should read about 1 against the noisy input;
  soft    the same blurred by 1 input px: should read against the noisy input
          what it reads against the noiseless one (the truth);
  auto    `enhance --plan auto --target 1200px` of the noisy input (the
          advisor's own plan): should not fail.

    /usr/bin/python3 datasets/qa_noise_edges.py build/acuity            # about 8 min on 2 cores
    /usr/bin/python3 datasets/qa_noise_edges.py build/acuity chelsea.png

Prints a Markdown table and the worst of each column. Used for docs/qa.md,
"Night shots" (chelsea, coffee and astronaut set the smoothing; the
others were not looked at before).
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image, ImageFilter

from noisy_photos import load_photo, with_noise

PHOTOS = ["chelsea.png", "coffee.png", "astronaut.png",  # looked at while choosing
          "rocket.jpg", "motorcycle_left.png", "camera.png", "grass.png"]  # held out
# (name, gain, noise σ): a gain under 1 darkens the photo first.
VARIANTS = [("iso4", 1.0, 4.0), ("iso8", 1.0, 8.0), ("night25", 0.25, 6.0), ("night35", 0.35, 6.0)]
WIDTH = 1200


def detail(acuity, src, dst):
    out = subprocess.run([acuity, "qa", src, dst, "--json"], capture_output=True, text=True)
    if out.returncode not in (0, 1):
        raise RuntimeError(f"qa {src} {dst}: {out.stderr.strip()}")
    report = json.loads(out.stdout)
    status = next(c["status"] for c in report["checks"] if c["name"] == "detail_retained")
    return report["metrics"]["detail_retained"], status


def main():
    acuity = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/acuity")
    photos = sys.argv[2:] or PHOTOS
    rng = np.random.default_rng(47)
    print("| file | ideal vs noisy | soft vs noisy | soft vs noiseless (truth) | advised plan |")
    print("|---|---|---|---|---|")
    ideal_min, soft_gap, plan_fails = 9.0, 0.0, []
    with tempfile.TemporaryDirectory() as tmp:
        for photo in photos:
            pixels = load_photo(photo, wider_than_px=512)
            height = round(WIDTH * pixels.shape[0] / pixels.shape[1])
            for name, gain, sigma in VARIANTS:
                base = os.path.join(tmp, f"{photo.split('.')[0]}_{name}")
                clean = np.clip(pixels * gain, 0, 255).round().astype(np.uint8)
                noisy = with_noise(pixels, gain, sigma, rng)
                Image.fromarray(clean).save(base + "_clean.png")
                Image.fromarray(noisy).save(base + "_noisy.png")
                ideal = Image.fromarray(clean).resize((WIDTH, height), Image.LANCZOS)
                ideal.save(base + "_ideal.png")
                ideal.filter(ImageFilter.GaussianBlur(WIDTH / pixels.shape[1])).save(base + "_soft.png")
                subprocess.run([acuity, "enhance", base + "_noisy.png", "--plan", "auto", "--target", f"{WIDTH}px",
                                "-o", base + "_auto.png"], capture_output=True, check=True)
                i = detail(acuity, base + "_noisy.png", base + "_ideal.png")
                s = detail(acuity, base + "_noisy.png", base + "_soft.png")
                t = detail(acuity, base + "_clean.png", base + "_soft.png")
                a = detail(acuity, base + "_noisy.png", base + "_auto.png")
                ideal_min = min(ideal_min, i[0])
                soft_gap = max(soft_gap, abs(s[0] - t[0]))
                if a[1] == "fail":
                    plan_fails.append(os.path.basename(base))
                print(f"| {os.path.basename(base)} | " + " | ".join(f"{v:.2f} {st}" for v, st in (i, s, t, a)) + " |",
                      flush=True)
    print(f"\nideal: lowest {ideal_min:.2f}; soft: largest |noisy - noiseless| {soft_gap:.2f}; "
          f"advised plans failing: {len(plan_fails)} {plan_fails}")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Painted flats: does `advise` say what QA will say of its own plan?

Noisy photos (scikit-image's, noise added; some darkened first, as a night
shot) are advised for a 1200-px target, enhanced with that plan, and judged
by `acuity qa`. For each: the model the plan chose, whether the plan warned
`painted_flats` (and of what share of the picture), and QA's reading of the
same input area (`noisy_flat_area_pct`), the share of it painted and QA's
status for `painted_flat_pct`. Then the files planned with a model that
repairs noise itself are planned again with `--model esrgan-thick` (a denoise
step at 70 % strength first).

    /usr/bin/python3 datasets/painted_flats.py build/acuity   # about 6 minutes on 2 cores
    /usr/bin/python3 datasets/painted_flats.py build/acuity coffee.png   # one photo

Prints a Markdown table, and a summary: files warned by the plan, and by QA.
Used for docs/advice.md, "Painted flats".
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image

from noisy_photos import load_photo, with_noise

PHOTOS = ["astronaut.png", "coffee.png", "motorcycle_left.png", "rocket.jpg", "chelsea.png", "horse.png"]
# (name, gain, noise σ): a gain under 1 darkens the photo first (a night shot).
VARIANTS = [("iso8", 1.0, 8.0), ("iso10", 1.0, 10.0), ("night25", 0.25, 6.0), ("night35", 0.35, 6.0),
            ("night30", 0.3, 5.0)]


def run_json(acuity, args):
    out = subprocess.run([acuity] + args + ["--json"], capture_output=True, text=True)
    if out.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(args)}: {out.stderr.strip()}")
    return json.loads(out.stdout)


def qa_row(acuity, src, dst):
    report = run_json(acuity, ["qa", src, dst])
    m = report["metrics"]
    status = next((c["status"] for c in report["checks"] if c["name"] == "painted_flat_pct"), "?")
    return m.get("noisy_flat_area_pct"), m.get("painted_flat_pct"), status


def plan_of(acuity, path, extra):
    advice = run_json(acuity, ["advise", path, "--target", "1200px"] + extra)
    plan = advice.get("plan", {})
    models = [s["params"].get("model") for s in plan.get("steps", []) if s.get("op") == "upscale"]
    warned = [w for w in plan.get("warnings", []) if w["code"] == "painted_flats"]
    return (models[0] if models else "-"), bool(warned), advice.get("noise", {}).get("noisy_flat_pct")


def main():
    acuity = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/acuity")
    photos = sys.argv[2:] or PHOTOS
    rng = np.random.default_rng(46)
    rows, repairing = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for photo in photos:
            pixels = load_photo(photo, wider_than_px=600)
            for name, gain, sigma in VARIANTS:
                noisy = with_noise(pixels, gain, sigma, rng)
                src = os.path.join(tmp, f"{name}_{photo.split('.')[0]}.png")
                Image.fromarray(noisy).save(src)
                model, warned, area = plan_of(acuity, src, [])
                dst = src[:-4] + "_out.png"
                subprocess.run([acuity, "enhance", src, "--plan", "auto", "--target", "1200px", "-o", dst],
                               capture_output=True, check=True)
                qa_area, painted, status = qa_row(acuity, src, dst)
                rows.append((os.path.basename(src), model, warned, area, qa_area, painted, status))
                if warned:
                    repairing.append(src)
        print("| file | model | plan warns | noisy_flat_pct | QA noisy_flat_area_pct | painted_flat_pct | QA |")
        print("|---|---|---|---|---|---|---|")
        for r in rows:
            print("| {} | {} | {} | {} | {} | {} | {} |".format(r[0], r[1], "yes" if r[2] else "no",
                                                             r[3], r[4], r[5], r[6]))
        warned = [r for r in rows if r[2]]
        qa_warned = [r for r in rows if r[6] in ("warn", "fail")]
        both = [r for r in rows if r[2] == (r[6] in ("warn", "fail"))]
        print(f"\nplan warned {len(warned)} of {len(rows)}, QA warned {len(qa_warned)}; "
              f"they agree on {len(both)} of {len(rows)}")
        painted = [r[5] for r in warned if r[5] is not None]
        if painted:
            print(f"painted where warned: {min(painted):.0f}-{max(painted):.0f} % of the noisy flat area")
        print("\n--model esrgan-thick on the first three files warned:")
        for src in repairing[:3]:
            dst = src[:-4] + "_thick.png"
            made = subprocess.run([acuity, "enhance", src, "--plan", "auto", "--target", "1200px", "--model",
                                   "esrgan-thick", "-o", dst], capture_output=True, text=True, check=True)
            warned_thick = "warning [painted_flats]" in made.stdout  # advise takes no --model
            qa_area, painted, status = qa_row(acuity, src, dst)
            print(f"  {os.path.basename(src)}: plan warns {'yes' if warned_thick else 'no'}, "
                  f"painted_flat_pct {painted}, QA {status}")


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# The file size a plan that removes noise writes, against what `analyze`
# estimated (docs/json.md, target.estimated_jpeg_bytes_denoised): scikit-image
# photos at most 480–500 px on their long edge under white noise σ, taken to
# 1200px by the advisor's own plan (`enhance --plan auto`: realesr-general-x4v3
# for noisy photos, encoded as JPEG q80). The NLM strength was chosen on the
# first set (tuned); the second was not used (held out). Prints, per photo,
# the written bytes and both estimates as ratios to it.
#
#   datasets/denoised_size.sh [ACUITY] [WORK_DIR]    # about 2 min on 2 cores
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ACUITY=$(realpath "${1:-build/acuity}")
WORK=${2:-$(mktemp -d /tmp/acuity-denoised-size.XXXXXX)}
mkdir -p "$WORK" && cd "$WORK"

/usr/bin/python3 - <<'PY'
import numpy as np
from PIL import Image
import skimage.data as d
sets = {"tuned": (["chelsea", "coffee", "astronaut", "rocket", "motorcycle_left", "camera"], [6, 12], 500, 2),
        "held-out": (["hubble_deep_field", "coins", "immunohistochemistry", "retina", "page", "cat"], [9, 16], 480, 3)}
for kind, (names, sigmas, edge, seed) in sets.items():
    rng = np.random.default_rng(seed)
    for name in names:
        a = d.stereo_motorcycle()[0] if name == "motorcycle_left" else getattr(d, name)()
        im = Image.fromarray(a)
        s = edge / max(im.size)
        if s < 1:
            im = im.resize((round(im.size[0] * s), round(im.size[1] * s)), Image.LANCZOS)
        a = np.asarray(im).astype(float)
        for sigma in sigmas:
            noisy = np.clip(a + rng.normal(0, sigma, a.shape), 0, 255).round().astype(np.uint8)
            Image.fromarray(noisy).save(f"{kind}_{name}_s{sigma}.png")
PY

printf '%-40s %9s %8s %8s\n' "input" "written" "plain" "denoised"
for f in tuned_*.png held-out_*.png; do
  "$ACUITY" enhance --plan auto --target 1200px -o "out_${f%.png}.jpg" "$f" > /dev/null
  written=$(stat -c %s "out_${f%.png}.jpg")
  "$ACUITY" analyze --json --target 1200px "$f" | WRITTEN=$written NAME=$f /usr/bin/python3 -c '
import json, os, sys
t = json.load(sys.stdin)["target"]
w = int(os.environ["WRITTEN"])
dn = t["estimated_jpeg_bytes_denoised"]
print("%-40s %9d %8.2f %8s" % (os.environ["NAME"], w, t["estimated_jpeg_bytes"] / w,
                               "%.2f" % (dn / w) if dn is not None else "null"))'
done

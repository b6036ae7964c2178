#!/usr/bin/env bash
# QA's detail checks on outputs that removed the input's noise (docs/qa.md,
# "Noise taken away"): seven scikit-image photos the QA calibration did not
# use, each halved (from a copy at most 640 px wide) and damaged five ways —
# white noise σ 10, shot noise (σ = 0.9 √level), correlated noise (σ 9
# blurred 0.8 px), blur 2 px + noise σ 10, JPEG q20 — then enlarged ×2 with
# the advisor's own plan (`enhance --plan auto`). For each: detail_retained
# and detail_lost_area_pct of `acuity qa` against the damaged input (what
# acuity says) and against the undamaged photo (the truth: the blurred one
# for the blurred row). Then the other side: the noisy inputs' plain
# enlargement blurred everywhere (σ 2 px) and in its left quarter (σ 3 px),
# which must still be caught.
#
#   datasets/qa_noise_taken.sh [ACUITY] [WORK_DIR]    # about 2 min on 2 cores
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ACUITY=$(realpath "${1:-build/acuity}")
WORK=${2:-$(mktemp -d /tmp/acuity-qa-noise.XXXXXX)}
mkdir -p "$WORK" && cd "$WORK"

/usr/bin/python3 - <<'PY'
import io
import numpy as np
from PIL import Image, ImageFilter
from scipy.ndimage import gaussian_filter
import skimage
D = skimage.data_dir + "/"
rng = np.random.default_rng(7)
def save(arr, name):
    Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).save(name)
for file in ["rocket.jpg", "motorcycle_left.png", "retina.jpg", "ihc.png", "camera.png", "grass.png", "brick.png"]:
    im = Image.open(D + file).convert("RGB")
    w, h = im.size
    s = min(1.0, 640 / max(w, h))
    small = im.resize((int(w * s) // 2, int(h * s) // 2), Image.LANCZOS)
    b = file.split(".")[0].split("_")[0]
    small.save(f"{b}_clean.png")
    a = np.asarray(small).astype(float)
    save(a + rng.normal(0, 10, a.shape), f"{b}_n10.png")
    save(a + rng.normal(0, 1, a.shape) * np.sqrt(np.maximum(a, 1)) * 0.9, f"{b}_shot.png")
    n = rng.normal(0, 1, a.shape)
    n = np.stack([gaussian_filter(n[..., c], 0.8) for c in range(3)], -1)
    save(a + n / n.std() * 9, f"{b}_corr.png")
    blurred = small.filter(ImageFilter.GaussianBlur(2))
    blurred.save(f"{b}_b2clean.png")
    save(np.asarray(blurred).astype(float) + rng.normal(0, 10, a.shape), f"{b}_b2n10.png")
    buf = io.BytesIO()
    small.save(buf, "JPEG", quality=20)
    Image.open(buf).save(f"{b}_jpeg20.png")
    for tag in ["n10", "shot"]:
        noisy = Image.open(f"{b}_{tag}.png")
        plain = noisy.resize((2 * noisy.size[0], 2 * noisy.size[1]), Image.LANCZOS)
        plain.filter(ImageFilter.GaussianBlur(2.0)).save(f"soft-all_{b}_{tag}.png")
        part = np.asarray(plain).copy()
        part[:, : noisy.size[0] // 2] = np.asarray(plain.filter(ImageFilter.GaussianBlur(3.0)))[:, : noisy.size[0] // 2]
        Image.fromarray(part).save(f"soft-part_{b}_{tag}.png")
PY

# "retained STATUS lost STATUS" of `acuity qa IN OUT`.
detail() {
  "$ACUITY" qa "$1" "$2" --json 2> /dev/null | /usr/bin/python3 -c '
import json, sys
j = json.load(sys.stdin)
m = j["metrics"]
c = {x["name"]: x["status"] for x in j["checks"]}
lost = m["detail_lost_area_pct"]
lost = "null" if lost is None else "%.2f" % lost
print("%.2f %s, lost %s %s" % (m["detail_retained"], c["detail_retained"], lost, c["detail_lost_area_pct"]))'
}

echo "| input | model | acuity: retained, lost area | truth: retained, lost area |"
echo "|---|---|---|---|"
for damage in n10 shot corr b2n10 jpeg20; do
  for f in *_"$damage".png; do
    [[ $f == soft-* ]] && continue
    b=${f%.png} base=${f%_*}
    clean=${base}_clean.png
    [[ $damage == b2n10 ]] && clean=${base}_b2clean.png
    width=$(/usr/bin/python3 -c "from PIL import Image; print(2 * Image.open('$f').size[0])")
    "$ACUITY" enhance --plan auto --target "${width}px" -o "out_$b.png" "$f" > "enhance_$b.txt" 2>&1
    model=$(grep -o -m1 "upscale ×2 ([a-z0-9-]*)" "enhance_$b.txt" | sed 's/.*(\(.*\))/\1/')
    echo "| $b | $model | $(detail "$f" "out_$b.png") | $(detail "$clean" "out_$b.png") |"
  done
done
echo
echo "| made soft | acuity: retained, lost area |"
echo "|---|---|"
for f in soft-*.png; do
  input=${f#soft-*_}
  echo "| ${f%.png} | $(detail "$input" "$f") |"
done

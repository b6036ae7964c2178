#!/usr/bin/python3
"""Training and held-out data for acuity's learned SR-upscale test (issue #25).

Makes, from scikit-image's photos, the outputs of every super-resolution model
acuity ships (the TorchScript files setup converts, run here through
Debian's torch as acuity runs them through LibTorch) at ×2, ×3 and ×4, and
native pictures that must not be flagged (downscaled by area, bicubic or
Lanczos, blurred, smeared, sharpened, noisy, JPEG-coded; drawings on paper
made from their edges) or that are classical
enlargements (bicubic, bilinear, Lanczos; the interpolation test reads those).
Every picture is kept as its 8-bit BT.601 luma, as stored, and as a JPEG of a
random quality (decoded), in one .npz per split:

    /usr/bin/python3 datasets/sr_classifier_data.py --models build/models \
        --out build/sr_classifier7 --scale 3     # ≈ 10 min on 2 idle cores

Splits: 'train' (the photos the classifier is fitted on, each also under
other exposures, contrasts and turns) and 'heldout' (the
photos ai_upscale_evaluate holds out, which the fit never sees).
Labels: 0 = not enlarged by a network (native, drawing or interpolated), else the
network's factor (2, 3, 4).
"""
import argparse
import io
import json
import os
import time

import numpy as np
import torch
from PIL import Image, ImageFilter

PHOTO_DIR = "/usr/lib/python3/dist-packages/skimage/data"
# ai_upscale_evaluate's calibration photos, and two more the analyzer's
# constants were never chosen on; scikit-image's moon is itself a 2× upscale.
# scipy's raccoon face and ascent (stairs) add fur, leaves and masonry;
# matplotlib's portrait of Grace Hopper (a camera JPEG) a face, and
# scikit-image's page and text printed and handwritten strokes on paper.
TRAIN = ["astronaut", "coffee", "chelsea", "camera", "brick", "grass", "gravel", "ihc", "retina",
         "clock_motion", "microaneurysms", "scipy:face", "scipy:ascent", "mpl:grace_hopper",
         "page", "text"]
HELDOUT = ["motorcycle_left", "motorcycle_right", "rocket", "coins", "hubble_deep_field", "cell"]

# (model, factors it has natively, input side px, sources per photo)
MODELS = [
    ("esrgan-slim", (2, 3, 4), 96, 5),
    ("esrgan-medium", (2, 3, 4), 96, 5),
    ("esrgan-thick", (2, 3, 4), 64, 3),
    ("realesr-general-x4v3", (4,), 96, 8),
    ("realesrgan-x4plus", (4,), 48, 10),
]


def load_photo(name):
    if name.startswith("scipy:"):
        import scipy.misc
        a = getattr(scipy.misc, name[6:])()
        return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).convert("RGB")
    if name.startswith("mpl:"):
        import matplotlib.cbook
        with matplotlib.cbook.get_sample_data(name[4:] + ".jpg") as fh:
            return Image.open(fh).convert("RGB")
    for ext in (".png", ".jpg"):
        path = os.path.join(PHOTO_DIR, name + ext)
        if os.path.exists(path):
            return Image.open(path).convert("RGB")
    raise FileNotFoundError(name)


def luma8(img):
    a = np.asarray(img.convert("RGB"), dtype=np.float32)
    y = 0.299 * a[..., 0] + 0.587 * a[..., 1] + 0.114 * a[..., 2]
    return np.clip(np.rint(y), 0, 255).astype(np.uint8)


def jpeg(img, quality):
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=int(quality))
    buf.seek(0)
    return Image.open(buf).convert("RGB")


def resize(img, scale, method):
    w, h = max(8, round(img.width * scale)), max(8, round(img.height * scale))
    return img.resize((w, h), method)


def random_crop(img, side, rng):
    w, h = min(side, img.width), min(side, img.height)
    x = int(rng.integers(0, img.width - w + 1))
    y = int(rng.integers(0, img.height - h + 1))
    return img.crop((x, y, x + w, y + h))


def varied(photo, rng):
    """The same scene under another exposure, contrast or framing: a turn
    by up to 30° (its corners cropped), a mirror, a gamma of 0.7–1.4 and a
    contrast of 0.6–1.2 about mid-grey, so that the fit sees more than 16
    photos' tones and orientations."""
    img = photo
    if rng.random() < 0.3:
        angle = float(rng.uniform(-30, 30))
        w, h = img.size
        img = img.rotate(angle, Image.BICUBIC, expand=False)
        c = abs(np.sin(np.radians(angle))) * 0.5 + 0.05
        img = img.crop((int(w * c), int(h * c), int(w * (1 - c)), int(h * (1 - c))))
    if rng.random() < 0.5:
        img = img.transpose(Image.FLIP_LEFT_RIGHT)
    a = np.asarray(img, dtype=np.float32) / 255.0
    a = a ** float(np.exp(rng.uniform(np.log(0.7), np.log(1.4))))
    a = 0.5 + (a - 0.5) * float(rng.uniform(0.6, 1.2))
    return Image.fromarray(np.clip(np.rint(a * 255), 0, 255).astype(np.uint8))


def degrade_source(photo, side, rng):
    """A source a user might enlarge: smaller than the photo, perhaps soft,
    noisy or already a JPEG."""
    photo = varied(photo, rng)
    d = float(np.exp(rng.uniform(0, np.log(3.0))))
    method = [Image.BOX, Image.BICUBIC, Image.LANCZOS][int(rng.integers(3))]
    src = resize(photo, 1 / d, method) if d > 1.05 else photo
    src = random_crop(src, side, rng)
    if rng.random() < 0.3:
        src = src.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.3, 1.0))))
    if rng.random() < 0.15:
        a = np.asarray(src, dtype=np.float32) + rng.normal(0, rng.uniform(1, 4), (src.height, src.width, 1))
        src = Image.fromarray(np.clip(np.rint(a), 0, 255).astype(np.uint8))
    if rng.random() < 0.4:
        src = jpeg(src, rng.integers(50, 96))
    return src


def run_model(module, meta, src):
    x = torch.from_numpy(np.asarray(src, dtype=np.float32).copy()).permute(2, 0, 1)[None]
    x = x * (meta["input_range"] / 255.0)
    with torch.no_grad():
        y = module(x)[0].permute(1, 2, 0).numpy() * (255.0 / meta["output_range"])
    return Image.fromarray(np.clip(np.rint(y), 0, 255).astype(np.uint8))


def smear(img, length, angle_deg):
    """A linear motion blur: the mean along a line of `length` px, made odd
    (`length | 1`: an even length draws one pixel more)."""
    from scipy import ndimage
    k = np.zeros((length | 1, length | 1), np.float32)
    c = length // 2
    t = np.radians(angle_deg)
    for s in np.linspace(-c, c, 4 * length):
        k[int(round(c + s * np.sin(t))), int(round(c + s * np.cos(t)))] = 1
    k /= k.sum()
    a = np.asarray(img, dtype=np.float32)
    a = np.stack([ndimage.convolve(a[..., i], k, mode="reflect") for i in range(a.shape[2])], axis=2)
    return Image.fromarray(np.clip(np.rint(a), 0, 255).astype(np.uint8))


def native_variant(photo, rng):
    """A photo as a camera or an editor leaves it: at full size in half the
    cases (a soft full-size photo, smooth with some texture, is what an SR
    output looks most like: a ×2 output is as smooth as a photo blurred by
    about 1 px, so blurs of 0.4–1.6 px are the most frequent), else reduced
    by up to 4; one in ten smeared by motion."""
    photo = varied(photo, rng)
    d = 1.0 if rng.random() < 0.5 else float(np.exp(rng.uniform(0, np.log(4.0))))
    method = [Image.BOX, Image.BICUBIC, Image.LANCZOS][int(rng.integers(3))]
    img = resize(photo, 1 / d, method) if d > 1.05 else photo
    img = random_crop(img, 256, rng)
    r = rng.random()
    if r < 0.35:
        img = img.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.4, 1.6))))
    elif r < 0.45:
        img = img.filter(ImageFilter.GaussianBlur(float(rng.uniform(1.6, 3.0))))
    elif r < 0.55:
        img = smear(img, int(rng.integers(5, 26)), float(rng.uniform(0, 180)))
    elif r < 0.68:
        img = img.filter(ImageFilter.UnsharpMask(radius=float(rng.uniform(0.8, 2.5)),
                                                 percent=int(rng.integers(50, 200)), threshold=0))
    if rng.random() < 0.3:
        # sensor noise; a third of it smoothed since (a camera's or an editor's noise reduction)
        a = np.asarray(img, dtype=np.float32) + rng.normal(0, rng.uniform(1, 8), (img.height, img.width, 1))
        img = Image.fromarray(np.clip(np.rint(a), 0, 255).astype(np.uint8))
        if rng.random() < 0.33:
            img = img.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.5, 1.0))))
    return img


def drawing_variant(photo, rng):
    """A drawing on paper as a scanner leaves it: the photo's edges as soft
    dark strokes of grainy ink or graphite on white paper (with grain and a
    faint, under one level, unevenness; ruled in a third of the cases), the scanner's blur over it, at
    full size or reduced. Smooth strokes on a flat ground are what a
    network's output looks like to a fit that never saw a drawing (a scanned
    pencil sketch read as a ×2 output, 0.94)."""
    from scipy import ndimage
    img = varied(photo, rng)
    if rng.random() < 0.5:
        img = resize(img, 1 / float(np.exp(rng.uniform(0, np.log(3.0)))), Image.BOX)
    y = np.asarray(random_crop(img, 256, rng).convert("L"), dtype=np.float32)
    s = ndimage.gaussian_filter(y, float(rng.uniform(0.7, 2.5)))
    g = np.hypot(ndimage.sobel(s, 1), ndimage.sobel(s, 0))
    g /= max(1e-3, float(np.percentile(g, 90)))
    t = float(rng.uniform(0.5, 1.5))
    strokes = np.clip((g - t) / float(rng.uniform(0.2, 0.8)), 0, 1)
    grain = rng.uniform(0.5, 1.0) + rng.uniform(0, 0.5) * rng.random(y.shape)
    ink = strokes * float(rng.uniform(60, 200)) * grain
    h, w = y.shape
    paper = float(rng.uniform(200, 250)) + ndimage.gaussian_filter(rng.normal(0, 1, (h, w)), 25) * 60 \
        + rng.normal(0, rng.uniform(0.5, 3.0), (h, w))
    if rng.random() < 0.33:
        pitch, phase = float(rng.uniform(16, 40)), float(rng.uniform(0, 40))
        rows = np.abs(((np.arange(h) - phase) % pitch) - pitch / 2) > pitch / 2 - rng.uniform(0.6, 1.5)
        paper -= rows[:, None] * float(rng.uniform(30, 100))
    a = ndimage.gaussian_filter(paper - ink, float(rng.uniform(0.3, 1.2)))
    a = np.clip(np.rint(a), 0, 255).astype(np.uint8)
    return Image.fromarray(a).convert("RGB")


def interpolated_variant(photo, rng):
    src = degrade_source(photo, int(rng.integers(64, 129)), rng)
    f = float(rng.uniform(1.5, 4.0))
    method = [Image.BICUBIC, Image.LANCZOS, Image.BILINEAR][int(rng.integers(3))]
    return resize(src, f, method)


def add(out, img, label, photo, source, rng):
    out["luma"].append(luma8(img))
    out["jpeg"].append(luma8(jpeg(img, rng.integers(70, 96))))
    out["label"].append(label)
    out["photo"].append(photo)
    out["source"].append(source)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--models", default="build/models")
    ap.add_argument("--out", default="build/sr_classifier7")
    ap.add_argument("--seed", type=int, default=25)
    ap.add_argument("--scale", type=float, default=3.0, help="multiplies the number of sources per photo")
    args = ap.parse_args()
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    os.makedirs(args.out, exist_ok=True)
    modules = {}
    for name, _, _, _ in MODELS:
        for f in (2, 3, 4):
            path = os.path.join(args.models, f"{name}-x{f}.pt")
            if os.path.exists(path):
                modules[(name, f)] = (torch.jit.load(path).eval(), json.load(open(path[:-3] + ".json")))
    for split, photos in (("train", TRAIN), ("heldout", HELDOUT)):
        rng = np.random.default_rng(args.seed + (0 if split == "train" else 1000))
        out = {k: [] for k in ("luma", "jpeg", "label", "photo", "source")}
        t0 = time.time()
        for photo_name in photos:
            photo = load_photo(photo_name)
            for name, factors, side, per_photo in MODELS:
                n = max(1, round(per_photo * args.scale * (0.6 if split == "heldout" else 1.0)))
                for _ in range(n):
                    src = degrade_source(photo, side, rng)
                    for f in factors:
                        module, meta = modules[(name, f)]
                        y = run_model(module, meta, src)
                        add(out, y, f, photo_name, f"{name}-x{f}", rng)
                        if f == 4 and len(factors) == 1:
                            # acuity's ×2 and ×3 with a ×4-only network: ×4, then an area downscale
                            for g in (2, 3):
                                z = y.resize((src.width * g, src.height * g), Image.BOX)
                                add(out, z, g, photo_name, f"{name}-x{g}", rng)
            for _ in range(round(60 * args.scale)):
                add(out, native_variant(photo, rng), 0, photo_name, "native", rng)
            for _ in range(round(15 * args.scale)):
                add(out, interpolated_variant(photo, rng), 0, photo_name, "interpolated", rng)
            for _ in range(round(10 * args.scale)):
                add(out, drawing_variant(photo, rng), 0, photo_name, "drawing", rng)
            print(f"{split} {photo_name}: {len(out['label'])} pictures, {time.time() - t0:.0f} s", flush=True)
        np.savez_compressed(os.path.join(args.out, f"{split}.npz"),
                            luma=np.array(out["luma"], dtype=object), jpeg=np.array(out["jpeg"], dtype=object),
                            label=np.array(out["label"]), photo=np.array(out["photo"]),
                            source=np.array(out["source"]))


if __name__ == "__main__":
    main()

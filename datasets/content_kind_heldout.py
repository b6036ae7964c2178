#!/usr/bin/python3
"""Content kind of JPEG files made in ways the content kind was not tuned on
(issue #25; analysis/measurements/drawn_fills.h was tuned on
datasets/content_kind_jpeg.sh and on scikit-image photos blurred by 0.6–1 px
at PIL's default q75 and q90):

- photos: every scikit-image photo, halved by area and blurred by σ 1.2 or
  2 px, saved with other encoder settings than PIL's default: 4:4:4 chroma
  at q85, 4:2:2 at q60, progressive at q40, and quantisation tables of one
  value for all coefficients (12, no perceptual weighting) — expected
  `photo`;
- drawn pictures not in the tuning set: a slide (title and bullets on a
  vertical gradient), a dark code editor, a spreadsheet with grid lines, a
  line chart on a grey plot area with a grid — expected `synthetic`; a
  slide on a plain background — `synthetic`; a web page with a photo
  covering about a third of it, and a product photo padded on a white
  canvas — expected `mixed`.

Prints each file's kind and per class how many read as expected.

    /usr/bin/python3 datasets/content_kind_heldout.py --acuity build/acuity --work /tmp/acuity-kind-heldout

Needs PIL, numpy, scipy, scikit-image's photos and fonts-dejavu-core (setup.sh
installs them). About 1 minute on 2 cores.
"""
import argparse
import json
import os
import subprocess
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from scipy.ndimage import gaussian_filter

PHOTOS = "/usr/lib/python3/dist-packages/skimage/data"
FONTS = "/usr/share/fonts/truetype/dejavu"
PHOTO_NAMES = ["astronaut", "coffee", "chelsea", "camera", "brick", "grass", "gravel", "ihc", "retina",
               "motorcycle_left", "motorcycle_right", "rocket", "coins", "hubble_deep_field", "cell", "moon",
               "microaneurysms"]
FLAT_TABLE = [12] * 64
SETTINGS = [  # (name, PIL save options)
    ("444_q85", dict(quality=85, subsampling=0)),
    ("422_q60", dict(quality=60, subsampling=1)),
    ("progressive_q40", dict(quality=40, progressive=True)),
    ("flat_table", dict(qtables=[FLAT_TABLE, FLAT_TABLE], subsampling=0)),
]


def load_photo(name):
    for ext in (".png", ".jpg"):
        path = os.path.join(PHOTOS, name + ext)
        if os.path.exists(path):
            return Image.open(path).convert("RGB") if Image.open(path).mode != "L" else Image.open(path)
    raise FileNotFoundError(name)


def halved_blurred(image, sigma):
    half = image.resize((image.width // 2, image.height // 2), Image.BOX)
    a = np.asarray(half).astype(np.float32)
    axes = (sigma, sigma, 0) if a.ndim == 3 else (sigma, sigma)
    return Image.fromarray(np.clip(np.rint(gaussian_filter(a, axes)), 0, 255).astype(np.uint8))


def font(size, bold=False, mono=False):
    name = "DejaVuSansMono.ttf" if mono else ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    return ImageFont.truetype(os.path.join(FONTS, name), size)


def slide(gradient):
    w, h = 640, 480
    if gradient:
        ramp = np.linspace(0, 1, h)[:, None, None]
        top, bottom = np.array([20, 40, 110]), np.array([90, 150, 220])
        a = np.broadcast_to(top + (bottom - top) * ramp, (h, w, 3))
        im = Image.fromarray(np.rint(a).astype(np.uint8))
    else:
        im = Image.new("RGB", (w, h), (250, 250, 245))
    dr = ImageDraw.Draw(im)
    ink = (255, 255, 255) if gradient else (30, 30, 60)
    dr.text((40, 40), "Quarterly results", font=font(40, bold=True), fill=ink)
    for i, line in enumerate(["Revenue up 12 % on last year", "Two new markets opened",
                              "Costs held flat", "Hiring plan for next year"]):
        dr.ellipse([50, 143 + i * 60, 62, 155 + i * 60], fill=ink)
        dr.text((80, 135 + i * 60), line, font=font(26), fill=ink)
    return im


def code_editor():
    im = Image.new("RGB", (640, 400), (40, 42, 54))
    dr = ImageDraw.Draw(im)
    dr.rectangle([0, 0, 44, 400], fill=(33, 34, 44))
    colours = [(255, 121, 198), (139, 233, 253), (80, 250, 123), (248, 248, 242), (241, 250, 140)]
    words = ["def", "measure", "(image,", "options):", "return", "result", "for", "x", "in", "range(10):"]
    rng = np.random.default_rng(7)
    for row in range(22):
        dr.text((8, 6 + row * 18), f"{row + 1:3d}", font=font(12, mono=True), fill=(98, 114, 164))
        x = 56 + 16 * int(rng.integers(0, 4))
        for _ in range(int(rng.integers(1, 6))):
            word = words[int(rng.integers(0, len(words)))]
            dr.text((x, 6 + row * 18), word, font=font(13, mono=True), fill=colours[int(rng.integers(0, 5))])
            x += 8 * (len(word) + 1)
    return im


def spreadsheet():
    im = Image.new("RGB", (640, 420), "white")
    dr = ImageDraw.Draw(im)
    dr.rectangle([0, 0, 640, 24], fill=(230, 230, 230))
    rng = np.random.default_rng(3)
    for c in range(7):
        dr.text((10 + c * 90, 5), "ABCDEFG"[c], font=font(12, bold=True), fill=(60, 60, 60))
    for r in range(1, 20):
        for c in range(7):
            dr.text((8 + c * 90, 5 + r * 21), f"{rng.integers(0, 99999):,}", font=font(12), fill="black")
    for r in range(21):
        dr.line([0, 24 + r * 21, 640, 24 + r * 21], fill=(210, 210, 210))
    for c in range(8):
        dr.line([c * 90, 0, c * 90, 420], fill=(210, 210, 210))
    return im


def line_chart():
    im = Image.new("RGB", (640, 420), "white")
    dr = ImageDraw.Draw(im)
    dr.rectangle([60, 20, 620, 370], fill=(235, 235, 240))
    for i in range(8):
        dr.line([60, 20 + i * 50, 620, 20 + i * 50], fill="white", width=2)
        dr.text((20, 12 + i * 50), f"{350 - 50 * i}", font=font(12), fill=(80, 80, 80))
    rng = np.random.default_rng(5)
    for colour in [(31, 119, 180), (255, 127, 14)]:
        ys = 200 + np.cumsum(rng.normal(0, 18, 28))
        dr.line([(60 + 20 * i, float(y)) for i, y in enumerate(ys)], fill=colour, width=3)
    dr.text((280, 385), "Week of the year", font=font(14), fill="black")
    return im


def web_page():
    im = Image.new("RGB", (800, 600), "white")
    dr = ImageDraw.Draw(im)
    dr.rectangle([0, 0, 800, 56], fill=(24, 90, 160))
    dr.text((20, 14), "Shop  ·  New in  ·  Sale  ·  About", font=font(22, bold=True), fill="white")
    photo = load_photo("coffee").resize((400, 267), Image.LANCZOS)
    im.paste(photo, (20, 80))
    for i in range(14):
        dr.text((440, 84 + i * 24), "Freshly roasted, hand picked beans"[: 18 + i % 14], font=font(15), fill="black")
    dr.rounded_rectangle([440, 440, 620, 490], 8, fill=(230, 80, 40))
    dr.text((470, 452), "Add to cart", font=font(20, bold=True), fill="white")
    return im


def padded_product():
    im = Image.new("RGB", (800, 800), "white")
    photo = load_photo("chelsea").resize((451, 300), Image.LANCZOS)
    im.paste(photo, (175, 250))
    return im


def make(work):
    files = []  # (path, class, expected)
    for name in PHOTO_NAMES:
        base = load_photo(name)
        for sigma in (1.2, 2.0):
            image = halved_blurred(base, sigma)
            for setting, options in SETTINGS:
                if image.mode == "L":
                    options = {k: v for k, v in options.items() if k != "subsampling"}
                    if "qtables" in options:
                        options["qtables"] = [FLAT_TABLE]
                path = os.path.join(work, f"photo_{name}_s{sigma}_{setting}.jpg")
                image.save(path, **options)
                files.append((path, f"photo, {setting}", "photo"))
    drawn = {"slide_gradient": (slide(True), "synthetic"), "slide_plain": (slide(False), "synthetic"),
             "code_editor": (code_editor(), "synthetic"), "spreadsheet": (spreadsheet(), "synthetic"),
             "line_chart": (line_chart(), "synthetic"), "web_page_photo": (web_page(), "mixed"),
             "padded_product": (padded_product(), "mixed")}
    for name, (image, expected) in drawn.items():
        for setting, options in SETTINGS:
            path = os.path.join(work, f"drawn_{name}_{setting}.jpg")
            image.save(path, **options)
            files.append((path, f"{name}", expected))
    return files


def kind(acuity, path):
    out = subprocess.run([acuity, "analyze", "--json", path], capture_output=True, text=True, check=True).stdout
    return json.loads(out)["content"]["kind"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--acuity", default="build/acuity")
    parser.add_argument("--work", default="/tmp/acuity-kind-heldout")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    files = make(args.work)
    with ThreadPoolExecutor(max_workers=2) as pool:
        kinds = list(pool.map(lambda f: kind(os.path.abspath(args.acuity), f[0]), files))
    counts = defaultdict(lambda: defaultdict(int))
    for (path, cls, expected), k in zip(files, kinds):
        print(f"{os.path.basename(path):48s} {k:10s} (expected {expected})")
        counts[cls][k] += 1
        counts[cls]["expected"] = expected
    print()
    print("| class | expected | files | photo | mixed | synthetic | as expected |")
    print("|---|---|---|---|---|---|---|")
    for cls, c in counts.items():
        n = c["photo"] + c["mixed"] + c["synthetic"]
        print(f"| {cls} | {c['expected']} | {n} | {c['photo']} | {c['mixed']} | {c['synthetic']} | "
              f"{100.0 * c[c['expected']] / n:.0f} % |")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Drawn overlays: what a watermark, a caption, a date stamp or a logo on a
photo does to acuity's blur, motion-blur and over-sharpening readings, and
how often a photo without one is said to have one (content_kind.h,
ContentResult::overlay_pct; docs/json.md, `content.overlay_pct`).

    /usr/bin/python3 datasets/overlay_watermarks.py --acuity build/acuity --work /tmp/acuity-overlays

Each scikit-image photo, sharp and blurred by 1.5 and 3 px (Gaussian), is
saved as PNG bare and with one overlay drawn by Pillow in DejaVu fonts: white
bold 22-px text in the bottom right ("white22"), black regular 14-px text at
the top left ("black14"), orange bold 18-px date digits ("orange18"), a red
disc with a white bar ("logo") and white 48-px text at 43 % opacity in the
middle ("semi48"). The truth for a marked photo is the bare photo's own
reading. Prints one Markdown row per overlay and blur: on how many photos it
was found, the median and largest |blur - blur of the bare photo| in px, and
how many marked photos read motion blur or over-sharpening that the bare one
does not; then the bare photos read as having an overlay. The rule was made
on the photos of TUNED; HELD_OUT were not looked at while making it.
JPEG files, whose overlays are found by their strokes instead
(overlay_strokes.h), are measured by datasets/overlay_jpeg.sh.
"""
import argparse
import json
import os
import subprocess

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from skimage import data

TUNED = "astronaut,coffee,chelsea,rocket,camera,brick,grass,gravel,moon,page,hubble_deep_field,immunohistochemistry,retina,coins,cell,clock"
HELD_OUT = "motorcycle_left,motorcycle_right,text"
STYLES = ["white22", "black14", "orange18", "logo", "semi48"]
BLURS = [0, 1.5, 3]
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
REGULAR = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def photo(name):
    if name.startswith("motorcycle"):
        left, right, _ = data.stereo_motorcycle()
        im = left if name.endswith("left") else right
    elif hasattr(data, name):
        im = getattr(data, name)()
    else:  # in the data folder without a loader of its own
        im = np.asarray(Image.open(os.path.join(os.path.dirname(data.__file__), name + ".png")))
    if im.ndim == 2:
        im = np.stack([im] * 3, -1)
    im = im[..., :3]
    if im.dtype != np.uint8:
        im = (im / im.max() * 255).astype(np.uint8)
    pil = Image.fromarray(im)
    if pil.width > 800:
        pil = pil.reduce(2)
    return pil


def overlay(im, style):
    im = im.copy()
    draw = ImageDraw.Draw(im, "RGBA")
    w, h = im.size
    if style == "white22":
        draw.text((w - 210, h - 40), "© studio 2026", font=ImageFont.truetype(BOLD, 22), fill=(255, 255, 255, 255))
    elif style == "black14":
        draw.text((10, 10), "www.example-shop.com", font=ImageFont.truetype(REGULAR, 14), fill=(0, 0, 0, 255))
    elif style == "orange18":
        draw.text((w - 130, h - 30), "'26 11 25", font=ImageFont.truetype(BOLD, 18), fill=(255, 140, 0, 255))
    elif style == "logo":
        draw.ellipse((w - 80, 10, w - 20, 70), fill=(200, 30, 40, 255))
        draw.rectangle((w - 70, 35, w - 30, 45), fill=(255, 255, 255, 255))
    elif style == "semi48":
        draw.text((w // 2 - 150, h // 2 - 30), "SAMPLE", font=ImageFont.truetype(BOLD, 48), fill=(255, 255, 255, 110))
    return im


def read(acuity, path):
    out = subprocess.run([acuity, "analyze", "--json", path], capture_output=True, text=True, check=True).stdout
    r = json.loads(out)
    r = r[0] if isinstance(r, list) else r
    return {
        "overlay": r["content"].get("overlay_pct") or 0.0,
        "blur": r["sharpness"]["blur_sigma_px"],
        "motion": bool(r["motion_blur"].get("detected")),
        "halo": bool(r["oversharpening"].get("detected")),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--acuity", default="build/acuity")
    ap.add_argument("--work", default="/tmp/acuity-overlays")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    for group, names in (("tuned", TUNED), ("held out", HELD_OUT)):
        readings = {}
        for name in names.split(","):
            base = photo(name)
            for blur in BLURS:
                soft = base.filter(ImageFilter.GaussianBlur(blur)) if blur else base
                for style in ["none"] + STYLES:
                    path = os.path.join(args.work, f"{name}_b{blur}_{style}.png")
                    (soft if style == "none" else overlay(soft, style)).save(path)
                    readings[(name, blur, style)] = read(args.acuity, path)
        names_list = names.split(",")
        print(f"\n{group} photos ({len(names_list)}): {names}\n")
        print("| overlay | blur (px) | found | median / largest blur error (px) | false motion blur | false over-sharpening |")
        print("|---|---|---|---|---|---|")
        for style in STYLES:
            for blur in BLURS:
                err, found, motion, halo, n = [], 0, 0, 0, 0
                for name in names_list:
                    bare, marked = readings[(name, blur, "none")], readings[(name, blur, style)]
                    if bare["blur"] is None or marked["blur"] is None:
                        continue
                    n += 1
                    found += marked["overlay"] > 0
                    err.append(abs(marked["blur"] - bare["blur"]))
                    motion += marked["motion"] and not bare["motion"]
                    halo += marked["halo"] and not bare["halo"]
                print(f"| {style} | {blur} | {found} of {n} | {np.median(err):.2f} / {max(err):.2f} | {motion} | {halo} |")
        flagged = [(k, v["overlay"]) for k, v in readings.items() if k[2] == "none" and v["overlay"] > 0]
        print(f"\nbare photos read with an overlay: {len(flagged)} of {len(names_list) * len(BLURS)}"
              + "".join(f"; {k[0]} blur {k[1]}: {pct:.1f} %" for k, pct in flagged))


if __name__ == "__main__":
    main()

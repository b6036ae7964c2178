#!/usr/bin/python3
"""Writes the README's catalogue walkthrough folder: product-like photos from
scikit-image's data (CC0 / public domain as shipped by scikit-image), one of
them JPEG-damaged, and one broken file.

    /usr/bin/python3 samples/make_shop.py shop        # then: acuity batch --out shop-out ... shop
"""
import os
import sys

from PIL import Image
from skimage import data


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    photos = {
        "mug.jpg": (data.coffee(), 90),        # 600x400
        "cat-poster.jpg": (data.chelsea(), 92),  # 451x300
        "rocket.jpg": (data.rocket(), 88),       # 427x640
        "cat-poster-reupload.jpg": (data.chelsea(), 20),  # the same photo, saved again at quality 20
    }
    for name, (pixels, quality) in photos.items():
        Image.fromarray(pixels).save(os.path.join(out_dir, name), quality=quality)
    with open(os.path.join(out_dir, "mug.jpg"), "rb") as f:
        head = f.read(3000)
    with open(os.path.join(out_dir, "broken-upload.jpg"), "wb") as f:  # cut off after 3000 bytes
        f.write(head)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "shop")

#!/usr/bin/python3
"""Cut the golden input crops from scikit-image's astronaut photo (a real PNG).

Writes raw interleaved RGB uint8 (row-major H x W x 3) files named
astronaut_y<Y>_x<X>_<H>x<W>.u8 into the golden directory. make_goldens.mjs
runs this first; the crops are committed so nobody needs scikit-image later.
"""
import os
import sys

import numpy as np
import skimage.io

SRC = "/usr/lib/python3/dist-packages/skimage/data/astronaut.png"
# (y, x, h, w): a face/hair edge (square) and the US flag patch (non-square,
# strongly coloured so a swapped channel order cannot go unnoticed)
CROPS = [(96, 200, 16, 16), (320, 80, 12, 20)]


def crop_name(y, x, h, w):
    return f"astronaut_y{y}_x{x}_{h}x{w}.u8"


def main(out_dir):
    img = skimage.io.imread(SRC)[:, :, :3]
    assert img.dtype == np.uint8 and img.shape == (512, 512, 3), img.shape
    os.makedirs(out_dir, exist_ok=True)
    for y, x, h, w in CROPS:
        c = np.ascontiguousarray(img[y:y + h, x:x + w])
        with open(os.path.join(out_dir, crop_name(y, x, h, w)), "wb") as f:
            f.write(c.tobytes())
        print(crop_name(y, x, h, w))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/data/goldens")

#!/usr/bin/python3
"""Cut the golden input crops from scikit-image's photos (real PNGs): the
astronaut crops of the ESRGAN goldens (below), and write_crop for others.

Writes raw interleaved RGB uint8 (row-major H x W x 3) files named
astronaut_y<Y>_x<X>_<H>x<W>.u8 into the golden directory. make_goldens.mjs
runs this first; the crops are committed so nobody needs scikit-image later.
"""
import os
import sys

import numpy as np
import skimage.io

# (y, x, h, w): a face/hair edge (square) and the US flag patch (non-square,
# strongly coloured so a swapped channel order cannot go unnoticed)
CROPS = [(96, 200, 16, 16), (320, 80, 12, 20)]


def crop_name(y, x, h, w, photo="astronaut"):
    return f"{photo}_y{y}_x{x}_{h}x{w}.u8"


def write_crop(out_dir, photo, y, x, h, w):
    """Cuts rows y..y+h, columns x..x+w of scikit-image's <photo>.png (RGB
    uint8), writes it as crop_name(...) into out_dir and returns the array."""
    img = skimage.io.imread(f"/usr/lib/python3/dist-packages/skimage/data/{photo}.png")[:, :, :3]
    assert img.dtype == np.uint8 and y + h <= img.shape[0] and x + w <= img.shape[1], img.shape
    c = np.ascontiguousarray(img[y:y + h, x:x + w])
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, crop_name(y, x, h, w, photo)), "wb") as f:
        f.write(c.tobytes())
    return c


def main(out_dir):
    for y, x, h, w in CROPS:
        write_crop(out_dir, "astronaut", y, x, h, w)
        print(crop_name(y, x, h, w))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/data/goldens")

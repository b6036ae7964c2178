#!/usr/bin/python3
"""Enlargements of more than 4x: does `resolution.native_scale` read them (issue #25)?

Builds two sets in a temporary folder and reads every file with `acuity analyze --json`:
  * calibration: 19 scikit-image photos, half-size, a random crop enlarged 5x, 6x, 7x, 8x, 10x,
    12x and 16x by PIL (bicubic, bilinear or Lanczos, drawn at random), as PNG, as JPEG q90, and
    cropped by 1-7 px then saved as JPEG q90 (its resampling grid off the JPEG blocks); natives:
    each photo as is and blurred by sigma 2, 3 and 5 px, as PNG, JPEG q90 and q75;
  * held out: 11 photos enlarged 5.5x, 7x, 9x, 11x and 14x by scikit-image's cubic spline
    (rescale order 3), as PNG and JPEG q85; natives: area-downscaled to 3/4 (PNG, JPEG q80) and
    blurred by sigma 1.5 and 4 px under noise sigma 2 (PNG, JPEG q95 and q80).
An enlargement is read when native_scale x factor is within 20 % of 1; a native is flagged when
it reads under 0.9.

    /usr/bin/python3 datasets/large_enlargements.py build/acuity     # about 3 minutes on 2 cores
"""
import collections
import json
import os
import random
import re
import subprocess
import sys
import tempfile

import numpy as np
import skimage.data
from PIL import Image, ImageFilter
from skimage.transform import rescale

DATA = os.path.dirname(skimage.data.__file__)
CALIBRATION = ['astronaut.png', 'coffee.png', 'chelsea.png', 'camera.png', 'brick.png', 'grass.png',
               'gravel.png', 'rocket.jpg', 'motorcycle_left.png', 'coins.png', 'hubble_deep_field.jpg',
               'ihc.png', 'moon.png', 'page.png', 'text.png', 'clock_motion.png', 'color.png',
               'retina.jpg', 'cell.png']
HELD_OUT = ['motorcycle_right.png', 'microaneurysms.png', 'phantom.png', 'astronaut.png', 'coffee.png',
            'chelsea.png', 'rocket.jpg', 'hubble_deep_field.jpg', 'brick.png', 'gravel.png', 'coins.png']
KERNELS = {'bicubic': Image.BICUBIC, 'lanczos': Image.LANCZOS, 'bilinear': Image.BILINEAR}


def open_photo(name):
    im = Image.open(os.path.join(DATA, name))
    return im.convert('L') if im.mode in ('L', 'I', 'I;16') else im.convert('RGB')


def calibration_set(out):
    rnd = random.Random(7)
    for p in CALIBRATION:
        n = p.split('.')[0]
        im = open_photo(p)
        w, h = im.size
        im.save(f'{out}/nat_{n}.png')
        im.save(f'{out}/nat_{n}_q90.jpg', quality=90)
        im.save(f'{out}/nat_{n}_q75.jpg', quality=75)
        for s in [2, 3, 5]:
            b = im.filter(ImageFilter.GaussianBlur(s))
            b.save(f'{out}/nat_{n}_b{s}.png')
            b.save(f'{out}/nat_{n}_b{s}_q90.jpg', quality=90)
            b.save(f'{out}/nat_{n}_b{s}_q75.jpg', quality=75)
        for f in [5, 6, 7, 8, 10, 12, 16]:
            kernel = rnd.choice(list(KERNELS))
            sw, sh = max(40, min(w, 1600 // f)), max(30, min(h, 1200 // f))
            src = im.resize((w // 2, h // 2), Image.BOX)
            x0, y0 = rnd.randrange(0, max(1, src.width - sw)), rnd.randrange(0, max(1, src.height - sh))
            src = src.crop((x0, y0, x0 + min(sw, src.width), y0 + min(sh, src.height)))
            up = src.resize((src.width * f, src.height * f), KERNELS[kernel])
            up.save(f'{out}/up{f}_{kernel}_{n}.png')
            up.save(f'{out}/up{f}_{kernel}_{n}_q90.jpg', quality=90)
            cx, cy = rnd.randrange(1, 8), rnd.randrange(1, 8)
            up.crop((cx, cy, up.width, up.height)).save(f'{out}/up{f}_{kernel}_{n}_crop_q90.jpg', quality=90)


def held_out_set(out):
    rnd, noise = random.Random(11), np.random.default_rng(3)

    def save(a, name, quality=None):
        im = Image.fromarray(np.clip(np.round(a), 0, 255).astype(np.uint8))
        im.save(f'{out}/{name}', **({'quality': quality} if quality else {}))

    for p in HELD_OUT:
        n = p.split('.')[0]
        im = open_photo(p)
        a = np.asarray(im).astype(float)
        w, h = im.size
        small = im.resize((w * 3 // 4, h * 3 // 4), Image.BOX)
        small.save(f'{out}/nat_{n}_a75.png')
        small.save(f'{out}/nat_{n}_a75_q80.jpg', quality=80)
        for s in [1.5, 4]:
            b = np.asarray(im.filter(ImageFilter.GaussianBlur(s))).astype(float) + noise.normal(0, 2, a.shape)
            save(b, f'nat_{n}_b{s}n.png')
            save(b, f'nat_{n}_b{s}n_q95.jpg', 95)
            save(b, f'nat_{n}_b{s}n_q80.jpg', 80)
        for f in [5.5, 7, 9, 11, 14]:
            sw, sh = max(40, int(1400 / f)), max(30, int(1100 / f))
            x0, y0 = rnd.randrange(0, max(1, w - sw)), rnd.randrange(0, max(1, h - sh))
            src = a[y0:y0 + sh, x0:x0 + sw]
            up = rescale(src, f, order=3, channel_axis=(2 if src.ndim == 3 else None), anti_aliasing=False,
                         preserve_range=True)
            save(up, f'up{f:g}_spline_{n}.png')
            save(up, f'up{f:g}_spline_{n}_q85.jpg', 85)


def read_all(acuity, folder):
    files = sorted(os.path.join(folder, f) for f in os.listdir(folder))
    scales = {}
    for i in range(0, len(files), 40):
        chunk = files[i:i + 40]
        run = subprocess.run([acuity, 'analyze', '--json', *chunk], capture_output=True, text=True)
        for line in run.stdout.splitlines():
            report = json.loads(line)
            scales[os.path.basename(report['input']['path'])] = report['resolution']['native_scale']
    return scales


def table(title, scales):
    classes = collections.defaultdict(list)
    for name, scale in scales.items():
        jpeg = name.endswith('.jpg')
        if name.startswith('nat_'):
            classes[('native', 'jpeg' if jpeg else 'png')].append(scale is not None and scale < 0.9)
            continue
        f = float(re.match(r'up([\d.]+)_', name).group(1))
        kind = 'cropped, jpeg' if '_crop' in name else 'jpeg' if jpeg else 'png'
        classes[(f'{f:g}x', kind)].append(scale is not None and abs(scale * f - 1) < 0.2)
    print(f'\n{title}\n\n| class | file | read (enlargements) or flagged (natives) |\n|---|---|---|')
    order = lambda k: (k[0] != 'native', float(k[0][:-1]) if k[0] != 'native' else 0, k[1])
    for key in sorted(classes, key=order):
        hits = classes[key]
        print(f'| {key[0]} | {key[1]} | {sum(hits)} of {len(hits)} |')


def main():
    acuity = sys.argv[1] if len(sys.argv) > 1 else 'build/acuity'
    with tempfile.TemporaryDirectory() as tmp:
        for name, build in [('calibration', calibration_set), ('held out', held_out_set)]:
            folder = os.path.join(tmp, name.replace(' ', '_'))
            os.mkdir(folder)
            build(folder)
            table(f'{name} set', read_all(acuity, folder))


if __name__ == '__main__':
    main()

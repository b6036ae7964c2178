#!/usr/bin/python3
"""Dithered pictures made by other encoders than acuity's own (issue #25):
PIL's Floyd-Steinberg GIFs and ImageMagick's Floyd-Steinberg, Riemersma,
ordered and halftone dithers, against the same photos quantised without
dither by both; read by `acuity analyze --json` (the dither block) and, where
found, undithered by `acuity enhance --steps undither` and compared with the
photo (PSNR). With --plans, also the whole advised plan on dithered GIFs of
photos area-shrunk 2x and enlarged back (`acuity advise` then `acuity
enhance --steps` of its steps, PSNR-Y against the photo), beside the plan
acuity gave them before it read dither (upscale, then sharpen) and a bare
upscale (about 5 min on 2 cores). With --pixel-art, pixel art made of
4-px squares (a sprite enlarged 4x by repeating pixels) enlarged 2x and 3x
by the advised plan (repeating pixels again) against the plan acuity gave
it before (esrgan-thick, then sharpen) and a Lanczos enlargement: PSNR
against the exact enlargement of the art's cells. Writes the
"dither_peers" block of datasets/RESULTS.md.

    /usr/bin/python3 datasets/dither_peers.py --acuity build/acuity --work /tmp/acuity-dither \
        [--plans] [--pixel-art] [--out datasets/RESULTS.md]

Needs PIL, numpy and ImageMagick's `convert` (setup.sh installs them).
"""
import argparse
import json
import os
import re
import subprocess
import sys
from collections import defaultdict

import numpy as np
from PIL import Image

PHOTO_DIR = '/usr/lib/python3/dist-packages/skimage/data'
PHOTOS = ['chelsea', 'coffee', 'astronaut', 'rocket', 'ihc', 'retina', 'motorcycle_left', 'motorcycle_right',
          'hubble_deep_field', 'camera', 'coins', 'page', 'clock_motion']
MAX_SIDE_PX = 512
BEGIN, END = '<!-- dither_peers: begin -->', '<!-- dither_peers: end -->'


def load(name):
    for ext in ('.png', '.jpg'):
        path = os.path.join(PHOTO_DIR, name + ext)
        if os.path.exists(path):
            im = Image.open(path).convert('RGB')
            shrink = MAX_SIDE_PX / max(im.size)
            if shrink < 1:
                im = im.resize((round(im.width * shrink), round(im.height * shrink)), Image.BOX)
            return im
    sys.exit(f'dither_peers: no photo {name} in {PHOTO_DIR}')


def make(work):
    """[(path, class, photo path)]: dithered (class '+ ...') and not ('- ...')."""
    files = []
    for name in PHOTOS:
        im = load(name)
        photo = os.path.join(work, f'{name}.png')
        im.save(photo)
        for k in (16, 32, 64, 256):
            palette = im.quantize(colors=k, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
            dithered = os.path.join(work, f'{name}_pilfs{k}.gif')
            im.quantize(palette=palette, dither=Image.Dither.FLOYDSTEINBERG).save(dithered)
            files.append((dithered, '+ PIL Floyd–Steinberg GIF, 16–64 colours' if k <= 64
                          else '+ PIL Floyd–Steinberg GIF, 256 colours', photo))
            plain = os.path.join(work, f'{name}_pil{k}.gif')
            palette.save(plain)
            files.append((plain, '− PIL GIF without dither, 16–256 colours', None))
        for k in (16, 64):
            for method, label in (('FloydSteinberg', 'Floyd–Steinberg'), ('Riemersma', 'Riemersma')):
                out = os.path.join(work, f'{name}_im{method}{k}.gif')
                subprocess.run(['convert', photo, '-dither', method, '-colors', str(k), out], check=True)
                files.append((out, f'+ ImageMagick {label}, 16 and 64 colours', photo))
            out = os.path.join(work, f'{name}_implain{k}.gif')
            subprocess.run(['convert', photo, '+dither', '-colors', str(k), out], check=True)
            files.append((out, '− ImageMagick without dither, 16 and 64 colours', None))
        for levels in (3, 6):
            out = os.path.join(work, f'{name}_imo8x8_{levels}.png')
            subprocess.run(['convert', photo, '-ordered-dither', f'o8x8,{levels}', out], check=True)
            files.append((out, '+ ImageMagick ordered o8x8, 3 and 6 levels', photo))
        out = os.path.join(work, f'{name}_imh4x4a.png')
        subprocess.run(['convert', photo, '-ordered-dither', 'h4x4a', out], check=True)
        files.append((out, '+ ImageMagick halftone h4x4a (clustered dots)', photo))
    return files


def psnr(a, b):
    mse = ((np.asarray(a, float) - np.asarray(b, float)) ** 2).mean()
    return 10 * np.log10(255 ** 2 / mse)


def luma(im):
    a = np.asarray(im.convert('RGB'), float)
    return 16 + (65.481 * a[..., 0] + 128.553 * a[..., 1] + 24.966 * a[..., 2]) / 255


PLAN_PHOTOS = ['chelsea', 'coffee', 'astronaut', 'rocket', 'motorcycle_left', 'retina']


def plans(acuity, work):
    """Table rows: the advised plan against the plan before and a bare upscale, PSNR-Y (dB) at the photo's size."""
    rows = []
    for name in PLAN_PHOTOS:
        photo = load(name)
        w, h = photo.width // 2 * 2, photo.height // 2 * 2
        photo = photo.crop((0, 0, w, h))
        small = photo.resize((w // 2, h // 2), Image.BOX)
        small_path = os.path.join(work, f'{name}_half.png')
        small.save(small_path)
        inputs = []
        for k in (16, 32):
            palette = small.quantize(colors=k, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
            path = os.path.join(work, f'{name}_half_pilfs{k}.gif')
            small.quantize(palette=palette, dither=Image.Dither.FLOYDSTEINBERG).save(path)
            inputs.append((path, f'PIL Floyd–Steinberg, {k} colours'))
        path = os.path.join(work, f'{name}_half_o8x8.png')
        subprocess.run(['convert', small_path, '-ordered-dither', 'o8x8,3', path], check=True)
        inputs.append((path, 'ImageMagick ordered o8x8, 3 levels'))
        for path, kind in inputs:
            advice = json.loads(subprocess.run([acuity, 'advise', '--json', '--target', f'{w}x{h}', path],
                                               capture_output=True, text=True, check=True).stdout)
            steps = [s for s in advice['plan']['steps'] if s['op'] != 'encode']
            text = ','.join(s['op'] + ''.join(f':{k}={v}' for k, v in s['params'].items()) for s in steps)
            up = next(s for s in steps if s['op'] == 'upscale')
            upscale = f"upscale:factor={up['params']['factor']}:model={up['params']['model']}"
            variants = {'advised': text, 'before': f'{upscale},sharpen:0.8:1.05', 'bare': upscale}
            scores = {}
            for label, given in variants.items():
                out = f'{path}.{label}.png'
                subprocess.run([acuity, 'enhance', '--steps', given, '-o', out, path], capture_output=True,
                               check=True)
                mse = ((luma(Image.open(out)) - luma(photo)) ** 2).mean()
                scores[label] = 10 * np.log10(255 ** 2 / mse)
            rows.append(f"| {name} | {kind} | {' → '.join(s['op'] for s in steps)} ({up['params']['model']}) | "
                        f"{scores['advised']:.2f} | {scores['before']:.2f} | {scores['bare']:.2f} |")
            print(rows[-1], file=sys.stderr)
    return rows


def sprites():
    """Pixel art of 4-px squares: random cells, and shapes drawn on a flat ground."""
    from PIL import ImageDraw
    rng = np.random.default_rng(11)
    out = []
    for i in range(2):
        palette = rng.integers(0, 256, (6 + 4 * i, 3))
        cells = palette[rng.integers(0, len(palette), (30, 40))].astype(np.uint8)
        out.append((f'random cells, {len(palette)} colours', Image.fromarray(cells)))
    for i in range(2):
        art = Image.new('RGB', (48, 36), tuple(int(v) for v in rng.integers(0, 256, 3)))
        draw = ImageDraw.Draw(art)
        for _ in range(12):
            x, y = int(rng.integers(0, 44)), int(rng.integers(0, 32))
            colour = tuple(int(v) for v in rng.integers(0, 256, 3))
            if rng.integers(0, 2):
                draw.rectangle([x, y, x + int(rng.integers(1, 8)), y + int(rng.integers(1, 8))], fill=colour)
            else:
                draw.line([x, y, x + int(rng.integers(-8, 8)), y + int(rng.integers(-8, 8))], fill=colour)
        out.append((f'shapes on a flat ground {i + 1}', art))
    return out


def pixel_art(acuity, work):
    """Table rows: advised (repeat pixels) against the plan before and Lanczos, PSNR (dB) against the exact enlargement."""
    rows = []
    for name, cells in sprites():
        sprite = cells.resize((cells.width * 4, cells.height * 4), Image.NEAREST)
        path = os.path.join(work, f'sprite_{len(rows)}.png')
        sprite.save(path)
        for factor in (2, 3):
            w, h = sprite.width * factor, sprite.height * factor
            truth = np.asarray(cells.resize((w, h), Image.NEAREST), float)
            advice = json.loads(subprocess.run([acuity, 'advise', '--json', '--target', f'{w}x{h}', path],
                                               capture_output=True, text=True, check=True).stdout)
            ops = [s['op'] for s in advice['plan']['steps'] if s['op'] != 'encode']
            scores = []
            for given in (f'nearest:{w}x{h}', f'upscale:{factor}:esrgan-thick,sharpen:0.8:{0.35 * factor + 0.35:.2f}',
                          f'resize:{w}x{h}'):
                out = f'{path}.{factor}.{len(scores)}.png'
                subprocess.run([acuity, 'enhance', '--steps', given, '-o', out, path], capture_output=True, check=True)
                mse = ((np.asarray(Image.open(out).convert('RGB'), float) - truth) ** 2).mean()
                scores.append('exact' if mse == 0 else f'{10 * np.log10(255 ** 2 / mse):.2f}')
            rows.append(f"| {name} | ×{factor} | {' → '.join(ops)} | {scores[0]} | {scores[1]} | {scores[2]} |")
            print(rows[-1], file=sys.stderr)
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--acuity', default='build/acuity')
    ap.add_argument('--work', default='/tmp/acuity-dither')
    ap.add_argument('--out', default='')
    ap.add_argument('--plans', action='store_true', help='also the advised plan against the plan before')
    ap.add_argument('--pixel-art', action='store_true', help='also pixel art enlarged by repeating pixels')
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    files = make(args.work)
    tally = defaultdict(lambda: {'n': 0, 'found': 0, 'not_measured': 0, 'gains': []})
    for start in range(0, len(files), 40):
        chunk = files[start:start + 40]
        run = subprocess.run([args.acuity, 'analyze', '--json'] + [f for f, _, _ in chunk],
                             capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f'dither_peers: acuity analyze exited {run.returncode}: {run.stderr.strip()}')
        readings = {}
        for line in run.stdout.splitlines():
            if line.strip():
                r = json.loads(line)
                readings[r['input']['path']] = r
        for path, cls, photo in chunk:
            if path not in readings:
                sys.exit(f'dither_peers: no reading of {path}')
            d = readings[path]['dither']
            t = tally[cls]
            t['n'] += 1
            t['not_measured'] += d['detected'] is None
            if not d['detected']:
                continue
            t['found'] += 1
            if photo:
                out = path + '.undithered.png'
                subprocess.run([args.acuity, 'enhance', '--steps', 'undither', '-o', out, path],
                               capture_output=True, check=True)
                truth = Image.open(photo).convert('RGB')
                t['gains'].append(psnr(Image.open(out).convert('RGB'), truth) -
                                  psnr(Image.open(path).convert('RGB'), truth))

    def gains(g):
        if not g:
            return '—'
        g = sorted(g)
        return f'{g[0]:+.1f} / {g[len(g) // 2]:+.1f} / {g[-1]:+.1f}'

    lines = [BEGIN, '### Other encoders', '',
             '`/usr/bin/python3 datasets/dither_peers.py --acuity build/acuity --plans --pixel-art --out '
             'datasets/RESULTS.md`. '
             f'{len(PHOTOS)} scikit-image photos ({", ".join(PHOTOS)}) area-shrunk to at most {MAX_SIDE_PX} px, '
             'made few-colour by PIL and ImageMagick; `+` classes are dithered (found is right), `−` are not. '
             'Found ones are undithered by `acuity enhance --steps undither` (the σ measured) and compared with '
             'the photo.', '',
             '| class | pictures | found | not measured (over 256 colours, or 64 gray levels) | undither, dB PSNR vs the photo '
             '(worst / median / best) |', '|---|---|---|---|---|']
    for cls in sorted(tally):
        t = tally[cls]
        lines.append(f"| {cls} | {t['n']} | {t['found']} ({100 * t['found'] / t['n']:.0f} %) | "
                     f"{t['not_measured']} | {gains(t['gains'])} |")
    if args.plans:
        lines += ['', '**The advised plan on dithered GIFs ×2** (the photo area-shrunk 2×, dithered, enlarged back to '
                  'its size: PSNR-Y against the photo, dB). *Before*: the plan acuity gave them before it read dither '
                  '(the same upscale, then sharpen 80 %); *bare*: the upscale alone.', '',
                  '| photo | dither | advised plan | advised | before | bare |', '|---|---|---|---|---|---|']
        lines += plans(args.acuity, args.work)
    if args.pixel_art:
        lines += ['', '**Pixel art of 4-px squares enlarged** (a sprite enlarged 4× by repeating pixels, then to ×2 '
                  'and ×3 of that): PSNR against the exact enlargement of its cells, dB. *Advised*: the plan '
                  '(`nearest`: repeat pixels); *before*: the plan acuity gave it before it read the squares '
                  '(esrgan-thick, then sharpen 80 %); *Lanczos*: `resize`.', '',
                  '| pixel art | enlarged | advised plan | advised | before | Lanczos |', '|---|---|---|---|---|---|']
        lines += pixel_art(args.acuity, args.work)
    lines.append(END)
    block = '\n'.join(lines) + '\n'
    print(block)
    if args.out:
        old = open(args.out).read() if os.path.exists(args.out) else ''
        if BEGIN in old:
            old = re.sub(re.escape(BEGIN) + '.*?' + re.escape(END) + '\n?', lambda _: block, old, flags=re.S)
        else:
            old = old.rstrip('\n') + '\n\n' + block
        open(args.out, 'w').write(old)


if __name__ == '__main__':
    main()

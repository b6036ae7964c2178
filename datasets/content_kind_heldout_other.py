#!/usr/bin/python3
"""Content kind of JPEG files made from pictures the content kind was never
tuned on (issue #25; datasets/content_kind_jpeg.sh is the tuning set,
datasets/content_kind_heldout.py a held-out set of the same photos under
other encoder settings):

- photos: matplotlib's Grace Hopper, SciPy's raccoon face and ascent, and
  scikit-image's retina, clock_motion, cell and text (in neither set), as
  colour and gray, plain and blurred by σ 1.5 px, at JPEG q20, 30, 40, 50
  and 75 — expected `photo`;
- drawings made here with DejaVu fonts: slides on a vertical or a diagonal
  gradient, document pages of 11–14 px text, a dark chat window, a
  spreadsheet with grey grid lines, a line chart and a flow diagram (some
  anti-aliased by drawing at twice the size), at JPEG q20, 30, 40, 60 and
  85 — expected `synthetic`.

Each is saved by PIL and, when ImageMagick's `convert` is installed, by it
too. Prints per class the files read photo/mixed/synthetic, and with
--baseline (another acuity build) the same for it and every file whose kind
got worse.

    /usr/bin/python3 datasets/content_kind_heldout_other.py --acuity build/acuity [--baseline OLD] [--work DIR]

About 3 minutes on 2 cores per acuity build.
"""
import argparse, collections, json, os, subprocess, sys, tempfile

ap = argparse.ArgumentParser()
ap.add_argument("--acuity", default="build/acuity")
ap.add_argument("--baseline")
ap.add_argument("--work")
args = ap.parse_args()
WORK = args.work or tempfile.mkdtemp(prefix="acuity-kind-other.")
import warnings, random, math
warnings.filterwarnings('ignore')
import numpy as np
from PIL import Image, ImageDraw, ImageFont, ImageFilter
from scipy import ndimage as nd
import skimage.io as skio, skimage.data as sd
import matplotlib.cbook as cbook
import scipy.misc

OUT = os.path.join(WORK, 'imgs')
QS = [20, 30, 40, 50, 75]
DQS = [20, 30, 40, 60, 85]
HAVE_IM = subprocess.run(['which', 'convert'], capture_output=True).returncode == 0
TMP = os.path.join(OUT, '_tmp.png')

def save(im, cls, name, q):
    d = os.path.join(OUT, cls); os.makedirs(d, exist_ok=True)
    im.save(os.path.join(d, f'{name}_pil_q{q}.jpg'), quality=q)
    if HAVE_IM:
        im.save(TMP)
        subprocess.run(['convert', TMP, '-quality', str(q),
                        os.path.join(d, f'{name}_im_q{q}.jpg')], check=True)

def blur(im, s=1.5):
    a = np.asarray(im).astype(np.float32)
    sig = (s, s, 0) if a.ndim == 3 else (s, s)
    return Image.fromarray(np.clip(nd.gaussian_filter(a, sig) + .5, 0, 255).astype(np.uint8))

# ---------------- photos (none of these in the tuning list) ----------------
colour = {
    'gracehopper': Image.open(cbook.get_sample_data('grace_hopper.jpg')).convert('RGB'),
    'face': Image.fromarray(scipy.misc.face()),
    'retina': Image.fromarray(skio.imread(sd.data_dir + '/retina.jpg')),
}
gray_native = {
    'ascent': Image.fromarray(np.clip(scipy.misc.ascent(), 0, 255).astype(np.uint8)),
    'clock': Image.fromarray(skio.imread(sd.data_dir + '/clock_motion.png')),
    'cell': Image.fromarray(skio.imread(sd.data_dir + '/cell.png')),
    'textphoto': Image.fromarray(skio.imread(sd.data_dir + '/text.png')),
}
for n, im in colour.items():
    for q in QS:
        save(im, 'photo_colour', n, q)
        save(im.convert('L'), 'photo_gray', n + '-gray', q)
        save(blur(im), 'photo_blurred', n + '-blur', q)
        save(blur(im.convert('L')), 'photo_blurred', n + '-gray-blur', q)
for n, im in gray_native.items():
    for q in QS:
        save(im.convert('L'), 'photo_gray', n, q)
        save(blur(im.convert('L')), 'photo_blurred', n + '-gray-blur', q)

# ---------------- drawings ----------------
FD = '/usr/share/fonts/truetype/dejavu/'
def F(name, size): return ImageFont.truetype(FD + name, size)
WORDS = ('lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor '
         'incididunt ut labore et dolore magna aliqua enim ad minim veniam quis nostrud '
         'exercitation ullamco laboris nisi aliquip ex ea commodo consequat duis aute irure '
         'in reprehenderit voluptate velit esse cillum fugiat nulla pariatur').split()
def sentence(r, n): return ' '.join(r.choice(WORDS) for _ in range(n))

def ss(draw_fn, W, H, aa):
    """aa: render at 2x and downsample (anti-aliased shapes)."""
    k = 2 if aa else 1
    im = draw_fn(W * k, H * k, k)
    return im.resize((W, H), Image.LANCZOS) if aa else im

def slide(W, H, k, diag, c0, c1):
    y, x = np.mgrid[0:H, 0:W].astype(np.float32)
    t = (x / W + y / H) / 2 if diag else y / H
    a = (np.array(c0)[None, None] * (1 - t[..., None]) + np.array(c1)[None, None] * t[..., None])
    im = Image.fromarray(a.astype(np.uint8)); d = ImageDraw.Draw(im)
    d.text((70 * k, 60 * k), 'Quarterly Roadmap Review', font=F('DejaVuSans-Bold.ttf', 52 * k), fill='white')
    d.line((70 * k, 135 * k, 600 * k, 135 * k), fill='white', width=3 * k)
    r = random.Random(1)
    for i in range(5):
        yy = (190 + i * 75) * k
        d.ellipse((80 * k, yy + 10 * k, 94 * k, yy + 24 * k), fill='white')
        d.text((115 * k, yy), sentence(r, 6).capitalize(), font=F('DejaVuSans.ttf', 30 * k), fill='white')
    d.text((W - 120 * k, H - 50 * k), '7 / 24', font=F('DejaVuSans.ttf', 20 * k), fill=(230, 230, 230))
    return im

def docpage(W, H, k, size, serif, cols):
    im = Image.new('RGB', (W, H), 'white'); d = ImageDraw.Draw(im)
    r = random.Random(size)
    fnt = F('DejaVuSerif.ttf' if serif else 'DejaVuSans.ttf', size * k)
    d.text((60 * k, 40 * k), '3.2 Results and discussion', font=F('DejaVuSans-Bold.ttf', (size + 6) * k), fill='black')
    cw = (W - 120 * k - (cols - 1) * 40 * k) // cols
    for c in range(cols):
        x0 = 60 * k + c * (cw + 40 * k); y = 90 * k
        while y < H - 60 * k:
            for _ in range(r.randint(4, 8)):
                line = ''
                while True:
                    w = r.choice(WORDS)
                    if d.textlength(line + ' ' + w, font=fnt) > cw: break
                    line = (line + ' ' + w).strip()
                d.text((x0, y), line, font=fnt, fill='black'); y += int(size * 1.45) * k
                if y > H - 60 * k: break
            y += size * k
    d.text((W // 2 - 10 * k, H - 35 * k), '12', font=fnt, fill='black')
    return im

def chat(W, H, k, accent):
    im = Image.new('RGB', (W, H), (30, 31, 34)); d = ImageDraw.Draw(im)
    d.rectangle((0, 0, 250 * k, H), fill=(43, 45, 49))
    r = random.Random(3); f = F('DejaVuSans.ttf', 15 * k); fb = F('DejaVuSans-Bold.ttf', 15 * k)
    for i in range(8):
        yy = (20 + i * 60) * k
        d.ellipse((15 * k, yy, 55 * k, yy + 40 * k), fill=[(88, 101, 242), (59, 165, 93), (237, 66, 69), (250, 166, 26)][i % 4])
        d.text((68 * k, yy + 2 * k), f'User {i+1}', font=fb, fill=(235, 235, 235))
        d.text((68 * k, yy + 22 * k), sentence(r, 2), font=F('DejaVuSans.ttf', 12 * k), fill=(150, 152, 158))
    d.rectangle((250 * k, 0, W, 56 * k), fill=(38, 39, 43))
    d.text((270 * k, 18 * k), '# general', font=fb, fill='white')
    y = 80 * k
    while y < H - 150 * k:
        mine = r.random() < 0.5; txt = sentence(r, r.randint(3, 9))
        tw = d.textlength(txt, font=f); bw = tw + 30 * k; bh = 40 * k
        x0 = W - 30 * k - bw if mine else 320 * k
        if not mine: d.ellipse((268 * k, y, 304 * k, y + 36 * k), fill=(88, 101, 242))
        d.rounded_rectangle((x0, y, x0 + bw, y + bh), radius=16 * k, fill=accent if mine else (58, 61, 68))
        d.text((x0 + 15 * k, y + 11 * k), txt, font=f, fill='white')
        y += bh + 18 * k
    d.rounded_rectangle((270 * k, H - 70 * k, W - 20 * k, H - 20 * k), radius=12 * k, fill=(56, 58, 64))
    d.text((290 * k, H - 55 * k), 'Message #general', font=f, fill=(140, 142, 148))
    return im

def sheet(W, H, k, rowh):
    im = Image.new('RGB', (W, H), 'white'); d = ImageDraw.Draw(im)
    r = random.Random(4); f = F('DejaVuSans.ttf', 12 * k)
    cw = 100 * k; rh = rowh * k; hx = 45 * k
    d.rectangle((0, 0, W, rh), fill=(242, 242, 242)); d.rectangle((0, 0, hx, H), fill=(242, 242, 242))
    for j, x in enumerate(range(hx, W, cw)):
        d.text((x + cw // 2 - 4 * k, 4 * k), chr(65 + j % 26), font=f, fill=(60, 60, 60))
    for i, y in enumerate(range(rh, H, rh)):
        d.text((10 * k, y + 4 * k), str(i + 1), font=f, fill=(60, 60, 60))
        for j, x in enumerate(range(hx, W, cw)):
            if j < 8 and i < 30:
                s = f'{r.uniform(0, 9999):.2f}' if j else sentence(r, 1).capitalize()
                d.text((x + 5 * k, y + 4 * k), s, font=f, fill='black')
    for x in range(hx, W, cw): d.line((x, 0, x, H), fill=(208, 208, 208), width=k)
    for y in range(rh, H, rh): d.line((0, y, W, y), fill=(208, 208, 208), width=k)
    d.rectangle((hx + cw, rh * 3, hx + 2 * cw, rh * 4), outline=(26, 115, 232), width=2 * k)
    return im

def linechart(W, H, k, seed):
    im = Image.new('RGB', (W, H), 'white'); d = ImageDraw.Draw(im)
    r = np.random.RandomState(seed); f = F('DejaVuSans.ttf', 13 * k)
    L, T, R, B = 80 * k, 60 * k, W - 40 * k, H - 70 * k
    d.text((L, 20 * k), 'Weekly active users (thousands)', font=F('DejaVuSans-Bold.ttf', 18 * k), fill='black')
    for i in range(6):
        y = B - (B - T) * i / 5; d.line((L, y, R, y), fill=(225, 225, 225), width=k)
        d.text((L - 45 * k, y - 8 * k), str(i * 20), font=f, fill=(80, 80, 80))
    for i in range(13):
        x = L + (R - L) * i / 12; d.text((x - 10 * k, B + 10 * k), f'W{i+1}', font=f, fill=(80, 80, 80))
    d.line((L, T, L, B), fill='black', width=k); d.line((L, B, R, B), fill='black', width=k)
    cols = [(31, 119, 180), (255, 127, 14), (44, 160, 44)]
    for c in cols:
        v = np.clip(50 + np.cumsum(r.randn(13) * 8), 5, 95)
        pts = [(L + (R - L) * i / 12, B - (B - T) * v[i] / 100) for i in range(13)]
        d.line(pts, fill=c, width=3 * k, joint='curve')
        for p in pts: d.ellipse((p[0] - 4 * k, p[1] - 4 * k, p[0] + 4 * k, p[1] + 4 * k), fill=c)
    for i, c in enumerate(cols):
        d.line((R - 180 * k, T + 10 * k + i * 22 * k, R - 150 * k, T + 10 * k + i * 22 * k), fill=c, width=3 * k)
        d.text((R - 140 * k, T + 2 * k + i * 22 * k), ['iOS', 'Android', 'Web'][i], font=f, fill='black')
    return im

def flow(W, H, k, bg):
    im = Image.new('RGB', (W, H), bg); d = ImageDraw.Draw(im)
    f = F('DejaVuSans-Bold.ttf', 16 * k)
    boxes = {'Start': (80, 80, (76, 175, 80)), 'Load data': (380, 80, (33, 150, 243)),
             'Valid?': (680, 80, (255, 193, 7)), 'Transform': (680, 320, (156, 39, 176)),
             'Report error': (980, 80, (244, 67, 54)), 'Store': (380, 320, (0, 150, 136)),
             'Notify': (380, 560, (255, 87, 34)), 'End': (80, 560, (96, 125, 139))}
    bw, bh = 190, 80
    def ctr(n): x, y, _ = boxes[n]; return ((x + bw / 2) * k, (y + bh / 2) * k)
    def arrow(a, b):
        (x0, y0), (x1, y1) = ctr(a), ctr(b)
        ang = math.atan2(y1 - y0, x1 - x0)
        # shorten to box edge
        dx, dy = math.cos(ang), math.sin(ang)
        tx = (bw / 2 * k) / abs(dx) if abs(dx) > 1e-6 else 1e9; ty = (bh / 2 * k) / abs(dy) if abs(dy) > 1e-6 else 1e9
        t = min(tx, ty) + 4 * k
        xs, ys, xe, ye = x0 + dx * t, y0 + dy * t, x1 - dx * t, y1 - dy * t
        d.line((xs, ys, xe, ye), fill=(50, 50, 50), width=3 * k)
        h = 14 * k
        d.polygon([(xe, ye), (xe - h * math.cos(ang - .4), ye - h * math.sin(ang - .4)),
                   (xe - h * math.cos(ang + .4), ye - h * math.sin(ang + .4))], fill=(50, 50, 50))
    for a, b in [('Start', 'Load data'), ('Load data', 'Valid?'), ('Valid?', 'Report error'),
                 ('Valid?', 'Transform'), ('Transform', 'Store'), ('Store', 'Notify'), ('Notify', 'End')]:
        arrow(a, b)
    for n, (x, y, c) in boxes.items():
        d.rounded_rectangle((x * k, y * k, (x + bw) * k, (y + bh) * k), radius=14 * k, fill=c, outline=(40, 40, 40), width=2 * k)
        tw = d.textlength(n, font=f); d.text(((x + bw / 2) * k - tw / 2, (y + bh / 2 - 10) * k), n, font=f, fill='white')
    return im

drawings = {
    'slide': [('vgrad', 1280, 720, False, lambda W, H, k: slide(W, H, k, False, (20, 40, 110), (90, 30, 120))),
              ('diaggrad-aa', 1024, 768, True, lambda W, H, k: slide(W, H, k, True, (0, 128, 128), (10, 20, 70)))],
    'docpage': [('sans12', 900, 800, False, lambda W, H, k: docpage(W, H, k, 12, False, 1)),
                ('serif14', 1000, 800, False, lambda W, H, k: docpage(W, H, k, 14, True, 1)),
                ('sans11-2col', 1200, 800, False, lambda W, H, k: docpage(W, H, k, 11, False, 2))],
    'chat': [('blue', 1100, 750, False, lambda W, H, k: chat(W, H, k, (47, 111, 237))),
             ('green-aa', 960, 640, True, lambda W, H, k: chat(W, H, k, (0, 92, 75)))],
    'sheet': [('r22', 1280, 800, False, lambda W, H, k: sheet(W, H, k, 22)),
              ('r20', 1000, 700, False, lambda W, H, k: sheet(W, H, k, 20))],
    'linechart': [('plain', 1000, 650, False, lambda W, H, k: linechart(W, H, k, 1)),
                  ('aa', 1200, 800, True, lambda W, H, k: linechart(W, H, k, 2))],
    'flow': [('white', 1200, 700, False, lambda W, H, k: flow(W, H, k, 'white')),
             ('grey-aa', 1240, 700, True, lambda W, H, k: flow(W, H, k, (245, 246, 248)))],
}
os.makedirs(os.path.join(OUT, 'png'), exist_ok=True)
for typ, vs in drawings.items():
    for vn, W, H, aa, fn in vs:
        im = ss(fn, W, H, aa)
        im.save(os.path.join(OUT, 'png', f'{typ}-{vn}.png'))
        for q in DQS:
            save(im, 'draw_' + typ, f'{typ}-{vn}', q)
if os.path.exists(TMP): os.remove(TMP)
print('encoders: PIL' + (' + ImageMagick convert' if HAVE_IM else ''), file=sys.stderr)


# ---------------- reading ----------------
import glob
BINS = {"new": os.path.abspath(args.acuity)}
if args.baseline:
    BINS = {"old": os.path.abspath(args.baseline), "new": os.path.abspath(args.acuity)}
rows = []
files = sorted(f for f in glob.glob(os.path.join(OUT, "*", "*.jpg")) if "/png/" not in f)
for f in files:
    r = {"class": f.split("/")[-2], "file": os.path.basename(f), "enc": "im" if "_im_q" in f else "pil"}
    for tag, b in BINS.items():
        p = subprocess.run([b, "analyze", "--json", f], capture_output=True, text=True, timeout=300)
        try:
            c = json.loads(p.stdout)["content"]
            r[tag], r[tag + "_photo"], r[tag + "_flat"] = c["kind"], c["photo_pct"], c["flat_pct"]
        except (ValueError, KeyError):
            r[tag], r[tag + "_photo"], r[tag + "_flat"] = "ERR", None, None
            print("ERR", tag, f, p.returncode, p.stderr[:200], file=sys.stderr)
    rows.append(r)
K = ["photo", "mixed", "synthetic"]
def count(rs, t):
    c = collections.Counter(r[t] for r in rs)
    return "/".join(str(c.get(k, 0)) for k in K) + (f" ERR {c['ERR']}" if c.get("ERR") else "")
groups = collections.OrderedDict()
for r in rows:
    groups.setdefault(r["class"], []).append(r)
print("expected: photo for photo_*, synthetic for draw_*; counts photo/mixed/synthetic")
print("| class | files |" + (" baseline |" if args.baseline else "") + " acuity |")
print("|---|---|" + ("---|" if args.baseline else "") + "---|")
for g in sorted(groups):
    rs = groups[g]
    print(f"| {g} | {len(rs)} |" + (f" {count(rs, 'old')} |" if args.baseline else "") + f" {count(rs, 'new')} |")
if args.baseline:
    rank = {"photo": 0, "mixed": 1, "synthetic": 2, "ERR": 9}
    print("\nworse than the baseline (kind, flat_pct, photo_pct):")
    for r in rows:
        o, n = rank[r["old"]], rank[r["new"]]
        if (n > o) if r["class"].startswith("photo") else (n < o):
            print(f"  {r['class']}/{r['file']}: {r['old']} -> {r['new']} (flat {r['new_flat']}, photo {r['new_photo']})")

#!/usr/bin/python3
"""Faces and text ladders: how small a face or a line of text can be before an
upscale stops recovering it, per model (the limits of
analysis/advice/content_advice.cc), and what acuity's detectors find.

    /usr/bin/python3 datasets/content_ladder.py --acuity build/acuity --work /tmp/acuity-content \
        [--models esrgan-slim,realesr-general-x4v3] [--out datasets/RESULTS.md]

Faces: the faces of scikit-image's astronaut (frontal) and camera (a man in
profile) photos, area-shrunk so that the face is 6-48 px wide,
upscaled back with `acuity batch --do enhance --steps upscale:4 --model M`
(and bicubic as the baseline), brought to the real face's size and compared
with it in the face's box: PSNR-Y (dB) and SSIM (scikit-image, on luma).
Text: two lines drawn with Debian's DejaVu Sans at 4x the x-height on a flat
background and on a lightened photo (coffee), area-shrunk 4x to x-heights of
3-12 px, upscaled back the same way, and read by acuity's text reader
(`acuity analyze --content --json`): character accuracy against the lines
drawn. The limit per model: the smallest rung from which every larger rung
keeps SSIM >= 0.80 (faces) / character accuracy >= 0.90 (text).
Detection: `acuity analyze --content` on the shrunk images (face found where
it is, width error; text lines found, x-height error) and on face-free
photos (false faces).

QA's `small_face_changed` (1 - SSIM-Y of the output's face box against the
bicubic enlargement's, analysis/advice/qa_content.cc) is calibrated on the
same ladder: an upscale made the face worse than a plain enlargement when its
SSIM against the real face is more than 0.02 below bicubic's; the warn limit
is the one that separates those on the ladder's faces under the strictest
model's limit. Held out: 60 faces of scikit-image's LFW subset (25x25 px),
shrunk to 8 and 12 px, upscaled 4x by each model and compared at 25 px.

QA's `text_changed_pct` (`acuity qa --json` of each upscaled text image
against its low-resolution input) is read on the text ladder the same way:
made worse when the character accuracy of acuity's reading is more than 0.05
below bicubic's.

Held out for text (the limits per model and `text_changed_pct`): other
lines in other fonts on other backgrounds — DejaVu Serif, DejaVu Sans Mono
and DejaVu Sans Bold (fonts-dejavu-core), dark on a lightened photo of
scikit-image's chelsea or rocket, on white and light grey, light on a dark
ground and on a blue title bar — at x-heights of 4-8 px, made and read the
same way.

With --out the tables go into the file's `content_ladder` block (replaced,
or appended).
"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from skimage import data, io
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
FONT = FONT_DIR + "DejaVuSans.ttf"
FACES = {  # photo: the face's box (x, y, width, height) at full size
    "astronaut": (179, 69, 91, 91),
    "camera": (196, 112, 60, 72),  # in profile, read off the photo
}
FACE_WIDTHS = [6, 8, 12, 16, 24, 32, 48]
X_HEIGHTS = [3, 4, 5, 6, 8, 12]
LINES = ["Sphinx of black quartz", "Judge my vow 42"]
# Held out: (name, font file, background, ink RGB, lines).
HELD_TEXT = [
    ("serif-chelsea", "DejaVuSerif.ttf", "chelsea", (10, 10, 10), ["Pack my box with five dozen", "liquor jugs 1907"]),
    ("serif-white", "DejaVuSerif.ttf", "white", (20, 20, 20), ["How vexingly quick daft", "zebras jump 365"]),
    ("mono-dark", "DejaVuSansMono.ttf", "dark", (235, 235, 235), ["The five boxing wizards", "jump quickly 2048"]),
    ("mono-grey", "DejaVuSansMono.ttf", "grey", (30, 30, 30), ["Waltz bad nymph for", "quick jigs vex 77"]),
    ("bold-bar", "DejaVuSans-Bold.ttf", "bar", (250, 250, 250), ["Glib jocks quiz nymph", "to vex dwarf 512"]),
    ("bold-rocket", "DejaVuSans-Bold.ttf", "rocket", (10, 10, 10), ["Bright vixens jump", "dozy fowl quack 83"]),
]
HELD_X_HEIGHTS = [4, 5, 6, 8]
FACE_FREE = ["coffee", "rocket", "brick", "grass", "gravel", "chelsea", "coins", "moon", "text", "hubble_deep_field",
             "cell", "clock", "horse", "immunohistochemistry", "logo", "page", "retina"]
FACE_FREE_ENCODINGS = [("png", None), ("jpg", 90), ("jpg", 75)]  # (extension, JPEG quality)
WHOLE_ENCODINGS = [("png", None), ("jpg", 85)]
SSIM_FACE = 0.80
TEXT_ACCURACY = 0.90
BLOCK = "content_ladder"
FACE_CHANGED_WARN = 0.14  # small_face_changed's warn limit (analysis/advice/qa.cc)
WORSE_BY = 0.02           # SSIM against the real face this much below bicubic's: made worse
STRICTEST_FACE_PX = 32    # QA checks faces under the strictest model's limit
LFW_FACES, LFW_SIDES = 60, (8, 12)
TEXT_CHANGED_WARN = 10.0  # text_changed_pct's warn limit, % (analysis/advice/qa.cc)
TEXT_WORSE_BY = 0.05      # character accuracy this much below bicubic's: made worse


def luma(rgb):
    rgb = rgb.astype(np.float64)
    if rgb.ndim == 2:
        return rgb
    return 0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2]


def rgb_of(name):
    img = getattr(data, name)()
    if img.dtype == bool:  # horse: a silhouette
        img = img.astype(np.uint8) * 255
    if img.ndim == 2:
        img = np.stack([img] * 3, axis=-1)
    return img[..., :3]


def resize(img, size, method):
    return np.asarray(Image.fromarray(img).resize(size, method))


def char_accuracy(truth, read):
    a, b = " ".join(truth.split()), " ".join(read.split())
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
        prev = cur
    return max(0.0, 1 - prev[len(b)] / max(1, len(a)))


def x_height_share(font_file):
    """The font's x-height as a share of its size (the height of an 'x' drawn at 1000 px)."""
    font = ImageFont.truetype(font_file, 1000)
    _, top, _, bottom = font.getbbox("x")
    return (bottom - top) / 1000


def draw_text(background, x_height, font_file=FONT, lines=LINES, ink=(10, 10, 10), share=0.546):
    """`lines` at `x_height` (px) on `background` (RGB), in a font whose x-height is
    `share` of its size (the calibration ladder's 0.546 for DejaVu Sans); returns the image."""
    size = x_height / share
    font = ImageFont.truetype(font_file, max(1, round(size)))
    img = Image.fromarray(background.copy())
    d = ImageDraw.Draw(img)
    line_px = round(size * 1.6)
    for i, line in enumerate(lines):
        d.text((round(2 * x_height), round(2 * x_height) + i * line_px), line, font=font, fill=ink)
    return np.asarray(img)


def lightened(photo, width, height):
    img = resize(rgb_of(photo), (width, height), Image.LANCZOS).astype(np.float64)
    return (0.35 * img + 0.65 * 255).astype(np.uint8)


def text_backgrounds(width, height):
    flat = np.full((height, width, 3), 244, np.uint8)
    return {"flat": flat, "photo": lightened("coffee", width, height)}


def held_background(name, width, height):
    if name in ("chelsea", "rocket"):
        return lightened(name, width, height)
    grounds = {"white": (255, 255, 255), "grey": (214, 214, 214), "dark": (28, 30, 34), "bar": (38, 84, 156)}
    return np.full((height, width, 3), grounds[name], np.uint8)


def save_once(pixels, path):
    """Writes `path` unless it is there: a second run keeps the files (and their
    times), so that acuity batch resumes instead of upscaling them again."""
    if not os.path.exists(path):
        Image.fromarray(pixels).save(path)


def build(work):
    """Writes the low-resolution inputs under work/lr and returns the cases."""
    os.makedirs(os.path.join(work, "lr"), exist_ok=True)
    cases = []
    for photo, (x, y, w, h) in FACES.items():
        img = rgb_of(photo)
        # The face with half its width around it (the upscale sees context).
        m = w // 2
        x0, y0 = max(0, x - m), max(0, y - m)
        crop = img[y0:y + h + m, x0:x + w + m]
        box = (x - x0, y - y0, w, h)
        for width in FACE_WIDTHS:
            if width > w:
                continue
            s = width / w
            lr = resize(crop, (max(1, round(crop.shape[1] * s)), max(1, round(crop.shape[0] * s))), Image.BOX)
            name = f"face-{photo}-{width:03d}.png"
            save_once(lr, os.path.join(work, "lr", name))
            cases.append({"kind": "face", "photo": photo, "size": width, "file": name, "truth": crop, "box": box})
    width, height = 1400, 360
    for bg_name, bg in text_backgrounds(width, height).items():
        for xh in X_HEIGHTS:
            hr = draw_text(bg, 4 * xh)  # the real text at 4x
            lr = resize(hr, (width // 4, height // 4), Image.BOX)
            name = f"text-{bg_name}-{xh:02d}.png"
            save_once(lr, os.path.join(work, "lr", name))
            cases.append({"kind": "text", "photo": bg_name, "size": xh, "file": name, "truth": hr, "lines": LINES})
    for held_name, font_file, bg_name, ink, lines in HELD_TEXT:
        bg = held_background(bg_name, width, height)
        for xh in HELD_X_HEIGHTS:
            hr = draw_text(bg, 4 * xh, FONT_DIR + font_file, lines, ink, x_height_share(FONT_DIR + font_file))
            lr = resize(hr, (width // 4, height // 4), Image.BOX)
            name = f"held-{held_name}-{xh:02d}.png"
            save_once(lr, os.path.join(work, "lr", name))
            cases.append({"kind": "text", "photo": held_name, "size": xh, "file": name, "truth": hr,
                          "lines": lines, "held": True})
    return cases


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)}: exit {r.returncode}\n{r.stderr}")
    return r.stdout


def upscale(acuity, work, model):
    out = os.path.join(work, model)
    # acuity batch resumes: the files already upscaled into `out` are skipped.
    run(["nice", "-n", "10", acuity, "batch", "--do", "enhance", "--steps", "upscale:4", "--model", model,
         "--jobs", "1", "--out", out, os.path.join(work, "lr")])
    return out


def analyze(acuity, files):
    """acuity analyze --content --json of `files`: {basename: content block}."""
    out = run(["nice", "-n", "10", acuity, "analyze", "--content", "--json"] + files)
    result = {}
    for line in out.splitlines():
        j = json.loads(line)
        result[os.path.basename(j["input"]["path"])] = j["content"]
    return result


def face_scores(case, upscaled):
    truth = case["truth"]
    up = resize(upscaled, (truth.shape[1], truth.shape[0]), Image.BICUBIC)
    x, y, w, h = case["box"]
    a, b = luma(truth[y:y + h, x:x + w]), luma(up[y:y + h, x:x + w])
    return peak_signal_noise_ratio(a, b, data_range=255), structural_similarity(a, b, data_range=255)


def text_accuracy(content, truth_lines):
    lines = content.get("text") or []
    read = "\n".join(t["text"] for t in lines)
    return char_accuracy("\n".join(truth_lines), read)


def limit(rows, good):
    """The smallest size from which every larger rung is good (None: none is)."""
    sizes = sorted(rows)
    best = None
    for s in reversed(sizes):
        if not good(rows[s]):
            break
        best = s
    return best


def save_encoded(pixels, path, quality):
    img = Image.fromarray(pixels)
    if quality is None:
        img.save(path)
    else:
        img.convert("L" if pixels.ndim == 2 else "RGB").save(path, quality=quality)


def build_whole(work):
    """Each face photo shrunk whole so that its face is W px wide: the cases."""
    os.makedirs(os.path.join(work, "whole"), exist_ok=True)
    cases = []
    for photo, (x, y, w, h) in FACES.items():
        img = rgb_of(photo)
        for width in FACE_WIDTHS:
            s = width / w
            small = resize(img, (max(1, round(img.shape[1] * s)), max(1, round(img.shape[0] * s))), Image.BOX)
            for ext, quality in WHOLE_ENCODINGS:
                name = f"whole-{photo}-{width:03d}.{ext}"
                save_encoded(small, os.path.join(work, "whole", name), quality)
                cases.append({"photo": photo, "size": width, "file": name, "box": (x * s, y * s, w * s, h * s),
                              "encoding": "PNG" if quality is None else f"JPEG q{quality}"})
    return cases


def face_hit(faces, box, size):
    """The faces of `faces` (JSON) centred within half the face's width of `box` (x, y, w, h)."""
    x, y, w, h = box
    cx, cy = x + w / 2, y + h / 2
    return [f for f in faces if abs(f["x"] + f["width_px"] / 2 - cx) < 0.5 * size
            and abs(f["y"] + f["height_px"] / 2 - cy) < 0.5 * size]


def changed_from_bicubic(bicubic, up):
    """1 - SSIM-Y of `up` against `bicubic` (same size), as QA reads it."""
    a, b = luma(bicubic), luma(up)
    return 1 - structural_similarity(a, b, data_range=255, win_size=7)


def face_box_at(case, factor):
    x, y, w, h = case["box"]
    s = case["size"] / w * factor
    return [int(round(v * s)) for v in (x, y, w, h)]


def lfw_rows(acuity, work, models):
    """Held out: (side, model, SSIM against the truth minus bicubic's, changed from bicubic)."""
    faces = data.lfw_subset()[:LFW_FACES]
    rows = []
    for side in LFW_SIDES:
        lr_dir = os.path.join(work, f"lfw{side}")
        os.makedirs(lr_dir, exist_ok=True)
        truths = []
        for i, f in enumerate(faces):
            truth = (np.clip(f, 0, 1) * 255).round().astype(np.uint8)
            truths.append(truth.astype(np.float64))
            save_once(resize(truth, (side, side), Image.BOX), os.path.join(lr_dir, f"f{i:03d}.png"))
        for model in models:
            out_dir = os.path.join(work, f"lfw{side}-{model}")
            run(["nice", "-n", "10", acuity, "batch", "--do", "enhance", "--steps", "upscale:4", "--model", model,
                 "--jobs", "1", "--out", out_dir, lr_dir])
            for i, truth in enumerate(truths):
                lr = np.asarray(Image.open(os.path.join(lr_dir, f"f{i:03d}.png")).convert("L"))
                bic = resize(lr, (side * 4, side * 4), Image.BICUBIC)
                up = np.asarray(Image.open(os.path.join(out_dir, f"f{i:03d}.png")).convert("L"))
                at25 = lambda img: resize(img, (25, 25), Image.BOX).astype(np.float64)
                gain = (structural_similarity(truth, at25(up), data_range=255, win_size=7) -
                        structural_similarity(truth, at25(bic), data_range=255, win_size=7))
                rows.append((side, model, gain, changed_from_bicubic(bic, up)))
    return rows


def text_qa_rows(acuity, work, cases, models, scores):
    """(background, x-height, model, accuracy minus bicubic's, text_changed_pct or None)."""
    rows = []
    for c in (c for c in cases if c["kind"] == "text"):
        for model in models[1:]:
            out = run(["nice", "-n", "10", acuity, "qa", "--json", os.path.join(work, "lr", c["file"]),
                       os.path.join(work, model, c["file"])])
            check = [k for k in json.loads(out)["checks"] if k["name"] == "text_changed_pct"]
            gain = scores[("text", c["photo"], c["size"], model)] - scores[("text", c["photo"], c["size"], "bicubic")]
            rows.append((c["photo"], c["size"], model, gain, check[0]["value"] if check else None))
    return rows


def separation(rows):
    """(made worse, of which warned, not worse, of which warned) at FACE_CHANGED_WARN."""
    worse = [r for r in rows if r[-2] < -WORSE_BY]
    kept = [r for r in rows if r[-2] >= -WORSE_BY]
    return (len(worse), sum(r[-1] > FACE_CHANGED_WARN for r in worse),
            len(kept), sum(r[-1] > FACE_CHANGED_WARN for r in kept))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--acuity", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--models", default="esrgan-slim,realesr-general-x4v3")
    ap.add_argument("--out", default="")
    args = ap.parse_args()
    acuity = os.path.abspath(args.acuity)
    cases = build(args.work)
    models = ["bicubic"] + [m for m in args.models.split(",") if m]

    # The upscales first (cached in --work: a second run reuses them).
    for model in models[1:]:
        upscale(acuity, args.work, model)

    # Detection on the low-resolution inputs, and false faces on face-free photos.
    lr_files = [os.path.join(args.work, "lr", c["file"]) for c in cases]
    found = analyze(acuity, lr_files)
    free_dir = os.path.join(args.work, "face_free")
    os.makedirs(free_dir, exist_ok=True)
    free_files = []
    for name in FACE_FREE:
        for ext, quality in FACE_FREE_ENCODINGS:
            path = os.path.join(free_dir, f"{name}{'' if quality is None else f'_q{quality}'}.{ext}")
            save_encoded(rgb_of(name), path, quality)
            free_files.append(path)
    false_faces = {k: v.get("faces") or [] for k, v in analyze(acuity, free_files).items()}
    whole = build_whole(args.work)
    whole_found = analyze(acuity, [os.path.join(args.work, "whole", c["file"]) for c in whole])

    # Upscaled and compared.
    scores = {}  # (kind, photo, size, model) -> value(s)
    changed = {}  # (photo, size, model) -> small_face_changed of the face box
    for model in models:
        if model != "bicubic":
            out_dir = upscale(acuity, args.work, model)
        text_files = []
        for c in cases:
            lr = np.asarray(Image.open(os.path.join(args.work, "lr", c["file"])).convert("RGB"))
            if model == "bicubic":
                up = resize(lr, (lr.shape[1] * 4, lr.shape[0] * 4), Image.BICUBIC)
                path = os.path.join(args.work, "bicubic", c["file"])
                os.makedirs(os.path.dirname(path), exist_ok=True)
                Image.fromarray(up).save(path)
            else:
                path = os.path.join(out_dir, c["file"])
                up = np.asarray(Image.open(path).convert("RGB"))
            if c["kind"] == "face":
                scores[("face", c["photo"], c["size"], model)] = face_scores(c, up)
                bic = resize(lr, (lr.shape[1] * 4, lr.shape[0] * 4), Image.BICUBIC)
                bx, by, bw, bh = face_box_at(c, 4)
                if min(bw, bh) >= 7:
                    changed[(c["photo"], c["size"], model)] = changed_from_bicubic(
                        bic[by:by + bh, bx:bx + bw], up[by:by + bh, bx:bx + bw])
            else:
                text_files.append(path)
        for name, content in analyze(acuity, text_files).items():
            c = next(c for c in cases if c["file"] == name)
            scores[("text", c["photo"], c["size"], model)] = text_accuracy(content, c["lines"])

    md = [f"<!-- {BLOCK}: begin -->", "## Faces and text: what an upscale recovers (issue #23)", "",
          "Made by `datasets/content_ladder.py` (its docstring says how); re-measure with:", "", "```sh",
          "/usr/bin/python3 datasets/content_ladder.py --acuity build/acuity --work /tmp/acuity-content "
          f"--models {args.models} --out datasets/RESULTS.md", "```", ""]
    md += [f"### Faces: SSIM / PSNR-Y (dB) of the upscaled face against the real one, by face width in the input", ""]
    md.append("| photo | width px | " + " | ".join(models) + " |")
    md.append("|---|---|" + "---|" * len(models))
    for photo in FACES:
        for w in FACE_WIDTHS:
            if ("face", photo, w, models[0]) not in scores:
                continue
            cells = [f"{scores[('face', photo, w, m)][1]:.3f} / {scores[('face', photo, w, m)][0]:.1f}" for m in models]
            md.append(f"| {photo} | {w} | " + " | ".join(cells) + " |")
    md += ["", f"### Text: character accuracy of acuity's reading of the upscaled text, by x-height in the input", ""]
    md.append("| background | x-height px | " + " | ".join(models) + " |")
    md.append("|---|---|" + "---|" * len(models))
    for bg in ("flat", "photo"):
        for xh in X_HEIGHTS:
            md.append(f"| {bg} | {xh} | " + " | ".join(f"{scores[('text', bg, xh, m)]:.2f}" for m in models) + " |")
    md += ["", "### Text, held out: character accuracy, by x-height in the input", ""]
    md.append("| font–background | x-height px | " + " | ".join(models) + " |")
    md.append("|---|---|" + "---|" * len(models))
    for held in HELD_TEXT:
        for xh in HELD_X_HEIGHTS:
            md.append(f"| {held[0]} | {xh} | " + " | ".join(f"{scores[('text', held[0], xh, m)]:.2f}" for m in models)
                      + " |")
    md += ["", f"### Limits per model (the worst photo / background): SSIM ≥ {SSIM_FACE} from this face width on, "
           f"character accuracy ≥ {TEXT_ACCURACY} from this x-height on", ""]
    md += ["| model | face width px | x-height px | held out: read right from the limit on | held out: read wrong below it |",
           "|---|---|---|---|---|"]
    for m in models:
        face_limits = [limit({w: scores[k] for k in scores if k[0] == "face" and k[1] == p and k[3] == m
                              for w in [k[2]]}, lambda v: v[1] >= SSIM_FACE) for p in FACES]
        text_limits = [limit({x: scores[k] for k in scores if k[0] == "text" and k[1] == bg and k[3] == m
                              for x in [k[2]]}, lambda v: v >= TEXT_ACCURACY) for bg in ("flat", "photo")]
        worst = lambda ls: "none" if any(l is None for l in ls) else str(max(ls))
        # Held out: does the ladder's text limit tell the held-out lines that read right from those that do not?
        held = [(x, scores[("text", h[0], x, m)]) for h in HELD_TEXT for x in HELD_X_HEIGHTS]
        text_limit = None if any(l is None for l in text_limits) else max(text_limits)
        above = [a for x, a in held if text_limit is not None and x >= text_limit]
        below = [a for x, a in held if text_limit is None or x < text_limit]
        share = lambda n, d: f"{n} of {d}" + (f" ({100 * n / d:.0f} %)" if d else "")
        md.append(f"| {m} | {worst(face_limits)} | {worst(text_limits)} | "
                  f"{share(sum(a >= TEXT_ACCURACY for a in above), len(above))} | "
                  f"{share(sum(a < TEXT_ACCURACY for a in below), len(below))} |")
    md += ["", f"Held out: the {len(HELD_TEXT)} font–background pairs at {', '.join(map(str, HELD_X_HEIGHTS))} px, "
           f"read right = character accuracy ≥ {TEXT_ACCURACY}."]

    md += ["", "### Detection on the shrunk inputs (`acuity analyze --content`)", ""]
    md += ["| case | size px | found | measured px |", "|---|---|---|---|"]
    for c in cases:
        content = found.get(c["file"], {})
        if c["kind"] == "face":
            faces = content.get("faces") or []
            x, y, w, h = c["box"]
            s = c["size"] / w
            hit = face_hit(faces, (x * s, y * s, w * s, h * s), c["size"])
            md.append(f"| face {c['photo']} | {c['size']} | {'yes' if hit else 'no'} | "
                      f"{hit[0]['width_px'] if hit else '—'} |")
        else:
            lines = content.get("text") or []
            xs = ", ".join(f"{t['x_height_px']:.1f}" for t in lines)
            md.append(f"| text {c['photo']} | {c['size']} | {len(lines)} of {len(c['lines'])} lines | {xs or '—'} |")
    md += ["", "### Faces in their whole photo, shrunk so that the face is this wide", ""]
    md += ["| photo | face px | " + " | ".join(e for e in dict.fromkeys(c["encoding"] for c in whole)) + " |",
           "|---|---|" + "---|" * len(WHOLE_ENCODINGS)]
    for photo in FACES:
        for width in FACE_WIDTHS:
            cells = []
            for c in (c for c in whole if c["photo"] == photo and c["size"] == width):
                hit = face_hit(whole_found.get(c["file"], {}).get("faces") or [], c["box"], width)
                cells.append(f"{hit[0]['width_px']} px{' (profile)' if hit[0]['profile'] else ''}" if hit else "no")
            md.append(f"| {photo} | {width} | " + " | ".join(cells) + " |")
    ladder_rows = [(p, w, m, scores[("face", p, w, m)][1] - scores[("face", p, w, "bicubic")][1], changed[(p, w, m)])
                   for (p, w, m) in changed if m != "bicubic" and w < STRICTEST_FACE_PX]
    held_rows = lfw_rows(acuity, args.work, models[1:])
    md += ["", f"### QA: `small_face_changed` (1 − SSIM-Y against the bicubic enlargement, face box), warn above "
           f"{FACE_CHANGED_WARN}", "",
           f"Made worse: SSIM against the real face more than {WORSE_BY} below bicubic's.", "",
           "| faces | made worse | … warned | not made worse | … warned |", "|---|---|---|---|---|"]
    for name, rows in ((f"ladder (calibration), under {STRICTEST_FACE_PX} px", ladder_rows),
                       (f"LFW (held out): {LFW_FACES} faces at " + " and ".join(f"{s}" for s in LFW_SIDES) + " px",
                        held_rows)):
        w, wc, k, kc = separation(rows)
        md.append(f"| {name} | {w} | {wc} ({100 * wc / max(1, w):.0f} %) | {k} | {kc} ({100 * kc / max(1, k):.0f} %) |")
    md += ["", "By model (held out): median changed " + ", ".join(
        f"{m} {np.median([r[-1] for r in held_rows if r[1] == m]):.2f}" for m in models[1:]) + "."]
    all_text_rows = text_qa_rows(acuity, args.work, cases, models, scores)
    md += ["", f"### QA: `text_changed_pct`, warn above {TEXT_CHANGED_WARN} %", "",
           f"Made worse: character accuracy more than {TEXT_WORSE_BY} below bicubic's. No check: no line of the "
           "input was read at its own size.", "",
           "| text | upscales | no check | made worse | … warned | not made worse | … warned | made worse, not warned |",
           "|---|---|---|---|---|---|---|---|"]
    held_names = {h[0] for h in HELD_TEXT}
    for name, text_rows in (("ladder (calibration)", [r for r in all_text_rows if r[0] not in held_names]),
                            ("held out", [r for r in all_text_rows if r[0] in held_names])):
        checked = [r for r in text_rows if r[-1] is not None]
        worse = [r for r in checked if r[3] < -TEXT_WORSE_BY]
        kept = [r for r in checked if r[3] >= -TEXT_WORSE_BY]
        ww, kw = sum(r[-1] > TEXT_CHANGED_WARN for r in worse), sum(r[-1] > TEXT_CHANGED_WARN for r in kept)
        missed = ", ".join(f"{r[0]} {r[1]} px {r[2]} ({r[-1]:.0f} %)" for r in worse if r[-1] <= TEXT_CHANGED_WARN)
        md.append(f"| {name} | {len(text_rows)} | {len(text_rows) - len(checked)} | {len(worse)} | "
                  f"{ww} ({100 * ww / max(1, len(worse)):.0f} %) | {len(kept)} | "
                  f"{kw} ({100 * kw / max(1, len(kept)):.0f} %) | {missed or '—'} |")
    held_checked = [r for r in all_text_rows if r[0] in held_names and r[-1] is not None]
    md += ["", "Held out, `text_changed_pct` of the made-worse / the others: " + ", ".join(
        f"{label} {' '.join(f'{v:.0f}' for v in sorted(r[-1] for r in rows))}" for label, rows in (
            ("made worse", [r for r in held_checked if r[3] < -TEXT_WORSE_BY]),
            ("others", [r for r in held_checked if r[3] >= -TEXT_WORSE_BY]))) + " (%)."]
    flagged = {k: v for k, v in sorted(false_faces.items()) if v}
    md += ["", "### False faces", "", f"On face-free photos ({', '.join(FACE_FREE)}; each as PNG, JPEG q90 and q75): "
           f"{len(flagged)} of {len(false_faces)} files have one — " +
           (", ".join(f"{k} ({', '.join(str(f['width_px']) + ' px' + (' profile' if f['profile'] else '') for f in v)})"
                      for k, v in flagged.items()) or "none") + ".", "", f"<!-- {BLOCK}: end -->", ""]
    text = "\n".join(md)
    print(text)
    if args.out:
        old = open(args.out).read() if os.path.exists(args.out) else ""
        begin, end = f"<!-- {BLOCK}: begin -->", f"<!-- {BLOCK}: end -->\n"
        if begin in old and end in old:
            new = old[:old.index(begin)] + text + old[old.index(end) + len(end):]
        else:
            new = old + ("\n" if old and not old.endswith("\n\n") else "") + text
        open(args.out, "w").write(new)


if __name__ == "__main__":
    main()

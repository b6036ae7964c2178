#!/usr/bin/python3
"""Fits acuity's learned SR-upscale test (issue #25) and writes its weights.

A small convolutional network reads 64×64 px patches of 8-bit luma and tells
a native or interpolated picture (class 0) from a super-resolution network's
×2, ×3 or ×4 output (classes 1–3), as stored or saved as a JPEG since. Fitted
on sr_classifier_data.py's 'train' split, checked on its 'heldout' split
(other photos), and written as C++ (analysis/measurements/sr_classifier_weights.inc,
batch norm folded into the convolutions) for sr_classifier.cc, which runs it
without LibTorch:

    /usr/bin/python3 datasets/sr_classifier_train.py --data build/sr_classifier7 --epochs 12 \
        --weights analysis/measurements/sr_classifier_weights.inc   # ≈ 15 min on 2 cores

The patch rule (PATCH, textured()) and the network (LAYERS) must match
sr_classifier.cc's.
"""
import argparse
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

PATCH = 64
# (in, out, stride) of each 3×3 convolution (padding 1, ReLU after each);
# then the mean over the patch and a linear layer to the 4 classes.
LAYERS = [(1, 16, 1), (16, 16, 2), (16, 32, 1), (32, 32, 2), (32, 32, 1), (32, 32, 1)]
CLASSES = 4
# A patch is read only where it has texture: the mean |4-neighbour Laplacian|
# of its luma, 8-bit levels, at least this (flat sky and walls carry no
# trace of how the picture was made).
MIN_TEXTURE = 2.0
# sr_classifier.h: fewer textured patches are not judged, and a most likely
# factor of 2 needs a higher line than 3 or 4 (a ×2 output is as smooth as a
# photo blurred by about 1 px): kSrClassifierFlagProbability and
# kSrClassifierX2FlagProbability, --threshold and --x2-threshold here.
MIN_PATCHES = 8


def laplacian_mean(p):
    p = p.astype(np.float32)
    lap = 4 * p[1:-1, 1:-1] - p[:-2, 1:-1] - p[2:, 1:-1] - p[1:-1, :-2] - p[1:-1, 2:]
    return float(np.abs(lap).mean())


def textured(p):
    return laplacian_mean(p) >= MIN_TEXTURE


def normalise(p):
    """What the network reads: luma /255 less the patch's mean."""
    x = p.astype(np.float32) / 255.0
    return x - x.mean()


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.convs = nn.ModuleList(nn.Conv2d(i, o, 3, s, 1, bias=False) for i, o, s in LAYERS)
        self.norms = nn.ModuleList(nn.BatchNorm2d(o) for _, o, _ in LAYERS)
        self.fc = nn.Linear(LAYERS[-1][1], CLASSES)

    def forward(self, x):
        for c, n in zip(self.convs, self.norms):
            x = F.relu(n(c(x)))
        return self.fc(x.mean(dim=(2, 3)))


def patches_of(img, rng, count):
    """Up to `count` textured patches at random places of one picture."""
    out = []
    h, w = img.shape
    if h < PATCH or w < PATCH:
        return out
    for _ in range(count * 4):
        y, x = int(rng.integers(0, h - PATCH + 1)), int(rng.integers(0, w - PATCH + 1))
        p = img[y:y + PATCH, x:x + PATCH]
        if textured(p):
            out.append(p)
            if len(out) == count:
                break
    return out


def patch_origins(length):
    """sr_classifier.h's SrClassifierPatchOrigins: ceil(length / PATCH)
    origins spread evenly from 0 to length - PATCH."""
    if length < PATCH:
        return []
    n = -(-length // PATCH)
    return [0] + [int(np.floor(i * (length - PATCH) / (n - 1) + 0.5)) for i in range(1, n)]


def grid_patches(img, limit=64):
    """The patches the analyzer reads: a grid spread evenly over the picture,
    the textured ones, at most `limit` evenly taken."""
    h, w = img.shape
    ps = [img[y:y + PATCH, x:x + PATCH] for y in patch_origins(h) for x in patch_origins(w)]
    ps = [p for p in ps if textured(p)]
    if len(ps) > limit:
        ps = [ps[int(i * len(ps) / limit)] for i in range(limit)]
    return ps


def make_set(data, rng, per_picture):
    xs, ys = [], []
    for luma, jpg, label in zip(data["luma"], data["jpeg"], data["label"]):
        for version in (luma, jpg):
            k = rng.integers(0, 4)
            for p in patches_of(version, rng, per_picture):
                xs.append(np.rot90(p, k).copy())
                ys.append(int({0: 0, 2: 1, 3: 2, 4: 3}[int(label)]))
    return np.stack(xs)[:, None].astype(np.uint8), np.array(ys)


def picture_scores(net, data, key):
    """P(enlarged by a network) and the most likely factor per picture."""
    scores, factors = [], []
    net.eval()
    with torch.no_grad():
        for img in data[key]:
            ps = grid_patches(img)
            if len(ps) < MIN_PATCHES:
                scores.append(np.nan)
                factors.append(0)
                continue
            x = torch.from_numpy(np.stack([normalise(p) for p in ps])[:, None])
            prob = F.softmax(net(x), dim=1).mean(0).numpy()
            scores.append(1 - prob[0])
            factors.append([2, 3, 4][int(np.argmax(prob[1:]))])
    return np.array(scores), np.array(factors)


def flagged_by(s, f, threshold, x2_threshold):
    """sr_classifier.h's SrClassifierFlags on arrays of scores and factors."""
    return np.where(f == 2, s >= x2_threshold, s >= threshold) & (f >= 2)


def shares(net, data, threshold, x2_threshold):
    """Per source and storage: the share of pictures flagged (%), and of
    the flagged network outputs, the share whose factor was read right."""
    out = {}
    for key in ("luma", "jpeg"):
        s, f = picture_scores(net, data, key)
        for source in sorted(set(data["source"])):
            m = data["source"] == source
            flagged = flagged_by(s[m], f[m], threshold, x2_threshold)
            right = (f[m] == data["label"][m]) & flagged
            out[(source, key)] = (100 * flagged.mean(), 100 * right.sum() / max(1, flagged.sum()), m.sum())
    return out


def markdown(train, held):
    """The table datasets/RESULTS.md quotes."""
    rows = ["| source | train PNG | train JPEG | held-out PNG | held-out JPEG | factor read right, held-out PNG (of flagged) | n held out |",
            "|---|---|---|---|---|---|---|"]
    for source in sorted({k[0] for k in held}):
        f = [train[(source, "luma")][0], train[(source, "jpeg")][0], held[(source, "luma")][0], held[(source, "jpeg")][0]]
        named = source[-2:] in ("x2", "x3", "x4")  # a network's output (not native, drawing or kernel)
        flagged_any = held[(source, "luma")][0] > 0
        right = f"{held[(source, 'luma')][1]:.0f} %" if named and flagged_any else "—"
        rows.append(f"| {source} | " + " | ".join(f"{v:.1f} %" for v in f) + f" | {right} | {held[(source, 'luma')][2]} |")
    return "\n".join(rows)


def array(name, values, per_line=12):
    v = [f"{x:.8g}f" for x in np.asarray(values, dtype=np.float32).ravel()]
    rows = [", ".join(v[i:i + per_line]) for i in range(0, len(v), per_line)]
    return [f"constexpr float {name}[] = {{"] + [f"    {r}," for r in rows] + ["};"]


def export(net, path):
    """Folds each batch norm into its convolution and writes C++ arrays."""
    lines = ["// Generated by datasets/sr_classifier_train.py: do not edit.",
             "// The weights of sr_classifier.cc's network (batch norm folded in).", ""]
    for i, (c, n) in enumerate(zip(net.convs, net.norms)):
        scale = (n.weight / torch.sqrt(n.running_var + n.eps)).detach()
        w = (c.weight.detach() * scale[:, None, None, None]).numpy().astype(np.float32)
        b = (n.bias.detach() - n.running_mean * scale).numpy().astype(np.float32)
        lines += array(f"kConv{i}Weight", w)
        lines += array(f"kConv{i}Bias", b)
    lines += array("kFcWeight", net.fc.weight.detach().numpy())
    lines += array("kFcBias", net.fc.bias.detach().numpy())
    write_atomically(path, "\n".join(lines) + "\n")


def write_atomically(path, text):
    with open(path + ".tmp", "w") as fh:
        fh.write(text)
    os.replace(path + ".tmp", path)


def golden(net, data, path, count=8):
    """Patches of held-out pictures (half native, half a network's) and this
    torch network's class probabilities for each: sr_classifier_test.cc
    checks the C++ network against them. One line a patch: the four
    probabilities, then the 64×64 luma as hex bytes, row by row."""
    rng = np.random.default_rng(7)
    lines = ["# Generated by datasets/sr_classifier_train.py --golden: p(native) p(x2) p(x3) p(x4) luma-hex"]
    net.eval()
    for want_native in (True, False):
        idx = [i for i in range(len(data["label"]))
               if (data["label"][i] == 0) == want_native and grid_patches(data["luma"][i])]
        for i in rng.choice(idx, count // 2, replace=False):
            p = grid_patches(data["luma"][i])[0]
            with torch.no_grad():
                prob = F.softmax(net(torch.from_numpy(normalise(p)[None, None])), dim=1)[0].numpy()
            lines.append(" ".join(f"{v:.7f}" for v in prob) + " " + p.tobytes().hex())
    write_atomically(path, "\n".join(lines) + "\n")


def load(path):
    z = np.load(path, allow_pickle=True)
    return {k: z[k] for k in z.files}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default="build/sr_classifier7")
    ap.add_argument("--weights", default="analysis/measurements/sr_classifier_weights.inc")
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--per-picture", type=int, default=6)
    ap.add_argument("--seed", type=int, default=25)
    ap.add_argument("--threshold", type=float, default=0.6, help="the flag line for a factor of 3 or 4")
    ap.add_argument("--x2-threshold", type=float, default=0.8, help="the flag line for a factor of 2")
    ap.add_argument("--save", default="", help="also keep the torch state here")
    ap.add_argument("--load", default="", help="skip fitting: read the torch state from here")
    ap.add_argument("--golden", default="tests/data/sr_classifier_golden.txt",
                    help="where to write held-out patches and this network's probabilities")
    ap.add_argument("--no-report", action="store_true", help="skip the per-source tables")
    args = ap.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    rng = np.random.default_rng(args.seed)
    train, held = load(os.path.join(args.data, "train.npz")), load(os.path.join(args.data, "heldout.npz"))
    net = Net()
    if args.load:
        net.load_state_dict(torch.load(args.load))
    else:
        x, y = make_set(train, rng, args.per_picture)
        print(f"{len(y)} patches; per class {np.bincount(y)}", flush=True)
        # Each class drawn as often as not-enlarged, which is weighted as the three together.
        counts = np.bincount(y, minlength=CLASSES).astype(np.float64)
        w = np.where(y == 0, 0.5 / counts[0], 0.5 / (3 * counts[np.maximum(y, 1)]))
        opt = torch.optim.AdamW(net.parameters(), lr=2e-3, weight_decay=1e-4)
        steps = args.epochs * len(y) // 64
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=steps)
        t0 = time.time()
        for step in range(steps):
            idx = rng.choice(len(y), 64, p=w / w.sum())
            xb = torch.from_numpy(np.stack([normalise(p[0]) for p in x[idx]])[:, None])
            if rng.random() < 0.5:
                xb = torch.flip(xb, dims=[3])
            net.train()
            loss = F.cross_entropy(net(xb), torch.from_numpy(y[idx]))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            if step % 500 == 0:
                print(f"step {step}/{steps} loss {loss.item():.3f} {time.time() - t0:.0f} s", flush=True)
        if args.save:
            torch.save(net.state_dict(), args.save)
    if not args.no_report:
        print(markdown(shares(net, train, args.threshold, args.x2_threshold),
                       shares(net, held, args.threshold, args.x2_threshold)), flush=True)
    if args.weights:
        export(net, args.weights)
    if args.golden:
        golden(net, held, args.golden)


if __name__ == "__main__":
    main()

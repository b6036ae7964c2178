#!/usr/bin/python3
"""Golden values for acuity's full-reference metrics (analysis/quality_metrics.h).

Builds small image pairs from scikit-image's photos with degradations that are
exact in integer arithmetic (so that the C++ test rebuilds the very same
pixels, checked by a checksum), and computes on each pair:

  psnr_y_db, ssim   scikit-image (peak_signal_noise_ratio and
                    structural_similarity with gaussian_weights=True,
                    sigma=1.5, use_sample_covariance=False, data_range=255)
                    on BT.601 Y = 16 + (65.481 R + 128.553 G + 24.966 B)/255
                    after cropping border_px on every side;
  ms_ssim           a straightforward numpy implementation of Wang,
                    Simoncelli & Bovik 2003 (5 scales, weights 0.0448,
                    0.2856, 0.3001, 0.2363, 0.1333; 2x2 average + decimation
                    between scales as in Wang's msssim.m) on the same Y;
  gmsd              numpy implementation of Xue et al. 2014 (GMSD.m): luma
                    0.299 R + 0.587 G + 0.114 B, 2x2 average (conv2 'same',
                    zero padding) decimated by 2, 3x3 Prewitt/3 (zero padding),
                    c = 170, standard deviation (N-1) of the GMS map;
  delta_e00_mean, delta_e00_p95
                    scikit-image deltaE_ciede2000 of rgb2lab (sRGB, D65)
                    over the whole image (no crop), numpy's linear percentile.

Run from the source root:  /usr/bin/python3 tests/data/qa_golden/make_goldens.py
It rewrites tests/data/qa_golden/goldens.json.
"""
import json
import os

import numpy as np
import scipy.signal
import skimage
import skimage.color
import skimage.io
import skimage.metrics

PHOTOS = "/usr/lib/python3/dist-packages/skimage/data"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "goldens.json")


# --- Integer-exact degradations (mirrored in analysis/quality_metrics_test.cc) ---

def hash32(v):
    """lowbias32 integer hash on uint32 arrays."""
    v = v.astype(np.uint32)
    v ^= v >> np.uint32(16)
    v *= np.uint32(0x7FEB352D)
    v ^= v >> np.uint32(15)
    v *= np.uint32(0x846CA68B)
    v ^= v >> np.uint32(16)
    return v


def add_noise(rgb, amplitude):
    """Uniform integer noise in [-amplitude, amplitude], from hash32 of the
    sample index in row-major (y, x, c) order with RGB channel order."""
    idx = np.arange(rgb.size, dtype=np.uint32).reshape(rgb.shape)
    n = (hash32(idx) % np.uint32(2 * amplitude + 1)).astype(np.int32) - amplitude
    return np.clip(rgb.astype(np.int32) + n, 0, 255).astype(np.uint8)


def binomial_blur(rgb):
    """[1 2 1]x[1 2 1]/16 with edge replication, rounded half up."""
    p = np.pad(rgb.astype(np.int32), ((1, 1), (1, 1), (0, 0)), mode="edge")
    h, w = rgb.shape[:2]
    acc = np.zeros(rgb.shape, np.int32)
    wts = [1, 2, 1]
    for dy in range(3):
        for dx in range(3):
            acc += wts[dy] * wts[dx] * p[dy:dy + h, dx:dx + w]
    return ((acc + 8) >> 4).astype(np.uint8)


def area_down2(rgb):
    a = rgb.astype(np.int32)
    s = a[0::2, 0::2] + a[1::2, 0::2] + a[0::2, 1::2] + a[1::2, 1::2]
    return ((s + 2) >> 2).astype(np.uint8)


def bilinear_up2(rgb):
    """2x bilinear with half-pixel centres: (9 p + 3 q + 3 r + s + 8) >> 4,
    neighbours clamped at the edges."""
    a = rgb.astype(np.int32)
    h, w = a.shape[:2]
    out = np.zeros((2 * h, 2 * w, a.shape[2]), np.int32)
    ys = np.arange(h)
    xs = np.arange(w)
    for oy in range(2):
        ny = np.clip(ys + (1 if oy else -1), 0, h - 1)
        for ox in range(2):
            nx = np.clip(xs + (1 if ox else -1), 0, w - 1)
            p = a
            q = a[ny, :]
            r = a[:, nx]
            s = a[ny][:, nx]
            out[oy::2, ox::2] = (9 * p + 3 * q + 3 * r + s + 8) >> 4
    return out.astype(np.uint8)


def tint(rgb, dr, db):
    a = rgb.astype(np.int32)
    a[..., 0] += dr
    a[..., 2] += db
    return np.clip(a, 0, 255).astype(np.uint8)


# --- Metrics ---------------------------------------------------------------

def sr_luma(rgb):
    r, g, b = [rgb[..., i].astype(np.float64) for i in range(3)]
    return 16.0 + (65.481 * r + 128.553 * g + 24.966 * b) / 255.0


def crop(a, b):
    return a[b:a.shape[0] - b, b:a.shape[1] - b] if b > 0 else a


def gaussian_window():
    x = np.arange(-5, 6, dtype=np.float64)
    g = np.exp(-0.5 * x * x / 1.5 ** 2)
    g /= g.sum()
    return np.outer(g, g)


def ssim_terms_valid(x, y):
    """Mean SSIM and mean contrast-structure over the 'valid' region (as filter2
    'valid' in Wang's ssim_index.m)."""
    w = gaussian_window()
    f = lambda a: scipy.signal.correlate2d(a, w, mode="valid")
    c1 = (0.01 * 255) ** 2
    c2 = (0.03 * 255) ** 2
    mx, my = f(x), f(y)
    vx = f(x * x) - mx * mx
    vy = f(y * y) - my * my
    vxy = f(x * y) - mx * my
    cs = (2 * vxy + c2) / (vx + vy + c2)
    ssim = (2 * mx * my + c1) / (mx * mx + my * my + c1) * cs
    return ssim.mean(), cs.mean()


def ms_ssim(x, y):
    weights = [0.0448, 0.2856, 0.3001, 0.2363, 0.1333]
    mcs = []
    for level in range(5):
        s, cs = ssim_terms_valid(x, y)
        if level == 4:
            break
        mcs.append(cs)
        # imfilter(ones(2)/4, 'symmetric', 'same') then (1:2:end, 1:2:end)
        def down(a):
            p = np.pad(a, ((0, 1), (0, 1)), mode="symmetric")
            avg = (p[:-1, :-1] + p[1:, :-1] + p[:-1, 1:] + p[1:, 1:]) / 4.0
            return avg[0::2, 0::2]
        x, y = down(x), down(y)
    return float(np.prod([max(c, 0.0) ** wt for c, wt in zip(mcs, weights[:4])]) *
                 max(s, 0.0) ** weights[4])


def gmsd(rgb_ref, rgb_test, border):
    def luma(rgb):
        r, g, b = [rgb[..., i].astype(np.float64) for i in range(3)]
        return 0.299 * r + 0.587 * g + 0.114 * b

    def prep(rgb):
        y = crop(luma(rgb), border)
        # conv2(Y, ones(2)/4, 'same'): mean of (i, i+1) x (j, j+1), zero beyond the end
        p = np.pad(y, ((0, 1), (0, 1)))
        avg = (p[:-1, :-1] + p[1:, :-1] + p[:-1, 1:] + p[1:, 1:]) / 4.0
        return avg[0::2, 0::2]

    dx = np.array([[1, 0, -1]] * 3, np.float64) / 3.0
    dy = dx.T

    def gm(y):
        ix = scipy.signal.convolve2d(y, dx, mode="same")
        iy = scipy.signal.convolve2d(y, dy, mode="same")
        return np.sqrt(ix * ix + iy * iy)

    g1, g2 = gm(prep(rgb_ref)), gm(prep(rgb_test))
    t = 170.0
    q = (2 * g1 * g2 + t) / (g1 * g1 + g2 * g2 + t)
    return float(np.std(q, ddof=1))


def metrics(ref, test, border):
    yr, yt = crop(sr_luma(ref), border), crop(sr_luma(test), border)
    de = skimage.color.deltaE_ciede2000(skimage.color.rgb2lab(ref), skimage.color.rgb2lab(test))
    return {
        "psnr_y_db": float(skimage.metrics.peak_signal_noise_ratio(yr, yt, data_range=255)),
        "ssim": float(skimage.metrics.structural_similarity(
            yr, yt, gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
            data_range=255)),
        "ms_ssim": ms_ssim(yr, yt),
        "gmsd": gmsd(ref, test, border),
        "delta_e00_mean": float(de.mean()),
        "delta_e00_p95": float(np.percentile(de, 95)),
    }


def checksum(rgb):
    """Sum of (index mod 251 + 1) * value over the row-major RGB samples."""
    idx = np.arange(rgb.size, dtype=np.int64)
    return int(((idx % 251 + 1) * rgb.reshape(-1).astype(np.int64)).sum())


# name, photo, y, x, height, width, degradation, border_px
CASES = [
    ("astronaut_noise8", "astronaut", 0, 128, 256, 256, "noise8", 0),
    ("astronaut_blur", "astronaut", 0, 128, 256, 256, "blur", 0),
    ("coffee_sr2", "coffee", 100, 200, 256, 256, "sr2", 2),
    ("coffee_tint", "coffee", 100, 200, 256, 256, "tint", 0),
    ("chelsea_noise3", "chelsea", 40, 100, 192, 240, "noise3", 4),
    ("chelsea_sr2", "chelsea", 40, 100, 192, 240, "sr2", 2),
]


def degrade(rgb, kind):
    if kind == "noise8":
        return add_noise(rgb, 8)
    if kind == "noise3":
        return add_noise(rgb, 3)
    if kind == "blur":
        return binomial_blur(rgb)
    if kind == "sr2":
        return bilinear_up2(area_down2(rgb))
    if kind == "tint":
        return tint(rgb, 6, -4)
    raise ValueError(kind)


def main():
    out = {
        "generator": "tests/data/qa_golden/make_goldens.py",
        "skimage_version": skimage.__version__,
        "numpy_version": np.__version__,
        "cases": [],
    }
    for name, photo, y, x, h, w, kind, border in CASES:
        img = skimage.io.imread(os.path.join(PHOTOS, photo + ".png"))[..., :3]
        ref = np.ascontiguousarray(img[y:y + h, x:x + w])
        test = degrade(ref, kind)
        case = {"name": name, "photo": photo, "y": y, "x": x, "height": h, "width": w,
                "degradation": kind, "border_px": border,
                "reference_checksum": checksum(ref), "test_checksum": checksum(test)}
        case.update(metrics(ref, test, border))
        out["cases"].append(case)
        print(f"{name:18s} " + " ".join(f"{k}={case[k]:.6f}" for k in
              ("psnr_y_db", "ssim", "ms_ssim", "gmsd", "delta_e00_mean", "delta_e00_p95")))
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()

"""Noisy photos for the dataset scripts (painted_flats.py, qa_noise_edges.py).

    from noisy_photos import DATA, load_photo, with_noise
    pixels = load_photo("chelsea.png", wider_than_px=512)   # float64 RGB, 0-255
    noisy = with_noise(pixels, 0.25, 6.0, np.random.default_rng(1))   # a night shot, uint8

The scripts run from any folder: Python puts this one on their path.
"""
import numpy as np
from PIL import Image

DATA = "/usr/lib/python3/dist-packages/skimage/data/"


def load_photo(name, wider_than_px, width_px=512):
    """scikit-image's photo `name` as float64 RGB (levels 0-255), brought to
    width_px wide (Lanczos) when it is wider than wider_than_px."""
    image = Image.open(DATA + name).convert("RGB")
    if image.width > wider_than_px:
        image = image.resize((width_px, round(width_px * image.height / image.width)), Image.LANCZOS)
    return np.asarray(image, dtype=np.float64)


def with_noise(pixels, gain, sigma, rng):
    """`pixels` times gain (under 1: darkened first) plus white noise of σ
    `sigma` levels in each channel, rounded and clipped to uint8."""
    return np.clip(pixels * gain + rng.normal(0, sigma, pixels.shape), 0, 255).round().astype(np.uint8)

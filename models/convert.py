#!/usr/bin/python3
"""Convert the pinned SR models into TorchScript for LibTorch: the TF.js
ESRGAN layers models, and the Real-ESRGAN ncnn models (.param + .bin, read
by ncnn_graph.py; same steps 1, 4 and the checks below).

Usage (run with Debian's /usr/bin/python3, whose python3-torch matches libtorch):
    convert.py --node-modules models/node_modules --manifest models/manifest.json \
               --out build/models [--only esrgan-slim[-x4]] [--force] [--verbose]

For every manifest entry it
  1. verifies the sha256 of every model file (model.json and .bin shards);
  2. builds the network in torch by interpreting the Keras functional graph in
     model.json (layers and their inbound nodes; nothing per-model is
     hard-coded here);
  3. loads the weights by *name* ("<layer>/kernel", "<layer>/bias"): the
     weightsManifest lists them alphabetically, not in graph order, and
     kernels are HWIO (TF) so they are transposed to OIHW (torch);
  4. traces it as one flat module (torch_modules.FlatForTracing: one type,
     its parameters in one storage; any H x W works, checked at two odd
     sizes) and saves
     <name>-x<scale>.pt plus a sidecar <name>-x<scale>.json into --out.

TorchScript contract: input float32 NCHW, N>=1, C=3 (RGB), any H, W >= 1,
values in the model's input_range ([0,255] for rdn, [0,1] for rrdn);
output float32 N x 3 x (H*scale) x (W*scale) in output_range, *not clamped*
(clamp to [0, output_range] before converting to pixels).

Up-to-date outputs (same sources, same converter, same torch) are skipped.
"""
import argparse
import copy
import hashlib
import json
import math
import os
import sys
import time

import numpy as np

CONVERTER_FORMAT = 2  # bump when the .pt / sidecar content changes


class ConvertError(Exception):
    pass


# --------------------------------------------------------------------------
# manifest / files
# --------------------------------------------------------------------------

def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def package_dir(node_modules, entry):
    return os.path.join(node_modules, *entry["package"].split("/"))


def verify_entry(node_modules, entry):
    """Check the installed package version and every file's sha256."""
    pdir = package_dir(node_modules, entry)
    pj = os.path.join(pdir, "package.json")
    if not os.path.isfile(pj):
        raise ConvertError(f"{entry['package']} is not installed under {node_modules} "
                           f"(run: npm ci --prefix models)")
    with open(pj) as f:
        ver = json.load(f).get("version")
    if ver != entry["version"]:
        raise ConvertError(f"{entry['package']} is version {ver}, manifest pins {entry['version']}")
    for rel, want in entry["files"].items():
        path = os.path.join(pdir, rel)
        if not os.path.isfile(path):
            raise ConvertError(f"missing model file {path}")
        got = sha256_file(path)
        if got != want:
            raise ConvertError(f"CHECKSUM MISMATCH for {path}: sha256 {got}, manifest expects {want}")
    return pdir


def model_basename(entry):
    return os.path.splitext(entry["file"])[0]


# --------------------------------------------------------------------------
# TF.js layers model reading
# --------------------------------------------------------------------------

def read_tfjs_model(model_json_path):
    """Return (config, weights) where weights maps 'layer/kernel' -> ndarray."""
    with open(model_json_path) as f:
        mj = json.load(f)
    if mj.get("format") not in (None, "layers-model"):
        raise ConvertError(f"{model_json_path}: not a layers model ({mj.get('format')})")
    config = mj["modelTopology"]["model_config"]
    if config["class_name"] not in ("Functional", "Model"):
        raise ConvertError(f"{model_json_path}: unsupported model class {config['class_name']}")
    base = os.path.dirname(model_json_path)
    weights = {}
    for group in mj["weightsManifest"]:
        blob = b"".join(open(os.path.join(base, p), "rb").read() for p in group["paths"])
        off = 0
        for w in group["weights"]:
            if w.get("dtype", "float32") != "float32" or "quantization" in w:
                raise ConvertError(f"{model_json_path}: weight {w['name']} is not plain float32")
            n = int(np.prod(w["shape"])) if w["shape"] else 1
            arr = np.frombuffer(blob, dtype="<f4", count=n, offset=off).reshape(w["shape"])
            weights[w["name"]] = arr.copy()
            off += 4 * n
        if off != len(blob):
            raise ConvertError(f"{model_json_path}: weight group uses {off} of {len(blob)} bytes")
    return config["config"], weights


# --------------------------------------------------------------------------
# graph -> torch
# --------------------------------------------------------------------------

def _nchw_axis(axis):
    """Keras channels_last axis of a rank-4 tensor -> NCHW axis."""
    return {-1: 1, 3: 1, 1: 2, 2: 3, -3: 2, -2: 3}[axis]


def _pixel_shuffle_scale(layer):
    cfg = layer["config"]
    if "scale" in cfg:
        return int(cfg["scale"])
    name = layer["class_name"]  # "PixelShuffle4x"
    return int(name[len("PixelShuffle"):-1])


def subpixel_conv_weights(w, b, r):
    """Rewrite conv(k x k, 'same') applied to a nearest-upsampled (x r) tensor as
    a conv on the low-resolution tensor followed by PixelShuffle(r).

    HR output pixel (h*r+i, w*r+j) reads U[h*r+i+dy, w*r+j+dx] = L[h + (i+dy)//r,
    w + (j+dx)//r] (zero padding maps to zero padding), so phase (i, j) is a
    conv on L whose taps are the sums of the original taps that land on the
    same LR pixel. Same result, but the r*r-times larger upsampled tensor (192
    channels at x8 for RDN) is never materialised. Output channel order is
    torch.nn.PixelShuffle's: c*r*r + i*r + j.
    """
    cout, cin, kh, kw = w.shape
    ph, pw = (kh - 1) // 2, (kw - 1) // 2
    q = max(-(-ph // r), -(-pw // r))
    w2 = np.zeros((cout, r, r, cin, 2 * q + 1, 2 * q + 1), dtype=np.float64)
    for i in range(r):
        for j in range(r):
            for dy in range(-ph, ph + 1):
                for dx in range(-pw, pw + 1):
                    w2[:, i, j, :, (i + dy) // r + q, (j + dx) // r + q] += w[:, :, dy + ph, dx + pw]
    w2 = w2.reshape(cout * r * r, cin, 2 * q + 1, 2 * q + 1).astype(np.float32)
    b2 = None if b is None else np.repeat(b.astype(np.float32), r * r)
    return np.ascontiguousarray(w2), b2, q


def build_torch_module(graph_cfg, weights, fuse_upsample=True, split_cat=True):
    import torch
    from torch import nn

    from torch_modules import GraphNet, Scale, SplitConv, UpsampleNearest

    layers = graph_cfg["layers"]
    by_name = {l["name"]: l for l in layers}
    if len(graph_cfg["input_layers"]) != 1 or len(graph_cfg["output_layers"]) != 1:
        raise ConvertError("expected exactly one input and one output")
    in_name = graph_cfg["input_layers"][0][0]
    out_name = graph_cfg["output_layers"][0][0]

    # topological order (model.json is already ordered, but do not rely on it)
    order, state = [], {}

    def visit(n):
        if state.get(n) == 2:
            return
        if state.get(n) == 1:
            raise ConvertError(f"cycle at {n}")
        state[n] = 1
        for src in _inbound(by_name[n]):
            visit(src)
        state[n] = 2
        order.append(n)

    def _inbound(layer):
        nodes = layer.get("inbound_nodes", [])
        if len(nodes) > 1:
            raise ConvertError(f"layer {layer['name']} is shared (called {len(nodes)} times)")
        if not nodes:
            return []
        for item in nodes[0]:
            if item[1] != 0 or item[2] != 0:
                raise ConvertError(f"layer {layer['name']}: multi-output inbound not supported")
        return [item[0] for item in nodes[0]]

    visit(out_name)
    if order[0] != in_name:
        raise ConvertError("graph does not start at its input layer")

    used = set()

    class DepthToSpace(nn.Module):
        """TF depthToSpace, DCR order, on NCHW tensors.

        TF (NHWC): out[n, h*r+i, w*r+j, c] = in[n, h, w, (i*r+j)*C + c]
        torch.nn.PixelShuffle uses in[n, c*r*r + i*r + j, h, w] instead,
        so PixelShuffle would scramble the colour planes.
        """

        def __init__(self, r):
            super().__init__()
            self.r = r

        def forward(self, x):
            n, crr, h, w = x.shape
            r = self.r
            c = crr // (r * r)
            x = x.reshape(n, r, r, c, h, w)
            x = x.permute(0, 3, 4, 1, 5, 2)  # n, c, h, i, w, j
            return x.reshape(n, c, h * r, w * r)

    net = GraphNet(in_name)
    params = 0
    rf = {in_name: (0.0, 1)}  # receptive radius in input pixels, scale so far

    def key_of(name):
        return name.replace(".", "_").replace("/", "_")

    consumers = {}
    for n in order:
        for src in _inbound(by_name[n]):
            consumers.setdefault(src, []).append(n)
    fused = {}  # conv name -> (upsampling factor, upsampling layer's input)
    split = {}  # concatenation feeding only one conv -> its inputs (not emitted)
    channels = {in_name: 3}

    for name in order[1:]:
        layer = by_name[name]
        cls, cfg = layer["class_name"], layer["config"]
        ins = _inbound(layer)
        r_in = max(rf[s][0] for s in ins)
        s_in = rf[ins[0]][1]
        if any(rf[s][1] != s_in for s in ins):
            raise ConvertError(f"{name}: inputs at different resolutions")
        r_out, s_out = r_in, s_in
        if cls == "Conv2D":
            if cfg.get("data_format", "channels_last") != "channels_last":
                raise ConvertError(f"{name}: data_format {cfg['data_format']}")
            if cfg.get("groups", 1) != 1:
                raise ConvertError(f"{name}: grouped conv")
            k = weights[f"{name}/kernel"]  # HWIO
            kh, kw, cin, cout = k.shape
            if [kh, kw] != list(cfg["kernel_size"]) or cout != cfg["filters"]:
                raise ConvertError(f"{name}: kernel shape {k.shape} disagrees with config")
            stride = tuple(cfg.get("strides", [1, 1]))
            dil = tuple(cfg.get("dilation_rate", [1, 1]))
            pad = cfg["padding"]
            if pad == "valid":
                padding = (0, 0)
            elif pad == "same":
                if stride != (1, 1) or kh % 2 == 0 or kw % 2 == 0:
                    raise ConvertError(f"{name}: asymmetric 'same' padding not supported")
                padding = ((kh - 1) // 2 * dil[0], (kw - 1) // 2 * dil[1])
            else:
                raise ConvertError(f"{name}: padding {pad}")
            use_bias = cfg.get("use_bias", True)
            w_oihw = np.ascontiguousarray(k.transpose(3, 2, 0, 1))  # HWIO -> OIHW
            used.add(f"{name}/kernel")
            params += k.size
            bias = None
            if use_bias:
                bias = weights[f"{name}/bias"]
                used.add(f"{name}/bias")
                params += bias.size
            fuse = fused.get(name)
            channels[name] = cout
            if fuse is None and ins[0] in split:
                parts = split[ins[0]]
                sizes = [channels[p] for p in parts]
                if sum(sizes) != cin:
                    raise ConvertError(f"{name}: {cin} input channels, concatenation gives {sizes}")
                act = cfg.get("activation", "linear")
                if act not in ("relu", "linear"):
                    raise ConvertError(f"{name}: activation {act}")
                mod = SplitConv.from_weights(w_oihw, bias if use_bias else None, sizes,
                                             nn.ReLU() if act == "relu" else nn.Identity(),
                                             padding, stride, dil)
                net.add_module_op(name, parts, key_of(name), mod, many=True)
                r_out = r_in + max((kh - 1) // 2 * dil[0], (kw - 1) // 2 * dil[1]) / s_in
                rf[name] = (r_out, s_out)
                continue
            if fuse is None:
                conv = nn.Conv2d(cin, cout, (kh, kw), stride=stride, padding=padding,
                                 dilation=dil, bias=use_bias)
                mods = [conv]
            else:  # nearest upsampling followed by this conv -> sub-pixel conv
                r, ins = fuse[0], [fuse[1]]
                w_oihw, bias, q = subpixel_conv_weights(w_oihw, bias, r)
                conv = nn.Conv2d(cin, cout * r * r, 2 * q + 1, padding=q, bias=use_bias)
                mods = [conv, nn.PixelShuffle(r)]  # weights are in torch's c*r*r+i*r+j order
            with torch.no_grad():
                conv.weight.copy_(torch.from_numpy(w_oihw))
                if use_bias:
                    conv.bias.copy_(torch.from_numpy(bias))
            act = cfg.get("activation", "linear")
            if act == "relu":
                mods.append(nn.ReLU())
            elif act != "linear":
                raise ConvertError(f"{name}: activation {act}")
            net.add_module_op(name, ins, key_of(name), mods[0] if len(mods) == 1 else nn.Sequential(*mods))
            r_out = r_in + max((kh - 1) // 2 * dil[0], (kw - 1) // 2 * dil[1]) / s_in
        elif cls == "Activation":
            act = cfg["activation"]
            if act == "relu":
                m = nn.ReLU()
            elif act == "linear":
                m = nn.Identity()
            else:
                raise ConvertError(f"{name}: activation {act}")
            net.add_module_op(name, ins, key_of(name), m)
            channels[name] = channels[ins[0]]
        elif cls == "Add":
            net.add_sum(name, ins)
            channels[name] = channels[ins[0]]
        elif cls == "Multiply":
            net.add_product(name, ins)
            channels[name] = channels[ins[0]]
        elif cls == "Concatenate":
            axis = _nchw_axis(cfg.get("axis", -1))
            channels[name] = sum(channels[s] for s in ins) if axis == 1 else channels[ins[0]]
            nxt = consumers.get(name, [])
            conv = by_name[nxt[0]] if len(nxt) == 1 else None
            if (split_cat and axis == 1 and name != out_name and conv is not None
                    and conv["class_name"] == "Conv2D" and conv["name"] not in fused):
                split[name] = ins  # emitted as a SplitConv with its consumer
            else:
                net.add_cat(name, ins, axis)
        elif cls == "MultiplyBeta":
            # @upscalerjs esrgan.js: MultiplyBeta.call = tf.mul(x, 0.2); the
            # config repeats beta, and the JS ignores it, so insist they agree.
            beta = float(cfg.get("beta", 0.2))
            if beta != 0.2:
                raise ConvertError(f"{name}: beta {beta} differs from the reference 0.2")
            net.add_module_op(name, ins, key_of(name), Scale(beta))
            channels[name] = channels[ins[0]]
        elif cls.startswith("PixelShuffle"):
            r = _pixel_shuffle_scale(layer)
            net.add_module_op(name, ins, key_of(name), DepthToSpace(r))
            channels[name] = channels[ins[0]] // (r * r)
            s_out = s_in * r
        elif cls == "UpSampling2D":
            if cfg.get("interpolation", "nearest") != "nearest":
                raise ConvertError(f"{name}: interpolation {cfg['interpolation']}")
            if cfg.get("data_format", "channels_last") != "channels_last":
                raise ConvertError(f"{name}: data_format {cfg['data_format']}")
            sh, sw = cfg["size"]
            if sh != sw:
                raise ConvertError(f"{name}: anisotropic upsampling")
            nxt = consumers.get(name, [])
            conv = by_name[nxt[0]] if len(nxt) == 1 else None
            if (fuse_upsample and name != out_name and conv is not None
                    and conv["class_name"] == "Conv2D"
                    and conv["config"].get("padding") == "same"
                    and list(conv["config"].get("strides", [1, 1])) == [1, 1]
                    and list(conv["config"].get("dilation_rate", [1, 1])) == [1, 1]
                    and all(k % 2 == 1 for k in conv["config"]["kernel_size"])):
                fused[conv["name"]] = (sh, ins[0])  # emitted with the conv
                channels[name] = channels[ins[0]]
            else:
                channels[name] = channels[ins[0]]
                net.add_module_op(name, ins, key_of(name), UpsampleNearest(sh, sw))
            s_out = s_in * sh
        else:
            raise ConvertError(f"unsupported layer class {cls} ({name})")
        rf[name] = (r_out, s_out)

    unused = set(weights) - used
    if unused:
        raise ConvertError(f"weights not used by the graph: {sorted(unused)[:5]}")

    net.finish(out_name)  # also frees each value after its last use

    net.eval()
    info = {
        "scale": rf[out_name][1],
        "params": int(params),
        "receptive_radius": int(math.ceil(rf[out_name][0])),
        "layer_classes": sorted({by_name[n]["class_name"] for n in order}),
    }
    return net, info


# --------------------------------------------------------------------------
# conversion
# --------------------------------------------------------------------------

# The sources whose change changes the converted modules.
CONVERTER_SOURCES = ("convert.py", "ncnn_graph.py", "torch_modules.py")


def source_digest(entry, fuse_upsample, split_cat=True):
    import torch
    h = hashlib.sha256()
    h.update(json.dumps(entry, sort_keys=True).encode())
    here = os.path.dirname(os.path.abspath(__file__))
    for name in CONVERTER_SOURCES:
        with open(os.path.join(here, name), "rb") as f:
            h.update(f.read())
    h.update(f"{CONVERTER_FORMAT} torch {torch.__version__} fuse {fuse_upsample} split {split_cat}".encode())
    return h.hexdigest()


def sidecar_for(entry, info, digest):
    sidecar = {
        "name": entry["name"],
        "scale": entry["scale"],
        "input_range": entry["input_range"],
        "output_range": entry["output_range"],
        "arch": entry["arch"],
        "params": info["params"],
        "receptive_radius": info["receptive_radius"],
        "layout": "NCHW",
        "channels": "RGB",
        "dtype": "float32",
        "output_clamped": False,
        "license": entry["license"],
        "source": f"{entry['package']}@{entry['version']}/{model_source(entry)}",
        "source_digest": digest,
    }
    if "package_license" in entry:  # the package's own licence, when it differs
        sidecar["package_license"] = entry["package_license"]
    if "tile_overlap_px" in entry:  # measured; else acuity derives it from the radius
        sidecar["tile_overlap_px"] = entry["tile_overlap_px"]
    if entry.get("cuda_file"):  # the form for CUDA devices, beside this file
        sidecar["cuda_file"] = entry["cuda_file"]
    return sidecar


def model_source(entry):
    """The file in the package that defines the graph."""
    return entry["param"] if is_ncnn(entry) else entry["model_json"]


def is_ncnn(entry):
    return entry.get("format") == "ncnn"


def build_entry(pdir, entry, fuse_upsample, split_cat):
    """The eager torch module of one manifest entry, and its facts."""
    if is_ncnn(entry):
        from ncnn_graph import NcnnError, build_ncnn_module
        try:
            return build_ncnn_module(os.path.join(pdir, entry["param"]),
                                     os.path.join(pdir, entry["bin"]), split_cat)
        except NcnnError as ex:
            raise ConvertError(str(ex)) from ex
    cfg, weights = read_tfjs_model(os.path.join(pdir, entry["model_json"]))
    return build_torch_module(cfg, weights, fuse_upsample, split_cat)


def trace_and_check(net, entry, pt_path, gen, thorough, reference=None):
    """Traces `net` as one flat module into pt_path + ".tmp" and checks that
    the saved file loads, accepts other sizes (odd, non-square, 1×1) and
    equals `reference` (default: `net` itself, eager). Returns the .tmp path."""
    import torch
    from torch_modules import FlatForTracing
    base = model_basename(entry)
    rng = float(entry["input_range"])
    example = torch.rand(1, 3, 8, 8, generator=gen) * rng
    with torch.no_grad():
        # one type and one storage: loads in a fraction of the time. The
        # wrapper repacks the parameters it is given: a copy, so that `net`
        # stays an independent reference for the checks below.
        traced = torch.jit.trace(FlatForTracing(copy.deepcopy(net)), example, check_trace=False)
    tmp = pt_path + ".tmp"
    traced.save(tmp)
    loaded = torch.jit.load(tmp)
    ref_net = net if reference is None else reference
    s = entry["scale"]
    with torch.no_grad():
        sizes = [(1, 13, 17), (1, 1, 1)] + ([(2, 32, 32)] if thorough else [])
        for (n, h, w) in sizes:
            x = torch.rand(n, 3, h, w, generator=gen) * rng
            y = loaded(x)
            if tuple(y.shape) != (n, 3, h * s, w * s):
                raise ConvertError(f"{base}: output shape {tuple(y.shape)} for input {tuple(x.shape)}")
            err = (y - ref_net(x)).abs().max().item()
            if err > 1e-4 * rng:
                raise ConvertError(f"{os.path.basename(pt_path)}: traced module differs from eager by {err}")
    return tmp


def convert_entry(node_modules, entry, out_dir, force=False, verbose=False, thorough=False,
                  fuse_upsample=True, split_cat=True):
    import torch

    pdir = verify_entry(node_modules, entry)
    base = model_basename(entry)
    pt_path = os.path.join(out_dir, entry["file"])
    sc_path = os.path.join(out_dir, base + ".json")
    digest = source_digest(entry, fuse_upsample, split_cat)
    files = [pt_path, sc_path] + ([os.path.join(out_dir, entry["cuda_file"])] if entry.get("cuda_file") else [])
    if not force and all(os.path.isfile(f) for f in files):
        try:
            with open(sc_path) as f:
                if json.load(f).get("source_digest") == digest:
                    return False
        except (OSError, ValueError):
            pass

    t0 = time.time()
    net, info = build_entry(pdir, entry, fuse_upsample, split_cat)
    if info["scale"] != entry["scale"]:
        raise ConvertError(f"{base}: graph scales by {info['scale']}, manifest says {entry['scale']}")
    if info["params"] != entry["params"]:
        raise ConvertError(f"{base}: {info['params']} parameters, manifest says {entry['params']}")
    os.makedirs(out_dir, exist_ok=True)
    gen = torch.Generator().manual_seed(0)
    written = [(trace_and_check(net, entry, pt_path, gen, thorough), pt_path)]
    if entry.get("cuda_file"):
        # The same network with each concatenation kept literally (one
        # larger convolution, which cuDNN runs faster than the split parts;
        # freezing on the CPU prefers the split): for CUDA devices only.
        literal, _ = build_entry(pdir, entry, fuse_upsample, split_cat=False)
        cuda_path = os.path.join(out_dir, entry["cuda_file"])
        written.append((trace_and_check(literal, entry, cuda_path, gen, thorough, reference=net), cuda_path))
    for tmp, path in written:
        os.replace(tmp, path)
    tmp = sc_path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(sidecar_for(entry, info, digest), f, indent=2)
        f.write("\n")
    os.replace(tmp, sc_path)
    if verbose:
        print(f"{entry['file']}: {info['params']} params, receptive radius "
              f"{info['receptive_radius']} px, {time.time() - t0:.1f} s")
    return True


def load_manifest(path):
    with open(path) as f:
        return json.load(f)


def select(manifest, only):
    entries = manifest["models"]
    if only:
        sel = [e for e in entries if only in (e["name"], model_basename(e))]
        if not sel:
            raise ConvertError(f"--only {only}: no such model in the manifest")
        return sel
    return entries


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--node-modules", required=True)
    ap.add_argument("--manifest", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--only", help="model name (esrgan-slim) or file base (esrgan-slim-x4)")
    ap.add_argument("--force", action="store_true", help="reconvert even if up to date")
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument("--thorough", action="store_true",
                    help="also check a 2x3x32x32 batch against the eager module")
    ap.add_argument("--no-fuse-upsample", dest="fuse", action="store_false",
                    help="keep RDN's nearest-upsample + conv literally (debugging)")
    ap.add_argument("--no-split-cat", dest="split_cat", action="store_false",
                    help="keep each concatenation + convolution literally (slower after freezing)")
    ap.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    a = ap.parse_args(argv)

    import torch
    torch.set_num_threads(a.threads)
    t0 = time.time()
    try:
        entries = select(load_manifest(a.manifest), a.only)
        done = 0
        for e in entries:
            done += convert_entry(a.node_modules, e, a.out, a.force, a.verbose, a.thorough, a.fuse,
                                 a.split_cat)
    except ConvertError as ex:
        print(f"convert.py: error: {ex}", file=sys.stderr)
        return 1
    if done or a.verbose:  # quiet when everything is already up to date
        print(f"convert.py: {done} converted, {len(entries) - done} up to date, "
              f"in {a.out} ({time.time() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

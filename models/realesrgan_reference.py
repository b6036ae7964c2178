"""Independent reference of the two Real-ESRGAN networks, for the goldens.

Written from the published architectures (Real-ESRGAN / BasicSR:
basicsr/archs/rrdbnet_arch.py RRDBNet and realesrgan/archs/srvgg_arch.py
SRVGGNetCompact), in plain eager PyTorch, and filled from the ncnn .bin in
the order the modules are defined (which is the order the networks compute,
i.e. the order of the ONNX export that produced the ncnn files). It does not
read the .param graph at all: if the converter (ncnn_graph.py, which builds
everything from the .param) and this file agree, both the graph and the
weight reading are right.

    net = load_reference("realesrgan-x4plus", "path/realesrgan-x4plus.bin")
    y = net(x)   # x: float NCHW RGB in [0, 1]; y: 4x larger, not clamped

The .bin layout assumed here (ncnn's ModelBin): per convolution a 4-byte tag
(0x01306B47: fp16 weights, padded to 4 bytes; 0: fp32) then the OIHW
weights, then its biases as plain fp32; per PReLU its slopes as plain fp32.
"""
import struct

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


class ResidualDenseBlock(nn.Module):
    def __init__(self, num_feat=64, num_grow_ch=32):
        super().__init__()
        self.conv1 = nn.Conv2d(num_feat, num_grow_ch, 3, 1, 1)
        self.conv2 = nn.Conv2d(num_feat + num_grow_ch, num_grow_ch, 3, 1, 1)
        self.conv3 = nn.Conv2d(num_feat + 2 * num_grow_ch, num_grow_ch, 3, 1, 1)
        self.conv4 = nn.Conv2d(num_feat + 3 * num_grow_ch, num_grow_ch, 3, 1, 1)
        self.conv5 = nn.Conv2d(num_feat + 4 * num_grow_ch, num_feat, 3, 1, 1)
        self.lrelu = nn.LeakyReLU(negative_slope=0.2)

    def forward(self, x):
        x1 = self.lrelu(self.conv1(x))
        x2 = self.lrelu(self.conv2(torch.cat((x, x1), 1)))
        x3 = self.lrelu(self.conv3(torch.cat((x, x1, x2), 1)))
        x4 = self.lrelu(self.conv4(torch.cat((x, x1, x2, x3), 1)))
        x5 = self.conv5(torch.cat((x, x1, x2, x3, x4), 1))
        return x5 * 0.2 + x


class RRDB(nn.Module):
    def __init__(self, num_feat, num_grow_ch=32):
        super().__init__()
        self.rdb1 = ResidualDenseBlock(num_feat, num_grow_ch)
        self.rdb2 = ResidualDenseBlock(num_feat, num_grow_ch)
        self.rdb3 = ResidualDenseBlock(num_feat, num_grow_ch)

    def forward(self, x):
        return self.rdb3(self.rdb2(self.rdb1(x))) * 0.2 + x


class RRDBNet(nn.Module):
    """RealESRGAN_x4plus: RRDBNet(3, 3, num_feat=64, num_block=23, num_grow_ch=32, scale=4)."""

    def __init__(self, num_feat=64, num_block=23, num_grow_ch=32):
        super().__init__()
        self.conv_first = nn.Conv2d(3, num_feat, 3, 1, 1)
        self.body = nn.Sequential(*[RRDB(num_feat, num_grow_ch) for _ in range(num_block)])
        self.conv_body = nn.Conv2d(num_feat, num_feat, 3, 1, 1)
        self.conv_up1 = nn.Conv2d(num_feat, num_feat, 3, 1, 1)
        self.conv_up2 = nn.Conv2d(num_feat, num_feat, 3, 1, 1)
        self.conv_hr = nn.Conv2d(num_feat, num_feat, 3, 1, 1)
        self.conv_last = nn.Conv2d(num_feat, 3, 3, 1, 1)
        self.lrelu = nn.LeakyReLU(negative_slope=0.2)

    def forward(self, x):
        feat = self.conv_first(x)
        feat = feat + self.conv_body(self.body(feat))
        feat = self.lrelu(self.conv_up1(F.interpolate(feat, scale_factor=2, mode="nearest")))
        feat = self.lrelu(self.conv_up2(F.interpolate(feat, scale_factor=2, mode="nearest")))
        return self.conv_last(self.lrelu(self.conv_hr(feat)))


class SRVGGNetCompact(nn.Module):
    """realesr-general-x4v3: SRVGGNetCompact(3, 3, num_feat=64, num_conv=32, upscale=4, 'prelu')."""

    def __init__(self, num_feat=64, num_conv=32, upscale=4):
        super().__init__()
        self.upscale = upscale
        body = [nn.Conv2d(3, num_feat, 3, 1, 1), nn.PReLU(num_parameters=num_feat)]
        for _ in range(num_conv):
            body += [nn.Conv2d(num_feat, num_feat, 3, 1, 1), nn.PReLU(num_parameters=num_feat)]
        body.append(nn.Conv2d(num_feat, 3 * upscale * upscale, 3, 1, 1))
        self.body = nn.ModuleList(body)
        self.upsampler = nn.PixelShuffle(upscale)

    def forward(self, x):
        out = x
        for layer in self.body:
            out = layer(out)
        out = self.upsampler(out)
        return out + F.interpolate(x, scale_factor=self.upscale, mode="nearest")


ARCHS = {"realesrgan-x4plus": RRDBNet, "realesr-general-x4v3": SRVGGNetCompact}


def fill_from_ncnn_bin(net, bin_path):
    """Assigns every Conv2d / PReLU parameter of `net`, in definition order,
    from the .bin; the file must be used up exactly."""
    data = open(bin_path, "rb").read()
    pos = 0

    def take_f32(count):
        nonlocal pos
        a = np.frombuffer(data, dtype="<f4", count=count, offset=pos)
        pos += 4 * count
        return a

    for name, m in net.named_modules():
        if isinstance(m, nn.Conv2d):
            (tag,) = struct.unpack_from("<I", data, pos)
            pos += 4
            n = m.weight.numel()
            if tag == 0x01306B47:
                w = np.frombuffer(data, dtype="<f2", count=n, offset=pos)
                pos += (2 * n + 3) // 4 * 4
            elif tag == 0:
                w = take_f32(n)
            else:
                raise ValueError(f"{bin_path}: {name}: unexpected tag 0x{tag:08X} at {pos - 4}")
            m.weight.data = torch.from_numpy(w.astype(np.float64).reshape(m.weight.shape))
            m.bias.data = torch.from_numpy(take_f32(m.bias.numel()).astype(np.float64))
        elif isinstance(m, nn.PReLU):
            m.weight.data = torch.from_numpy(take_f32(m.weight.numel()).astype(np.float64))
    if pos != len(data):
        raise ValueError(f"{bin_path}: the reference used {pos} of {len(data)} bytes")
    return net


def load_reference(name, bin_path):
    """The reference network `name` (float64, eval mode) with the ncnn weights."""
    net = fill_from_ncnn_bin(ARCHS[name]().double(), bin_path)
    net.eval()
    return net

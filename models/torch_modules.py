"""Torch building blocks shared by the two converters (convert.py for the
TF.js layers models, ncnn_graph.py for the ncnn models): a graph executor
and the few layers that torch.nn lacks in the form we need for tracing.

    net = GraphNet("in")
    net.add_module_op("a", ["in"], "conv1", nn.Conv2d(3, 8, 3, padding=1))
    net.add_sum("b", ["a", "in_expanded"])
    net.finish("b")            # frees each value after its last use
"""
import torch
from torch import nn


class Scale(nn.Module):
    """x * k for a constant k."""

    def __init__(self, k):
        super().__init__()
        self.k = k

    def forward(self, x):
        return x * self.k


class UpsampleNearest(nn.Module):
    """Nearest-neighbour upsampling by integer factors: each pixel repeated
    sh x sw times (Keras UpSampling2D, ncnn Interp type 1 with an integer
    scale). reshape/expand traces to size-generic code."""

    def __init__(self, sh, sw=None):
        super().__init__()
        self.sh, self.sw = sh, sh if sw is None else sw

    def forward(self, x):
        n, c, h, w = x.shape
        x = x.reshape(n, c, h, 1, w, 1).expand(n, c, h, self.sh, w, self.sw)
        return x.reshape(n, c, h * self.sh, w * self.sw)


class SplitConv(nn.Module):
    """conv(cat(x1, x2, ...)) computed as conv1(x1) + conv2(x2) + ...

    The same arithmetic without the concatenation: after freezing, LibTorch
    runs convolutions and additions on oneDNN's blocked layout, while every
    torch.cat forces a conversion to the plain layout and back
    (models/README.md, "How the conversion works", 4).
    """

    def __init__(self, convs, post):
        super().__init__()
        self.convs = nn.ModuleList(convs)
        self.post = post

    @staticmethod
    def from_weights(w, b, sizes, post, padding, stride=1, dilation=1):
        """The SplitConv equal to post(conv(cat(x1, x2, ...))) for a conv with
        OIHW weights w (numpy) and biases b (None = no bias), where xi has
        sizes[i] channels (their sum must be w.shape[1])."""
        import numpy as np
        cout, _, kh, kw = w.shape
        convs, c0 = [], 0
        for i, c in enumerate(sizes):
            part = nn.Conv2d(c, cout, (kh, kw), stride=stride, padding=padding, dilation=dilation,
                             bias=b is not None and i == 0)
            with torch.no_grad():
                part.weight.copy_(torch.from_numpy(np.ascontiguousarray(w[:, c0:c0 + c])))
                if b is not None and i == 0:
                    part.bias.copy_(torch.from_numpy(b))
            convs.append(part)
            c0 += c
        return SplitConv(convs, post)

    def forward(self, xs: list):
        y = self.convs[0](xs[0])
        for i in range(1, len(self.convs)):
            y = y + self.convs[i](xs[i])
        return self.post(y)


class GraphNet(nn.Module):
    """Runs a list of operations on named values, in order; meant to be
    traced (the Python control flow disappears in the trace)."""

    def __init__(self, in_name):
        super().__init__()
        self.in_name = in_name
        self.out_name = None
        self.mods = nn.ModuleDict()
        self.ops = []  # [kind, out, inputs, module key or cat dim, values to free after]

    def add_module_op(self, out, ins, key, module, many=False):
        """out = module(ins[0]), or module([ins...]) when many."""
        self.mods[key] = module
        self.ops.append(["many" if many else "module", out, list(ins), key, []])

    def add_sum(self, out, ins):
        self.ops.append(["add", out, list(ins), None, []])

    def add_product(self, out, ins):
        self.ops.append(["mul", out, list(ins), None, []])

    def add_cat(self, out, ins, dim=1):
        self.ops.append(["cat", out, list(ins), dim, []])

    def finish(self, out_name):
        """Sets the output and frees every value after its last use."""
        self.out_name = out_name
        last = {}
        for i, op in enumerate(self.ops):
            for s in op[2]:
                last[s] = i
        for s, i in last.items():
            if s != out_name:
                self.ops[i][4].append(s)

    def forward(self, x):
        env = {self.in_name: x}
        for kind, name, ins, key, free in self.ops:
            if kind == "module":
                y = self.mods[key](env[ins[0]])
            elif kind == "many":
                y = self.mods[key]([env[s] for s in ins])
            elif kind == "add":
                y = env[ins[0]]
                for s in ins[1:]:
                    y = y + env[s]
            elif kind == "mul":
                y = env[ins[0]]
                for s in ins[1:]:
                    y = y * env[s]
            elif kind == "cat":
                y = torch.cat([env[s] for s in ins], dim=key)
            else:
                raise RuntimeError(kind)
            env[name] = y
            for s in free:  # drop dead intermediates (eager mode memory)
                del env[s]
        return env[self.out_name]


class FlatForTracing(nn.Module):
    """`inner` with every parameter registered on one module and held in one
    storage, for tracing. `inner`'s parameters are moved into that storage
    (same values): keep a copy of the network to compare against.

    Traced as it is, a network keeps its module tree: torch.jit.trace gives
    each submodule instance a type of its own, with its own code compiled at
    each load, and saves each parameter as a file of its own.
    realesrgan-x4plus became 5609 files, and torch.jit.load took 1.5-2.0 s
    on a 2-core EPYC and 0.94-1.59 s on H100 hosts (models/README.md, "How
    the conversion works", 6). Traced through this wrapper, the calls into
    submodules are inlined into one forward that reads the wrapper's own
    parameters: one type, one storage, the same arithmetic. The parameters
    stay parameters (not frozen constants), so LibTorch can still cast them
    (fp16, bf16), lay them out (channels_last) and freeze them on the CPU.
    """

    def __init__(self, inner):
        super().__init__()
        object.__setattr__(self, "_inner", inner)  # not a submodule: its calls are traced through
        self.train(inner.training)
        params = list(inner.named_parameters())  # tied parameters once
        buffers = list(inner.named_buffers())
        keys = [n.replace(".", "_") for n, _ in params] + ["buffer_" + n.replace(".", "_") for n, _ in buffers]
        if len(set(keys)) != len(keys):
            raise ValueError("two parameters or buffers flatten to the same name")
        if params:
            first = params[0][1]
            if any(p.dtype != first.dtype or p.device != first.device for _, p in params):
                raise ValueError("parameters of mixed dtypes or devices")
            storage = torch.empty(sum(p.numel() for _, p in params), dtype=first.dtype, device=first.device)
            offset = 0
            with torch.no_grad():
                for _, p in params:
                    n = p.numel()
                    storage[offset:offset + n].copy_(p.reshape(-1))
                    p.data = storage[offset:offset + n].view_as(p)
                    offset += n
        for key, (_, p) in zip(keys, params):
            self.register_parameter(key, p)
        for key, (_, b) in zip(keys[len(params):], buffers):
            self.register_buffer(key, b)  # buffers keep their own storage (acuity's networks have none)

    def forward(self, x):
        return self._inner(x)

"""Tests of the converter's torch building blocks (models/torch_modules.py):
a network traced through FlatForTracing computes what its module tree
computes, in one type and one storage, and stays castable."""
import os
import sys
import tempfile
import zipfile

import pytest

torch = pytest.importorskip("torch")  # Debian's python3-torch, as setup.sh converts with
from torch import nn  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from torch_modules import FlatForTracing, GraphNet, Scale, SplitConv, UpsampleNearest  # noqa: E402


def dense_block():
    """A small dense block as the converters build one: convolutions whose
    inputs are concatenations (SplitConv), a scaled residual sum, an
    upsampling and a pixel shuffle. Seeded weights."""
    import numpy as np
    torch.manual_seed(3)
    rng = np.random.default_rng(3)
    net = GraphNet("in")
    net.add_module_op("a", ["in"], "c0", nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU()))
    w = rng.standard_normal((8, 11, 3, 3)).astype(np.float32) * 0.1
    b = rng.standard_normal(8).astype(np.float32)
    net.add_module_op("b", ["in", "a"], "c1", SplitConv.from_weights(w, b, [3, 8], nn.ReLU(), (1, 1)), many=True)
    net.add_module_op("bs", ["b"], "scale", Scale(0.2))
    net.add_sum("c", ["a", "bs"])
    net.add_module_op("d", ["c"], "up", UpsampleNearest(2))
    net.add_module_op("e", ["d"], "c2", nn.Sequential(nn.Conv2d(8, 12, 3, padding=1), nn.PixelShuffle(2)))
    net.finish("e")
    return net.eval()


def traced_archive(module, example, path):
    with torch.no_grad():
        torch.jit.trace(module, example, check_trace=False).save(path)
    return zipfile.ZipFile(path).namelist()


def test_flat_trace_equals_the_module_tree_in_one_type_and_one_storage():
    net = dense_block()
    x = torch.rand(1, 3, 13, 17)
    with torch.no_grad():
        eager = net(x)
    with tempfile.TemporaryDirectory() as d:
        tree_files = traced_archive(net, torch.rand(1, 3, 8, 8), os.path.join(d, "tree.pt"))
        flat_files = traced_archive(FlatForTracing(net), torch.rand(1, 3, 8, 8), os.path.join(d, "flat.pt"))
        flat = torch.jit.load(os.path.join(d, "flat.pt"))
        with torch.no_grad():
            assert torch.equal(flat(x), eager)
        # The tree: a code file per submodule and a data file per tensor. Flat:
        # one code file for the network, one data record holding every parameter.
        code = [f for f in flat_files if "/code/" in f and f.endswith(".py")]
        data = [f for f in flat_files if "/data/" in f]
        assert len(code) == 1, code
        assert len(data) == 1, data
        assert len([f for f in tree_files if "/code/" in f and f.endswith(".py")]) > 5
        assert len([f for f in tree_files if "/data/" in f]) == len(list(net.parameters()))
        # Parameters, not constants: the same count and shapes, castable.
        assert [p.shape for p in flat.parameters()] == [p.shape for p in net.parameters()]
        flat.to(torch.bfloat16)
        assert {p.dtype for p in flat.parameters()} == {torch.bfloat16}
        with torch.no_grad():
            assert (flat(x.bfloat16()).float() - eager).abs().max().item() < 0.1


def test_freezing_the_flat_trace_keeps_the_output():
    net = dense_block()
    x = torch.rand(1, 3, 9, 11)
    with torch.no_grad():
        eager = net(x)  # before the wrapper repacks the parameters
    with tempfile.TemporaryDirectory() as d:
        traced_archive(FlatForTracing(net), torch.rand(1, 3, 8, 8), os.path.join(d, "flat.pt"))
        frozen = torch.jit.optimize_for_inference(torch.jit.freeze(torch.jit.load(os.path.join(d, "flat.pt")).eval()))
    with torch.no_grad():
        assert (frozen(x) - eager).abs().max().item() < 1e-5


def test_parameters_of_mixed_dtypes_are_refused():
    net = dense_block()
    next(net.parameters()).data = next(net.parameters()).data.double()
    with pytest.raises(ValueError):
        FlatForTracing(net)

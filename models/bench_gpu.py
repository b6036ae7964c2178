#!/usr/bin/env python3
"""GPU measurements for models/RESULTS.md "GPU", run on a machine with a CUDA
PyTorch by models/gpu_run.sh (which says how to get acuity there).

  bench_gpu.py forward --model-dir DIR [--models a,b] [--size 1024x768]
      PyTorch's own forward of acuity's converted models (TorchScript, as
      saved and frozen), channels_last, cuDNN autotuning, in fp16/bf16/fp32:
      seconds per forward (the peer of acuity's upscale step), µs per input
      px and peak working bytes per input px (sr_model_facts.h's CUDA column).
  bench_gpu.py whole --acuity BIN --upscayl BIN --upscayl-models DIR --photos DIR
      Whole-process runs side by side, the same input for each: `acuity
      enhance --steps upscale:4 --timings` and upscayl-bin (ncnn on Vulkan,
      the same weights), on a 1024×768 photo with realesrgan-x4plus and
      realesr-general-x4v3, then a 4000×3000 photo with realesrgan-x4plus.
      Wall s, peak host RSS (wait4), peak device memory (NVML, sampled every
      20 ms), acuity's own split of the time, and the PSNR between the two
      programs' outputs.
  bench_gpu.py agree --acuity BIN --input PNG
      The same upscale on the CPU in fp32 and on CUDA in fp32, fp16 and
      bf16: the PSNR of each CUDA output against the CPU's.
  bench_gpu.py warmup --model-dir DIR
      Where a network's first calls on CUDA go, per setting in a process of
      its own: loading, freezing, each first call, an 8×8 probe, then a
      second instance; with the executor's optimisation, cuDNN's autotuning
      and cuDNN itself turned off in turn.
  bench_gpu.py load --node-modules DIR --manifest JSON [--models a,b]
                    [--device cuda:0] [--call-rows 768]
      Loading a converted network onto --device as acuity does (fp16 on
      CUDA, fp32 on the CPU; channels_last; not frozen), traced as its module
      tree (the converter's old form) and as one flat module
      (torch_modules.FlatForTracing, its form now): best-of-3 load seconds,
      the first call on a 1024-px-wide, --call-rows-high input, and the
      largest difference between the two forms' outputs. Both forms run in
      one process, the tree first: its first call also pays the process's
      first use of cuDNN (each shape's autotuning), which the flat form's
      then reuses.
  bench_gpu.py start --module SO [--runs 3]
      Where a fresh process's start of LibTorch on CUDA goes, each part in
      processes of its own: the CUDA driver alone (cuInit, the device's
      primary context), the module's dlopen alone with LibTorch's libraries
      one by one in their order (each row the time its own new libraries
      add), the module's entry and device count, then the driver on a
      thread beside the module's dlopen, as acuity starts them.
  bench_gpu.py exit --runs N -- ACUITY_COMMAND...
      The time from the command's last line on stderr to the process's
      end (its exit: static destructors, the libraries' teardown), and its
      wall time; runs anywhere, with or without a GPU.

Each prints markdown rows as it goes and writes --json.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_upscayl import UPSCAYL_NAME, compare  # noqa: E402  (the CPU comparison's own)


def load_as_acuity(path, dev, dtype):
    """A converted network loaded as acuity's LibTorch module loads it on
    CUDA: eval, cast to `dtype`, 4-D weights in channels_last, not frozen."""
    import torch
    m = torch.jit.load(path, map_location=dev).eval().to(dtype)
    with torch.no_grad():
        for p in m.parameters():
            if p.dim() == 4:
                p.data = p.data.contiguous(memory_format=torch.channels_last)
    return m


def say(text):
    print(text, flush=True)


# --------------------------------------------------------------------------
# forward: PyTorch's own forward of the converted models
# --------------------------------------------------------------------------

def forward(a):
    import torch
    dev = torch.device("cuda:0")
    torch.backends.cudnn.benchmark = True
    # Without the TorchScript executor's profiling and fusion (whose first
    # calls compile for minutes), as acuity's module runs them; "frozen" rows
    # are for comparison (acuity runs CUDA networks as loaded since freezing
    # x4plus took 21 s).
    torch._C._set_graph_executor_optimize(False)
    width, height = map(int, a.size.split("x"))
    dtypes = {"fp16": torch.float16, "bf16": torch.bfloat16, "fp32": torch.float32}
    say(f"device: {torch.cuda.get_device_name(0)}, PyTorch {torch.__version__}, cuDNN {torch.backends.cudnn.version()}")
    say(f"| model | precision | graph | forward s ({width}×{height} unless said) | µs per input px | peak bytes per input px |")
    say("|---|---|---|---|---|---|")
    rows = []
    for name in a.models.split(","):
        path = os.path.join(a.model_dir, f"{name}-x4.pt")
        if not os.path.exists(path):
            say(f"| {name} | — | missing {path} | | | |")
            continue
        with open(os.path.join(a.model_dir, f"{name}-x4.json")) as f:
            overlap = json.load(f).get("tile_overlap_px", 0)
        # acuity runs an image that fits as one tile with its mirrored frame
        # of tile_overlap_px on each side: that size too, frozen, fp16.
        graphs = a.graphs.split(",")
        variants = [(prec, graph, width, height) for prec in a.precisions.split(",") for graph in graphs]
        variants.append(("fp16", graphs[-1], width + 2 * overlap, height + 2 * overlap))
        for prec, graph, w, h in variants:
            try:
                torch.cuda.empty_cache()
                m = load_as_acuity(path, dev, dtypes[prec])
                if graph == "frozen":
                    m = torch.jit.freeze(m)
                x = torch.rand(1, 3, h, w, device=dev, dtype=dtypes[prec])
                x = x.contiguous(memory_format=torch.channels_last)
                with torch.inference_mode():
                    for _ in range(2):
                        y = m(x)
                    torch.cuda.synchronize()
                    del y
                    base = torch.cuda.memory_allocated()
                    torch.cuda.reset_peak_memory_stats()
                    t0 = time.perf_counter()
                    for _ in range(a.repeat):
                        y = m(x)
                    torch.cuda.synchronize()
                    seconds = (time.perf_counter() - t0) / a.repeat
                peak = torch.cuda.max_memory_allocated() - base
                row = dict(model=name, precision=prec, graph=graph, seconds=seconds,
                           us_per_px=seconds * 1e6 / (w * h), bytes_per_px=peak / (w * h), width=w, height=h)
                rows.append(row)
                size = "" if (w, h) == (width, height) else f" {w}×{h}"
                say(f"| {name} | {prec} | {graph}{size} | {seconds:.4f} | {row['us_per_px']:.4f} | {row['bytes_per_px']:.0f} |")
                del m, x, y
            except Exception as e:  # one variant failing does not end the table
                say(f"| {name} | {prec} | {graph} {w}×{h} | FAILED: {str(e).splitlines()[0][:200]} | | |")
    return rows


# --------------------------------------------------------------------------
# whole: whole-process runs side by side
# --------------------------------------------------------------------------

class DeviceMemory:
    """Peak used device memory (NVML, every 20 ms) above what was used before."""

    def __init__(self):
        self.handle = None
        try:
            import pynvml
            pynvml.nvmlInit()
            self.nvml = pynvml
            self.handle = pynvml.nvmlDeviceGetHandleByIndex(0)
        except Exception:  # no NVML: not measured
            pass

    def used(self):
        return self.nvml.nvmlDeviceGetMemoryInfo(self.handle).used

    def __enter__(self):
        self.peak = None
        if self.handle is None:
            return self
        self.base = self.used()
        self.peak = 0
        self.stop = threading.Event()

        def sample():
            while not self.stop.is_set():
                self.peak = max(self.peak, self.used() - self.base)
                time.sleep(0.02)
        self.thread = threading.Thread(target=sample, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        if self.handle is not None:
            self.stop.set()
            self.thread.join()


def timed(cmd, timeout, env=None):
    """Runs cmd; returns (wall s, peak RSS MB, device MB or None, rc, output)."""
    with DeviceMemory() as dm, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=err, stderr=subprocess.STDOUT, env=env)
        deadline = t0 + timeout
        while True:
            pid, status, usage = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                p.kill()
                pid, status, usage = os.wait4(p.pid, 0)
                break
            time.sleep(0.005)
        wall = time.perf_counter() - t0
        err.seek(0)
        text = err.read().decode(errors="replace")
    rc = os.waitstatus_to_exitcode(status)
    device_mb = None if dm.peak is None else dm.peak / 2**20
    return wall, usage.ru_maxrss / 1024, device_mb, rc, text


def psnr(a_path, b_path, border=40):
    """PSNR (dB) of b against a away from the border, as compare_upscayl.py
    reckons it (upscayl-bin reflect-pads; its wrapped-around pixels left
    out); None when the two differ in size."""
    from PIL import Image
    a = np.asarray(Image.open(a_path).convert("RGB"))
    b = np.asarray(Image.open(b_path).convert("RGB"))
    return compare(a, b, border)[0] if a.shape == b.shape else None


def whole(a):
    work = tempfile.mkdtemp(prefix="bench-gpu-")
    deadline = time.time() + a.budget_s
    cases = []
    for spec in a.cases.split(","):  # model:photo:acuity runs:upscayl-bin runs[:variant+variant]
        model, photo, runs, theirs, *own = spec.split(":")
        cases.append((model, photo, int(runs), int(theirs), own[0].split("+") if own else a.variants.split(",")))
    # acuity's variants: the default, cuDNN's heuristics without autotuning,
    # PNG written at zlib level 2 or 6 (the encode step's png_level), or
    # NAME=VALUE set in the environment; "plan auto", "advisor": the
    # advisor's plan (below). A case may name its own
    # ("...:variant+variant").
    variants = {"default": {}, "no cuDNN autotuning": {"ACUITY_CUDNN_BENCHMARK": "0"}}
    variant_steps = {"png level 2": "upscale:4,encode:png:png_level=2",
                     "png level 6": "upscale:4,encode:png:png_level=6"}
    # The advisor's plan for a target of 4× the photo's width (2× past 2000
    # px; photoWxH.jpg): the analysis, the plan and LibTorch's start as a
    # user's `enhance --plan auto --target ...` pays them; "plan auto" with
    # the case's model, "advisor" with the advisor's own choice (the case's
    # model is then only its label).
    def plan_auto(variant, photo):
        if variant not in ("plan auto", "advisor"):
            return None
        m = re.match(r"photo(\d+)x(\d+)", photo)
        width = int(m.group(1)) if m else 1024
        target = f"{width * (4 if width <= 2000 else 2)}px"
        return ["--plan", "auto", "--target", target] + (["--model", "MODEL"] if variant == "plan auto" else [])

    # "before VARIANT": VARIANT run by --acuity-before (the program as it
    # was: the same input side by side in one run).
    def program_of(variant):
        if variant.startswith("before "):
            if not a.acuity_before:
                raise SystemExit(f"variant {variant!r} needs --acuity-before")
            return a.acuity_before, variant[len("before "):]
        return a.acuity, variant

    def variant_env(variant):
        if variant in variants:
            return variants[variant]
        if variant in variant_steps or variant in ("plan auto", "advisor"):
            return {}
        name, eq, value = variant.partition("=")
        if not eq or not name:
            raise SystemExit(f"unknown variant {variant!r}: default, 'no cuDNN autotuning', 'png level 2', "
                             "'png level 6' or NAME=VALUE")
        return {name: value}
    say("| run | wall s | peak RSS MB | peak device MB | acuity's split |")
    say("|---|---|---|---|---|")
    rows = []
    for model, photo, runs, upscayl_runs, case_variants in cases:
        src = os.path.join(a.photos, photo)
        programs = [("acuity", v, runs) for v in case_variants] + [("upscayl-bin", "", upscayl_runs)]
        for program, variant, repeat in programs:
            for i in range(repeat):
                left = deadline - time.time()
                if left < 20:
                    say(f"| {program} {variant} {model} {photo} | skipped: the time budget is spent | | | |")
                    break
                out = os.path.join(work, f"{program}-{model}-{photo}.png")
                if os.path.exists(out):
                    os.remove(out)
                env = None
                if program == "acuity":
                    binary, own = program_of(variant)
                    how = plan_auto(own, photo) or ["--steps", variant_steps.get(own, "upscale:4"), "--model", "MODEL"]
                    how = [model if word == "MODEL" else word for word in how]
                    cmd = [binary, "enhance", *how, "--timings", "-o", out, src]
                    env = {k: v for k, v in os.environ.items() if k != "ACUITY_CUDNN_BENCHMARK"}
                    env.update(variant_env(own))
                else:
                    cmd = [a.upscayl, "-i", src, "-o", out, "-m", a.upscayl_models, "-n", UPSCAYL_NAME[model],
                           "-s", "4"]
                wall, rss, dev_mb, rc, err = timed(cmd, min(left, 200), env)
                split = ""
                if program == "acuity":
                    m = re.search(r"time: (.*)", err)
                    step = re.search(r"upscale 4× \([^)\n]*\)\s+[\d.]+ s[^\n]*", err)
                    split = (m.group(1) if m else "") + (f" [{step.group(0).strip()}]" if step else "")
                    # The process's start and exit: the wall time outside acuity's own clock.
                    total = re.search(r"; ([\d.]+) s in all", err)
                    if total:
                        split += f" [outside acuity's clock {wall - float(total.group(1)):.2f} s]"
                status = "" if rc == 0 else f" FAILED rc {rc}: {err.strip().splitlines()[-1] if err.strip() else ''}"
                row = dict(program=program, variant=variant, model=model, photo=photo, run=i + 1, wall_s=wall,
                           rss_mb=rss, device_mb=dev_mb, rc=rc, split=split, output=err[-2000:])
                rows.append(row)
                dev = "not measured" if dev_mb is None else f"{dev_mb:.0f}"
                label = f"{program} {variant}".strip()
                say(f"| {label} {model} {photo} (run {i + 1}){status} | {wall:.2f} | {rss:.0f} | {dev} | {split} |")
        ours = os.path.join(work, f"acuity-{model}-{photo}.png")
        theirs = os.path.join(work, f"upscayl-bin-{model}-{photo}.png")
        if photo.startswith("photo1024") and os.path.exists(ours) and os.path.exists(theirs):
            p = psnr(ours, theirs)
            say(f"| PSNR acuity vs upscayl-bin, {model}, {photo} | {p:.2f} dB | | | |" if p is not None
                else f"| {model} {photo}: the two outputs differ in size | | | | |")
        for f in (ours, theirs):
            if os.path.exists(f):
                os.remove(f)
    return rows


# --------------------------------------------------------------------------
# warmup: where a TorchScript network's first calls on CUDA go
# --------------------------------------------------------------------------

# The way acuity ran networks on CUDA until freezing was found to take 21 s
# (frozen, without the executor's optimisation), then PyTorch's own CUDA
# convolutions instead of cuDNN's (a suspect then: cuDNN >= 9.10 compiling
# execution plans at run time, NVIDIA/cudnn-frontend issue #1066), two of
# PyTorch's switches for its cuDNN path set in the environment, and the way
# acuity runs them now (not frozen).
WARMUP_SETTINGS = ("no executor optimisation", "no executor optimisation, no cuDNN",
                   "no executor optimisation, env TORCH_CUDNN_V8_API_DISABLED=1",
                   "no executor optimisation, env TORCH_CUDNN_USE_HEURISTIC_MODE_B=1",
                   "default", "no executor optimisation, not frozen", "no executor optimisation, no autotuning")


def setting_env(setting):
    """The environment a warmup setting runs in ("..., env NAME=VALUE")."""
    env = dict(os.environ)
    m = re.search(r"env (\w+)=(\S+)", setting)
    if m:
        env[m.group(1)] = m.group(2)
    return env


def warmup_one(a):
    """One setting in this process: where the first calls' time goes. The
    second instance tells a per-process cost (cuDNN's plans, CUDA's lazily
    loaded kernels) from a per-instance one (TorchScript's executor)."""
    import torch
    s = a.setting
    torch.backends.cudnn.benchmark = not s.endswith("no autotuning")
    torch.backends.cudnn.enabled = not s.endswith("no cuDNN")
    dev = torch.device("cuda:0")
    width, height = map(int, a.size.split("x"))
    x = torch.rand(1, 3, height, width, device=dev, dtype=torch.half).contiguous(memory_format=torch.channels_last)
    probe = torch.rand(1, 3, 8, 8, device=dev, dtype=torch.half).contiguous(memory_format=torch.channels_last)

    def load():
        t0 = time.perf_counter()
        m = load_as_acuity(os.path.join(a.model_dir, f"{a.model}-x4.pt"), dev, torch.half)
        loaded = time.perf_counter()
        if "not frozen" not in s:
            m = torch.jit.freeze(m)
        torch.cuda.synchronize()
        return m, loaded - t0, time.perf_counter() - loaded

    def call(m, inp):
        t = time.perf_counter()
        with torch.inference_mode():
            m(inp)
        torch.cuda.synchronize()
        return time.perf_counter() - t

    m, load_s, freeze_s = load()
    if s.startswith("no executor optimisation"):  # after freezing, which needs the optimiser's inlining
        torch._C._set_graph_executor_optimize(False)
    say(f"  progress: load {load_s:.2f} s, freeze {freeze_s:.2f} s")
    calls = []
    for _ in range(a.calls):
        calls.append(call(m, x))
        say(f"  progress: call {len(calls)} {calls[-1]:.3f} s")
    probe_s = call(m, probe)
    m2, load2_s, freeze2_s = load()
    again_s = call(m2, x)
    say(f"  progress: 8x8 {probe_s:.3f} s, second instance's first call {again_s:.3f} s")
    # The same instance's first call on another thread: LibTorch keeps
    # cuDNN's execution plans per thread (acuity's tile workers are threads).
    other = []

    def on_other_thread():
        if s.startswith("no executor optimisation"):
            torch._C._set_graph_executor_optimize(False)
        other.append(call(m, x))
    t = threading.Thread(target=on_other_thread)
    t.start()
    t.join()
    thread_s = other[0] if other else float("nan")
    row = dict(model=a.model, setting=s, load_s=load_s, freeze_s=freeze_s, calls_s=calls, probe_s=probe_s,
               second_instance_load_s=load2_s + freeze2_s, second_instance_call_s=again_s,
               other_thread_call_s=thread_s)
    say(f"| {a.model} | {s} | {load_s:.2f} | {freeze_s:.2f} | " + " | ".join(f"{t:.3f}" for t in calls) +
        f" | {probe_s:.3f} | {load2_s + freeze2_s:.2f} | {again_s:.3f} | {thread_s:.3f} |")
    return [row]


def warmup(a):
    say("| model | setting | load s | freeze s | " + " | ".join(f"call {i + 1} s" for i in range(a.calls)) +
        " | then 8×8 s | 2nd instance load + freeze s | its first call s | 1st instance, another thread s |")
    say("|---|---|---|---|" + "---|" * a.calls + "---|---|---|---|")
    settings = a.settings.split(";") if a.settings else WARMUP_SETTINGS
    for model in a.models.split(","):
        for s in settings:
            cmd = [sys.executable, os.path.abspath(__file__), "warmup-one", "--model-dir", a.model_dir, "--model", model,
                   "--setting", s, "--size", a.size, "--calls", str(a.calls)]
            try:
                r = subprocess.run(cmd, capture_output=True, text=True, timeout=a.timeout, env=setting_env(s))
                print(r.stdout.strip(), flush=True)
                if r.returncode != 0:  # the row is missing: say why, after what it measured
                    say(f"| {model} | {s} | FAILED rc {r.returncode}: {r.stderr.strip()[-300:]} |")
            except subprocess.TimeoutExpired as e:
                partial = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
                say(f"| {model} | {s} | over {a.timeout} s: stopped |")
                print(partial.strip(), flush=True)
    return []


# --------------------------------------------------------------------------
# agree: CUDA output against the CPU's
# --------------------------------------------------------------------------

def agree(a):
    work = tempfile.mkdtemp(prefix="agree-")
    runs = [("cpu", "fp32"), ("cuda", "fp32"), ("cuda", "fp16"), ("cuda", "bf16")]
    say("| model | device | precision | wall s | PSNR vs CPU fp32 (dB) |")
    say("|---|---|---|---|---|")
    rows = []
    for model in a.models.split(","):
        ref = None
        for device, prec in runs:
            out = os.path.join(work, f"{model}-{device}-{prec}.png")
            cmd = [a.acuity, "enhance", "--steps", "upscale:4", "--model", model, "--device", device,
                   "--precision", prec, "-o", out, a.input]
            wall, _, _, rc, err = timed(cmd, 300)
            if rc != 0:
                say(f"| {model} | {device} | {prec} | FAILED rc {rc}: {err.strip()[-300:]} | |")
                continue
            if ref is None:
                ref = out
            p = psnr(ref, out, border=0) if out != ref else None
            rows.append(dict(model=model, device=device, precision=prec, wall_s=wall, psnr_db=p))
            say(f"| {model} | {device} | {prec} | {wall:.2f} | {'reference' if p is None else f'{p:.2f}'} |")
    return rows


def load(a):
    import torch
    import convert
    from torch_modules import FlatForTracing
    dev = torch.device(a.device)
    half = torch.half if dev.type == "cuda" else torch.float  # the CPU runs fp32 (a check off the GPU)
    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)
    torch.backends.cudnn.benchmark = True
    entries = {e["name"]: e for e in convert.load_manifest(a.manifest)["models"]}
    say("| model | form | files in the archive | load s (best of 3) | first 1024×768 call s | max difference |")
    say("|---|---|---|---|---|---|")
    rows = []
    x = torch.rand(1, 3, 768, 1024, generator=torch.Generator().manual_seed(0))
    for name in a.models.split(","):
        e = entries[name]
        outputs = []
        for form in ("module tree", "flat"):
            net, _ = convert.build_entry(convert.verify_entry(a.node_modules, e), e, True, True)
            net.eval()
            example = torch.rand(1, 3, 8, 8)
            with torch.no_grad():
                traced = torch.jit.trace(FlatForTracing(net) if form == "flat" else net, example, check_trace=False)
            with tempfile.TemporaryDirectory() as d:
                path = os.path.join(d, "m.pt")
                traced.save(path)
                import zipfile
                files = len(zipfile.ZipFile(path).namelist())
                times = []
                for _ in range(3):
                    sync()
                    t = time.perf_counter()
                    m = load_as_acuity(path, dev, half)
                    sync()
                    times.append(time.perf_counter() - t)
            inp = x[:, :, :a.call_rows].to(dev).to(half).contiguous(memory_format=torch.channels_last)
            sync()
            t = time.perf_counter()
            with torch.inference_mode():
                y = m(inp).float()
            sync()
            first = time.perf_counter() - t
            outputs.append(y)
            diff = (outputs[1] - outputs[0]).abs().max().item() if len(outputs) == 2 else float("nan")
            rows.append(dict(model=name, form=form, files=files, load_s=min(times), first_call_s=first,
                             max_difference=diff))
            say(f"| {name} | {form} | {files} | {min(times):.3f} | {first:.3f} | {diff:.3g} |")
    return rows


def exit_time(a):
    if a.cmd and a.cmd[0] == "--":
        a.cmd = a.cmd[1:]
    gaps, walls = [], []
    for _ in range(a.runs):
        t0 = time.perf_counter()
        p = subprocess.Popen(a.cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        last = t0
        for _line in p.stderr:
            last = time.perf_counter()
        p.wait()
        end = time.perf_counter()
        gaps.append(end - last)
        walls.append(end - t0)
    say(f"| {' '.join(a.cmd[1:4])} … | {a.runs} | {min(gaps):.3f}–{max(gaps):.3f} | "
        f"{min(walls):.2f}–{max(walls):.2f} | {p.returncode} |")
    return [dict(command=a.cmd, exit_s=gaps, wall_s=walls, returncode=p.returncode)]


# --------------------------------------------------------------------------
# start: where a process's start of LibTorch on CUDA goes
# --------------------------------------------------------------------------

# Run in a fresh python3 each (argv: mode, module path); prints one JSON
# object of seconds. Modes: driver, libs, both.
START_PROBE = r"""
import ctypes, json, os, sys, threading, time
mode, module = sys.argv[1], sys.argv[2]
out = {}
def driver():
    t = time.perf_counter()
    cuda = ctypes.CDLL("libcuda.so.1", mode=os.RTLD_NOW | os.RTLD_GLOBAL)
    out["driver dlopen"] = time.perf_counter() - t
    t = time.perf_counter()
    rc = cuda.cuInit(0)
    out["cuInit"] = time.perf_counter() - t
    dev = ctypes.c_int(0)
    ctx = ctypes.c_void_p()
    cuda.cuDeviceGet(ctypes.byref(dev), 0)
    t = time.perf_counter()
    rc2 = cuda.cuDevicePrimaryCtxRetain(ctypes.byref(ctx), dev)
    out["primary context"] = time.perf_counter() - t
    out["driver rc"] = rc * 1000 + rc2
def libs(order):
    lib_dir = os.path.join(os.path.dirname(__import__("importlib.util").util.find_spec("torch").origin), "lib")
    for name in order:
        path = os.path.join(lib_dir, name)
        if os.path.exists(path):
            t = time.perf_counter()
            ctypes.CDLL(path, mode=os.RTLD_NOW | os.RTLD_GLOBAL)
            out["dlopen " + name] = time.perf_counter() - t
class Module(ctypes.Structure):
    _fields_ = [("abi", ctypes.c_uint32), ("torch_version", ctypes.c_char_p),
                ("cuda_device_count", ctypes.CFUNCTYPE(ctypes.c_int32))]
def load_module():
    t = time.perf_counter()
    m = ctypes.CDLL(module, mode=os.RTLD_NOW | os.RTLD_LOCAL)
    out["dlopen module"] = time.perf_counter() - t
    entry = m.acuity_sr_module
    entry.restype = ctypes.POINTER(Module)
    entry.argtypes = [ctypes.c_uint32, ctypes.c_char_p, ctypes.c_size_t]
    msg = ctypes.create_string_buffer(512)
    t = time.perf_counter()
    table = entry(3, msg, 512)
    out["entry"] = time.perf_counter() - t
    t = time.perf_counter()
    out["devices"] = table.contents.cuda_device_count()
    out["device count"] = time.perf_counter() - t
t0 = time.perf_counter()
if mode == "driver":
    driver()
elif mode == "libs":
    libs(["libc10.so", "libc10_cuda.so", "libtorch_cpu.so", "libtorch_cuda.so", "libtorch.so"])
    load_module()
elif mode == "module":
    load_module()
else:  # both: as acuity starts them
    th = threading.Thread(target=driver)
    th.start()
    load_module()
    th.join()
out["total"] = time.perf_counter() - t0
print(json.dumps(out))
"""


def start(a):
    rows = []
    say("| mode | run | seconds (each part) |")
    say("|---|---|---|")
    for mode in ("driver", "module", "libs", "both"):
        for i in range(a.runs):
            p = subprocess.run([sys.executable, "-c", START_PROBE, mode, a.module], capture_output=True, text=True,
                               timeout=120)
            try:
                parts = json.loads(p.stdout.strip().splitlines()[-1])
            except (ValueError, IndexError):
                last = ((p.stderr or p.stdout).strip().splitlines() or [""])[-1]
                say(f"| {mode} | {i + 1} | FAILED: {last[-300:]} |")
                continue
            rows.append(dict(mode=mode, run=i + 1, parts=parts))
            text = ", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in parts.items())
            say(f"| {mode} | {i + 1} | {text} |")
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="what", required=True)
    f = sub.add_parser("forward")
    f.add_argument("--model-dir", required=True)
    f.add_argument("--models", default="realesrgan-x4plus,realesr-general-x4v3,esrgan-medium,esrgan-slim")
    f.add_argument("--precisions", default="fp16,fp32")
    f.add_argument("--size", default="1024x768")
    f.add_argument("--repeat", type=int, default=5)
    f.add_argument("--graphs", default="as saved,frozen",
                   help="'as saved' and/or 'frozen' (comma-separated); the framed size runs the last")
    w = sub.add_parser("whole")
    w.add_argument("--acuity", required=True)
    w.add_argument("--acuity-before", help="the program as it was, for the variants 'before VARIANT'")
    w.add_argument("--upscayl", required=True)
    w.add_argument("--upscayl-models", required=True)
    w.add_argument("--photos", required=True)
    w.add_argument("--cases", default="realesrgan-x4plus:photo1024x768.jpg:3:2,"
                   "realesr-general-x4v3:photo1024x768.jpg:3:2,realesrgan-x4plus:photo4000x3000.jpg:1:1",
                   help="model:photo:acuity runs:upscayl-bin runs, comma-separated")
    w.add_argument("--variants", default="default",
                   help="comma-separated: default, 'no cuDNN autotuning', 'png level 2', 'png level 6', 'plan auto', "
                   "'advisor', 'before VARIANT' (run by --acuity-before), "
                   "NAME=VALUE (set for acuity)")
    w.add_argument("--budget-s", type=float, default=240)
    u = sub.add_parser("warmup")
    u.add_argument("--model-dir", required=True)
    u.add_argument("--models", default="realesrgan-x4plus")
    u.add_argument("--size", default="1024x768")
    u.add_argument("--calls", type=int, default=3)
    u.add_argument("--timeout", type=float, default=90)
    u.add_argument("--settings", default="", help="';'-separated settings (default: all of WARMUP_SETTINGS)")
    o = sub.add_parser("warmup-one")
    o.add_argument("--model-dir", required=True)
    o.add_argument("--model", required=True)
    o.add_argument("--setting", required=True, choices=WARMUP_SETTINGS)
    o.add_argument("--size", default="1024x768")
    o.add_argument("--calls", type=int, default=3)
    g = sub.add_parser("agree")
    g.add_argument("--acuity", required=True)
    g.add_argument("--input", required=True)
    g.add_argument("--models", default="realesr-general-x4v3,realesrgan-x4plus,esrgan-medium")
    d = sub.add_parser("load")
    d.add_argument("--node-modules", required=True)
    d.add_argument("--manifest", required=True)
    d.add_argument("--models", default="realesrgan-x4plus,realesr-general-x4v3")
    d.add_argument("--device", default="cuda:0")
    d.add_argument("--call-rows", type=int, default=768, help="rows of the 1024-px-wide call (fewer off the GPU)")
    e = sub.add_parser("exit")
    e.add_argument("--runs", type=int, default=3)
    e.add_argument("cmd", nargs=argparse.REMAINDER, help="the command, after --")
    s = sub.add_parser("start")
    s.add_argument("--module", required=True, help="the LibTorch module (libacuity_torch.so)")
    s.add_argument("--runs", type=int, default=3)
    for p in (f, w, g, u, o, d, e, s):
        p.add_argument("--json")
    a = ap.parse_args()
    rows = {"forward": forward, "whole": whole, "agree": agree, "warmup": warmup,
            "warmup-one": warmup_one, "load": load, "exit": exit_time, "start": start}[a.what.replace("_", "-")](a)
    if a.json:
        with open(a.json, "w") as out:
            json.dump(rows, out, indent=1)


if __name__ == "__main__":
    sys.exit(main())

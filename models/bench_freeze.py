#!/usr/bin/python3
"""Eager TorchScript vs frozen + optimize_for_inference, as acuity loads them.

Measures what enhance/sr_model.cc's freezing buys: the same converted .pt
files from build/models, ×4 on a 256×256 random input (the cost does not
depend on the content), 1 and 2 intra-op threads, best of 3 after a warm-up,
and the largest difference between the two outputs (0–255 scale).

  /usr/bin/python3 models/bench_freeze.py [--models-dir build/models] [--size 256]
"""
import argparse
import time

import torch


def best_of(fn, repeat=3):
    fn()
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models-dir", default="build/models")
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--models", default="esrgan-slim,esrgan-medium")
    args = ap.parse_args()
    print(f"×4 of a {args.size}×{args.size} input, best of 3 after a warm-up, torch {torch.__version__}\n")
    print("| model | threads | eager s | frozen s | speed-up | max output difference (0–255) |")
    print("|---|---|---|---|---|---|")
    for name in args.models.split(","):
        path = f"{args.models_dir}/{name}-x4.pt"
        eager = torch.jit.load(path).eval()
        frozen = torch.jit.optimize_for_inference(torch.jit.freeze(torch.jit.load(path).eval()))
        x = torch.rand(1, 3, args.size, args.size) * 255
        with torch.inference_mode():
            diff = (eager(x) - frozen(x)).abs().max().item()
            for threads in (1, 2):
                torch.set_num_threads(threads)
                te = best_of(lambda: eager(x))
                tf = best_of(lambda: frozen(x))
                print(f"| {name} | {threads} | {te:.2f} | {tf:.2f} | {te / tf:.1f}× | {diff:.1e} |", flush=True)


if __name__ == "__main__":
    main()

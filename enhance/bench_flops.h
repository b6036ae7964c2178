// FLOP counts and the CPU's FMA peak, for upscale_bench's speed table
// (models/RESULTS.md, "GFLOP/s against the FMA peak"). Benchmark code only:
// it links LibTorch and is not part of any library.
//
//   const double flops = acuity::ConvFlops("build/models/esrgan-slim-x4.pt", 256, 256);
//   const double peak = acuity::FmaPeakGflops(2);   // GFLOP/s with 2 threads
//   std::printf("%.1f %% of the peak\n", flops / seconds * 1e-9 / peak * 100);
#ifndef ACUITY_ENHANCE_BENCH_FLOPS_H_
#define ACUITY_ENHANCE_BENCH_FLOPS_H_

#include <string>

namespace acuity {

// The network's FLOPs on a 1×3×h×w input: 2·N·Cout·Hout·Wout·Cin·kh·kw per
// convolution as it runs (a LibTorch RecordFunction observer on
// aten::_convolution; bias and activations not counted), counted on the
// first run of the TorchScript file at `pt_path` freshly loaded: later runs
// execute the JIT's optimised graph, whose fused kernels call convolutions
// past the observer.
double ConvFlops(const std::string& pt_path, int h, int w);

// The CPU's measured FP32 FMA peak, GFLOP/s, with `threads` threads (AVX2
// and FMA): the best of three runs, as the machine may be a VM whose
// neighbours steal cycles.
double FmaPeakGflops(int threads);

}  // namespace acuity

#endif  // ACUITY_ENHANCE_BENCH_FLOPS_H_

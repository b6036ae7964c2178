#include "analysis/advice/sr_model_facts.h"

namespace acuity {
namespace {

constexpr double Sq(double x) { return x * x; }

// CPU column (the 2-core reference machine, idle; models/RESULTS.md):
// - micros_per_input_px: "Speed" (×4 of a 256×256 crop, two tile workers,
//   float32) for the ESRGANs, and bf16_speedup from "bfloat16" for the two
//   that run it (slim 1.66×, thick 3.67×: an estimate of thick's 4.5× of a
//   444×296 shot said 184 s, the run took 49 s); Real-ESRGAN's relative to thick's, side by side
//   ("Damaged photos"): general-x4v3 140 × 0.12 × 1.3 ≈ 22 (its bfloat16
//   ratio, its wider margins), x4plus between 1085 and 2800, 1600 kept.
// - bytes_per_padded_px: the per-worker memory measured with
//   datasets/measure_memory.sh (enhance/memory_estimate.h's table) over the
//   padded area of a full tile: medium at its ×4 of a 12 MP photo ("Memory").
// - tile_px: "Tile size" (128 px for the RDNs; Real-ESRGAN's and thick's
//   192, their wide margins and x4plus's 0.5 GB feature maps at ×4).
// - tile_overlap_px: "Tile overlap" (the receptive radius capped at 16 px)
//   and "Real-ESRGAN" (80 and 32 px, measured).
// CUDA column, not yet measured by acuity (to be measured on a GPU:
// docs/gpu.md): Real-ESRGAN's µs from PyTorch's fp16 channels_last forward
// of a 1024×768 photo on one H100 in issue #22 (0.49 s and 0.067 s); the
// ESRGANs' the CPU figure over general-x4v3's CPU/GPU ratio (259, the
// smaller one of the two measured); memory in float16 taken as the CPU's
// float32 figure (half the activation bytes, the other half left to cuDNN's
// workspaces and the caching allocator). The tile comes from free memory.
constexpr double kCudaSpeedupEstimate = 22.0 / (0.067e6 / (1024.0 * 768.0));

const std::vector<SrModelFacts>* MakeFacts() {
  return new std::vector<SrModelFacts>{
      {"esrgan-slim", "rdn", {2, 3, 4, 8}, 10, 60e6, true, false, false,
       {4.3, 45e6 / Sq(128 + 2 * 10), 128, true, 1.66},
       {4.3 / kCudaSpeedupEstimate, 45e6 / Sq(128 + 2 * 10), 0, false}},
      {"esrgan-medium", "rdn", {2, 3, 4, 8}, 16, 50e6, false, false, false,
       {12.5, 215e6 / Sq(128 + 2 * 16), 128, true},
       {12.5 / kCudaSpeedupEstimate, 215e6 / Sq(128 + 2 * 16), 0, false}},
      {"esrgan-thick", "rrdn", {2, 3, 4, 8}, 16, 70e6, true, true, false,
       {140.0, 170e6 / Sq(192 + 2 * 16), 192, true, 3.67},
       {140.0 / kCudaSpeedupEstimate, 170e6 / Sq(192 + 2 * 16), 0, false}},
      {"realesr-general-x4v3", "srvgg", {4, 0, 0, 0}, 32, 30e6, true, false, true,
       {22.0, 50e6 / Sq(192 + 2 * 32), 192, true},
       {0.067e6 / (1024.0 * 768.0), 50e6 / Sq(192 + 2 * 32), 0, false}},
      {"realesrgan-x4plus", "rrdbnet", {4, 0, 0, 0}, 80, 280e6, false, false, true,
       {1600.0, 1100e6 / Sq(192 + 2 * 80), 192, true},
       {0.49e6 / (1024.0 * 768.0), 1100e6 / Sq(192 + 2 * 80), 0, false}},
  };
}

}  // namespace

bool CpuHasFastBf16() { return __builtin_cpu_supports("avx512bf16") != 0; }

std::vector<int> SrModelFacts::Scales() const {
  std::vector<int> out;
  for (int s : scales)
    if (s > 0) out.push_back(s);
  return out;
}

const std::vector<SrModelFacts>& AllSrModelFacts() {
  static const std::vector<SrModelFacts>* const kFacts = MakeFacts();
  return *kFacts;
}

const SrModelFacts* FindSrModelFacts(const std::string& name) {
  for (const SrModelFacts& f : AllSrModelFacts())
    if (name == f.name) return &f;
  return nullptr;
}

const SrModelFacts& HeaviestSrModelFacts() { return AllSrModelFacts().back(); }

}  // namespace acuity

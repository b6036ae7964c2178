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
// CUDA column (one NVIDIA H200, PyTorch 2.11's LibTorch, fp16; models/RESULTS.md
// "GPU", runs 21–23): `models/gpu_run.sh`'s whole-process runs.
// - micros_per_input_px: acuity's own upscale step (×4, the "steps" of
//   `enhance --timings`, the model's load apart) over the input px: the
//   network's forward (PyTorch's own, 1024×768: slim 0.005, medium 0.014,
//   general-x4v3 0.018, thick 0.108, x4plus 0.236 µs per px) and about 0.25
//   µs per input px of host work that comes with the 16 output px (the copy
//   back, the tile's conversion); the median run. 1024×768 → 4096×3072 for
//   slim, medium and general-x4v3 (runs 21–22), 4000×3000 → 16000×12000 for
//   thick (run 21) and x4plus (run 20).
// - bytes_per_padded_px: the device's peak (NVML, the whole device) less the
//   CUDA context's ~500 MB, over the padded px of the one tile of a
//   1024×768 photo (x4plus: its 1184×928 tile, run 2), fp16; what LibTorch's
//   caching allocator holds, cuDNN's workspaces included (its own peak
//   count is lower: general-x4v3 384, slim 736, medium 1760, thick 1120 B).
constexpr bool kCudaMeasured = true;

const std::vector<SrModelFacts>* MakeFacts() {
  return new std::vector<SrModelFacts>{
      {"esrgan-slim", "rdn", {2, 3, 4, 8}, 10, 60e6, true, false, false,
       {4.3, 45e6 / Sq(128 + 2 * 10), 128, true, 1.66},
       {0.38, 1200, 0, kCudaMeasured}},
      {"esrgan-medium", "rdn", {2, 3, 4, 8}, 16, 50e6, false, false, false,
       {12.5, 215e6 / Sq(128 + 2 * 16), 128, true},
       {0.28, 2150, 0, kCudaMeasured}},
      {"esrgan-thick", "rrdn", {2, 3, 4, 8}, 16, 70e6, true, true, false,
       {140.0, 170e6 / Sq(192 + 2 * 16), 192, true, 3.67},
       {0.30, 2250, 0, kCudaMeasured}},
      {"realesr-general-x4v3", "srvgg", {4, 0, 0, 0}, 32, 30e6, true, false, true,
       {22.0, 50e6 / Sq(192 + 2 * 32), 192, true},
       {0.27, 880, 0, kCudaMeasured}},
      {"realesrgan-x4plus", "rrdbnet", {4, 0, 0, 0}, 80, 280e6, false, false, true,
       {1600.0, 1100e6 / Sq(192 + 2 * 80), 192, true},
       {0.58, 8900, 0, kCudaMeasured}},
  };
}

}  // namespace

bool FastBf16(const CpuBf16Features& features) { return features.avx512_bf16 && features.amd; }

CpuBf16Features ThisCpuBf16Features() {
  CpuBf16Features f;
  f.avx512_bf16 = __builtin_cpu_supports("avx512bf16") != 0;
  f.amd = __builtin_cpu_is("amd") != 0;
  return f;
}

bool CpuHasFastBf16() { return FastBf16(ThisCpuBf16Features()); }

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

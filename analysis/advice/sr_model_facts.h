// The facts about each built-in super-resolution model, declared once: its
// scales, tile margin, the tile edge and cost measured on the CPU, and the
// same on a CUDA device. The model registry, the tiler
// (enhance/upscaler.cc), the memory estimate (enhance/memory_estimate.cc),
// the automatic model choice and its time budget (sr_choice.cc) and
// `acuity enhance --help` all read this table; models/manifest.json keeps
// the provenance (packages, checksums, licences), and a test holds the two
// and the converted sidecars in agreement (enhance/model_facts_test.cc).
//
//   const acuity::SrModelFacts* f = acuity::FindSrModelFacts("esrgan-thick");
//   double us = f->On(acuity::SrDeviceKind::kCpu).micros_per_input_px;   // 140
//   int overlap = f->tile_overlap_px;                                     // 16
#ifndef ACUITY_ANALYSIS_ADVICE_SR_MODEL_FACTS_H_
#define ACUITY_ANALYSIS_ADVICE_SR_MODEL_FACTS_H_

#include <array>
#include <string>
#include <vector>

#include "analysis/measurements/sr_device_kind.h"

namespace acuity {

// What one model costs on one kind of device.
struct SrDeviceCost {
  // Wall-clock µs per input px of one pass (×4; the cost hardly depends on
  // the scale), whole tiles and their margins included.
  double micros_per_input_px = 0;
  // Working memory per padded input px of a tile in flight, bytes, in
  // float32 (the CPU) or float16 (CUDA): feature maps, LibTorch's caches.
  double bytes_per_padded_px = 0;
  // The tile edge (input px, core) used when none is given; 0 = from the
  // device's free memory (CUDA: enhance/tiled_pass.h's DeviceTilePx).
  int tile_px = 0;
  // Whether the figures above were measured (models/RESULTS.md: the CPU's
  // "Speed" and "Memory", the CUDA column's "GPU") or are estimates.
  bool measured = false;
  // CPU: how much faster the model runs in bfloat16 than micros_per_input_px
  // (a float32 figure) says, where it runs in bfloat16 (SrModelFacts::bf16_ok
  // on a CPU where FastBf16: `--precision auto`); 1 where that figure is
  // already the one `auto` runs.
  double bf16_speedup = 1.0;
};

// What decides whether bfloat16 convolutions are faster than float32 on a
// CPU (FastBf16).
struct CpuBf16Features {
  bool avx512_bf16 = false;  // AVX-512 BF16 instructions
  bool amd = false;          // the vendor is AMD
};

// Whether bfloat16 convolutions (LibTorch's oneDNN) beat float32 on a CPU
// with `features`, as measured (models/RESULTS.md, "bfloat16"): on AMD with
// AVX-512 BF16 (an EPYC, Zen 4) esrgan-thick ran ×4 of a 96-px crop 3.67×
// faster; on an Intel Xeon with AVX-512 BF16 and no AMX, ×4 of a 128-px
// crop 0.65× as fast (1.53 s in float32, 2.34 s in bfloat16; general-x4v3
// 0.47×, slim 0.60×), and a ×3 of a 360×240 photo that `--precision auto`
// ran in bfloat16 took 12.7 s against 8.4 s in float32 and an estimate of
// 3.3 s, which counted the AMD's speed-up. Intel's AMX, which oneDNN may
// use for bfloat16, has not been measured: float32 there too.
bool FastBf16(const CpuBf16Features& features);

// This CPU's features (the compiler's CPU detection).
CpuBf16Features ThisCpuBf16Features();

// FastBf16 on this CPU: where `--precision auto` runs the bf16_ok models in
// bfloat16, and time estimates count SrDeviceCost::bf16_speedup.
bool CpuHasFastBf16();

struct SrModelFacts {
  const char* name;               // a BuiltinModelNames() name
  const char* arch;               // "rdn", "rrdn", "rrdbnet", "srvgg"
  std::array<int, 4> scales;      // converted scales, ascending, 0 = none
  int tile_overlap_px;            // context margin (input px) for tiled = untiled within 1/255
  double fixed_bytes;             // the loaded model (weights, optimised graph), bytes
  bool bf16_ok;                   // ≥ 1.5× faster in bf16 at ≥ 45 dB where FastBf16 (AMD, AVX-512 BF16)
  bool eight_uses_x8;             // ×5–×8 run the ×8 model in one pass (else two passes: ModelPasses)
  bool repairs_itself;            // trained on noise/JPEG damage, sharpens itself (Real-ESRGAN)
  SrDeviceCost cpu, cuda;

  const SrDeviceCost& On(SrDeviceKind kind) const { return kind == SrDeviceKind::kCuda ? cuda : cpu; }
  // The converted scales, ascending.
  std::vector<int> Scales() const;
};

// Every built-in model, fastest first among the ESRGANs, then Real-ESRGAN's.
const std::vector<SrModelFacts>& AllSrModelFacts();

// The facts of built-in model `name`; nullptr for any other name (a user's model).
const SrModelFacts* FindSrModelFacts(const std::string& name);

// The heaviest built-in model (the worst case assumed for a user's FILE.pt).
const SrModelFacts& HeaviestSrModelFacts();

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_ADVICE_SR_MODEL_FACTS_H_

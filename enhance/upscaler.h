// Super-resolution upscaling through LibTorch with the pinned models
// (UpscalerJS's ESRGANs, Real-ESRGAN's x4plus and general-x4v3) or a user's
// own TorchScript model: tiled with overlap so that memory is bounded, any
// factor ≥ 1 (≤ 4× per AI pass; fractional factors, and steps a model has no
// scale for, go to the next scale and come back down with area averaging),
// alpha upscaled separately, 16-bit in → 16-bit out, gray handled.
//
// This header is free of LibTorch includes on purpose: everything that
// includes it stays fast to compile.
//
//   acuity::UpscaleOptions options;
//   options.model = "esrgan-medium";      // or "/path/to/mine.pt"; "" = auto
//   options.factor = 3.0;
//   absl::StatusOr<acuity::UpscaleResult> r = acuity::Upscale(image.pixels, options);
//   if (r.ok()) Save(r->pixels);          // same depth and channel layout as the input
#ifndef ACUITY_ENHANCE_UPSCALER_H_
#define ACUITY_ENHANCE_UPSCALER_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "absl/status/statusor.h"
#include "enhance/device.h"

namespace acuity {

// Reports progress in [0, 1]; return false to cancel (Upscale then returns
// a Cancelled status). Called once per tile, from the calling thread or a
// tile worker, never two calls at a time.
using ProgressCallback = std::function<bool(double fraction_done)>;

// How Upscale uses its threads.
enum class ThreadMode {
  kAuto,     // the measured default (models/RESULTS.md, "Threads"): kTiles
  kTiles,    // up to `threads` tiles at a time; when there are fewer tiles
             // than threads (a small image), the spare threads go to the
             // tiles as LibTorch intra-op threads, so every core works
  kIntraOp,  // one tile at a time with `threads` LibTorch intra-op threads
};

// The arithmetic of the network passes.
enum class PrecisionMode {
  kAuto,  // on a CUDA device float16; on the CPU bfloat16 where it is
          // measured faster (FastBf16, sr_model_facts.h: AMD with AVX-512
          // BF16) and the model was measured to gain from it
          // (ChoosePrecision, sr_model.h), else float32
  kFp32,  // always float32 (the reference; acuity enhance --precision fp32)
  kBf16,  // always bfloat16 (for measuring; emulated, slow, on a CPU without AVX-512 BF16)
  kFp16,  // always float16 (CUDA only)
};

struct UpscaleOptions {
  // A built-in model (BuiltinModelNames: "esrgan-slim", "esrgan-medium",
  // "esrgan-thick", "realesr-general-x4v3", "realesrgan-x4plus"), a path to
  // a TorchScript .pt file, or "" to let acuity choose among the ESRGANs
  // (and say which in model_used): the best-scoring model expected to
  // finish within about a minute on a 2-core machine — thick for small
  // images, medium up to ≈ 4.8 MP, slim beyond (models/RESULTS.md,
  // "Automatic model choice").
  std::string model;
  // For a user's .pt without a JSON sidecar: its scale and input range.
  std::optional<int> model_scale;
  std::optional<double> model_input_range;  // 1 or 255
  double factor = 2.0;         // overall enlargement, ≥ 1
  int tile_px = 0;             // input tile edge in px; 0 = automatic
  // Context margin around each tile, input px; -1 = the model's measured
  // margin (sidecar tile_overlap_px) or else from its receptive radius
  // (enhance/tiling.h). Only benchmarks should need it.
  int overlap_px = -1;
  int threads = 0;             // CPU threads to use; 0 = all cores (measured default)
  ThreadMode thread_mode = ThreadMode::kAuto;
  PrecisionMode precision = PrecisionMode::kAuto;
  // Where the networks run (enhance/device.h): auto = the first CUDA device
  // the LibTorch module sees, else the CPU. On a CUDA device the tile comes
  // from its free memory (one tile when the image fits) and is halved when
  // it runs out of memory (enhance/tiled_pass.h).
  DeviceRequest device;
  std::string model_dir;       // where <name>-x<scale>.pt live; "" = default search
  ProgressCallback progress;   // may be empty
  // Run the network only where the image is not its flat surround (a
  // product shot's white, a screenshot's margins) and fill the rest with the
  // network's response to that colour (tiled_pass.h, NetworkRegion);
  // false = over every pixel (for tests and benchmarks).
  bool skip_flat_surround = true;
};

struct UpscaleResult {
  cv::Mat pixels;                   // same depth and channels as the input
  std::string model_used;           // e.g. "esrgan-medium"
  // e.g. {"esrgan-medium x4", "esrgan-medium x2", "area down 0.938"}; a
  // pass run in bfloat16 says so: "esrgan-thick x4 bf16".
  std::vector<std::string> passes;
  // Times a pass halved its tile after the device ran out of memory.
  int tile_retries = 0;
  double seconds = 0;
  // Of `seconds`: choosing the device and loading the models, s (the
  // LibTorch module's first load, a CUDA device's start, each network not
  // yet in the process's ModelCache); near 0 when all were loaded before.
  double load_seconds = 0;
};

absl::StatusOr<UpscaleResult> Upscale(const cv::Mat& pixels, const UpscaleOptions& options);

// True when `status` blames the user's own model file (options.model a
// path): missing, not a loadable TorchScript module, not an upscaler, or
// failing on a tile. Upscale marks such statuses with a payload, which
// RunPlan keeps; callers branch on this, never on the message text.
// Running out of memory and cancelling are never the file's fault.
bool IsModelFileError(const absl::Status& status);

}  // namespace acuity

#endif  // ACUITY_ENHANCE_UPSCALER_H_

// The pipeline: parses explicit steps (`acuity enhance --steps ...`) into a
// Plan and runs a Plan's steps in order on an image, with progress,
// cancellation and a per-step log.
//
// Steps grammar (ParseSteps):
//
//   STEPS := STEP ("," STEP)*
//   STEP  := OP (":" ARG)*          ARG is a value in the op's order, or name=value
//
//   upscale[:FACTOR[:MODEL]]        FACTOR ≥ 1 (2, 4, 2.5, ...; "x4" also reads);
//                                   without one, the factor --target needs;
//                                   MODEL esrgan-slim|esrgan-medium|esrgan-thick|FILE.pt
//   downscale:FACTOR | downscale:WxH   FACTOR in (0, 1], or the size in px
//   sharpen[:AMOUNT[:RADIUS]]       AMOUNT 0–5 (0.4 = 40 %, "40%" also reads;
//                                   default 0.4), RADIUS Gaussian σ in px (default 1)
//   denoise[:SIGMA]                 noise σ to remove, 8-bit units; without it,
//                                   measured (analysis/noise.h)
//   deblock[:QUALITY]               the JPEG quality the damage came from; without
//                                   it, the file's own tables, else estimated
//                                   from the pixels; strength=0–1 (default 1)
//   encode:FORMAT[:QUALITY]         jpeg|png|tiff|webp, quality 1–100; sets how
//                                   OUT is written (must agree with its extension)
//
//   e.g. "deblock,denoise:12,upscale:4:esrgan-thick,sharpen:0.4,encode:jpeg:85"
//        "sharpen:amount=0.3:radius=1.5"
//
// Params use the names of analysis/plan.h, so an advisor's plan runs as is.
//
//   absl::StatusOr<acuity::Plan> plan = acuity::ParseSteps("upscale:2,sharpen:0.4");
//   acuity::PipelineOptions options;
//   options.progress = [](double f, const std::string& step) { Show(f, step); return true; };
//   absl::StatusOr<acuity::PipelineResult> r = acuity::RunPlan(image, *plan, options);
#ifndef ACUITY_ENHANCE_PIPELINE_H_
#define ACUITY_ENHANCE_PIPELINE_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>

#include "absl/status/statusor.h"
#include "analysis/io/image.h"
#include "analysis/advice/plan.h"
#include "enhance/upscaler.h"

namespace acuity {

// Parses STEPS (see above). InvalidArgument naming the step and the problem:
// an unknown op, a value that is not a number, a value out of range.
absl::StatusOr<Plan> ParseSteps(std::string_view steps);

// Overall fraction done (0–1) and the step running ("upscale 4×", ...);
// return false to cancel.
using PipelineProgress = std::function<bool(double fraction_done, const std::string& step)>;

struct PipelineOptions {
  // Defaults for upscale steps: the model when a step names none ("" = acuity
  // picks), a user model's scale/range, threads, model directory, tile size.
  // Its factor and progress are set per step.
  UpscaleOptions upscale;
  PipelineProgress progress;  // may be empty
};

struct StepLog {
  std::string step;     // e.g. "upscale 4× (esrgan-thick)", "sharpen 40 % r 1.0 px"
  double seconds = 0;
  int width = 0, height = 0;  // px after the step
  std::string note;     // what was decided on the way, e.g. "noise σ 11.8 measured"
};

struct PipelineResult {
  cv::Mat pixels;  // same depth and channel layout as the input
  std::vector<StepLog> log;
  // From an encode step (the last one wins): how to write the result.
  std::optional<ImageFormat> encode_format;
  std::optional<int> encode_quality;
};

// Runs the steps in order. Every step keeps the depth (8/16-bit) and the
// channel layout (gray, BGR, BGRA with alpha untouched or upscaled on its
// own). Cancelled when the progress callback returns false; InvalidArgument
// for a step whose params are wrong (e.g. an upscale without a factor);
// other codes as the step's operation returns them, with the step named.
absl::StatusOr<PipelineResult> RunPlan(const Image& image, const Plan& plan,
                                       const PipelineOptions& options = {});

}  // namespace acuity

#endif  // ACUITY_ENHANCE_PIPELINE_H_

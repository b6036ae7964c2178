// The pipeline: runs a Plan's typed steps (analysis/advice/plan.h) in order
// on an image, with progress, cancellation and a per-step log. Plans come
// from the advisor (analysis/advice/advisor.h) or from ParseSteps
// (analysis/advice/parse_steps.h), and go through PreparePlan
// (enhance/plan_preparation.h) first when a target or an output file is
// involved; each op runs as its table entry (analysis/advice/plan_ops.h)
// documents.
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
#include <vector>

#include <opencv2/core.hpp>

#include "absl/status/statusor.h"
#include "analysis/io/image.h"
#include "analysis/io/image_writer.h"
#include "analysis/measurements/target_spec.h"
#include "analysis/advice/plan.h"
#include "enhance/upscaler.h"

namespace acuity {

// Overall fraction done (0–1) and the step running ("upscale 4×", ...);
// return false to cancel.
using PipelineProgress = std::function<bool(double fraction_done, const std::string& step)>;

struct PipelineOptions {
  // Defaults for upscale steps: the model when a step names none ("" = acuity
  // picks), a user model's scale/range, threads, model directory, tile size.
  // Its factor and progress are set per step.
  UpscaleOptions upscale;
  PipelineProgress progress;  // may be empty
  // Fraction (0–1) of the step running, beside the overall one above, for a
  // per-step bar; called just before `progress`. May be empty.
  std::function<void(double step_fraction)> step_progress;
  // The format the result will be written in (kUnknown: not known). When
  // neither it nor the plan's last encode step keeps an alpha channel
  // (a JPEG), a transparent input is flattened onto white before the first
  // step: the steps then never spread the colour hidden under transparent
  // pixels (often black) into the edge that the flattening would show, and
  // the result is the picture a page would have shown, enlarged.
  ImageFormat output_format = ImageFormat::kUnknown;
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
  std::optional<int> encode_max_bytes;  // the file-size limit, bytes (WriteOptions::max_bytes)
  std::optional<int> encode_png_level;  // PNG zlib level 0–9 (WriteOptions::png_level)
  // The ICC profile the written file must carry instead of the input's
  // (sRGB after an encode step's colour conversion); absent = the input's.
  std::optional<std::vector<uint8_t>> icc_profile;
  // What acuity did, for the written file's XMP (acuity_record.h): the
  // source's record carried on (enlargement multiplied, sharpened until a
  // later enlargement), this run's steps.
  AcuityRecord record;
  // Output px per input px along x and y: the product of the resampling
  // steps' (upscale, downscale, resize); a crop or a pad changes neither.
  // The written file's DPI is the input's scaled by these
  // (WriteOptions::px_per_source_px).
  cv::Point2d px_per_source_px{1.0, 1.0};
  // Of the steps' time: the upscale steps' device start and model loads, s
  // (UpscaleResult::load_seconds, summed).
  double model_load_seconds = 0;
};

// How a result is written, the same from every front end: the source's
// metadata kept, `quality` for JPEG/WebP (kDefaultJpegQuality when absent)
// and a print target's DPI recorded. `source` must outlive the options.
WriteOptions ResultWriteOptions(const ImageInfo& source, std::optional<int> quality,
                                const std::optional<TargetSpec>& target);
// The same for a pipeline's result: also its size limit and ICC profile.
WriteOptions ResultWriteOptions(const ImageInfo& source, const PipelineResult& result, std::optional<int> quality,
                                const std::optional<TargetSpec>& target);

// Runs the steps in order. Every step keeps the depth (8/16-bit) and the
// channel layout (gray, BGR, BGRA with alpha untouched or upscaled on its
// own). Cancelled when the progress callback returns false; InvalidArgument
// for a step whose params are wrong (e.g. an upscale without a factor);
// other codes as the step's operation returns them, with the step named and
// their payloads kept (IsModelFileError of upscaler.h and
// IsMachineResourceError of analysis/io/guard.h still answer): running out of
// memory in a step is "<step>: out of memory while …". Never throws.
absl::StatusOr<PipelineResult> RunPlan(const Image& image, const Plan& plan,
                                       const PipelineOptions& options = {});

}  // namespace acuity

#endif  // ACUITY_ENHANCE_PIPELINE_H_

// An enhancement plan: ordered, typed steps, each with the reason that
// triggered it, plus warnings. The advisor (advisor.h) writes plans; the
// pipeline (enhance/pipeline.h) runs them; ParseSteps (plan_ops.h) reads
// them from `acuity enhance --steps`. Each op's parameters — names as in
// `--steps` and in JSON, units, ranges, defaults, docs — are declared once,
// in the table of plan_ops.h; the JSON form is in analysis/json/plan_json.h.
//
//   acuity::Plan plan;
//   plan.steps.push_back({acuity::UpscaleStep{.factor = 4, .model = "esrgan-thick"},
//                         "the target needs 3.2× more pixels"});
//   if (const auto* up = std::get_if<acuity::UpscaleStep>(&plan.steps[0].params)) Use(*up->factor);
//   std::cout << acuity::StepText(plan.steps[0]);  // "upscale ×4 (esrgan-thick)"
#ifndef ACUITY_ANALYSIS_ADVICE_PLAN_H_
#define ACUITY_ANALYSIS_ADVICE_PLAN_H_

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "analysis/io/image.h"
#include "analysis/measurements/warning.h"

namespace acuity {

// JPEG blocking and ringing repair (enhance/deblock.h).
struct DeblockStep {
  // The IJG quality (1–100) whose tables the damage came from. Absent: the
  // file's own quantization tables while the pixels are still the decoded
  // JPEG, else the quality estimated from the pixels.
  std::optional<int> quality;
  double strength = 1.0;  // 0–1: blend from the input (0) to the full repair (1)
};

// Non-local means denoising (enhance/denoise.h).
struct DenoiseStep {
  std::optional<double> sigma;  // noise σ to remove, 8-bit units; absent = measured
};

// A few-colour picture's dither dots smoothed where they are (enhance/undither.h).
struct UnditherStep {
  std::optional<double> sigma;  // Gaussian σ of the low-pass, px; absent = measured (dither.h)
};

// Cuts the image to a size (the target's aspect), before any upscale, so
// that no pixel that is cut is upscaled.
struct CropStep {
  std::optional<int> width_px;   // the size kept, px; absent = what --target keeps
  std::optional<int> height_px;
  std::optional<int> x_px;       // left edge, px; absent = where the detail is
  std::optional<int> y_px;       // top edge, px; absent = where the detail is
};

// AI super-resolution (enhance/upscaler.h).
struct UpscaleStep {
  // Enlargement, × (≥ 1; fractional factors go to the next whole number and
  // come back down). Absent = what the target needs (enhance/plan_preparation.h).
  std::optional<double> factor;
  std::string model;  // a built-in model name or a TorchScript .pt path; "" = the run's default
};

// Area-averaging reduction (enhance/resize.h): a factor or a size.
struct DownscaleStep {
  std::optional<double> factor;   // × in (0, 1]
  std::optional<int> width_px;    // the size to reach, px; wins over factor
  std::optional<int> height_px;   // absent with width_px = keep the aspect ratio
};

// Resampling to an exact size (enhance/resize.h: area averaging down,
// Lanczos-4 up): small corrections, e.g. the last pixel of a target.
struct ResizeStep {
  std::optional<int> width_px;   // px
  std::optional<int> height_px;  // absent with width_px = keep the aspect ratio
};

// Enlargement by repeating pixels (nearest neighbour, enhance/resize.h):
// pixel art's exact enlargement, each pixel a square (of even sides when
// the factor is a whole number).
struct NearestStep {
  std::optional<int> width_px;   // px
  std::optional<int> height_px;  // absent with width_px = keep the aspect ratio
};

// Halo-guarded unsharp mask on luma (enhance/sharpen.h).
struct SharpenStep {
  double amount = 0.4;  // 1.0 = 100 % of the detail added back (0–5)
  double radius = 1.0;  // Gaussian σ of the mask, px
};

// Extends the canvas to a size, the image centred on a plain colour (a
// shop's square product canvas); after sharpening, so the border gets no halo.
struct PadStep {
  std::optional<int> width_px;   // the canvas, px; absent = the --target's size
  std::optional<int> height_px;
  std::string color = "white";   // white, black, gray or #RRGGBB
};

// How OUT is written (must agree with its extension).
struct EncodeStep {
  ImageFormat format = ImageFormat::kJpeg;
  std::optional<int> quality;  // JPEG/WebP quality 1–100; absent = the writer's default
  // The largest file, bytes: a JPEG/WebP whose file would be larger is
  // written at the highest quality under it (image_writer.h). Absent = no limit.
  std::optional<int> max_bytes;
  // "srgb": the pixels are converted from the input's ICC profile to sRGB
  // and the file carries sRGB (a marketplace's colour rule); "" = as they are.
  std::string color_space;
  // PNG: zlib's compression level 0–9 (image_writer.h's kDefaultPngLevel
  // when absent, 4). 6 and 9 write smaller files, more slowly.
  std::optional<int> png_level;
};

// One op with its parameters. The order of the alternatives is the order of
// the table in plan_ops.h.
using StepParams = std::variant<UnditherStep, DeblockStep, DenoiseStep, CropStep, UpscaleStep, DownscaleStep, ResizeStep,
                                NearestStep,
                                SharpenStep, PadStep, EncodeStep>;

struct PlanStep {
  StepParams params;
  std::string reason;  // quotes the measurement that triggered the step
};

struct Plan {
  std::vector<PlanStep> steps;  // empty = "leave it as it is"
  std::vector<Warning> warnings;
};

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_ADVICE_PLAN_H_

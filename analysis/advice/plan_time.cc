#include "analysis/advice/plan_time.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <type_traits>
#include <variant>

#include <fmt/format.h>

#include "analysis/advice/plan_ops.h"
#include "analysis/advice/sr_choice.h"
#include "analysis/advice/sr_model_facts.h"
#include "analysis/measurements/image_ops.h"

namespace acuity {
namespace {

// Wall-clock µs per input px on the reference machine, idle. Deblock:
// docs/advice.md ("about 3 s per megapixel"). The others measured beside it
// with `acuity enhance --steps deblock:30,denoise:8` and `--steps
// sharpen:0.8,resize:2000x1334,...` on a 1000×667 px photo (load 11–13,
// where deblock took 1.5 s, 2.2 µs/px): denoise 3.8–5.0 s, 2.5–3.1× deblock;
// sharpen 0.41–0.45 µs/px; resize 0.15 µs/px; crop and pad under 0.1 s.
constexpr double kDeblockMicrosPerPx = 3.0;
constexpr double kDenoiseMicrosPerPx = 7.5;
constexpr double kSharpenMicrosPerPx = 0.45;
constexpr double kCheapMicrosPerPx = 0.15;  // resize, nearest, downscale, crop, pad
// Undither: measured beside sharpen on a 4000×3000 dithered picture
// (`acuity enhance --steps undither:0.6,sharpen:0.5`, load 3.7): 1.5 s
// against sharpen's 0.8 s, 1.9× its rate.
constexpr double kUnditherMicrosPerPx = 1.9 * kSharpenMicrosPerPx;

double StepSeconds(const DeblockStep&, cv::Size in, const std::string&) { return in.area() * kDeblockMicrosPerPx * 1e-6; }
double StepSeconds(const DenoiseStep&, cv::Size in, const std::string&) { return in.area() * kDenoiseMicrosPerPx * 1e-6; }
// The model an upscale step runs (a user's file counts as esrgan-thick);
// `detail`: the input's FlatSurroundBox when known (sr_choice.h).
std::string StepModel(const UpscaleStep& s, cv::Size in, const std::string& default_model, SrDeviceKind device,
                      const std::optional<cv::Rect>& detail) {
  std::string model = !s.model.empty() ? s.model : default_model;
  if (model.empty()) model = AutoSrModel(in, SplitIntoPasses(s.factor.value_or(1)), device, detail);
  return IsEstimatedSrModel(model) ? model : "esrgan-thick";
}

double StepSeconds(const UpscaleStep& s, cv::Size in, const std::string& default_model, SrDeviceKind device,
                   const std::optional<cv::Rect>& detail) {
  const std::vector<int> passes = SplitIntoPasses(s.factor.value_or(1));
  if (passes.empty()) return 0;
  return EstimatedSrSeconds(StepModel(s, in, default_model, device, detail), in, passes, device, detail);
}
double StepSeconds(const SharpenStep&, cv::Size in, const std::string&) { return in.area() * kSharpenMicrosPerPx * 1e-6; }
double StepSeconds(const UnditherStep&, cv::Size in, const std::string&) {
  return in.area() * kUnditherMicrosPerPx * 1e-6;
}
double StepSeconds(const EncodeStep&, cv::Size, const std::string&) { return 0; }
template <typename Step>
double StepSeconds(const Step&, cv::Size in, const std::string&) {
  return in.area() * kCheapMicrosPerPx * 1e-6;
}

// `pixels` (may be null): the input's, for the first upscale's network area
// (tiled_pass.h runs the network only over what is not the flat surround),
// while only repairs, which keep the surround, and crops placed by the plan
// (image_ops.h DetailBoxAfterCrop) come before it.
std::vector<double> StepSecondsOf(const Plan& plan, cv::Size input, const cv::Mat* pixels,
                                  const std::string& default_model, SrDeviceKind device) {
  std::vector<double> seconds;
  cv::Size size = input;
  std::optional<cv::Rect> detail;  // known while only repairs and placed crops came before
  const bool upscales = std::any_of(plan.steps.begin(), plan.steps.end(), [](const PlanStep& step) {
    return std::holds_alternative<UpscaleStep>(step.params);
  });
  if (upscales && pixels != nullptr && !pixels->empty()) detail = FlatSurroundBox(*pixels);
  for (const PlanStep& step : plan.steps) {
    const double s = std::visit(
        [&](const auto& p) {
          if constexpr (std::is_same_v<std::decay_t<decltype(p)>, UpscaleStep>)
            return StepSeconds(p, size, default_model, device, detail);
          else
            return StepSeconds(p, size, default_model);
        },
        step.params);
    const bool repair = std::holds_alternative<DeblockStep>(step.params) ||
                        std::holds_alternative<DenoiseStep>(step.params) ||
                        std::holds_alternative<UnditherStep>(step.params);  // keeps a flat surround flat
    const auto* crop = std::get_if<CropStep>(&step.params);
    if (detail && crop != nullptr && crop->width_px && crop->height_px && crop->x_px && crop->y_px)
      detail = DetailBoxAfterCrop(*detail, cv::Rect(*crop->x_px, *crop->y_px, *crop->width_px, *crop->height_px), size);
    else if (!repair)
      detail.reset();
    seconds.push_back(s);
    size = SizeAfter(step, size);
  }
  return seconds;
}

double Sum(const std::vector<double>& seconds) {
  double total = 0;
  for (double s : seconds) total += s;
  return total;
}

}  // namespace

std::vector<double> EstimatedStepSeconds(const Plan& plan, cv::Size input, const std::string& default_model,
                                         SrDeviceKind device) {
  return StepSecondsOf(plan, input, nullptr, default_model, device);
}

std::vector<double> EstimatedStepSeconds(const Plan& plan, const cv::Mat& pixels, const std::string& default_model,
                                         SrDeviceKind device) {
  return StepSecondsOf(plan, pixels.size(), &pixels, default_model, device);
}

double EstimatedPlanSeconds(const Plan& plan, cv::Size input, const std::string& default_model,
                            SrDeviceKind device) {
  return Sum(EstimatedStepSeconds(plan, input, default_model, device));
}

double EstimatedPlanSeconds(const Plan& plan, const cv::Mat& pixels, const std::string& default_model,
                            SrDeviceKind device) {
  return Sum(EstimatedStepSeconds(plan, pixels, default_model, device));
}

std::string PlanTimeText(double seconds) {
  if (seconds < 90) return fmt::format("about {:.0f} s", seconds);
  if (seconds < 5400) return fmt::format("about {:.0f} min", seconds / 60);
  return fmt::format("about {:.1f} h", seconds / 3600);
}

std::string PlanTimeBasisText(SrDeviceKind device) {
  return device == SrDeviceKind::kCuda ? "the AI passes on a CUDA GPU at an H200's pace, the other steps on 2 idle cores"
                                       : "every step and AI pass, 2 idle cores";
}

}  // namespace acuity

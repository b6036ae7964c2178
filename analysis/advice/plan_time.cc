#include "analysis/advice/plan_time.h"

#include <cmath>
#include <variant>

#include <fmt/format.h>

#include "analysis/advice/plan_ops.h"
#include "analysis/advice/sr_choice.h"

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
constexpr double kCheapMicrosPerPx = 0.15;  // resize, downscale, crop, pad

double StepSeconds(const DeblockStep&, cv::Size in, const std::string&) { return in.area() * kDeblockMicrosPerPx * 1e-6; }
double StepSeconds(const DenoiseStep&, cv::Size in, const std::string&) { return in.area() * kDenoiseMicrosPerPx * 1e-6; }
double StepSeconds(const UpscaleStep& s, cv::Size in, const std::string& default_model) {
  const std::vector<int> passes = SplitIntoPasses(s.factor.value_or(1));
  if (passes.empty()) return 0;
  std::string model = !s.model.empty() ? s.model : default_model;
  if (model.empty()) model = AutoSrModel(in, passes);
  if (!IsEstimatedSrModel(model)) model = "esrgan-thick";
  return EstimatedSrSeconds(model, in, passes);
}
double StepSeconds(const SharpenStep&, cv::Size in, const std::string&) { return in.area() * kSharpenMicrosPerPx * 1e-6; }
double StepSeconds(const EncodeStep&, cv::Size, const std::string&) { return 0; }
template <typename Step>
double StepSeconds(const Step&, cv::Size in, const std::string&) {
  return in.area() * kCheapMicrosPerPx * 1e-6;
}

}  // namespace

std::vector<double> EstimatedStepSeconds(const Plan& plan, cv::Size input, const std::string& default_model) {
  std::vector<double> seconds;
  cv::Size size = input;
  for (const PlanStep& step : plan.steps) {
    seconds.push_back(std::visit([&](const auto& s) { return StepSeconds(s, size, default_model); }, step.params));
    size = SizeAfter(step, size);
  }
  return seconds;
}

double EstimatedPlanSeconds(const Plan& plan, cv::Size input, const std::string& default_model) {
  double total = 0;
  for (double s : EstimatedStepSeconds(plan, input, default_model)) total += s;
  return total;
}

std::string PlanTimeText(double seconds) {
  if (seconds < 90) return fmt::format("about {:.0f} s", seconds);
  if (seconds < 5400) return fmt::format("about {:.0f} min", seconds / 60);
  return fmt::format("about {:.1f} h", seconds / 3600);
}

}  // namespace acuity

#include "analysis/advice/undither_advice.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <variant>

#include <fmt/format.h>

namespace acuity {

std::string LaterStepsThatEnlarge(const Plan& plan, size_t index) {
  bool upscales = false, sharpens = false;
  for (size_t later = index + 1; later < plan.steps.size(); ++later) {
    upscales |= std::holds_alternative<UpscaleStep>(plan.steps[later].params);
    sharpens |= std::holds_alternative<SharpenStep>(plan.steps[later].params);
  }
  return upscales && sharpens ? "upscaling and sharpening"
         : upscales          ? "upscaling"
         : sharpens          ? "sharpening"
                             : "";
}

bool AddUndither(const AnalysisReport& r, Plan& plan) {
  const DitherResult& d = r.dither;
  if (!d.detected.value_or(false) || !d.undither_sigma_px) return false;
  UnditherStep step;
  step.sigma = std::round(*d.undither_sigma_px * 100) / 100;
  plan.steps.push_back({step, ""});
  return true;
}

void SayWhyUndither(const AnalysisReport& r, Plan& plan) {
  auto undither = std::find_if(plan.steps.begin(), plan.steps.end(),
                               [](const PlanStep& s) { return std::holds_alternative<UnditherStep>(s.params); });
  if (undither == plan.steps.end()) return;
  const std::string follows = LaterStepsThatEnlarge(plan, size_t(undither - plan.steps.begin()));
  const DitherResult& d = r.dither;
  if (d.screen_period_px) {
    undither->reason = fmt::format(
        "a printed halftone screen (period {:.1f} px at {:.0f}°): the dots are the print's, not detail; {} "
        "(a Gaussian of 0.4 × its period)",
        *d.screen_period_px, d.screen_angle_deg.value_or(0),
        follows.empty() ? std::string("smooth them away")
                        : fmt::format("smooth them away first: {} would enlarge them", follows));
    return;
  }
  undither->reason = fmt::format(
      "dithered to {} colours (dots σ {:.1f}, alternating: neighbour correlation {:.2f} < {:.2f}): the dots are "
      "the palette's, not detail; {}",
      d.colors.value_or(0), d.pattern_sigma_8bit.value_or(0), d.pattern_correlation.value_or(0),
      kDitherMaxCorrelation,
      follows.empty() ? std::string("smooth them where they are")
                      : fmt::format("smooth them where they are first: {} would enlarge them", follows));
}

}  // namespace acuity

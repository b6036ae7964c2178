#include "analysis/advice/pixel_art_advice.h"

#include <cmath>
#include <string>

#include <fmt/format.h>

#include "analysis/advice/advisor.h"
#include "analysis/measurements/image_ops.h"

namespace acuity {

bool RepeatsPixels(const AnalysisReport& r, const AdvisorThresholds& t) {
  if (!r.target || !TargetNeedsUpscale(*r.target, t) || !r.resolution.pixel_block_px) return false;
  const bool drawn = r.content.kind == ContentKind::kSynthetic ||
                     (r.content.colors && *r.content.colors <= kMaxPaletteColours);
  return drawn;
}

void AddRepeatPixels(const AnalysisReport& r, Plan& plan) {
  const TargetFit& fit = *r.target;
  const int side = *r.resolution.pixel_block_px;
  const double scale = fit.required_scale;
  const double squares = side * scale;  // px, the squares' side after
  const bool whole = std::abs(scale - std::round(scale)) < 1e-4;
  const std::string what = fit.cropped() ? "the part kept" : "the image";
  std::string why = fmt::format(
      "the target needs {}×{} px and {} has {}×{} px: {:.2f}× more pixels; it is made of {}×{}-px squares of one "
      "colour (pixel art enlarged by repeating pixels): repeating them again is its exact enlargement, where an "
      "upscale model would round the squares and invent texture in them",
      fit.scaled_width_px, fit.scaled_height_px, what, fit.kept_width_px, fit.kept_height_px, scale, side, side);
  if (whole) {
    why += fmt::format("; squares of {:.0f} px", squares);
  } else {
    // The nearest whole factor's size keeps them even.
    const int even = std::max(1, int(std::lround(scale)));
    why += fmt::format("; {:.2f}× is no whole factor: squares of {} and {} px alternate ({}×{} px, ×{}, keeps them "
                       "even)",
                       scale, int(std::floor(squares)), int(std::ceil(squares)), fit.kept_width_px * even,
                       fit.kept_height_px * even, even);
  }
  NearestStep step;
  step.width_px = fit.scaled_width_px;
  step.height_px = fit.scaled_height_px;
  plan.steps.push_back({step, why});
}

}  // namespace acuity

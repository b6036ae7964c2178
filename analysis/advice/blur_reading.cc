#include "analysis/advice/blur_reading.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace acuity {

BlurToActOn BlurToActOn::From(const SharpnessResult& sharpness, const MotionBlurResult& motion_blur) {
  BlurToActOn b;
  b.gaussian_sigma_px = sharpness.blur_sigma_px;
  if (motion_blur.detected.value_or(false) && motion_blur.length_px) {
    b.motion_length_px = motion_blur.length_px;
    b.motion_angle_deg = motion_blur.angle_deg;
    b.motion_sigma_px = *motion_blur.length_px / std::sqrt(12.0);
  }
  return b;
}

std::optional<double> BlurToActOn::SigmaPx() const {
  if (gaussian_sigma_px && motion_sigma_px) return std::max(*gaussian_sigma_px, *motion_sigma_px);
  return gaussian_sigma_px ? gaussian_sigma_px : motion_sigma_px;
}

bool BlurToActOn::MotionDominates() const {
  return motion_sigma_px && *motion_sigma_px >= gaussian_sigma_px.value_or(0);
}

double BlurToActOn::BandPx(double threshold_px) {
  return kBlurBorderlineStdDevs * kBlurSigmaUncertaintyFraction * threshold_px;
}

BlurToActOn::Side BlurToActOn::Against(double threshold_px) const {
  if (!gaussian_sigma_px) return Side::kBelow;
  const double distance = *gaussian_sigma_px - threshold_px;
  if (std::abs(distance) <= BandPx(threshold_px)) return Side::kBorderline;
  return distance > 0 ? Side::kAbove : Side::kBelow;
}

std::string BlurToActOn::BorderlineWords(double threshold_px) const {
  return fmt::format("blur σ {:.2f} px, within ±{:.2f} px of {:.1f} px (the reading's uncertainty)",
                     gaussian_sigma_px.value_or(0), BandPx(threshold_px), threshold_px);
}

}  // namespace acuity

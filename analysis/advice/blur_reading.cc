#include "analysis/advice/blur_reading.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace acuity {

BlurToActOn BlurToActOn::From(const SharpnessResult& sharpness, const MotionBlurResult& motion_blur) {
  BlurToActOn b;
  b.gaussian_sigma_px = sharpness.blur_sigma_px;
  b.resolution_px = sharpness.blur_resolution_px;
  if (sharpness.in_focus_blur_sigma_px) {
    // The sharpest part's reading comes from its edges: the whole frame's
    // spectral resolution says nothing of it unless it is that reading.
    if (*sharpness.in_focus_blur_sigma_px < sharpness.blur_sigma_px.value_or(0)) b.resolution_px.reset();
    b.gaussian_sigma_px = sharpness.in_focus_blur_sigma_px;
    b.out_of_focus_sigma_px = sharpness.out_of_focus_blur_sigma_px;
    b.in_focus_area_pct = sharpness.in_focus_area_pct;
  }
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

namespace {

// Whether `threshold_px` is within the resolution of the reading `sigma_px`.
bool WithinResolution(double sigma_px, std::optional<double> resolution_px, double threshold_px) {
  return resolution_px &&
         std::abs(sigma_px * sigma_px - threshold_px * threshold_px) <= *resolution_px * *resolution_px;
}

}  // namespace

BlurToActOn::Side BlurToActOn::Against(double threshold_px) const {
  if (!gaussian_sigma_px) return Side::kBelow;
  const double distance = *gaussian_sigma_px - threshold_px;
  if (std::abs(distance) <= BandPx(threshold_px) ||
      WithinResolution(*gaussian_sigma_px, resolution_px, threshold_px))
    return Side::kBorderline;
  return distance > 0 ? Side::kAbove : Side::kBelow;
}

double BlurToActOn::UncertaintyPx() const {
  const double s = gaussian_sigma_px.value_or(0);
  const double r = resolution_px.value_or(0);
  return std::max(kBlurSigmaUncertaintyFraction * s, std::sqrt(s * s + r * r) - s);
}

std::string BlurToActOn::BorderlineWords(double threshold_px) const {
  const double s = gaussian_sigma_px.value_or(0);
  if (std::abs(s - threshold_px) > BandPx(threshold_px) && WithinResolution(s, resolution_px, threshold_px))
    return fmt::format("blur σ {:.2f} px, which cannot be told from {:.1f} px: noise leaves no detail finer than "
                       "about {:.2f} px to read the blur by",
                       s, threshold_px, *resolution_px);
  return fmt::format("blur σ {:.2f} px, within ±{:.2f} px of {:.1f} px (the reading's uncertainty)", s,
                     BandPx(threshold_px), threshold_px);
}

}  // namespace acuity

// The blur the advice acts on, written once for the advisor (the sharpen
// step, the severe_blur and borderline_blur warnings), the plain-words
// sharpness verdict (verdicts.h) and QA (inherited_blur_px,
// inherited_motion_blur_px): the Gaussian blur σ reading with its
// measurement uncertainty, and the smear of a detected motion blur.
//
// The blur σ reading (blur.h) explains softness by an isotropic Gaussian; a
// straight smear of L px leaves the edges along it crisp, so that reading
// can stay "sharp" on a badly smeared photo. A box of L px has a standard
// deviation of L/√12 px along its direction: that is the smear's σ, and the
// sharpness verdict takes the larger of the two.
//
// A photo sharp in one part only (a shallow depth of field, blur_focus.h) is
// judged by that part: its in-focus σ is the Gaussian reading acted on, and
// the blur elsewhere is the photo's look, not a fault to sharpen.
//
//   acuity::BlurToActOn blur = acuity::BlurToActOn::From(report.sharpness, report.motion_blur);
//   if (blur.motion_sigma_px) Say("smeared: no sharpen step");
//   if (blur.Against(3.0) == acuity::BlurToActOn::Side::kBorderline) Say("borderline");
#ifndef ACUITY_ANALYSIS_ADVICE_BLUR_READING_H_
#define ACUITY_ANALYSIS_ADVICE_BLUR_READING_H_

#include <optional>
#include <string>

#include "analysis/measurements/blur.h"
#include "analysis/measurements/motion_blur.h"

namespace acuity {

// The uncertainty of SharpnessResult::blur_sigma_px, as a fraction of the
// reading: the root-mean-square error of the reading against the blur the
// photo has (√(σ₀² + s²), σ₀ its clean reading), bias included, over ten
// scikit-image photos blurred with s = 1.2, 2 and 3 px: mean −2.9 %,
// standard deviation 3.4 %, RMS 4.4 %, largest 8.7 % (gravel at 3 px).
// Re-measured by `advice_test --gtest_filter='BlurUncertaintyTest.*'`
// (blur_reading_test.cc; docs/advice.md). The borderline band around a
// threshold T is T ± kBlurBorderlineStdDevs × kBlurSigmaUncertaintyFraction × T
// (± 0.27 px at 3 px, ± 0.11 px at 1.2 px).
inline constexpr double kBlurSigmaUncertaintyFraction = 0.045;
inline constexpr double kBlurBorderlineStdDevs = 2.0;

struct BlurToActOn {
  // SharpnessResult::blur_sigma_px: the isotropic (Gaussian) reading, px;
  // SharpnessResult::in_focus_blur_sigma_px instead when the photo has a
  // shallow depth of field.
  std::optional<double> gaussian_sigma_px;
  // A shallow depth of field: the blur σ outside the focus (px) and the
  // share of the frame in focus (%); empty otherwise.
  std::optional<double> out_of_focus_sigma_px;
  std::optional<double> in_focus_area_pct;
  // SharpnessResult::blur_resolution_px: the finest blur that reading
  // resolves (noise leaves only coarse detail to read), px.
  std::optional<double> resolution_px;
  // When motion blur was detected: its length (px), direction (degrees) and
  // σ (px) = length / √12, the standard deviation of the box it smeared by.
  std::optional<double> motion_length_px;
  std::optional<double> motion_angle_deg;
  std::optional<double> motion_sigma_px;

  static BlurToActOn From(const SharpnessResult& sharpness, const MotionBlurResult& motion_blur);

  // The larger of gaussian_sigma_px and motion_sigma_px (px); empty when neither was measured.
  std::optional<double> SigmaPx() const;
  // Whether the smear's σ is what SigmaPx reads (motion blur was detected and
  // smears more than the Gaussian reading explains).
  bool MotionDominates() const;

  // Where the Gaussian reading lies against `threshold_px`: borderline when
  // within the band (kBlurBorderlineStdDevs standard deviations of the
  // reading at the threshold) around it, or when the threshold is within
  // the reading's resolution (|s² − T²| ≤ resolution_px²: a noisy photo whose
  // spectrum reads 1.1 px cannot be told from a sharp one). kBelow when not
  // measured.
  enum class Side { kBelow, kBorderline, kAbove };
  Side Against(double threshold_px) const;
  // The half-width of the borderline band around `threshold_px`, px.
  static double BandPx(double threshold_px);
  // The reading's uncertainty, px: kBlurSigmaUncertaintyFraction of it, or
  // more where its resolution is coarser (√(s² + resolution²) − s).
  double UncertaintyPx() const;
  // "blur σ 2.95 px, within ±0.24 px of 3.0 px (the reading's uncertainty)",
  // or, when the resolution makes it borderline, "blur σ 1.34 px, which
  // cannot be told from 1.2 px: noise leaves no detail finer than about
  // 1.38 px to read the blur by".
  std::string BorderlineWords(double threshold_px) const;
};

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_ADVICE_BLUR_READING_H_

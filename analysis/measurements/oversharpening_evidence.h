// Image-level evidence of unsharp masking that needs no isolated straight
// edges (private helpers of analysis/oversharpening.cc; texture-only photos
// such as grass or gravel get a reading too).
//
//  * Gradient opposition: a halo is a fringe whose brightness runs back
//    against the edge it borders, so near edges the fine-scale gradient
//    points against the coarse-scale one. Read at two scale pairs, σ 1 vs
//    1.5 px (narrow halos, radius ≈ 1 px) and σ 2.75 vs 3.25 px (wide halos,
//    radius ≈ 2 px). Natural edges (a non-negative lens PSF) are monotone
//    and barely do; unsharp masking of amount a raises the opposing share
//    in both pairs, a texture with one characteristic scale mostly in one.
//  * The probe: the narrow pair again after a test sharpening of the image
//    (unsharp mask amount 1, σ 1 px, clipped to 0–255). Natural images gain
//    much opposition from it whatever their content; an image already
//    sharpened gains little (its halos saturate, some at the range limits).
//
// It takes the image's pixels (any layout acuity::LumaF32 reads) and reads
// the luma of the rows it samples only, so a 12 MP photo never gets a
// full-size float copy unless a map is wanted.
//
//   acuity::GradientOpposition g = acuity::MeasureGradientOpposition(pixels, noise_luma_sigma, &map);
//   acuity::GradientOpposition e = acuity::MeasureHaloEvidence(pixels, noise_luma_sigma);  // as the score reads it
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_OVERSHARPENING_EVIDENCE_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_OVERSHARPENING_EVIDENCE_H_

#include <optional>

#include <opencv2/core.hpp>

namespace acuity {

struct GradientOpposition {
  // Σ w·max(−D, 0) / Σ w·max(D, 0) over the image, where D is the fine
  // gradient projected on the unit coarse gradient and w = √|coarse gradient|,
  // for the narrow pair (σ 1 vs 1.5 px) and the wide pair (σ 2.75 vs 3.25 px).
  // Dimensionless; the geometric mean of the two is ≈ 0.0004–0.0012 on the
  // clean calibration photos and ≈ 0.001–0.007 after unsharp masking of
  // amount ≥ 2. Both empty for an image without gradients.
  std::optional<double> narrow_ratio;
  std::optional<double> wide_ratio;
  // The narrow ratio again after a test sharpening of the image (unsharp
  // mask amount 1, σ 1 px, clipped to 0–255): a natural image gains much
  // opposition from it, an image whose halos already reach the range limits
  // (or saturate) gains less. All three are empty together.
  std::optional<double> probe_narrow_ratio;
};

// `pixels`: at least 16 × 16 px (read as BT.601 luma in 8-bit units); `noise_luma_sigma`
// (8-bit units): the expected share of noise in each side is taken off (0 =
// no correction). When `map` is given it receives the local opposing share
// in ‰ (CV_32FC1, one cell per 3 × 3 px: per pair the sums of the numerator
// and the denominator over a 15 px box of cells, their ratio, geometric mean
// of the two pairs). The map reads every pixel, in bands of 63 rows (no
// image-size gradient is held); the figures do not depend on it.
// The map's size (cells) for an image of `size`: one cell per 3 × 3 px, at least 1 × 1.
cv::Size HaloMapCells(cv::Size size);

GradientOpposition MeasureGradientOpposition(const cv::Mat& pixels, double noise_luma_sigma, cv::Mat* map = nullptr);

// MeasureGradientOpposition as MeasureOversharpening reads it (the
// calibration tool datasets/oversharpening_calibration.cc reads the same):
// half of `noise_luma_sigma` taken off (the noise reading of a sharpened
// image is itself raised by the sharpening), and nothing measured (all
// empty, the map zero) on a two-level image — ≥ 99 % of the samples at the
// lowest or highest code, such as black-and-white text — where an unsharp
// mask of any amount clips back to the very same pixels.
GradientOpposition MeasureHaloEvidence(const cv::Mat& pixels, double noise_luma_sigma, cv::Mat* map = nullptr);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_OVERSHARPENING_EVIDENCE_H_

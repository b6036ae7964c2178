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
//  * Spectral tilt: unsharp masking multiplies the spectrum by
//    1 + a(1 − exp(−2π²r²f²)), lifting the high band (f ≈ 0.2–0.35 cycles/px)
//    against the middle band (f ≈ 0.05–0.1) of the noise-corrected,
//    f²-whitened power spectrum.
//
// Both take the image's pixels (any layout acuity::LumaF32 reads) and read
// the luma of the rows / tiles they sample only, so a 12 MP photo never gets
// a full-size float copy unless a map is wanted.
//
//   acuity::GradientOpposition g = acuity::MeasureGradientOpposition(pixels, noise_luma_sigma, &map);
//   double tilt = acuity::WhitenedSpectralTiltDecades(pixels, noise_luma_sigma);
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
};

// `pixels`: at least 16 × 16 px (read as BT.601 luma in 8-bit units); `noise_luma_sigma`
// (8-bit units): the expected share of noise in each side is taken off (0 =
// no correction). When `map` is given it receives the local opposing share
// in ‰ (CV_32FC1, image size: per pair the 15 px box average of the
// numerator over the denominator, geometric mean of the two pairs).
GradientOpposition MeasureGradientOpposition(const cv::Mat& pixels, double noise_luma_sigma, cv::Mat* map = nullptr);

// Mean log10 power of the f²-whitened, noise-corrected (power − σ²) spectrum
// over f ≈ 0.2–0.35 cycles/px minus that over f ≈ 0.05–0.1 (decades);
// ≈ −0.8…+0.2 on natural photos, +0.4…+0.6 higher after unsharp masking of
// amount 2. Welch periodograms of Hann-windowed tiles (≤ 256 px, ≤ 16 tiles);
// the JPEG block-grid harmonics (k/8 cycles/px) are left out. Empty for an
// image smaller than 32 px.
std::optional<double> WhitenedSpectralTiltDecades(const cv::Mat& pixels, double noise_luma_sigma);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_OVERSHARPENING_EVIDENCE_H_

// Private helper of analysis/blur.cc: blur σ from the image's power spectrum.
//
// A Gaussian blur of s px multiplies the power spectrum by exp(−s² ω²), so
// the model log P(ω) = c − α log ω − σ² ω² (a natural-image power law times
// a Gaussian) gives a σ² that grows by exactly s² when the image is blurred by
// s — for any content, textures included. P is a Welch average of windowed
// 64×64 tiles of luma, the white-noise floor (noise and 8-bit rounding) is
// subtracted, and the fit uses the frequencies well above that floor, away
// from the axes (where tile borders and JPEG blocks put their energy).
//
//   std::optional<acuity::SpectralBlur> b = acuity::SpectralBlurSigma({luma}, floor_var);
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_BLUR_SPECTRUM_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_BLUR_SPECTRUM_H_

#include <optional>
#include <vector>

#include <opencv2/core.hpp>

namespace acuity {

struct SpectralBlur {
  double sigma_px = 0;       // √max(0, σ²)
  double sigma_sq = 0;       // fitted σ², px² (negative for over-sharpened images)
  double alpha = 0;          // fitted power-law exponent (≈ 2 for natural scenes)
  double max_omega = 0;      // highest frequency used (rad/px): low = little signal
  int bins = 0;              // spectrum samples in the fit
  // Share (0–1) of the frequencies up to max_omega that had signal: low for
  // images made of a few straight edges, whose spectrum is a few lines.
  double fill = 0;
  // The finest blur the fit can tell from none, as σ² (px²): over a band
  // that ends at max_omega, a natural photo's spectrum, which is not an
  // exact power law, passes for a blur of either sign up to
  // kNaturalSpectrumCurvature / max_omega² px². A reading s is thus
  // uncertain by |σ² − s²| ≤ resolution_sq_px2: 0.2 px² on a clean photo
  // (band to 2.5 rad/px), 1.25 px² when noise leaves only the band up to
  // 1 rad/px.
  double resolution_sq_px2 = 0;
};

// σ²·ω_max² that the curvature of a natural photo's spectrum reads as blur,
// either way: the clean, sharp chelsea cut at 1.0 rad/px read σ² +1.13 px²,
// astronaut +0.98, rocket −0.62 (+0.12, +0.20 and −0.07 on the whole band);
// noise 6–12 on dark and blurred copies read at most 1.21/ω_max² too high
// (blur_test.cc, BlurTest.NoiseCoarsensTheResolutionAndTheTruthStaysInside).
inline constexpr double kNaturalSpectrumCurvature = 1.25;

// `luma_blocks`: the image's luma (CV_32FC1, 8-bit units), whole or as a
// sample of blocks; tiles never straddle two blocks. `floor_variance`:
// variance of the white noise in luma (noise σ² plus rounding), 8-bit units².
// nullopt when no block holds a tile or there is too little signal above the floor.
std::optional<SpectralBlur> SpectralBlurSigma(const std::vector<cv::Mat>& luma_blocks, double floor_variance);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_BLUR_SPECTRUM_H_

// Denoising with OpenCV's non-local means: each pixel becomes the average of
// pixels whose 7×7 surroundings look alike within a 21×21 search window, so
// flat areas lose their grain and edges stay put. The filter strength h
// follows the noise σ to remove: h = kNlmHPerSigma · σ (luma) and
// kNlmHColorPerSigma · σ (colour), constants chosen by measurement (below).
// Texture that NLM mistakes for noise is then given back: only the part of
// its change that σ can explain is kept (DenoiseOptions::texture_window_px).
//
//   acuity::DenoiseOptions options;
//   options.sigma = 12;  // noise σ in 8-bit units, e.g. noise.sigma from analyze
//   absl::StatusOr<cv::Mat> out = acuity::Denoise(image.pixels, options);
//
// Colour images go through cv::fastNlMeansDenoisingColored (which works in
// CIELAB, so luma and colour noise get their own strength), gray through
// cv::fastNlMeansDenoising. Both are 8-bit filters; for 16-bit input the
// change they make at 8 bits is added to the 16-bit pixels, so areas the
// filter leaves alone keep their full precision and the depth is kept.
// Alpha is copied untouched.
#ifndef ACUITY_ENHANCE_DENOISE_H_
#define ACUITY_ENHANCE_DENOISE_H_

#include <functional>

#include <opencv2/core.hpp>

#include "absl/status/statusor.h"
#include "analysis/measurements/noise.h"
#include "analysis/measurements/noise_levels.h"

namespace acuity {

// h per unit of noise σ that maximises the PSNR against the clean photo, for
// additive white Gaussian noise σ = 5–25 on scikit-image photos (measured by
// enhance/denoise_bench.cc; numbers in docs/advice.md, "Measured: the classical steps").
inline constexpr double kNlmHPerSigma = 0.7;
inline constexpr double kNlmHColorPerSigma = 0.6;
// Window of the texture-keeping gain (below): 7 px; 5 and 9 px scored within
// 0.1 dB of it on 23 of the order ablation's 24 noisy inputs (datasets/README.md).
inline constexpr int kTextureWindowPx = 7;

struct DenoiseOptions {
  // Noise σ to remove, in 8-bit units (0–255 scale whatever the depth), as
  // `noise.sigma` in analyze's JSON. Must be > 0; at most 100.
  double sigma = 0;
  // h = h_per_sigma · σ for luma (gray), h_color_per_sigma · σ for colour.
  // Smaller is gentler; the defaults are the measured optimum.
  double h_per_sigma = kNlmHPerSigma;
  double h_color_per_sigma = kNlmHColorPerSigma;
  // The luma's share of the strength (colour pictures): h for luma is
  // h_per_sigma · σ · luma_share, at least kMinLumaShare of it. 1 for noise
  // alike in R, G and B; the pipeline reads it from the picture
  // (noise_levels.h LumaShareOfNoise): noise in the colour alone (luma σ
  // 0.86, colour 11.9) denoised at σ 15.9 lost 5–10 dB of the luma's PSNR at
  // the full strength.
  double luma_share = 1.0;
  // Texture kept: NLM also removes fine texture that looks like noise
  // (fabric, fur, tissue). Where the change it makes has more local energy
  // (over a window of this many px, odd, ≤ 7) than the noise σ² explains,
  // only the σ²/energy fraction of the change is applied (a Wiener gain on
  // the method noise). 0 = plain NLM.
  int texture_window_px = kTextureWindowPx;
  // Called with the fraction done (0–1) as tiles finish; return false to
  // cancel (Denoise then returns Cancelled). May be empty.
  std::function<bool(double)> progress;
  // The image is filtered in tiles of this many px (with a 16-px margin, so
  // the result equals the untiled one); ≤ 0 = one piece.
  int tile_px = 512;
};

inline constexpr double kMinLumaShare = 0.1;

// CV_8U/CV_16U with 1, 3 or 4 channels in; the same type out.
// InvalidArgument for an unsupported layout or σ outside (0, 100].
absl::StatusOr<cv::Mat> Denoise(const cv::Mat& pixels, const DenoiseOptions& options);

}  // namespace acuity

#endif  // ACUITY_ENHANCE_DENOISE_H_

// Undithering: a light Gaussian low-pass of a few-colour picture's dots,
// blended in where the fine pattern alternates like a dither and nowhere
// else (analysis/measurements/dither.h DitherWeights): edges, texture and
// flat fills keep their pixels. Run before an upscale, so that the network
// enlarges the tones the dots stood for, not the dots.
//
// Measured on photos dithered to 4–64 colours by PIL, ImageMagick and
// acuity's own error diffusion and ordered matrices (datasets/RESULTS.md,
// "Dither"): +0.1 to +7.8 dB PSNR against the photo (median +1.4 to +3.6)
// for error diffusion, +3.9 to +25.5 dB for ordered and two-level dithers;
// a posterized picture without dither, whose pattern does not alternate,
// moves by under 0.5 dB.
//
//   acuity::UnditherOptions options;
//   options.sigma_px = dither.undither_sigma_px.value_or(0.6);
//   absl::StatusOr<cv::Mat> out = acuity::Undither(image.pixels, options);
#ifndef ACUITY_ENHANCE_UNDITHER_H_
#define ACUITY_ENHANCE_UNDITHER_H_

#include <opencv2/core.hpp>

#include "absl/status/statusor.h"

namespace acuity {

struct UnditherOptions {
  // Gaussian σ of the low-pass, px (kMinUnditherSigmaPx–kMaxUnditherSigmaPx,
  // dither.h):
  // 0.6 for error diffusion's fine dots, up to 1.0 for ordered and two-level
  // dithers (dither.h UnditherSigmaPx); 0.4 of a halftone screen's period
  // (halftone.h DescreenSigmaPx), which is smoothed everywhere.
  double sigma_px = 0.6;
  // The dots are a halftone screen's (DitherResult::screen_period_px):
  // smoothed everywhere, not where a fine pattern alternates.
  bool screen = false;
};

// CV_8U/CV_16U with 1, 3 or 4 channels in; the same type out (alpha copied
// untouched). InvalidArgument for an unsupported layout or σ out of range.
absl::StatusOr<cv::Mat> Undither(const cv::Mat& pixels, const UnditherOptions& options);

}  // namespace acuity

#endif  // ACUITY_ENHANCE_UNDITHER_H_

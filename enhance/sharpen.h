// Sharpening: an unsharp mask on luma with a halo guard. The guard clamps the
// sharpened value of each pixel to the range of its 3×3 input neighbourhood
// (plus a small allowance), so edges get steeper without the bright/dark
// rims ("halos") a plain unsharp mask draws beside them.
//
// Only luma is sharpened: the same luma change is added to B, G and R, so
// hue and saturation stay as they were. Sharpening each channel separately
// would also amplify chroma noise and draw coloured fringes along coloured
// edges, where the eye sees no extra detail anyway (its acuity is in luma).
//
//   acuity::SharpenOptions options;
//   options.amount = 0.4;      // 40 %
//   options.radius_px = 1.0;   // Gaussian σ of the mask
//   absl::StatusOr<cv::Mat> out = acuity::Sharpen(image.pixels, options);
#ifndef ACUITY_ENHANCE_SHARPEN_H_
#define ACUITY_ENHANCE_SHARPEN_H_

#include <opencv2/core.hpp>

#include "absl/status/statusor.h"

namespace acuity {

struct SharpenOptions {
  // Strength: out = in + amount · (in − blur(in)). 0.4 = 40 %. Range 0–5.
  double amount = 0.4;
  // Gaussian σ of the blur, in px (0.3–50). Match it to the softness:
  // about 0.7 × the blur σ of the image.
  double radius_px = 1.0;
  // Clamp to the local 3×3 min/max of the input (see above). Off gives a
  // plain unsharp mask, kept for comparison.
  bool halo_guard = true;
  // Overshoot the guard still allows beyond the local min/max, as a fraction
  // of the local range (max − min). 0 = hard clamp.
  double guard_allowance = 0.02;
};

// Works on CV_8U/CV_16U with 1 (gray), 3 (BGR) or 4 (BGRA) channels and
// returns the same type; alpha is copied untouched. InvalidArgument for an
// unsupported layout or out-of-range options.
absl::StatusOr<cv::Mat> Sharpen(const cv::Mat& pixels, const SharpenOptions& options);

}  // namespace acuity

#endif  // ACUITY_ENHANCE_SHARPEN_H_

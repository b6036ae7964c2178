#include "enhance/undither.h"

#include <fmt/format.h>

#include "analysis/measurements/dither.h"

namespace acuity {

absl::StatusOr<cv::Mat> Undither(const cv::Mat& pixels, const UnditherOptions& options) {
  const int channels = pixels.channels();
  if (pixels.empty() || (pixels.depth() != CV_8U && pixels.depth() != CV_16U) ||
      (channels != 1 && channels != 3 && channels != 4))
    return absl::InvalidArgumentError("undither: 8- or 16-bit gray, BGR or BGRA pixels only");
  if (!(options.sigma_px >= kMinUnditherSigmaPx && options.sigma_px <= kMaxUnditherSigmaPx))
    return absl::InvalidArgumentError(fmt::format("undither: σ {:g} px outside {:g}–{:g} px", options.sigma_px,
                                                  kMinUnditherSigmaPx, kMaxUnditherSigmaPx));
  return UnditheredPicture(pixels, options.sigma_px, options.screen);
}

}  // namespace acuity

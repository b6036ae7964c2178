#include "enhance/undither.h"

#include <vector>

#include <fmt/format.h>

#include "analysis/measurements/dither.h"
#include "analysis/measurements/image_ops.h"

namespace acuity {

absl::StatusOr<cv::Mat> Undither(const cv::Mat& pixels, const UnditherOptions& options) {
  const int channels = pixels.channels();
  if (pixels.empty() || (pixels.depth() != CV_8U && pixels.depth() != CV_16U) ||
      (channels != 1 && channels != 3 && channels != 4))
    return absl::InvalidArgumentError("undither: 8- or 16-bit gray, BGR or BGRA pixels only");
  if (!(options.sigma_px >= kMinUnditherSigmaPx && options.sigma_px <= kMaxUnditherSigmaPx))
    return absl::InvalidArgumentError(fmt::format("undither: σ {:g} px outside {:g}–{:g} px", options.sigma_px,
                                                  kMinUnditherSigmaPx, kMaxUnditherSigmaPx));
  const cv::Mat weights = DitherWeights(LumaF32(pixels));
  std::vector<cv::Mat> planes;
  cv::split(pixels, planes);
  const int colour = channels == 4 ? 3 : channels;  // alpha stays as it is
  for (int c = 0; c < colour; ++c) {
    cv::Mat plane;
    planes[c].convertTo(plane, CV_32F);
    WithoutDots(plane, weights, options.sigma_px).convertTo(planes[c], pixels.depth());  // rounds and saturates
  }
  cv::Mat out;
  cv::merge(planes, out);
  return out;
}

}  // namespace acuity

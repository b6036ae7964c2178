#include "enhance/sharpen.h"

#include <vector>

#include <opencv2/imgproc.hpp>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "analysis/measurements/image_ops.h"

namespace acuity {

absl::StatusOr<cv::Mat> Sharpen(const cv::Mat& pixels, const SharpenOptions& options) {
  const int channels = pixels.channels();
  if (pixels.empty() || (pixels.depth() != CV_8U && pixels.depth() != CV_16U) ||
      (channels != 1 && channels != 3 && channels != 4))
    return absl::InvalidArgumentError("sharpen needs an 8/16-bit gray, BGR or BGRA image");
  if (!(options.amount >= 0 && options.amount <= 5))
    return absl::InvalidArgumentError(
        absl::StrFormat("sharpen amount %g is outside 0–5 (0.4 = 40 %%)", options.amount));
  if (!(options.radius_px >= 0.3 && options.radius_px <= 50))
    return absl::InvalidArgumentError(
        absl::StrFormat("sharpen radius %g px is outside 0.3–50 px", options.radius_px));
  if (!(options.guard_allowance >= 0 && options.guard_allowance <= 1))
    return absl::InvalidArgumentError("sharpen guard allowance must be within 0–1");
  if (options.amount == 0) return pixels.clone();

  // Float planes in the image's own units (keeps 16-bit precision).
  std::vector<cv::Mat> planes;
  cv::split(pixels, planes);
  const int colour = channels == 1 ? 1 : 3;
  for (int c = 0; c < colour; ++c) planes[c].convertTo(planes[c], CV_32F);
  cv::Mat luma;
  if (colour == 1) {
    luma = planes[0];
  } else {  // BT.601, as everywhere in acuity (analysis/measurements/image_ops.h)
    luma = kLumaWeightsBgr[0] * planes[0] + kLumaWeightsBgr[1] * planes[1] + kLumaWeightsBgr[2] * planes[2];
  }

  cv::Mat blurred;
  cv::GaussianBlur(luma, blurred, cv::Size(), options.radius_px, options.radius_px, cv::BORDER_REFLECT);
  cv::Mat sharpened = luma + options.amount * (luma - blurred);
  if (options.halo_guard) {
    cv::Mat lo, hi;
    const cv::Mat box = cv::getStructuringElement(cv::MORPH_RECT, cv::Size(3, 3));
    cv::erode(luma, lo, box, cv::Point(-1, -1), 1, cv::BORDER_REPLICATE);
    cv::dilate(luma, hi, box, cv::Point(-1, -1), 1, cv::BORDER_REPLICATE);
    const cv::Mat slack = options.guard_allowance * (hi - lo);
    const cv::Mat floor = lo - slack, ceiling = hi + slack;
    sharpened = cv::min(cv::max(sharpened, floor), ceiling);
  }
  const cv::Mat delta = sharpened - luma;

  const double white = WhiteLevel(pixels);
  for (int c = 0; c < colour; ++c) {
    const cv::Mat v = planes[c] + delta;
    cv::Mat(cv::min(cv::max(v, 0.0), white))
        .convertTo(planes[c], pixels.depth());  // rounds to nearest
  }
  // planes[3] (alpha) was never touched.
  cv::Mat out;
  cv::merge(planes, out);
  return out;
}

}  // namespace acuity

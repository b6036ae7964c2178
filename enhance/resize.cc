#include "enhance/resize.h"

#include <opencv2/imgproc.hpp>

namespace acuity {

cv::Mat Resize(const cv::Mat& image, int width_px, int height_px) {
  if (width_px == image.cols && height_px == image.rows) return image.clone();
  const bool shrink = width_px <= image.cols && height_px <= image.rows;
  cv::Mat out;
  cv::resize(image, out, cv::Size(width_px, height_px), 0, 0,
             shrink ? cv::INTER_AREA : cv::INTER_LANCZOS4);
  return out;
}

cv::Mat RepeatPixels(const cv::Mat& image, int width_px, int height_px) {
  if (width_px == image.cols && height_px == image.rows) return image.clone();
  cv::Mat out;
  cv::resize(image, out, cv::Size(width_px, height_px), 0, 0, cv::INTER_NEAREST_EXACT);
  return out;
}

}  // namespace acuity

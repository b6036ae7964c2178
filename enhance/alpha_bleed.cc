#include "enhance/alpha_bleed.h"

#include <cstdint>
#include <vector>

#include <opencv2/imgproc.hpp>

namespace acuity {
namespace {

template <typename T>
void CopyNearest(const cv::Mat& transparent, const cv::Mat& labels, cv::Mat& out) {
  // distanceTransform numbers the zero pixels (the visible ones) 1, 2, …
  // in raster order.
  std::vector<cv::Point> visible(1);
  for (int y = 0; y < transparent.rows; ++y) {
    const uint8_t* t = transparent.ptr<uint8_t>(y);
    for (int x = 0; x < transparent.cols; ++x)
      if (t[x] == 0) visible.emplace_back(x, y);
  }
  for (int y = 0; y < out.rows; ++y) {
    const uint8_t* t = transparent.ptr<uint8_t>(y);
    const int* l = labels.ptr<int>(y);
    T* p = out.ptr<T>(y);
    for (int x = 0; x < out.cols; ++x) {
      if (t[x] == 0) continue;
      const cv::Point from = visible[size_t(l[x])];
      const T* q = out.ptr<T>(from.y) + 4 * from.x;
      p[4 * x] = q[0], p[4 * x + 1] = q[1], p[4 * x + 2] = q[2];
    }
  }
}

}  // namespace

cv::Mat BleedUnderTransparency(const cv::Mat& pixels) {
  if (pixels.channels() != 4) return pixels;
  cv::Mat alpha;
  cv::extractChannel(pixels, alpha, 3);
  const cv::Mat transparent = alpha == 0;  // 255 where nothing shows
  const int hidden = cv::countNonZero(transparent);
  if (hidden == 0 || hidden == int(pixels.total())) return pixels;
  cv::Mat distance, labels;
  cv::distanceTransform(transparent, distance, labels, cv::DIST_L2, cv::DIST_MASK_5, cv::DIST_LABEL_PIXEL);
  cv::Mat out = pixels.clone();
  if (out.depth() == CV_16U) CopyNearest<uint16_t>(transparent, labels, out);
  else CopyNearest<uint8_t>(transparent, labels, out);
  return out;
}

}  // namespace acuity

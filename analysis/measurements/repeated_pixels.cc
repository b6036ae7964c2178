#include "analysis/measurements/repeated_pixels.h"

#include <algorithm>
#include <cstring>

#include "analysis/measurements/resampling_spectra.h"

namespace acuity {

std::vector<bool> RepeatedColumns(const cv::Mat& pixels) {
  std::vector<bool> repeated(size_t(std::max(0, pixels.cols)), false);
  if (pixels.empty()) return repeated;
  const size_t bytes = pixels.elemSize();  // one pixel, all channels
  std::vector<int> same(pixels.cols, 0);
  for (int r = 0; r < pixels.rows; ++r) {
    const uchar* p = pixels.ptr<uchar>(r);
    for (int x = 1; x < pixels.cols; ++x) same[x] += std::memcmp(p + x * bytes, p + (x - 1) * bytes, bytes) == 0;
  }
  for (int x = 1; x < pixels.cols; ++x) repeated[x] = same[x] >= resampling::kDupRowShare * pixels.rows;
  return repeated;
}

double RepeatedPixelsPct(const cv::Mat& pixels) {
  if (pixels.empty()) return 0.0;
  auto share = [](const std::vector<bool>& repeated) {
    return double(std::count(repeated.begin(), repeated.end(), true)) / double(repeated.size());
  };
  return 100.0 * std::min(share(RepeatedColumns(pixels)), share(RepeatedColumns(pixels.t())));
}

}  // namespace acuity

#include "analysis/measurements/percentile.h"

#include <cmath>
#include <limits>

namespace acuity {
namespace {

// Linear interpolation between the closest ranks of the finite values.
template <typename T>
double PercentileOf(const cv::Mat& values, double percent) {
  std::vector<T> v;
  v.reserve(values.total());
  for (int r = 0; r < values.rows; ++r) {
    const T* p = values.ptr<T>(r);
    for (int c = 0; c < values.cols; ++c)
      if (std::isfinite(p[c])) v.push_back(p[c]);
  }
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double pos = std::clamp(percent, 0.0, 100.0) / 100.0 * (v.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(pos));
  std::nth_element(v.begin(), v.begin() + lo, v.end());
  const double low = v[lo];
  if (lo + 1 >= v.size()) return low;
  const double high = *std::min_element(v.begin() + lo + 1, v.end());
  return low + (pos - lo) * (high - low);
}

}  // namespace

double Percentile(const cv::Mat& values, double percent) {
  CV_Assert(values.channels() == 1);
  cv::Mat f = values;
  if (f.depth() != CV_32F && f.depth() != CV_64F) values.convertTo(f, CV_64F);
  return f.depth() == CV_32F ? PercentileOf<float>(f, percent) : PercentileOf<double>(f, percent);
}

double Percentile(std::vector<double> values, double percent) {
  return PercentileOf<double>(cv::Mat(1, static_cast<int>(values.size()), CV_64F, values.data()), percent);
}

double Median(std::vector<double> values) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }), values.end());
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  // Percentile 50, written as the mean of the two middle values so that it
  // is exact to the last bit (a + (b − a)/2 can differ from (a + b)/2 by one
  // rounding).
  const size_t mid = values.size() / 2;
  const double upper = KthSmallest(values, mid);
  if (values.size() % 2 == 1) return upper;
  return 0.5 * (upper + *std::max_element(values.begin(), values.begin() + mid));
}

}  // namespace acuity

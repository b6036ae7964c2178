#include "analysis/measurements/noise_binning.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "analysis/measurements/image_ops.h"
#include "analysis/measurements/noise_sampling.h"

namespace acuity {

std::optional<double> FlatWithinBlockVariance(const cv::Mat& image, int b, double binned_sigma) {
  // Blocks of 128 px on a grid of b px: whole bins, stacked in one column.
  const cv::Mat pixels = StackBlocks(image, SampleBlocks(image.size(), 128, kMaxWithinBlockSamplePixels, b));
  const int rows = pixels.rows / b * b, cols = pixels.cols / b * b;
  if (rows < 5 * b || cols < 5 * b) return std::nullopt;
  cv::Mat means(rows / b, cols / b, CV_32F), within(rows / b, cols / b, CV_32F);
  const int band = 64 * b;
  for (int y = 0; y < rows; y += band) {
    const int n = std::min(band, rows - y);
    const cv::Mat luma = LumaF32(pixels(cv::Rect(0, y, cols, n)));
    cv::Mat m, up, w;
    cv::resize(luma, m, cv::Size(cols / b, n / b), 0, 0, cv::INTER_AREA);  // exact b×b means
    cv::resize(m, up, luma.size(), 0, 0, cv::INTER_NEAREST);
    const cv::Mat d = luma - up;
    cv::resize(d.mul(d), w, m.size(), 0, 0, cv::INTER_AREA);
    m.copyTo(means.rowRange(y / b, y / b + m.rows));
    w.copyTo(within.rowRange(y / b, y / b + w.rows));
  }
  cv::Mat energy;
  {
    cv::Mat gx, gy;
    cv::Sobel(means, gx, CV_32F, 1, 0, 1);
    cv::Sobel(means, gy, CV_32F, 0, 1, 1);
    cv::boxFilter(gx.mul(gx) + gy.mul(gy), energy, CV_32F, cv::Size(5, 5));
  }
  cv::boxFilter(within, within, CV_32F, cv::Size(5, 5));
  const cv::Mat mid = (means >= kFlatBlockMidToneLow) & (means <= 255.0 - kFlatBlockMidToneLow);
  std::vector<float> e;
  e.reserve(energy.total());
  for (int y = 0; y < energy.rows; ++y)
    for (int x = 0; x < energy.cols; ++x)
      if (mid.at<uchar>(y, x)) e.push_back(energy.at<float>(y, x));
  if (e.size() < 25 || double(e.size()) < kMinFlatBlockShare * double(energy.total())) return std::nullopt;
  std::nth_element(e.begin(), e.begin() + e.size() / 10, e.end());
  const float limit = e[e.size() / 10];
  if (limit > kMaxFlatEnergyRatio * 4 * binned_sigma * binned_sigma) return std::nullopt;
  std::vector<float> flat;
  for (int y = 0; y < energy.rows; ++y)
    for (int x = 0; x < energy.cols; ++x)
      if (mid.at<uchar>(y, x) && energy.at<float>(y, x) <= limit) flat.push_back(within.at<float>(y, x));
  std::nth_element(flat.begin(), flat.begin() + flat.size() / 2, flat.end());
  return double(flat[flat.size() / 2]);
}

std::optional<double> PixelSigmaFactor(const cv::Mat& pixels, int b, double binned_luma_sigma) {
  const double s = binned_luma_sigma;
  if (!(s > 0)) return std::nullopt;
  const std::optional<double> within = FlatWithinBlockVariance(pixels, b, s);
  if (!within) return std::nullopt;
  return std::clamp(std::sqrt(s * s + *within) / s, 1.0, double(b));
}

}  // namespace acuity

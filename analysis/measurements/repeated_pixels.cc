#include "analysis/measurements/repeated_pixels.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "analysis/measurements/image_ops.h"
#include "analysis/measurements/resampling_spectra.h"

namespace acuity {
namespace {

constexpr int kMinPeriodPx = 2, kMaxPeriodPx = 4;

// [x] for the columns of `luma` (CV_32F): the mean |luma(x) − luma(x − 1)|
// over the rows, 8-bit levels; [0] = 0.
std::vector<double> ColumnSteps(const cv::Mat& luma) {
  std::vector<double> step(size_t(luma.cols), 0.0);
  for (int r = 0; r < luma.rows; ++r) {
    const float* p = luma.ptr<float>(r);
    for (int x = 1; x < luma.cols; ++x) step[size_t(x)] += std::abs(p[x] - p[x - 1]);
  }
  for (double& s : step) s /= std::max(1, luma.rows);
  return step;
}

std::vector<bool> NearCopies(const cv::Mat& luma) {
  const std::vector<double> step = ColumnSteps(luma);
  const int n = luma.cols;
  std::vector<bool> near(size_t(std::max(0, n)), false);
  for (int x = 1; x < n; ++x) {
    const double left = x >= 2 ? step[size_t(x - 1)] : 0.0, right = x + 1 < n ? step[size_t(x + 1)] : 0.0;
    const double around = std::max(left, right);
    near[size_t(x)] = around >= kNearCopyFloor && step[size_t(x)] <= kNearCopyRatio * around;
  }
  return near;
}

double Share(const std::vector<bool>& marked) {
  return marked.empty() ? 0.0 : double(std::count(marked.begin(), marked.end(), true)) / double(marked.size());
}

// For each period f: the share of `near` on its f − 1 most copied phases
// minus that on the least copied one.
std::vector<double> PatternByPeriod(const std::vector<bool>& near) {
  std::vector<double> out(kMaxPeriodPx + 1, 0.0);
  for (int f = kMinPeriodPx; f <= kMaxPeriodPx; ++f) {
    const size_t cycles = near.size() / size_t(f);
    if (cycles == 0) continue;
    std::vector<double> phase(size_t(f), 0.0);
    for (size_t i = 0; i < cycles * size_t(f); ++i) phase[i % size_t(f)] += near[i];
    for (double& p : phase) p /= double(cycles);
    std::sort(phase.begin(), phase.end(), std::greater<>());
    double top = 0;
    for (int k = 0; k + 1 < f; ++k) top += phase[size_t(k)];
    out[size_t(f)] = top / (f - 1) - phase[size_t(f - 1)];
  }
  return out;
}

}  // namespace

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

std::vector<bool> NearlyRepeatedColumns(const cv::Mat& pixels) {
  if (pixels.empty()) return {};
  return NearCopies(LumaF32(pixels));
}

double RepeatedPixelsPct(const cv::Mat& pixels, bool lossy) {
  if (pixels.empty()) return 0.0;
  const cv::Mat luma = lossy ? LumaF32(pixels) : cv::Mat();
  auto share = [lossy](const cv::Mat& lines, const cv::Mat& lines_luma) {
    std::vector<bool> repeated = RepeatedColumns(lines);
    if (lossy) {
      const std::vector<bool> near = NearCopies(lines_luma);
      for (size_t x = 0; x < repeated.size(); ++x) repeated[x] = repeated[x] || near[x];
    }
    return Share(repeated);
  };
  return 100.0 * std::min(share(pixels, luma), share(pixels.t(), lossy ? cv::Mat(luma.t()) : cv::Mat()));
}

CopyPattern NearestNeighbourPattern(const cv::Mat& pixels) {
  CopyPattern best;
  if (pixels.empty()) return best;
  const cv::Mat luma = LumaF32(pixels);
  const std::vector<double> across = PatternByPeriod(NearCopies(luma)), down = PatternByPeriod(NearCopies(luma.t()));
  for (int f = kMinPeriodPx; f <= kMaxPeriodPx; ++f) {
    const double weaker = std::min(across[size_t(f)], down[size_t(f)]);
    if (weaker > best.strength) best = {weaker, f};
  }
  return best;
}

}  // namespace acuity

#include "analysis/measurements/tilted_grid.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "analysis/measurements/power_spectrum.h"
#include "analysis/measurements/resampling_peaks.h"

namespace acuity {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr int kLocalMaxHalfBins = 2;  // the peak is the highest of its 5×5 bins
constexpr int kNyquistBins = 3;       // a peak this close to ±0.5 cycle/px on an axis: sign unknown

// |y − mean of its 4 neighbours| on the interior: what a resampling grid
// modulates.
cv::Mat Residual(const cv::Mat& luma) {
  const cv::Rect inner(1, 1, luma.cols - 2, luma.rows - 2);
  cv::Mat mean4 = 0.25 * (luma(inner - cv::Point(1, 0)) + luma(inner + cv::Point(1, 0)) +
                          luma(inner - cv::Point(0, 1)) + luma(inner + cv::Point(0, 1)));
  return cv::abs(luma(inner) - mean4);
}

// Signed frequency of DFT bin i of n, cycles/px.
double Freq(int i, int n) { return (i <= n / 2 ? i : i - n) / double(n); }

// The vertex of the parabola through (−1, log a), (0, log b), (1, log c): a
// peak's offset in bins (a Gaussian's through three of its powers: the Hann
// window's main lobe is close to one).
double Vertex(double a, double b, double c) {
  if (!(a > 0 && b > 0 && c > 0)) return 0.0;
  a = std::log(a);
  c = std::log(c);
  b = std::log(b);
  const double d = a - 2 * b + c;
  return d < 0 ? std::clamp(0.5 * (a - c) / d, -0.5, 0.5) : 0.0;
}

}  // namespace

std::optional<TiltedGrid> FindTiltedGrid(const cv::Mat& luma) {
  if (luma.empty() || luma.type() != CV_32FC1 || luma.cols < 48 || luma.rows < 48) return std::nullopt;
  const cv::Mat residual = Residual(luma);
  cv::Mat hann;
  cv::createHanningWindow(hann, residual.size(), CV_32F);
  const cv::Mat power = HannPowerSpectrum(residual, hann);
  const int rows = power.rows, cols = power.cols;
  std::vector<float> band;
  band.reserve(size_t(rows) * cols);
  for (int i = 0; i < rows; ++i) {
    const double v = Freq(i, rows);
    for (int j = 0; j < cols; ++j)
      if (std::hypot(Freq(j, cols), v) >= resampling::kSearchMinPhi) band.push_back(power.at<float>(i, j));
  }
  if (band.empty()) return std::nullopt;
  std::nth_element(band.begin(), band.begin() + long(band.size() / 2), band.end());
  const double median = band[band.size() / 2];
  if (!(median > 0)) return std::nullopt;
  auto at = [&](int i, int j) { return power.at<float>((i + rows) % rows, (j + cols) % cols); };
  // Half the spectrum (v ≥ 0) holds every peak once: (u, v) and (−u, −v) are one.
  int best_i = -1, best_j = -1;
  double best = 0;
  for (int i = 0; i <= rows / 2; ++i) {
    const double v = Freq(i, rows);
    for (int j = 0; j < cols; ++j) {
      const double u = Freq(j, cols), p = power.at<float>(i, j);
      if (p <= best || std::hypot(u, v) < resampling::kSearchMinPhi) continue;
      const double angle = std::atan2(v, u) * 180.0 / kPi;
      const double off_axis = std::abs(std::remainder(angle, 90.0));
      if (i == 0 || j == 0 || off_axis > kMaxGridTiltDeg) continue;
      bool highest = true;
      for (int di = -kLocalMaxHalfBins; di <= kLocalMaxHalfBins && highest; ++di)
        for (int dj = -kLocalMaxHalfBins; dj <= kLocalMaxHalfBins && highest; ++dj)
          highest = (di == 0 && dj == 0) || at(i + di, j + dj) <= p;
      // ... and stronger than the axis at its radius: an axis-aligned grid's
      // peak, spread by its content, has maxima a few bins off the axis
      // that are weaker than the peak on it.
      const double r = std::hypot(u, v);
      const bool near_u_axis = std::abs(u) >= std::abs(v);
      const int ai = near_u_axis ? 0 : int(std::lround((v >= 0 ? r : -r) * rows));
      const int aj = near_u_axis ? int(std::lround((u >= 0 ? r : -r) * cols)) : 0;
      for (int d = -1; d <= 1 && highest; ++d)
        highest = (near_u_axis ? at(ai, aj + d) : at(ai + d, aj)) < p;
      if (!highest) continue;
      best = p;
      best_i = i;
      best_j = j;
    }
  }
  if (best_i < 0 || best < kMinTiltedGridPeakRatio * median) return std::nullopt;
  const double u = Freq(best_j, cols) + Vertex(at(best_i, best_j - 1), best, at(best_i, best_j + 1)) / cols;
  const double v = Freq(best_i, rows) + Vertex(at(best_i - 1, best_j), best, at(best_i + 1, best_j)) / rows;
  // Image rows grow downwards: a frequency at angle atan2(v, u) belongs to a
  // grid turned clockwise on screen by that angle.
  const double tilt = -std::remainder(std::atan2(v, u) * 180.0 / kPi, 90.0);
  if (std::abs(tilt) < kMinGridTiltDeg || std::abs(tilt) > kMaxGridTiltDeg) return std::nullopt;
  TiltedGrid grid;
  grid.angle_deg = tilt;
  grid.cycle_frequency_per_px = std::hypot(u, v);
  grid.peak_ratio = best / median;
  grid.sign_known = std::abs(best_i - rows / 2) > kNyquistBins && std::abs(best_j - cols / 2) > kNyquistBins;
  return grid;
}

cv::Mat TurnedBack(const cv::Mat& luma, double angle_deg) {
  const cv::Point2f centre(0.5f * (luma.cols - 1), 0.5f * (luma.rows - 1));
  // getRotationMatrix2D turns counter-clockwise on screen for a positive
  // angle: turning back is the opposite of the grid's turn.
  const cv::Mat m = cv::getRotationMatrix2D(centre, -angle_deg, 1.0);
  cv::Mat turned;
  cv::warpAffine(luma, turned, m, luma.size(), cv::INTER_CUBIC, cv::BORDER_REFLECT);
  // The largest axis-aligned rectangle of the same aspect inside the turned
  // picture, less the 2 px a bicubic reads beyond a sample on each side:
  // every pixel of it interpolated from inside the original.
  const double a = std::abs(angle_deg) * kPi / 180.0, w = luma.cols, h = luma.rows;
  const double shrink = std::min(w / (w * std::cos(a) + h * std::sin(a)), h / (h * std::cos(a) + w * std::sin(a)));
  const int cw = std::max(1, int(std::floor(w * shrink)) - 6), ch = std::max(1, int(std::floor(h * shrink)) - 6);
  return turned(cv::Rect((luma.cols - cw) / 2, (luma.rows - ch) / 2, cw, ch)).clone();
}

}  // namespace acuity

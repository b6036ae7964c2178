#include "analysis/measurements/blur_spectrum.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <vector>

#include <opencv2/core.hpp>

namespace acuity {
namespace {

constexpr int kTile = 64;           // px; Welch segment side
constexpr int kMaxTiles = 400;      // larger images are sampled on a sparser grid
constexpr double kMinOmega = 0.3;   // rad/px: below, tile windowing dominates
constexpr double kMaxOmega = 2.5;   // rad/px: above, aliasing and rounding dominate
constexpr double kAxisGuard = 0.15; // rad/px: bins this close to an axis are skipped
constexpr double kSignalOverFloor = 3.0;  // use bins whose power exceeds floor by this factor
constexpr double kAlphaPrior = 2.0;  // natural-image power-law exponent
constexpr double kAlphaRidge = 0.1;  // weight of that prior, relative to the data
constexpr int kMinBins = 20;

cv::Mat HannWindow() {
  cv::Mat w1(1, kTile, CV_32F);
  for (int i = 0; i < kTile; ++i)
    w1.at<float>(i) = float(0.5 - 0.5 * std::cos(2 * CV_PI * (i + 1) / (kTile + 1)));
  cv::Mat w = w1.t() * w1;
  const double rms = std::sqrt(cv::mean(w.mul(w))[0]);
  return w / rms;
}

// Mean power spectrum (T×T, DC at 0) of windowed, mean-removed tiles, each
// inside one of the blocks.
cv::Mat WelchSpectrum(const std::vector<cv::Mat>& blocks) {
  double count = 0;
  for (const cv::Mat& b : blocks)
    if (b.rows >= kTile && b.cols >= kTile)
      count += double((b.rows - kTile) / (kTile / 2) + 1) * ((b.cols - kTile) / (kTile / 2) + 1);
  const double step = kTile / 2.0 * std::max(1.0, std::sqrt(count / kMaxTiles));
  std::vector<std::pair<int, cv::Point>> origins;  // (block, top-left)
  for (size_t i = 0; i < blocks.size(); ++i)
    for (double r = 0; r + kTile <= blocks[i].rows; r += step)
      for (double c = 0; c + kTile <= blocks[i].cols; c += step) origins.emplace_back(int(i), cv::Point(int(c), int(r)));
  if (origins.empty()) return cv::Mat();
  const cv::Mat window = HannWindow();
  cv::Mat total = cv::Mat::zeros(kTile, kTile, CV_64F);
  std::mutex mu;
  cv::parallel_for_(cv::Range(0, int(origins.size())), [&](const cv::Range& range) {
    cv::Mat acc = cv::Mat::zeros(kTile, kTile, CV_64F), tile, spectrum, planes[2], power, p64;
    for (int i = range.start; i < range.end; ++i) {
      blocks[origins[i].first](cv::Rect(origins[i].second, cv::Size(kTile, kTile))).copyTo(tile);
      tile -= cv::mean(tile)[0];
      tile = tile.mul(window);
      cv::dft(tile, spectrum, cv::DFT_COMPLEX_OUTPUT);
      cv::split(spectrum, planes);
      power = planes[0].mul(planes[0]) + planes[1].mul(planes[1]);
      power.convertTo(p64, CV_64F, 1.0 / (kTile * kTile));
      acc += p64;
    }
    std::lock_guard<std::mutex> lock(mu);
    total += acc;
  });
  return total / double(origins.size());
}

}  // namespace

std::optional<SpectralBlur> SpectralBlurSigma(const std::vector<cv::Mat>& luma_blocks, double floor_variance) {
  const cv::Mat p = WelchSpectrum(luma_blocks);
  if (p.empty()) return std::nullopt;
  const double floor = std::max(floor_variance, 1e-3);
  // Weighted least squares on log(P − floor) = c − α log ω − σ² ω²; a bin's
  // weight is ((P − floor)/P)², the inverse variance of its log.
  cv::Matx33d ata = cv::Matx33d::zeros();
  cv::Vec3d aty(0, 0, 0);
  double weight_sum = 0, max_omega = 0;
  int bins = 0;
  for (int u = 0; u < kTile; ++u) {
    const double wy = 2 * CV_PI * (u < kTile / 2 ? u : u - kTile) / kTile;
    for (int v = 0; v < kTile; ++v) {
      const double wx = 2 * CV_PI * (v < kTile / 2 ? v : v - kTile) / kTile;
      const double omega = std::hypot(wx, wy);
      if (omega < kMinOmega || omega > kMaxOmega) continue;
      if (std::min(std::abs(wx), std::abs(wy)) < kAxisGuard) continue;
      const double power = p.at<double>(u, v), signal = power - floor;
      if (signal <= kSignalOverFloor * floor) continue;
      const double w = (signal / power) * (signal / power);
      const cv::Vec3d a(1.0, -std::log(omega), -omega * omega);
      const double y = std::log(signal);
      for (int i = 0; i < 3; ++i) {
        aty[i] += w * a[i] * y;
        for (int j = 0; j < 3; ++j) ata(i, j) += w * a[i] * a[j];
      }
      weight_sum += w;
      max_omega = std::max(max_omega, omega);
      ++bins;
    }
  }
  if (bins < kMinBins) return std::nullopt;
  const double ridge = kAlphaRidge * weight_sum;
  ata(1, 1) += ridge;
  aty[1] += ridge * kAlphaPrior;
  cv::Vec3d x;
  if (!cv::solve(ata, aty, x, cv::DECOMP_SVD)) return std::nullopt;
  SpectralBlur b;
  b.sigma_sq = x[2];
  b.sigma_px = std::sqrt(std::max(0.0, x[2]));
  b.alpha = x[1];
  b.max_omega = max_omega;
  b.resolution_sq_px2 = kNaturalSpectrumCurvature / (max_omega * max_omega);
  b.bins = bins;
  int candidates = 0;  // off-axis bins up to max_omega: how much of that disc has signal
  for (int u = 0; u < kTile; ++u) {
    const double wy = 2 * CV_PI * (u < kTile / 2 ? u : u - kTile) / kTile;
    for (int v = 0; v < kTile; ++v) {
      const double wx = 2 * CV_PI * (v < kTile / 2 ? v : v - kTile) / kTile;
      const double omega = std::hypot(wx, wy);
      candidates += omega >= kMinOmega && omega <= max_omega && std::min(std::abs(wx), std::abs(wy)) >= kAxisGuard;
    }
  }
  b.fill = double(bins) / std::max(1, candidates);
  return b;
}

}  // namespace acuity

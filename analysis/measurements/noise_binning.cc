#include "analysis/measurements/noise_binning.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "analysis/measurements/image_ops.h"
#include "analysis/measurements/noise_sampling.h"

namespace acuity {

std::optional<double> FlatWithinBlockVariance(const cv::Mat& image, int b, double binned_sigma, BlockLevels levels) {
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
  const cv::Mat mid = (means >= levels.low) & (means <= levels.high);
  std::vector<float> e;
  e.reserve(energy.total());
  for (int y = 0; y < energy.rows; ++y)
    for (int x = 0; x < energy.cols; ++x)
      if (mid.at<uchar>(y, x)) e.push_back(energy.at<float>(y, x));
  if (e.size() < 25 || double(e.size()) < levels.min_share * double(energy.total())) return std::nullopt;
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

std::optional<double> PixelSigmaFactor(const cv::Mat& pixels, int b, double binned_luma_sigma, BlockLevels levels) {
  const double s = binned_luma_sigma;
  if (!(s > 0)) return std::nullopt;
  const std::optional<double> within = FlatWithinBlockVariance(pixels, b, s, levels);
  if (!within) return std::nullopt;
  return std::clamp(std::sqrt(s * s + *within) / s, 1.0, double(b));
}

namespace {

// The least share of the channels' σ taken for luma's (noise in the chroma
// only reads less; 8-bit rounding can leave the global σ at 0).
constexpr double kMinLumaShare = 0.5;

std::optional<double> SigmaAt(const NoiseResult& r, int probe) {
  if (probe < 0) return r.sigma;
  return probe < int(r.level_function.size()) ? r.level_function[probe].sigma : std::nullopt;
}

double WhitenessAt(const NoiseWhiteness& w, int probe) {
  if (probe < 0) return w.global;
  return probe < int(w.by_level.size()) ? w.by_level[probe] : 0.0;
}

}  // namespace

std::vector<int> CorrelatedProbes(const NoiseResult& full, const NoiseWhiteness& whiteness) {
  auto looks_correlated = [&](int probe) {
    const std::optional<double> s = SigmaAt(full, probe);
    return s && *s < kMaxCorrelatedFullSigma8bit && WhitenessAt(whiteness, probe) >= kMinCorrelatedDifferenceRatio;
  };
  std::vector<int> probes;
  if (!full.sigma) return probes;
  for (int bin = 0; bin < int(full.level_function.size()); ++bin)
    if (looks_correlated(bin) && *SigmaAt(full, bin) > *full.sigma) probes.push_back(bin);
  std::stable_sort(probes.begin(), probes.end(),
                   [&](int a, int b) { return *SigmaAt(full, a) > *SigmaAt(full, b); });
  if (looks_correlated(-1)) probes.insert(probes.begin(), -1);
  return probes;
}

BinnedChoice ChooseBinnedReading(const cv::Mat& pixels, int b, const NoiseResult& full, const NoiseResult& binned,
                                 const NoiseWhiteness& whiteness, const std::vector<int>& probes,
                                 std::vector<ProbeState>& states) {
  BinnedChoice choice;
  if (!binned.sigma) return choice;
  states.resize(probes.size());
  for (size_t p = 0; p < probes.size(); ++p) {
    ProbeState& state = states[p];
    if (!state.live) continue;
    const int probe = probes[p];
    const std::optional<double> s = SigmaAt(binned, probe);
    const bool grew = s && *s > state.limit;
    if (grew && probe < 0) {
      choice = BinnedChoice{};
      choice.texture = true;
      return choice;
    }
    const double full_sigma = *SigmaAt(full, probe);
    const bool raised = s && !grew && b * *s > kCorrelatedRatio * full_sigma + kCorrelatedMargin8bit;
    state.live = false;
    state.limit = s ? kMaxBinnedGrowth * *s : 0.0;
    if (!raised || choice.probe != -2) continue;
    const bool white = (probe >= 0 || binned.weak_texture_fraction.value_or(0) >= kMinCorrelatedWeakFraction) &&
                       WhitenessAt(whiteness, probe) <= kMaxWhiteDifferenceRatio;
    if (!white) {
      state.live = true;
      choice.bin_again = true;
      continue;
    }
    // The binned luma σ where it was read (a bin's σ is the channels': luma
    // holds of it what it holds globally, 0.67 for independent channels, 1
    // for grain common to them) and the block means there, clear of
    // clipping (clipped blocks are flat: no within-bin variance).
    double luma = binned.luma_sigma.value_or(0);
    BlockLevels levels;
    if (probe >= 0) {
      const double to_luma = *binned.sigma > 0 ? luma / *binned.sigma : 1.0;
      luma = *s * std::clamp(to_luma, kMinLumaShare, 1.0);
      const NoiseLevelBin& bin = binned.level_function[probe];
      levels = BlockLevels{std::max(bin.level_from_8bit, kFlatBlockMidToneLow / 2),
                           std::min(bin.level_to_8bit, 255.0 - kFlatBlockMidToneLow / 2), 0.0};
    }
    const std::optional<double> measured = PixelSigmaFactor(pixels, b, luma, levels);
    std::optional<double> factor = measured;
    if (probe < 0 && !measured && b == 2) factor = double(b);
    if (probe >= 0 && factor && (*factor >= b || *factor * *s > kMaxLevelHiddenRatio * full_sigma)) factor.reset();
    // Brought back to the pixels' σ, strongly correlated noise may read no
    // more than the full scale did: then the full scale's reading stands.
    if (!factor || *factor * *s <= full_sigma) continue;
    choice.probe = probe;
    choice.factor = *factor;
  }
  return choice;
}

}  // namespace acuity

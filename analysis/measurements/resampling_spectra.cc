#include "analysis/measurements/resampling_spectra.h"

#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <utility>
#include <vector>

#include "analysis/measurements/percentile.h"

namespace acuity::resampling {
namespace {

constexpr double kBackgroundMinPhi = 0.04;  // median of the cyclic spectrum taken above this
constexpr double kFlatColumnRange8bit = 2.0;  // a column within this range along the lines has no content

// Tukey window: flat, with raised-cosine tapers of `taper` samples at both ends.
std::vector<float> Tukey(int n, int taper) {
  std::vector<float> w(n, 1.0f);
  for (int i = 0; i < taper; ++i) {
    const float v = 0.5f - 0.5f * std::cos(CV_PI * i / taper);
    w[i] = v;
    w[n - 1 - i] = v;
  }
  return w;
}

// Share of the informative columns whose per-row `hits` reach kDupRowShare
// of the rows, and whether that is meaningful (the other informative
// columns' median share is low, so the image is not simply flat).
void ColumnShare(const std::vector<int>& hits, const std::vector<bool>& informative, int rows, double* share,
                 bool* reliable) {
  int count = 0, total = 0;
  std::vector<double> others;
  for (size_t x = 0; x < hits.size(); ++x) {
    if (!informative[x]) continue;
    ++total;
    const double s = double(hits[x]) / rows;
    if (s >= kDupRowShare)
      ++count;
    else
      others.push_back(s);
  }
  *share = total == 0 ? 0.0 : double(count) / total;
  *reliable = false;
  if (!others.empty()) *reliable = NearestRank(others, 0.5) < 0.5;
}

// Nearest-neighbour upscales repeat columns exactly (line[x+1] == line[x]);
// bilinear ones put most columns on a straight line between their
// neighbours (|second difference| ≤ one rounding step). Only columns with
// content count: a column that is flat along the lines (8-bit range ≤
// kFlatColumnRange8bit) repeats and lies on a line trivially — a phone
// screenshot's black band below its photo, a third of the analysed
// window's rows, read as a third of its rows repeated (1.5× by nearest
// neighbour) and as bilinear rows, which made a 2× enlargement read 4×.
void ExactResampling(const cv::Mat& lines, AxisSpectra* out) {
  const int n = lines.cols;
  std::vector<bool> varies(n);
  for (int x = 0; x < n; ++x) {
    double low = 0, high = 0;
    cv::minMaxLoc(lines.col(x), &low, &high);
    varies[x] = high - low > kFlatColumnRange8bit;
  }
  std::vector<int> same(n - 1, 0), linear(n - 2, 0);
  std::vector<bool> same_informative(n - 1), linear_informative(n - 2);
  for (int x = 0; x + 1 < n; ++x) same_informative[x] = varies[x] || varies[x + 1];
  for (int x = 0; x + 2 < n; ++x) linear_informative[x] = varies[x] || varies[x + 1] || varies[x + 2];
  for (int r = 0; r < lines.rows; ++r) {
    const float* p = lines.ptr<float>(r);
    for (int x = 0; x + 1 < n; ++x) same[x] += std::abs(p[x + 1] - p[x]) < 1e-3f;
    for (int x = 0; x + 2 < n; ++x) linear[x] += std::abs(p[x + 2] - 2 * p[x + 1] + p[x]) <= 1.01f;
  }
  ColumnShare(same, same_informative, lines.rows, &out->dup_share, &out->dup_reliable);
  ColumnShare(linear, linear_informative, lines.rows, &out->linear_share, &out->linear_reliable);
}

// The rows of `lines`, mean removed and tapered by `window`, as spectra
// (DFT_ROWS); their mean power per frequency bin into *power.
cv::Mat RowSpectra(const cv::Mat& lines, const std::vector<float>& window,
                   std::vector<double>* power) {
  const int rows = lines.rows, n = lines.cols;
  cv::Mat x(rows, n, CV_32F);
  for (int r = 0; r < rows; ++r) {
    const float* src = lines.ptr<float>(r);
    float* dst = x.ptr<float>(r);
    const double mean = cv::mean(lines.row(r))[0];
    for (int i = 0; i < n; ++i) dst[i] = static_cast<float>((src[i] - mean) * window[i]);
  }
  cv::Mat spectrum;
  cv::dft(x, spectrum, cv::DFT_ROWS | cv::DFT_COMPLEX_OUTPUT);
  power->assign(n, 0.0);
  for (int r = 0; r < rows; ++r) {
    const cv::Vec2f* s = spectrum.ptr<cv::Vec2f>(r);
    for (int k = 0; k < n; ++k)
      (*power)[k] += double(s[k][0]) * s[k][0] + double(s[k][1]) * s[k][1];
  }
  for (double& p : *power) p /= rows;
  return spectrum;
}

// The rows whitened: each frequency divided by its mean amplitude.
// floor_weight > 0 keeps bands that hold only the noise floor (10th
// percentile of the power) from being raised to full weight.
cv::Mat Whiten(cv::Mat spectrum, const std::vector<double>& power, double floor_weight) {
  const int n = static_cast<int>(power.size());
  double mean_power = 0;
  for (double p : power) mean_power += p;
  mean_power /= n;
  double regulariser = 1e-6 * mean_power + 1e-12;
  if (floor_weight > 0) {
    std::vector<double> bands(power.begin() + 1, power.end());
    regulariser += floor_weight * KthSmallest(bands, bands.size() / 10);
  }
  std::vector<float> gain(n);
  for (int k = 0; k < n; ++k)
    gain[k] = k == 0 ? 0.0f : static_cast<float>(1.0 / std::sqrt(power[k] + regulariser));
  for (int r = 0; r < spectrum.rows; ++r) {
    cv::Vec2f* s = spectrum.ptr<cv::Vec2f>(r);
    for (int k = 0; k < n; ++k) s[k] *= gain[k];
  }
  cv::Mat white;
  cv::dft(spectrum, white, cv::DFT_INVERSE | cv::DFT_ROWS | cv::DFT_REAL_OUTPUT | cv::DFT_SCALE);
  return white;
}

// The cyclic spectrum (kGridSize points, power ratio over the median) of
// the whitened rows' profiles along the axis: variance (lag 0) and lag-1
// correlation over the untapered part. Symmetric resampling grids show in
// one or the other (even factors put source samples between pixels).
// `phase8` (may be null): the variance profile folded on x mod 8.
std::vector<double> CyclicSpectrum(const cv::Mat& white, int taper, std::array<double, 8>* phase8) {
  const int x0 = taper, m = white.cols - 2 * taper - 1;
  std::vector<double> lag0(m, 0.0), lag1(m, 0.0);
  for (int r = 0; r < white.rows; ++r) {
    const float* p = white.ptr<float>(r) + x0;
    for (int i = 0; i < m; ++i) {
      lag0[i] += double(p[i]) * p[i];
      lag1[i] += double(p[i]) * p[i + 1];
    }
  }
  if (phase8 && m >= 8) {
    std::array<double, 8> sum{};
    std::array<int, 8> count{};
    double total = 0;
    for (int i = 0; i < m; ++i) sum[(x0 + i) % 8] += lag0[i], count[(x0 + i) % 8] += 1, total += lag0[i];
    for (int k = 0; k < 8; ++k) (*phase8)[k] = total > 0 ? sum[k] / count[k] / (total / m) : 1.0;
  }
  std::vector<double> ratio(m / 2 + 1, 0.0);
  for (const std::vector<double>* profile : {&lag0, &lag1}) {
    double mean = 0;
    for (double v : *profile) mean += v;
    mean /= m;
    cv::Mat v(1, m, CV_32F);
    for (int i = 0; i < m; ++i) {
      v.at<float>(i) = static_cast<float>(((*profile)[i] - mean) *
                                          (0.5 - 0.5 * std::cos(2 * CV_PI * i / (m - 1))));
    }
    cv::Mat f;
    cv::dft(v, f, cv::DFT_COMPLEX_OUTPUT);
    std::vector<double> mag(m / 2 + 1), background;
    for (int i = 0; i <= m / 2; ++i) {
      const cv::Vec2f c = f.at<cv::Vec2f>(i);
      mag[i] = std::hypot(c[0], c[1]);
      if (double(i) / m > kBackgroundMinPhi) background.push_back(mag[i]);
    }
    const double median = std::max(NearestRank(background, 0.5), 1e-12);
    for (int i = 0; i <= m / 2; ++i)
      ratio[i] = std::max(ratio[i], (mag[i] / median) * (mag[i] / median));
  }
  std::vector<double> cyclic(kGridSize, 0.0);
  for (int g = 0; g < kGridSize; ++g) {
    const int i = static_cast<int>(std::lround(g * kGridStep * m));
    double best = 0;
    for (int j = std::max(0, i - 1); j <= std::min(m / 2, i + 1); ++j)
      best = std::max(best, ratio[j]);
    cyclic[g] = best;
  }
  return cyclic;
}

// The power spectrum in dB on the fixed kSpectrumBins grid, normalised by
// the window's energy.
std::vector<double> LogPowerSpectrum(const std::vector<double>& power,
                                     const std::vector<float>& window) {
  const int n = static_cast<int>(power.size());
  double w2 = 0;
  for (float v : window) w2 += double(v) * v;
  std::vector<double> log_power(kSpectrumBins, 0.0);
  for (int b = 0; b < kSpectrumBins; ++b) {
    const double nu0 = (b - 0.5) * 0.5 / (kSpectrumBins - 1),
                 nu1 = (b + 0.5) * 0.5 / (kSpectrumBins - 1);
    double sum = 0;
    int count = 0;
    for (int k = std::max(1, int(std::ceil(nu0 * n)));
         k <= std::min(n / 2, int(std::floor(nu1 * n))); ++k) {
      sum += power[k];
      ++count;
    }
    if (count == 0)
      sum = power[std::clamp(int(std::lround(b * 0.5 / (kSpectrumBins - 1) * n)), 1, n / 2)],
      count = 1;
    log_power[b] = 10.0 * std::log10(sum / count / w2 + 1e-12);
  }
  return log_power;
}

// The whitened cyclic spectrum and the power spectrum along the rows of
// `lines` (and, for the plain whitening, the exact-resampling shares).
AxisSpectra AnalyseAxis(const cv::Mat& lines, double floor_weight) {
  AxisSpectra out;
  const int taper = lines.cols / 10;
  const std::vector<float> window = Tukey(lines.cols, taper);
  std::vector<double> power;
  cv::Mat spectrum = RowSpectra(lines, window, &power);
  out.cyclic = CyclicSpectrum(Whiten(std::move(spectrum), power, floor_weight), taper, &out.phase8);
  out.log_power = LogPowerSpectrum(power, window);
  if (floor_weight == 0) ExactResampling(lines, &out);
  return out;
}

}  // namespace

double Fold(double u) {
  u -= std::floor(u);
  return std::min(u, 1.0 - u);
}

double CyclicAt(const std::vector<double>& s, double phi) {
  const int g = static_cast<int>(std::lround(phi / kGridStep));
  double best = 0;
  for (int j = std::max(0, g - 1); j <= std::min(kGridSize - 1, g + 1); ++j)
    best = std::max(best, s[j]);
  return best;
}

double LogPowerAt(const std::vector<double>& l, double nu) {
  const double pos = std::clamp(nu, 0.0, 0.5) / 0.5 * (kSpectrumBins - 1);
  const int i = std::min(static_cast<int>(pos), kSpectrumBins - 2);
  return l[i] + (pos - i) * (l[i + 1] - l[i]);
}

// Mean dB change mirrored around 0.5/f: an f× upscale's spectrum above the
// cut-off is its own mirror image times the kernel's stopband (very
// negative); a native spectrum only shows its gentle natural decay.
double MirrorDrop(const std::vector<double>& log_power, double f) {
  const double c = 0.5 / f;
  const double d0 = 0.25 * c, d1 = std::min(0.6 * c, 0.5 - c);
  if (d1 <= d0) return 0.0;
  double sum = 0;
  const int steps = 12;
  for (int i = 0; i <= steps; ++i) {
    const double d = d0 + (d1 - d0) * i / steps;
    sum += LogPowerAt(log_power, c + d) - LogPowerAt(log_power, c - d);
  }
  return sum / (steps + 1);
}

// Both axes at once (rows of `luma` and of its transpose), in parallel.
void BothAxes(const cv::Mat& luma, const cv::Mat& luma_t, double floor_weight, AxisSpectra* ax,
              AxisSpectra* ay) {
  cv::parallel_for_(cv::Range(0, 2), [&](const cv::Range& range) {
    for (int i = range.start; i < range.end; ++i) {
      if (i == 0)
        *ax = AnalyseAxis(luma, floor_weight);
      else
        *ay = AnalyseAxis(luma_t, floor_weight);
    }
  });
}

// Cyclic spectrum of both axes, averaged (power ratio over the median).
std::vector<double> Combined(const AxisSpectra& a, const AxisSpectra& b) {
  std::vector<double> s(kGridSize);
  for (int g = 0; g < kGridSize; ++g) s[g] = 0.5 * (a.cyclic[g] + b.cyclic[g]);
  return s;
}

}  // namespace acuity::resampling

#include "analysis/measurements/oversharpening_evidence.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <mutex>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "analysis/measurements/image_ops.h"

namespace acuity {
namespace {

// Gradient scale pairs (fine, coarse; px): in each the fine scale still
// resolves the decay of a halo back to its plateau, the coarse one sees edge
// and halo as one edge and gives the direction the halo runs against. The
// narrow pair reads the halos of radius ≈ 1 px, the wide pair those of
// radius ≈ 2 px; a texture with one characteristic scale (grass) opposes
// itself mostly in one of them, a halo in both. The wide pair sits at σ 2.75
// vs 3.25 px rather than 2.5 vs 3: its fine scale then blurs away more of the
// fine texture and noise (grass, coins at amount ≤ 0.5 read lower) while the
// radius-2 halo, several px wide, is still resolved; the soft photo
// (chelsea) sharpened with amount 2–3 then reads above them (ROC AUC amount
// ≥ 2 vs clean / ≤ 0.5: 0.957 → 0.973 with the tilt weight 0.1; σ 3 vs 3.5
// reads 0.970, 2.5 vs 3 0.956; left-one-photo-out the σ 2.75/3.25 pair
// beats 2.5/3 in all 12 folds).
constexpr double kNarrowFineSigmaPx = 1.0, kNarrowCoarseSigmaPx = 1.5;
constexpr double kWideFineSigmaPx = 2.75, kWideCoarseSigmaPx = 3.25;
constexpr int kMapBoxPx = 15;
// Images larger than kSampledAreaPx are read on strips of
// kStripRows rows spread evenly over the image, ≈ kSampledAreaPx in all
// (a 12 MP photo: 4 strips, as many as the single σ 1.5/2 px pair read on
// 64-row strips of 1 MP; the two pairs then take about as long).
constexpr double kSampledAreaPx = 0.5e6;
constexpr int kStripRows = 32;
// The noise inflation φ(z) − z·Φ(−z) tabulated every 1/kInflationSteps of z
// up to z = 6 (where it is < 1e-9).
constexpr int kInflationSteps = 32;
constexpr int kInflationTableSize = 6 * kInflationSteps + 1;

// Spectrum: log-spaced radial bins from kLowestCyclesPerPx to Nyquist; the
// middle band is bins [kMidFrom, kMidTo], the high band [kHighFrom, kHighTo].
constexpr int kBins = 13;
constexpr double kLowestCyclesPerPx = 0.02;
constexpr int kMidFrom = 4, kMidTo = 6;     // ≈ 0.054–0.11 cycles/px
constexpr int kHighFrom = 9, kHighTo = 11;  // ≈ 0.19–0.39 cycles/px
constexpr int kMaxTilePx = 256;
constexpr int kMaxTilesPerAxis = 4;  // ≤ 16 tiles (1 MP): plenty for a spectrum
// Noise-corrected power is floored at this fraction of the measured power.
constexpr double kMinSignalShare = 1e-3;

// Sampled Gaussian (sum 1) and its derivative (unit response to a unit
// ramp), truncated at 4σ like scipy.ndimage.
void GaussianKernels(double sigma, cv::Mat* g, cv::Mat* d) {
  const int radius = int(4 * sigma + 0.5);
  *g = cv::Mat(2 * radius + 1, 1, CV_32F);
  *d = cv::Mat(2 * radius + 1, 1, CV_32F);
  double sum = 0, moment = 0;
  for (int i = -radius; i <= radius; ++i) sum += std::exp(-0.5 * i * i / (sigma * sigma));
  for (int i = -radius; i <= radius; ++i) {
    const double w = std::exp(-0.5 * i * i / (sigma * sigma)) / sum;
    g->at<float>(i + radius) = float(w);
    moment += i * i * w;
  }
  for (int i = -radius; i <= radius; ++i) d->at<float>(i + radius) = float(i * g->at<float>(i + radius) / moment);
}

void Gradient(const cv::Mat& luma, double sigma, cv::Mat* gx, cv::Mat* gy) {
  cv::Mat g, d;
  GaussianKernels(sigma, &g, &d);
  cv::sepFilter2D(luma, *gx, CV_32F, d, g, cv::Point(-1, -1), 0, cv::BORDER_REFLECT);
  cv::sepFilter2D(luma, *gy, CV_32F, g, d, cv::Point(-1, -1), 0, cv::BORDER_REFLECT);
}

}  // namespace

namespace {

// Σ w·max(∓D, 0) over rows [y0, y1) of `luma` for the scale pair (fine_sigma,
// coarse_sigma) (gradients filtered on those rows plus the filters' reach),
// and the per-pixel terms when `against` / `along` are given (image-size maps).
void AccumulateOpposition(const cv::Mat& luma, int y0, int y1, double fine_sigma, double coarse_sigma,
                          double noise_luma_sigma, double* sum_against, double* sum_along, cv::Mat* against,
                          cv::Mat* along) {
  const int pad = int(4 * coarse_sigma + 0.5) + 1;
  const int r0 = std::max(0, y0 - pad), r1 = std::min(luma.rows, y1 + pad);
  const cv::Mat band = luma.rowRange(r0, r1);
  cv::Mat fx, fy, cx, cy;
  Gradient(band, fine_sigma, &fx, &fy);
  Gradient(band, coarse_sigma, &cx, &cy);
  // Std-dev of the fine directional derivative of white noise of σ = 1.
  cv::Mat g, d;
  GaussianKernels(fine_sigma, &g, &d);
  const float noise_d = float(noise_luma_sigma * std::sqrt(g.dot(g) * d.dot(d)));
  std::array<float, kInflationTableSize> inflation_table;
  for (int i = 0; i < kInflationTableSize; ++i) {
    const double z = (i + 0.5) / kInflationSteps;
    inflation_table[i] = float(std::exp(-0.5 * z * z) / std::sqrt(2 * CV_PI) - z * 0.5 * std::erfc(z / std::sqrt(2.0)));
  }
  std::vector<double> row_against(y1 - y0, 0.0), row_along(y1 - y0, 0.0);
  cv::parallel_for_(cv::Range(y0, y1), [&](const cv::Range& r) {
    for (int y = r.start; y < r.end; ++y) {
      const int by = y - r0;
      const float *pfx = fx.ptr<float>(by), *pfy = fy.ptr<float>(by);
      const float *pcx = cx.ptr<float>(by), *pcy = cy.ptr<float>(by);
      float* pa = against ? against->ptr<float>(y) : nullptr;
      float* pl = along ? along->ptr<float>(y) : nullptr;
      double a = 0, l = 0;
      for (int x = 0; x < luma.cols; ++x) {
        const float m = std::sqrt(pcx[x] * pcx[x] + pcy[x] * pcy[x]);
        if (m <= 1e-6f) {
          if (pa) pa[x] = pl[x] = 0;
          continue;
        }
        const float dd = (pfx[x] * pcx[x] + pfy[x] * pcy[x]) / m;
        // Noise of std-dev σ_D inflates E[max(±D, 0)] by
        // σ_D·(φ(z) − z·Φ(−z)), z = |D|/σ_D, on both sides alike: taken off.
        float inflation = 0;
        if (noise_d > 0) {
          const float z = std::min(std::abs(dd) / noise_d * kInflationSteps, float(kInflationTableSize - 1));
          inflation = noise_d * inflation_table[int(z)];
        }
        const float w = std::sqrt(m);
        const float neg = w * std::max(std::max(-dd, 0.f) - inflation, 0.f);
        const float pos = w * std::max(std::max(dd, 0.f) - inflation, 0.f);
        a += neg, l += pos;
        if (pa) pa[x] = neg, pl[x] = pos;
      }
      row_against[y - y0] = a, row_along[y - y0] = l;
    }
  });
  for (size_t i = 0; i < row_against.size(); ++i) *sum_against += row_against[i], *sum_along += row_along[i];
}

}  // namespace

GradientOpposition MeasureGradientOpposition(const cv::Mat& pixels, double noise_luma_sigma, cv::Mat* map) {
  GradientOpposition out;
  if (map) *map = cv::Mat::zeros(pixels.size(), CV_32F);
  if (pixels.rows < 16 || pixels.cols < 16) return out;
  struct Pair {
    double fine, coarse;
    double against = 0, along = 0;
    cv::Mat against_map, along_map;
  };
  std::array<Pair, 2> pairs{Pair{kNarrowFineSigmaPx, kNarrowCoarseSigmaPx, 0, 0, {}, {}},
                            Pair{kWideFineSigmaPx, kWideCoarseSigmaPx, 0, 0, {}, {}}};
  const double area = double(pixels.rows) * pixels.cols;
  const bool sampled = area > kSampledAreaPx;
  if (map || !sampled) {
    // Every pixel: the figures of a small image, the map of any.
    const cv::Mat luma = LumaF32(pixels);
    for (Pair& p : pairs) {
      if (map) p.against_map.create(luma.size(), CV_32F), p.along_map.create(luma.size(), CV_32F);
      AccumulateOpposition(luma, 0, luma.rows, p.fine, p.coarse, noise_luma_sigma, &p.against, &p.along,
                           map ? &p.against_map : nullptr, map ? &p.along_map : nullptr);
      if (sampled) p.against = p.along = 0;  // the figures come from the strips, as without a map
    }
  }
  if (sampled) {
    // A global average: evenly spread strips covering ≈ kSampledAreaPx do,
    // each with the rows its filters reach (luma of those rows only), in
    // parallel, summed in strip order.
    const int strips = (pixels.rows + kStripRows - 1) / kStripRows;
    const int stride = int(std::ceil(area / kSampledAreaPx));
    std::vector<int> chosen;
    for (int s = stride / 2; s < strips; s += stride) chosen.push_back(s);
    const int pad = int(4 * std::max(kNarrowCoarseSigmaPx, kWideCoarseSigmaPx) + 0.5) + 1;
    std::vector<std::array<double, 4>> sums(chosen.size());
    cv::parallel_for_(cv::Range(0, int(chosen.size())), [&](const cv::Range& r) {
      for (int i = r.start; i < r.end; ++i) {
        const int y0 = chosen[i] * kStripRows, y1 = std::min(pixels.rows, y0 + kStripRows);
        const int b0 = std::max(0, y0 - pad), b1 = std::min(pixels.rows, y1 + pad);
        const cv::Mat band = LumaF32(pixels.rowRange(b0, b1));
        for (int k = 0; k < 2; ++k)
          AccumulateOpposition(band, y0 - b0, y1 - b0, pairs[k].fine, pairs[k].coarse, noise_luma_sigma,
                               &sums[i][2 * k], &sums[i][2 * k + 1], nullptr, nullptr);
      }
    });
    for (const std::array<double, 4>& s : sums)
      for (int k = 0; k < 2; ++k) pairs[k].against += s[2 * k], pairs[k].along += s[2 * k + 1];
  }
  if (pairs[0].along <= 0 || pairs[1].along <= 0) return out;
  out.narrow_ratio = pairs[0].against / pairs[0].along;
  out.wide_ratio = pairs[1].against / pairs[1].along;
  if (map) {
    // Local shares in ‰ over kMapBoxPx boxes, geometric mean of the pairs.
    cv::Mat share[2];
    for (int i = 0; i < 2; ++i) {
      cv::boxFilter(pairs[i].against_map, pairs[i].against_map, CV_32F, cv::Size(kMapBoxPx, kMapBoxPx));
      cv::boxFilter(pairs[i].along_map, pairs[i].along_map, CV_32F, cv::Size(kMapBoxPx, kMapBoxPx));
      cv::divide(pairs[i].against_map, pairs[i].along_map + 1e-3f, share[i], 1000.0);
    }
    cv::sqrt(share[0].mul(share[1]), *map);
  }
  return out;
}

std::optional<double> WhitenedSpectralTiltDecades(const cv::Mat& pixels, double noise_luma_sigma) {
  if (pixels.rows < 32 || pixels.cols < 32) return std::nullopt;
  const int th = std::min(pixels.rows, kMaxTilePx), tw = std::min(pixels.cols, kMaxTilePx);
  const int ny = std::min(kMaxTilesPerAxis, (pixels.rows + th - 1) / th);
  const int nx = std::min(kMaxTilesPerAxis, (pixels.cols + tw - 1) / tw);
  // Symmetric Hann window (numpy.hanning), separable.
  cv::Mat wy(th, 1, CV_32F), wx(1, tw, CV_32F);
  for (int i = 0; i < th; ++i) wy.at<float>(i) = float(0.5 - 0.5 * std::cos(2 * CV_PI * i / (th - 1)));
  for (int i = 0; i < tw; ++i) wx.at<float>(i) = float(0.5 - 0.5 * std::cos(2 * CV_PI * i / (tw - 1)));
  const cv::Mat window = wy * wx;
  const double window_energy = cv::sum(window.mul(window))[0];
  cv::Mat power = cv::Mat::zeros(th, tw, CV_64F);
  std::mutex mu;
  cv::parallel_for_(cv::Range(0, nx * ny), [&](const cv::Range& r) {
    cv::Mat local = cv::Mat::zeros(th, tw, CV_64F);
    for (int t = r.start; t < r.end; ++t) {
      const int iy = t / nx, ix = t % nx;
      const int y0 = ny > 1 ? int(std::lround(double(iy) * (pixels.rows - th) / (ny - 1))) : (pixels.rows - th) / 2;
      const int x0 = nx > 1 ? int(std::lround(double(ix) * (pixels.cols - tw) / (nx - 1))) : (pixels.cols - tw) / 2;
      cv::Mat tile = LumaF32(pixels(cv::Rect(x0, y0, tw, th)));
      tile -= cv::mean(tile)[0];
      tile = tile.mul(window);
      cv::Mat spectrum, planes[2];
      cv::dft(tile, spectrum, cv::DFT_COMPLEX_OUTPUT);
      cv::split(spectrum, planes);
      cv::Mat mag2 = planes[0].mul(planes[0]) + planes[1].mul(planes[1]);
      cv::Mat mag2d;
      mag2.convertTo(mag2d, CV_64F);
      local += mag2d;
    }
    std::lock_guard<std::mutex> lock(mu);
    power += local;
  });
  power /= double(nx * ny) * window_energy;
  std::array<double, kBins> sum{}, count{};
  const double log_step = std::log(0.5 / kLowestCyclesPerPx) / kBins;
  for (int v = 0; v < th; ++v) {
    const double fy = (v <= th / 2 ? v : v - th) / double(th);
    for (int u = 0; u < tw; ++u) {
      const double fx = (u <= tw / 2 ? u : u - tw) / double(tw);
      bool grid = false;
      for (int k = 1; k <= 4; ++k)
        grid = grid || std::abs(std::abs(fx) - k / 8.0) < 1.5 / tw || std::abs(std::abs(fy) - k / 8.0) < 1.5 / th;
      if (grid) continue;
      const double f = std::sqrt(fx * fx + fy * fy);
      if (f < kLowestCyclesPerPx) continue;
      const int b = int(std::floor(std::log(f / kLowestCyclesPerPx) / log_step));
      if (b < 0 || b >= kBins) continue;
      sum[b] += power.at<double>(v, u), count[b] += 1;
    }
  }
  const double noise_power = noise_luma_sigma * noise_luma_sigma;
  auto whitened = [&](int b) {
    const double p = sum[b] / count[b];
    const double f = kLowestCyclesPerPx * std::exp((b + 0.5) * log_step);
    return std::log10(std::max(p - noise_power, kMinSignalShare * p)) + 2 * std::log10(f);
  };
  for (int b = kMidFrom; b <= kHighTo; ++b)
    if (count[b] == 0 || sum[b] <= 0) return std::nullopt;
  double high = 0, mid = 0;
  for (int b = kHighFrom; b <= kHighTo; ++b) high += whitened(b) / (kHighTo - kHighFrom + 1);
  for (int b = kMidFrom; b <= kMidTo; ++b) mid += whitened(b) / (kMidTo - kMidFrom + 1);
  return high - mid;
}

}  // namespace acuity

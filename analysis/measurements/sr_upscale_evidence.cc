#include "analysis/measurements/sr_upscale_evidence.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include <opencv2/core.hpp>

#include "analysis/measurements/percentile.h"

namespace acuity {
namespace {

constexpr int kMinSidePx = 64;           // below this, no reading
constexpr int kMinCoherenceSidePx = 32;  // ... and no C at a given grid (native_scale.h reads from 48 px)
constexpr double kMaxFactor = 8.5;       // cycle frequencies searched: 1/8.5 … 1/2 cycle/px
constexpr double kBandStart = 0.05;      // ν from this share of α (the lowest bins are the DC's skirt)
constexpr double kMinCoherence = 0.10;   // C at the source grid: an SR output
constexpr double kMinProminence = 3.0;   // ... and this many times the C of nearby cycle frequencies
constexpr double kLocalShare = 0.15;     // "nearby": within this share of α, ...
constexpr int kLocalGapBins = 2;         // ... more than this many bins away
constexpr double kHarmonicShare = 0.3;   // peaks this close to the strongest may be its fundamental
constexpr double kSubharmonicCoherence = 0.05;  // a fundamental below its 2nd harmonic needs this C
// A source grid of a factor above 4 (α < 1/4) images at 2α as well: C(2α) at
// least this share of C(α). acuity's ×4 outputs: C(1/2) 0.8–1.3 × C(1/4);
// the low-frequency hump of an axis-aligned texture (brick courses) has
// C(2α) 0.1–0.4 × C(α) (datasets/RESULTS.md, "AI-upscaled files").
constexpr double kMinHarmonicRatio = 0.6;
constexpr double kJpegRatio = 3.0;       // a peak on the JPEG grid must stand out 3× more than its odd harmonics
constexpr double kJpegBins = 1.5;        // bins from k/8 cycle/px that count as on the JPEG grid
// A fixed s×s pattern: the median lattice peak over its surroundings at
// least this. Native photos (2106 ladder files: noise, blur, sharpening,
// JPEG down to q10; 239 of ai_upscale_evaluate) reach 6.8 at s = 4 (gravel
// at JPEG q20) and 10.5 at s = 3; general-x4v3's ×4 outputs of the
// calibration photos 8.6 to 445 at s = 4: the 4×4 threshold sits between
// (datasets/RESULTS.md, "AI-upscaled files"). esrgan-thick's ×3 outputs
// make a 3×3 pattern (32–182; off the axes 13–262); its threshold stays
// clear of the photos' 10.5, and an axis-aligned texture's (96–128 px crops
// of brick: 22, but 3–6 off the axes) is caught off the axes.
constexpr double kMinPattern4 = 7.5;
constexpr double kMinPattern3 = 15.0;
constexpr int kPatternPeakPx = 1;        // 2-D spectrum: a lattice peak is the max within ±this many bins ...
constexpr int kPatternRingPx = 8;        // ... over the median of the surrounding ±8 bins ...
constexpr int kPatternHolePx = 2;        // ... without the central ±2

using Spectrum = std::vector<std::complex<float>>;

// Per DFT bin k < `bins` (n/2 + 1, or n for cycle frequencies above 1/2),
// the bin's value on every row (rows tapered by a Hann window, mean
// removed), and the bin's power summed over the rows.
struct RowBins {
  int n = 0;
  std::vector<Spectrum> bins;   // [k][row]
  std::vector<double> power;    // [k]
};

RowBins BinsOfRows(const cv::Mat& lines, bool all_bins = false) {
  RowBins out;
  const int rows = lines.rows, n = lines.cols;
  out.n = n;
  cv::Mat x(rows, n, CV_32F);
  std::vector<float> hann(n);
  for (int i = 0; i < n; ++i) hann[i] = static_cast<float>(0.5 - 0.5 * std::cos(2 * CV_PI * i / (n - 1)));
  for (int r = 0; r < rows; ++r) {
    const float* src = lines.ptr<float>(r);
    float* dst = x.ptr<float>(r);
    const double mean = cv::mean(lines.row(r))[0];
    for (int i = 0; i < n; ++i) dst[i] = static_cast<float>((src[i] - mean) * hann[i]);
  }
  cv::Mat spectrum;
  cv::dft(x, spectrum, cv::DFT_ROWS | cv::DFT_COMPLEX_OUTPUT);
  const int count = all_bins ? n : n / 2 + 1;
  out.bins.assign(count, Spectrum(rows));
  out.power.assign(count, 0.0);
  for (int r = 0; r < rows; ++r) {
    const cv::Vec2f* s = spectrum.ptr<cv::Vec2f>(r);
    for (int k = 0; k < count; ++k) {
      out.bins[k][r] = {s[k][0], s[k][1]};
      out.power[k] += double(s[k][0]) * s[k][0] + double(s[k][1]) * s[k][1];
    }
  }
  return out;
}

// C(j/n): the mean coherence of the bin pairs (k, j−k), k in [kBandStart j, j/2).
// `b` holds the bins up to j.
double CoherenceAt(const RowBins& b, int j) {
  double sum = 0;
  int count = 0;
  for (int k = std::max(1, int(std::lround(kBandStart * j))); k < j - k; ++k) {
    const Spectrum& a = b.bins[k];
    const Spectrum& z = b.bins[j - k];
    std::complex<double> cross = 0;
    for (size_t r = 0; r < a.size(); ++r) cross += std::complex<double>(a[r] * z[r]);
    sum += std::norm(cross) / (b.power[k] * b.power[j - k] + 1e-30);
    ++count;
  }
  return count ? sum / count : 0.0;
}

// C(j/n) for j in [first, n/2].
std::vector<double> CoherenceByCycle(const RowBins& b, int first) {
  std::vector<double> c(b.n / 2 + 1, 0.0);
  for (int j = first; j <= b.n / 2; ++j) c[j] = CoherenceAt(b, j);
  return c;
}

// The coherence of one axis (rows of `lines`), on the bins j ≥ n / kMaxFactor.
std::vector<double> AxisCoherence(const cv::Mat& lines) {
  return CoherenceByCycle(BinsOfRows(lines), int(std::ceil(lines.cols / kMaxFactor)));
}

// C at cycle frequency α on an axis of n px: the largest of the nearest bins.
double At(const std::vector<double>& c, int n, double alpha) {
  const int j = static_cast<int>(std::lround(alpha * n));
  double best = 0;
  for (int i = std::max(0, j - 1); i <= std::min(int(c.size()) - 1, j + 1); ++i) best = std::max(best, c[i]);
  return best;
}

// C at bin j over the median C of nearby cycle frequencies (kLocalShare),
// on the searched bins [first, c.size()).
double Prominence(const std::vector<double>& c, int first, int j) {
  std::vector<double> nearby;
  const int reach = std::max(kLocalGapBins + 1, int(kLocalShare * j));
  for (int i = std::max(first, j - reach); i <= std::min(int(c.size()) - 1, j + reach); ++i) {
    if (std::abs(i - j) > kLocalGapBins) nearby.push_back(c[i]);
  }
  return nearby.empty() ? 0.0 : c[j] / std::max(NearestRank(nearby, 0.5), 1e-12);
}

// The source grid from the imaging coherence: the bin of the lowest strong,
// prominent peak, or 0.
int CoherentGrid(const std::vector<double>& c, int first, int n) {
  const double strongest = *std::max_element(c.begin() + first, c.end());
  const int last = int(c.size()) - 1;
  // Prominence at the JPEG grid's odd harmonics (the best of ±1 bin).
  double jpeg_odd = 0, jpeg_odd_c = 0;
  for (double alpha : {1.0 / 8, 3.0 / 8}) {
    const int j0 = int(std::lround(alpha * n));
    for (int j = std::max(first, j0 - 1); j <= std::min(last, j0 + 1); ++j) {
      jpeg_odd = std::max(jpeg_odd, Prominence(c, first, j));
      jpeg_odd_c = std::max(jpeg_odd_c, c[j]);
    }
  }
  // A peak at bin j with coherence ≥ min_coherence that stands out from its
  // neighbours and, on the JPEG grid, from the grid's odd harmonics.
  auto accepted = [&](int j, double min_coherence) {
    if (j < first || j > last || c[j] < min_coherence) return false;
    const double prominence = Prominence(c, first, j);
    if (prominence < kMinProminence) return false;
    const double eighths = 8.0 * j / n;
    const int k8 = static_cast<int>(std::lround(eighths));
    if (std::abs(eighths - k8) * n / 8.0 <= kJpegBins) {
      if (k8 % 2 == 1) return false;                        // 8× or 8/3×: the grid's own
      // 2× or 4×: must beat the grid, in prominence and in coherence.
      if (prominence < kJpegRatio * jpeg_odd || c[j] < kSourceGridOverJpegGrid * jpeg_odd_c) return false;
    }
    return true;
  };
  // C at the 2nd harmonic of bin j (the best of ±1 bin); +inf from a bin
  // below 1/4 on (a factor of 4 is not asked for it, whatever n).
  auto harmonic = [&](int j) {
    if (4 * (j + 1) > n || 2 * j + 1 > last) return std::numeric_limits<double>::infinity();
    return std::max({c[2 * j - 1], c[2 * j], c[2 * j + 1]});
  };
  for (int j = first; j <= last; ++j) {
    const bool peak = c[j] >= kHarmonicShare * strongest && (j == first || c[j] >= c[j - 1]) &&
                      (j == last || c[j] >= c[j + 1]);
    if (!peak || !accepted(j, kMinCoherence) || harmonic(j) < kMinHarmonicRatio * c[j]) continue;
    // The fundamental may be weaker than its 2nd harmonic (a 4× output's
    // 1/4 beside its 1/2): take it when it stands out on its own.
    const int half = static_cast<int>(std::lround(j / 2.0));
    int best_half = half;
    for (int i = half - 1; i <= half + 1; ++i) {
      if (i >= first && i <= last && c[i] > c[best_half]) best_half = i;
    }
    return accepted(best_half, kSubharmonicCoherence) ? best_half : j;
  }
  return 0;
}

// A fixed pattern of period s on both axes (the per-phase offsets of a pixel
// shuffle or of an upsampling convolution): the median, over the lattice
// points (k/s, l/s) ≠ 0 of the 2-D power spectrum, of the peak over its
// surroundings, on the points that `points` names.
enum class LatticePoints {
  kAll,
  kOffAxis,  // k and l both ≠ 0, which a texture aligned with the axes (brick courses, tiles) leaves alone
  kOdd,      // k or l odd: for s = 8, the points of a JPEG's 8×8 block grid that no 4×4 pattern has
};
double PatternStrength(const cv::Mat& power, int s, LatticePoints points) {
  const int h = power.rows, w = power.cols;
  auto at = [&](int y, int x) { return power.at<float>(((y % h) + h) % h, ((x % w) + w) % w); };
  std::vector<double> ratios;
  for (int k = 0; k < s; ++k) {
    for (int l = 0; l < s; ++l) {
      if (k == 0 && l == 0) continue;
      if (points == LatticePoints::kOffAxis && (k == 0 || l == 0)) continue;
      if (points == LatticePoints::kOdd && k % 2 == 0 && l % 2 == 0) continue;
      const int cy = int(std::lround(double(k) * h / s)), cx = int(std::lround(double(l) * w / s));
      double peak = 0;
      std::vector<double> ring;
      for (int dy = -kPatternRingPx; dy <= kPatternRingPx; ++dy) {
        for (int dx = -kPatternRingPx; dx <= kPatternRingPx; ++dx) {
          const double v = at(cy + dy, cx + dx);
          if (std::abs(dy) <= kPatternPeakPx && std::abs(dx) <= kPatternPeakPx) peak = std::max(peak, v);
          if (std::abs(dy) > kPatternHolePx || std::abs(dx) > kPatternHolePx) ring.push_back(v);
        }
      }
      ratios.push_back(peak / std::max(NearestRank(ring, 0.5), 1e-12));
    }
  }
  return NearestRank(ratios, 0.5);
}

// The 2-D power spectrum of the Hann-tapered luma (mean removed).
cv::Mat PowerSpectrum2D(const cv::Mat& luma) {
  const int h = luma.rows, w = luma.cols;
  cv::Mat x(h, w, CV_32F);
  const double mean = cv::mean(luma)[0];
  for (int y = 0; y < h; ++y) {
    const float wy = static_cast<float>(0.5 - 0.5 * std::cos(2 * CV_PI * y / (h - 1)));
    const float* src = luma.ptr<float>(y);
    float* dst = x.ptr<float>(y);
    for (int i = 0; i < w; ++i) {
      dst[i] = static_cast<float>((src[i] - mean) * wy * (0.5 - 0.5 * std::cos(2 * CV_PI * i / (w - 1))));
    }
  }
  cv::Mat f, planes[2], power;
  cv::dft(x, f, cv::DFT_COMPLEX_OUTPUT);
  cv::split(f, planes);
  cv::magnitude(planes[0], planes[1], power);
  return power.mul(power);
}

}  // namespace

std::optional<std::vector<double>> SourceGridCoherence(const cv::Mat& luma, const std::vector<double>& alphas) {
  if (luma.empty() || luma.cols < kMinCoherenceSidePx || luma.rows < kMinCoherenceSidePx) return std::nullopt;
  std::vector<double> out(alphas.size(), 1.0);
  for (const cv::Mat& lines : {luma, cv::Mat(luma.t())}) {
    const RowBins b = BinsOfRows(lines, /*all_bins=*/true);
    for (size_t i = 0; i < alphas.size(); ++i) {
      // The best of the nearest bins (the grid's frequency falls between bins).
      const int j0 = static_cast<int>(std::lround(std::clamp(alphas[i], 0.0, 1.0) * b.n));
      double best = 0;
      for (int j = std::max(2, j0 - 1); j <= std::min(b.n - 1, j0 + 1); ++j) best = std::max(best, CoherenceAt(b, j));
      out[i] = std::min(out[i], best);  // the weaker axis
    }
  }
  return out;
}

std::optional<SrUpscaleEvidence> FindSrUpscale(const cv::Mat& luma, int coding_block_px) {
  if (luma.empty() || luma.cols < kMinSidePx || luma.rows < kMinSidePx) return std::nullopt;
  // Both axes side by side; then, on the horizontal axis's grid, the weaker
  // axis (a network's source grid runs both ways, a texture's period mostly one).
  std::vector<double> cx, cy;
  const cv::Mat luma_t = luma.t();
  cv::parallel_for_(cv::Range(0, 2), [&](const cv::Range& range) {
    for (int i = range.start; i < range.end; ++i) (i == 0 ? cx : cy) = AxisCoherence(i == 0 ? luma : luma_t);
  });
  const int nx = luma.cols, ny = luma.rows;
  const int first = int(std::ceil(nx / kMaxFactor));
  std::vector<double> c(nx / 2 + 1, 0.0), searched;
  for (int j = first; j <= nx / 2; ++j) {
    c[j] = std::min(cx[j], At(cy, ny, double(j) / nx));
    searched.push_back(c[j]);
  }
  SrUpscaleEvidence e;
  e.background = NearestRank(searched, 0.5);
  e.coherence = *std::max_element(searched.begin(), searched.end());
  if (const int j = CoherentGrid(c, first, nx)) {
    e.factor = double(nx) / j;
    e.coherence = c[j];
    e.from_imaging = true;
    return e;
  }
  // No imaging (a network that adds its detail over a smooth base, such as
  // general-x4v3): a fixed 4×4 or 3×3 pattern of its output phases? (2×2
  // patterns are left out: a 1.5× area downscale makes them too.)
  const cv::Mat power = PowerSpectrum2D(luma);
  // In a file coded in 8×8 blocks, the blocks make a pattern on the whole
  // 8×8 lattice, of which the 4×4 one is the even part (a soft photo's JPEG:
  // up to 20, as much as a general-x4v3 output's): there the 4×4 pattern
  // must stand out kJpegRatio× over the odd eighths, as the coherence at 1/4
  // and 1/2 must over 1/8 and 3/8.
  const double pattern4 = PatternStrength(power, 4, LatticePoints::kAll);
  if (pattern4 >= kMinPattern4 &&
      (coding_block_px != 8 || pattern4 >= kJpegRatio * PatternStrength(power, 8, LatticePoints::kOdd))) {
    e.factor = 4;
    return e;
  }
  // A 3×3 lattice has 4 of its 8 points on the axes, where a texture aligned
  // with them puts its own peaks, so its median can come from the axes
  // alone; the points off the axes must stand out too, as much as the 4×4
  // test asks of its median (whose lattice has 9 of 15 points off the axes).
  if (PatternStrength(power, 3, LatticePoints::kAll) >= kMinPattern3 &&
      PatternStrength(power, 3, LatticePoints::kOffAxis) >= kMinPattern4) {
    e.factor = 3;
    return e;
  }
  return e;
}

}  // namespace acuity

#include "analysis/measurements/dither.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include <fmt/format.h>
#include <opencv2/imgproc.hpp>

#include "analysis/measurements/halftone.h"
#include "analysis/measurements/image_ops.h"
#include "analysis/measurements/visible_part.h"

namespace acuity {
namespace {

constexpr int kMinSidePx = 16;
constexpr double kPatternSigmaPx = 1.0;  // the fine pattern: luma − Gaussian(σ 1 px)
constexpr double kSmoothSigmaPx = 2.0;   // the coarse picture whose gradient says "smooth"
constexpr double kWindowSigmaPx = 3.0;   // DitherWeights' window
constexpr double kDotsCorrelation = -0.2;     // DitherWeights: 1 at and below
constexpr double kTextureCorrelation = 0.2;   // ... 0 at and above
// ... and 0 where the window's pattern energy (8-bit levels²) is under the
// readable pattern's.
constexpr float kMinPatternEnergy = float(kDitherMinPatternSigma8bit * kDitherMinPatternSigma8bit);

// luma − its Gaussian of σ kPatternSigmaPx.
cv::Mat FinePattern(const cv::Mat& luma) {
  cv::Mat low;
  cv::GaussianBlur(luma, low, cv::Size(), kPatternSigmaPx);
  return luma - low;
}

// Where the picture is smooth at the coarse scale: CV_8U, 255 there.
cv::Mat SmoothMask(const cv::Mat& luma) {
  cv::Mat coarse, gx, gy, magnitude;
  cv::GaussianBlur(luma, coarse, cv::Size(), kSmoothSigmaPx);
  cv::Sobel(coarse, gx, CV_32F, 1, 0, 3, 1.0 / 8);  // levels per px
  cv::Sobel(coarse, gy, CV_32F, 0, 1, 3, 1.0 / 8);
  cv::magnitude(gx, gy, magnitude);
  return magnitude < kDitherSmoothGradient;
}

// r(x) · r(x + 1 px), averaged over the right and lower neighbour (0 on the
// last column and row for the one that is missing there).
cv::Mat NeighbourProducts(const cv::Mat& r) {
  cv::Mat products(r.size(), CV_32F, cv::Scalar(0));
  for (int y = 0; y < r.rows; ++y) {
    const float* row = r.ptr<float>(y);
    const float* below = y + 1 < r.rows ? r.ptr<float>(y + 1) : nullptr;
    float* out = products.ptr<float>(y);
    for (int x = 0; x < r.cols; ++x) {
      const float right = x + 1 < r.cols ? row[x] * row[x + 1] : 0.f;
      const float down = below ? row[x] * below[x] : 0.f;
      out[x] = 0.5f * (right + down);
    }
  }
  return products;
}

// The pattern's neighbour correlation and RMS over `mask`: pairs counted
// only where both pixels are in it.
struct PatternStats {
  double correlation = 0, sigma = 0, smooth_share = 0;
  bool readable = false;
};

PatternStats ReadPattern(const cv::Mat& r, const cv::Mat& mask) {
  PatternStats s;
  double energy = 0, pairs_sum = 0;
  long count = 0, pairs = 0;
  for (int y = 0; y < r.rows; ++y) {
    const float* row = r.ptr<float>(y);
    const uint8_t* m = mask.ptr<uint8_t>(y);
    const float* below = y + 1 < r.rows ? r.ptr<float>(y + 1) : nullptr;
    const uint8_t* m_below = y + 1 < r.rows ? mask.ptr<uint8_t>(y + 1) : nullptr;
    for (int x = 0; x < r.cols; ++x) {
      if (!m[x]) continue;
      energy += double(row[x]) * row[x];
      ++count;
      if (x + 1 < r.cols && m[x + 1]) pairs_sum += double(row[x]) * row[x + 1], ++pairs;
      if (below && m_below[x]) pairs_sum += double(row[x]) * below[x], ++pairs;
    }
  }
  s.smooth_share = double(count) / double(r.total());
  if (count == 0 || pairs == 0) return s;
  const double mean_energy = energy / double(count);
  s.sigma = std::sqrt(mean_energy);
  s.readable = s.smooth_share * 100 >= kDitherMinSmoothPct && s.sigma >= kDitherMinPatternSigma8bit;
  if (s.readable) s.correlation = (pairs_sum / double(pairs)) / mean_energy;
  return s;
}

// One packed value per pixel (gray: its level; colour: B, G, R).
template <int Channels>
uint32_t Packed(const uint8_t* p) {
  if constexpr (Channels == 1) return p[0];
  else return uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16);
}

template <int Channels>
double IsolatedPctOf(const cv::Mat& px, int step) {
  long isolated = 0, interior = 0;
  for (int y = 1; y + 1 < px.rows; ++y) {
    const uint8_t* up = px.ptr<uint8_t>(y - 1);
    const uint8_t* row = px.ptr<uint8_t>(y);
    const uint8_t* down = px.ptr<uint8_t>(y + 1);
    for (int x = 1; x + 1 < px.cols; ++x) {
      const uint32_t c = Packed<Channels>(row + x * step);
      const int differing = (Packed<Channels>(row + (x - 1) * step) != c) +
                            (Packed<Channels>(row + (x + 1) * step) != c) +
                            (Packed<Channels>(up + x * step) != c) + (Packed<Channels>(down + x * step) != c);
      isolated += differing >= 3;
      ++interior;
    }
  }
  return interior ? 100.0 * double(isolated) / double(interior) : 0.0;
}

// Share of the pixels differing from three or four of their 4-neighbours, %.
double IsolatedPct(const cv::Mat& px8) {
  return px8.channels() == 1 ? IsolatedPctOf<1>(px8, 1) : IsolatedPctOf<3>(px8, px8.channels());
}

// One channel, or B = G = R everywhere (alpha aside).
bool IsGray(const cv::Mat& px8) {
  if (px8.channels() == 1) return true;
  const int step = px8.channels();
  for (int y = 0; y < px8.rows; ++y) {
    const uint8_t* p = px8.ptr<uint8_t>(y);
    for (int x = 0; x < px8.cols; ++x, p += step)
      if (p[0] != p[1] || p[1] != p[2]) return false;
  }
  return true;
}

}  // namespace

// DitherWeights of the fine pattern `r` (FinePattern) already made.
static cv::Mat WeightsOfPattern(const cv::Mat& r) {
  cv::Mat products = NeighbourProducts(r), energy = r.mul(r);
  cv::GaussianBlur(products, products, cv::Size(), kWindowSigmaPx);
  cv::GaussianBlur(energy, energy, cv::Size(), kWindowSigmaPx);
  cv::Mat weights(r.size(), CV_32F);
  const float span = float(kTextureCorrelation - kDotsCorrelation);
  for (int y = 0; y < r.rows; ++y) {
    const float* p = products.ptr<float>(y);
    const float* e = energy.ptr<float>(y);
    float* w = weights.ptr<float>(y);
    for (int x = 0; x < r.cols; ++x) {
      // No pattern to read (a flat fill, a smooth ramp): nothing to smooth.
      if (e[x] < kMinPatternEnergy) {
        w[x] = 0.f;
        continue;
      }
      const float correlation = p[x] / e[x];
      w[x] = std::clamp((float(kTextureCorrelation) - correlation) / span, 0.f, 1.f);
    }
  }
  return weights;
}

cv::Mat DitherWeights(const cv::Mat& luma, bool screen) {
  if (screen) return cv::Mat::ones(luma.size(), CV_32FC1);
  return WeightsOfPattern(FinePattern(luma));
}

cv::Mat WithoutDots(const cv::Mat& plane, const cv::Mat& weights, double sigma_px) {
  cv::Mat low;
  cv::GaussianBlur(plane, low, cv::Size(), sigma_px);
  return plane + weights.mul(low - plane);
}

cv::Mat UnditheredPicture(const cv::Mat& pixels, double sigma_px, bool screen) {
  const cv::Mat weights = DitherWeights(LumaF32(pixels), screen);
  std::vector<cv::Mat> planes;
  cv::split(pixels, planes);
  const int colour = pixels.channels() == 4 ? 3 : pixels.channels();  // alpha stays as it is
  for (int c = 0; c < colour; ++c) {
    cv::Mat plane;
    planes[c].convertTo(plane, CV_32F);
    WithoutDots(plane, weights, sigma_px).convertTo(planes[c], pixels.depth());  // rounds and saturates
  }
  cv::Mat out;
  cv::merge(planes, out);
  return out;
}

double UnditherSigmaPx(double pattern_sigma_8bit) {
  return 0.6 + std::clamp((pattern_sigma_8bit - 20.0) / 50.0, 0.0, 0.4);
}

Measured<DitherResult> MeasureDither(const cv::Mat& pixels, const DitherOptions& options) {
  Measured<DitherResult> out;
  DitherResult& d = out.result;
  if (pixels.empty() || std::min(pixels.cols, pixels.rows) < kMinSidePx) {
    d.not_measured_reason = fmt::format("under {} px a side", kMinSidePx);
    return out;
  }
  // The picture's colours, when 8-bit (more than a few: a photo, a scan).
  const bool eight_bit = pixels.depth() == CV_8U;
  const bool gray = eight_bit && IsGray(pixels);
  const int colors = !eight_bit ? 0
                     : options.colors ? *options.colors
                                      : DistinctColours(pixels, HiddenMask(pixels), kDitherMaxColours);
  const bool few = eight_bit && colors <= (gray ? kDitherMaxGrayLevels : kDitherMaxColours);
  // A printed halftone screen, on a picture of many colours or 16 bits (a
  // scan): dots everywhere. Not on a few-colour one: a chart's hatched fills
  // make the same lattice (a halftone scanned as two-level line art is read
  // as such, below).
  if (!few) {
    if (const std::optional<HalftoneScreen> screen = FindHalftoneScreen(LumaF32(pixels))) {
      d.detected = true;
      d.screen_period_px = screen->period_px;
      d.screen_angle_deg = screen->angle_deg;
      d.screen_rms_8bit = screen->rms_8bit;
      d.dithered_pct = 100.0;
      d.undither_sigma_px = DescreenSigmaPx(screen->period_px);
      if (options.compute_map) out.map = cv::Mat::ones(pixels.size(), CV_32FC1);
      return out;
    }
  }
  if (!eight_bit) {
    d.not_measured_reason = "16-bit pixels: a few-colour dither is 8-bit";
    return out;
  }
  if (!few) {
    d.not_measured_reason = gray ? fmt::format("more than {} gray levels: not a few-level picture", kDitherMaxGrayLevels)
                                 : fmt::format("more than {} colours: not a few-colour picture", kDitherMaxColours);
    return out;
  }
  d.colors = colors;
  const cv::Mat luma = LumaF32(pixels);
  const cv::Mat pattern = FinePattern(luma);
  const PatternStats stats = ReadPattern(pattern, SmoothMask(luma));
  d.isolated_pct = IsolatedPct(pixels);
  if (stats.sigma > 0) d.pattern_sigma_8bit = stats.sigma;
  if (stats.readable) d.pattern_correlation = stats.correlation;
  d.detected = stats.readable && stats.correlation < kDitherMaxCorrelation && *d.isolated_pct >= kDitherMinIsolatedPct;
  if (*d.detected || options.compute_map) {
    cv::Mat weights = WeightsOfPattern(pattern);
    if (*d.detected) {
      d.dithered_pct = 100.0 * cv::mean(weights)[0];
      d.undither_sigma_px = UnditherSigmaPx(stats.sigma);
    }
    if (options.compute_map) out.map = std::move(weights);
  }
  return out;
}

}  // namespace acuity

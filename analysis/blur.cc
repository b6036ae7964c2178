#include "analysis/blur.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "analysis/image_ops.h"
#include "analysis/noise.h"

namespace acuity {
namespace {

// Derivative-of-Gaussian scales (px) whose peak-gradient ratio reads σ.
constexpr double kScaleA = 1.0;
constexpr double kScaleB = 2.0;
// An edge counts when its gradient peak exceeds this many std-devs of the
// gradient that noise alone makes.
constexpr double kEdgeNoiseFactor = 6.0;
// Only the strongest edges are used: those above this quantile of edge peaks.
constexpr double kStrongEdgeQuantile = 0.7;
// Absolute floor on the edge gradient (8-bit units per px).
constexpr double kMinEdgeGradient = 2.0;
// Readings are capped here (px): beyond it the ratio no longer resolves σ.
constexpr double kMaxSigmaPx = 20.0;
// Pixels within this distance (px) of a clipped pixel (0 or 255) are skipped.
constexpr int kClipGuardPx = 4;

struct GradientKernels {
  cv::Mat smooth;      // Gaussian, sums to 1
  cv::Mat derivative;  // responds 1 to a unit ramp
  double noise_gain_sq = 0;  // E|∇|² per unit noise variance
};

GradientKernels MakeKernels(double sigma) {
  const int radius = int(std::ceil(4.0 * sigma));
  GradientKernels k;
  k.smooth.create(2 * radius + 1, 1, CV_64F);
  k.derivative.create(2 * radius + 1, 1, CV_64F);
  double sum = 0, moment = 0;
  for (int i = -radius; i <= radius; ++i) {
    const double g = std::exp(-0.5 * i * i / (sigma * sigma));
    k.smooth.at<double>(i + radius) = g;
    sum += g;
    moment += double(i) * i * g;
  }
  double ss = 0, dd = 0;
  for (int i = -radius; i <= radius; ++i) {
    const double g = k.smooth.at<double>(i + radius);
    k.derivative.at<double>(i + radius) = i * g / moment;
    k.smooth.at<double>(i + radius) = g / sum;
    ss += (g / sum) * (g / sum);
    dd += (i * g / moment) * (i * g / moment);
  }
  k.noise_gain_sq = 2.0 * ss * dd;
  return k;
}

// Squared gradient magnitude at scale σ (derivative of Gaussian).
void GradientSq(const cv::Mat& y, const GradientKernels& k, cv::Mat& gx, cv::Mat& gy, cv::Mat& mag_sq) {
  cv::sepFilter2D(y, gx, CV_32F, k.derivative, k.smooth, cv::Point(-1, -1), 0, cv::BORDER_REFLECT);
  cv::sepFilter2D(y, gy, CV_32F, k.smooth, k.derivative, cv::Point(-1, -1), 0, cv::BORDER_REFLECT);
  mag_sq = gx.mul(gx) + gy.mul(gy);
}

// Peak of a Gaussian-shaped profile from three samples (log-parabola); the
// samples are squared magnitudes with the noise contribution removed.
double PeakFromThree(double left_sq, double mid_sq, double right_sq) {
  const double floor = 1e-6;
  const double l = 0.5 * std::log(std::max(left_sq, floor));
  const double m = 0.5 * std::log(std::max(mid_sq, floor));
  const double r = 0.5 * std::log(std::max(right_sq, floor));
  const double curvature = l - 2 * m + r;
  if (curvature >= 0) return std::exp(m);
  const double offset = std::clamp(0.5 * (l - r) / curvature, -1.0, 1.0);
  return std::exp(m - 0.25 * (l - r) * offset);
}

// σ of the blurred step whose peak gradients at scales a and b are pa, pb.
double SigmaFromRatio(double pa, double pb) {
  const double r2 = (pa / pb) * (pa / pb);
  if (r2 <= 1.0) return kMaxSigmaPx;
  const double s2 = (kScaleB * kScaleB - r2 * kScaleA * kScaleA) / (r2 - 1.0);
  return std::min(kMaxSigmaPx, std::sqrt(std::max(0.0, s2)));
}

struct EdgePoint {
  int row, col;
  float strength;  // noise-corrected gradient peak at scale a
  float sigma;     // px
};

double Quantile(std::vector<float> v, double q) {
  if (v.empty()) return 0;
  const size_t i = std::min(v.size() - 1, size_t(q * (v.size() - 1) + 0.5));
  std::nth_element(v.begin(), v.begin() + i, v.end());
  return v[i];
}

// Dense map from scattered per-edge σ: block medians, holes filled by a
// normalised convolution of the neighbouring blocks, else the global value.
cv::Mat BlurMap(const std::vector<EdgePoint>& edges, cv::Size size, int block, double global) {
  const int rows = std::max(1, size.height / block), cols = std::max(1, size.width / block);
  std::vector<std::vector<float>> cells(size_t(rows) * cols);
  for (const EdgePoint& e : edges) {
    const int br = std::min(rows - 1, e.row / block), bc = std::min(cols - 1, e.col / block);
    cells[size_t(br) * cols + bc].push_back(e.sigma);
  }
  cv::Mat value = cv::Mat::zeros(rows, cols, CV_32F), weight = cv::Mat::zeros(rows, cols, CV_32F);
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      std::vector<float>& v = cells[size_t(r) * cols + c];
      if (v.size() < 3) continue;
      value.at<float>(r, c) = float(Quantile(v, 0.5)) * float(v.size());
      weight.at<float>(r, c) = float(v.size());
    }
  cv::Mat wv, ww;
  cv::GaussianBlur(value, wv, cv::Size(), 1.5, 1.5, cv::BORDER_REFLECT);
  cv::GaussianBlur(weight, ww, cv::Size(), 1.5, 1.5, cv::BORDER_REFLECT);
  cv::Mat map(rows, cols, CV_32F);
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      const float w = weight.at<float>(r, c);
      if (w > 0) map.at<float>(r, c) = value.at<float>(r, c) / w;
      else if (ww.at<float>(r, c) > 0.5f) map.at<float>(r, c) = wv.at<float>(r, c) / ww.at<float>(r, c);
      else map.at<float>(r, c) = float(global);
    }
  return map;
}

// Pixels near a clipped value in any channel (0 or full white), dilated.
cv::Mat ClipGuard(const cv::Mat& pixels) {
  cv::Mat p8 = To8Bit(pixels, /*keep_gray=*/true);
  std::vector<cv::Mat> ch;
  cv::split(p8, ch);
  cv::Mat clipped = cv::Mat::zeros(p8.size(), CV_8U);
  for (const cv::Mat& c : ch) clipped |= (c >= 255) | (c <= 0);
  cv::dilate(clipped, clipped,
             cv::getStructuringElement(cv::MORPH_RECT, cv::Size(2 * kClipGuardPx + 1, 2 * kClipGuardPx + 1)));
  return clipped;
}

}  // namespace

BlurMeasurement MeasureBlur(const cv::Mat& pixels, const BlurOptions& options) {
  BlurMeasurement m;
  if (pixels.empty() || pixels.rows < 16 || pixels.cols < 16) return m;
  const cv::Mat y = LumaF32(pixels);
  double noise = 0;
  if (options.noise_sigma) {
    noise = *options.noise_sigma;
  } else if (std::optional<double> s = EstimatePlaneNoiseSigma(y, -1e9, 1e9)) {
    noise = *s;
  }
  const GradientKernels ka = MakeKernels(kScaleA), kb = MakeKernels(kScaleB);
  cv::Mat gxa, gya, ma, gxb, gyb, mb;
  GradientSq(y, ka, gxa, gya, ma);
  GradientSq(y, kb, gxb, gyb, mb);
  const float noise_a = float(noise * noise * ka.noise_gain_sq);
  const float noise_b = float(noise * noise * kb.noise_gain_sq);
  const float min_peak_sq = float(std::max(kMinEdgeGradient * kMinEdgeGradient,
                                           kEdgeNoiseFactor * kEdgeNoiseFactor * noise_a));
  const cv::Mat guard = ClipGuard(pixels);

  // Edge points: maxima of |∇| at scale a along the dominant gradient axis.
  const int margin = int(std::ceil(4 * kScaleB)) + 1;
  std::vector<std::vector<EdgePoint>> rows_out(size_t(y.rows));
  cv::parallel_for_(cv::Range(margin, std::max(margin, y.rows - margin)), [&](const cv::Range& range) {
    for (int r = range.start; r < range.end; ++r) {
      const float* a = ma.ptr<float>(r);
      const float* au = ma.ptr<float>(r - 1);
      const float* ad = ma.ptr<float>(r + 1);
      const float* b = mb.ptr<float>(r);
      const float* bu = mb.ptr<float>(r - 1);
      const float* bd = mb.ptr<float>(r + 1);
      const float* gx = gxa.ptr<float>(r);
      const float* gy = gya.ptr<float>(r);
      const uchar* g = guard.ptr<uchar>(r);
      for (int c = margin; c < y.cols - margin; ++c) {
        if (a[c] < min_peak_sq || g[c]) continue;
        const bool horizontal = std::abs(gx[c]) >= std::abs(gy[c]);
        const float al = horizontal ? a[c - 1] : au[c], ar = horizontal ? a[c + 1] : ad[c];
        if (!(a[c] >= al && a[c] > ar)) continue;
        const float bl = horizontal ? b[c - 1] : bu[c], br = horizontal ? b[c + 1] : bd[c];
        const double pa = PeakFromThree(al - noise_a, a[c] - noise_a, ar - noise_a);
        const double pb = PeakFromThree(bl - noise_b, b[c] - noise_b, br - noise_b);
        if (pb <= 0) continue;
        rows_out[size_t(r)].push_back({r, c, float(pa), float(SigmaFromRatio(pa, pb))});
      }
    }
  });
  std::vector<EdgePoint> edges;
  for (auto& v : rows_out) edges.insert(edges.end(), v.begin(), v.end());

  std::vector<float> strengths;
  strengths.reserve(edges.size());
  for (const EdgePoint& e : edges) strengths.push_back(e.strength);
  const double strong = Quantile(strengths, kStrongEdgeQuantile);
  std::vector<EdgePoint> used;
  for (const EdgePoint& e : edges)
    if (e.strength >= strong) used.push_back(e);
  m.result.edge_count = int(used.size());
  if (used.size() < 10) return m;
  std::vector<float> sigmas;
  for (const EdgePoint& e : used) sigmas.push_back(e.sigma);
  const double median = Quantile(sigmas, 0.5);
  m.result.blur_sigma_px = median;
  m.result.blur_sigma_iqr_px = Quantile(sigmas, 0.75) - Quantile(sigmas, 0.25);
  if (options.compute_map) m.map = BlurMap(edges, y.size(), std::max(8, options.map_block_px), median);
  return m;
}

}  // namespace acuity

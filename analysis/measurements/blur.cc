#include "analysis/measurements/blur.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "analysis/measurements/blur_focus.h"
#include "analysis/measurements/blur_spectrum.h"
#include "analysis/measurements/image_ops.h"
#include "analysis/measurements/noise.h"
#include "analysis/measurements/noise_sampling.h"
#include "analysis/measurements/percentile.h"

namespace acuity {
namespace {

// Derivative-of-Gaussian scales (px) whose peak-gradient ratio reads σ.
constexpr double kScaleA = 1.0;
constexpr double kScaleB = 2.0;
// A third scale checks that the edge behaves like an isolated blurred step:
// its peak there must match the step model fitted at scales a and b.
constexpr double kScaleC = 3.0;
constexpr double kStepModelTolerance = 0.05;
// When fewer edges than this share fit within tolerance, the best-fitting
// share is used instead.
constexpr double kMinStepShare = 0.1;
constexpr int kMinEdges = 10;
// Blending the spectral and edge readings: the spectral one is trusted while
// its power-law exponent stays within kAlphaDriftTrusted of natural images'
// and dropped kAlphaDriftSpan further; the edge one gains weight from
// kEdgeShareLow to kEdgeShareLow + kEdgeShareSpan of edges fitting the step model.
constexpr double kNaturalAlpha = 2.0;
constexpr double kAlphaDriftTrusted = 0.3;
constexpr double kAlphaDriftSpan = 0.4;
constexpr double kEdgeShareLow = 0.3;
constexpr double kEdgeShareSpan = 0.5;
// ... and the spectral one needs signal over kSpectrumFillLow (fully from
// kSpectrumFillLow + kSpectrumFillSpan) of the frequencies it fits.
constexpr double kSpectrumFillLow = 0.4;
constexpr double kSpectrumFillSpan = 0.3;
// An edge counts when its gradient peak exceeds this many std-devs of the
// gradient that noise alone makes.
constexpr double kEdgeNoiseFactor = 6.0;
// Only the strongest edges are used: those above this quantile of edge peaks.
constexpr double kStrongEdgeQuantile = 0.7;
// Absolute floor on the edge gradient (8-bit units per px).
constexpr double kMinEdgeGradient = 2.0;
// Readings are capped here (px): beyond it the ratio no longer resolves σ.
constexpr double kMaxSigmaPx = 20.0;
// An enlarged picture (BlurOptions::px_per_native_px ≥ kEnlargedFrom) is
// read by its edges alone. Its spectrum cannot tell the photo's detail from
// what the enlarging made: above the native Nyquist frequency lies only
// that (a network's texture, a kernel's ringing, the source's pixels, a
// later sharpen's boost of them: a photo blurred 2 px, enlarged 4× by a
// network and sharpened read σ 0.00 px), and below it lies the native
// photo's blur without the enlargement's own softness. An edge's width at
// the picture's own px is what it is, whatever made it.
//
// When those edges read wider than kCoarseFromSigmaPx, each is read at the
// enlargement times the scales 1, 2, 3 px too (the native picture's own
// scales), and keeps that reading when it is wider than kHandOverSigmaPx.
// The fine scales resolve an edge's σ up to about 3 px only (beyond, the
// gradient ratio changes by a few % over px of σ: an edge of 8 px reads
// anywhere from 2 to 20), and there they read the enlargement's patterns
// instead of the photo's edge. Photos blurred 2 px, enlarged 4× by Lanczos
// (truth about 8.2 px): 4.2–6.6 px by the fine scales and the spectrum,
// 7.4–8.4 now; a sharp photo's enlargement reads as it did (1.8–2.5 px).
// The coarse factor stops at kMaxCoarseScale: its scale b then resolves the
// widest edge read (kMaxSigmaPx), and its kernels stay a few hundred px (an
// enlargement of 10 000× recorded in a file's metadata made them 120 000).
// Near the picture's border the coarse kernels read it mirrored
// (BORDER_REFLECT): a thin picture keeps its edges (a 4× banner 96 px high
// lost all of them when points had to lie a coarse kernel's radius inside),
// and a sampled block reads its own points only, its margin being context.
// The points are chosen, and the strong ones kept (Summarize), by the fine
// scale's peak: a wide edge ranks below a narrow one of equal contrast.
constexpr double kEnlargedFrom = 1.5;
constexpr double kCoarseFromSigmaPx = 2.0;
constexpr double kHandOverSigmaPx = 3.0;
constexpr double kMaxCoarseScale = 8.0;
// Pixels within this distance (px) of a clipped pixel (0 or 255) are skipped.
constexpr int kClipGuardPx = 4;
// Images above kMaxSampledPixels are read on a sample of blocks of this side
// (unless a map is wanted).
constexpr int kSampleBlockPx = 256;
constexpr double kMaxSampledPixels = 1.0e6;

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
double SigmaFromRatio(double pa, double pb, double sa, double sb) {
  if (pb <= 0) return kMaxSigmaPx;
  const double r2 = (pa / pb) * (pa / pb);
  if (r2 <= 1.0) return kMaxSigmaPx;
  const double s2 = (sb * sb - r2 * sa * sa) / (r2 - 1.0);
  return std::min(kMaxSigmaPx, std::sqrt(std::max(0.0, s2)));
}

struct EdgePoint {
  int row, col;
  float strength;  // noise-corrected gradient peak at scale a
  float sigma;     // px
  float model_error;  // |measured / step-model peak − 1| at the coarsest scale
};

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
      value.at<float>(r, c) = float(NearestRank(v, 0.5)) * float(v.size());
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

// Border (px) where ReadEdges finds no edge: its coarsest kernel's radius.
int EdgeMarginPx(double k) { return int(std::ceil(4 * kScaleC * k)) + 1; }

// The gradient magnitudes of `y` at the scales (k, 2k, 3k)·kScaleA, and
// what noise adds to each.
struct ScaleReading {
  double sa = 0, sb = 0, sc = 0;
  GradientKernels ka, kb, kc;
  cv::Mat gxa, gya, ma, mb, mc;

  ScaleReading(const cv::Mat& y, double k)
      : sa(kScaleA * k), sb(kScaleB * k), sc(kScaleC * k), ka(MakeKernels(sa)), kb(MakeKernels(sb)),
        kc(MakeKernels(sc)) {
    cv::Mat gx, gy;
    GradientSq(y, ka, gxa, gya, ma);
    GradientSq(y, kb, gx, gy, mb);
    GradientSq(y, kc, gx, gy, mc);
  }

  // What noise adds to the squared magnitudes at scales a, b and c: of σ
  // `noise` everywhere, or `level_sigma` at this point's level.
  std::array<float, 3> NoiseSq(double noise, const float* level_sigma) const {
    if (level_sigma != nullptr) {
      const float n = *level_sigma;
      return {n * n * float(ka.noise_gain_sq), n * n * float(kb.noise_gain_sq), n * n * float(kc.noise_gain_sq)};
    }
    return {float(noise * noise * ka.noise_gain_sq), float(noise * noise * kb.noise_gain_sq),
            float(noise * noise * kc.noise_gain_sq)};
  }

  // The edge through (r, c) across `horizontal` or vertical, with
  // `noise_sq` (NoiseSq) taken off: its peak at scale a, its σ read at
  // scales a and b, and its departure from the step model at c.
  struct Edge {
    double peak_a;
    float sigma, model_error;
  };
  Edge Read(int r, int c, bool horizontal, const std::array<float, 3>& noise_sq) const {
    auto peak = [&](const cv::Mat& m, float n) {
      const float mid = m.at<float>(r, c);
      const float left = horizontal ? m.at<float>(r, c - 1) : m.at<float>(r - 1, c);
      const float right = horizontal ? m.at<float>(r, c + 1) : m.at<float>(r + 1, c);
      return PeakFromThree(left - n, mid - n, right - n);
    };
    const double pa = peak(ma, noise_sq[0]), pb = peak(mb, noise_sq[1]), pc = peak(mc, noise_sq[2]);
    const double sigma = SigmaFromRatio(pa, pb, sa, sb);
    // Step model: peak ∝ 1/√(σ² + s²).
    const double predicted_c = pa * std::sqrt((sigma * sigma + sa * sa) / (sigma * sigma + sc * sc));
    return {pa, float(sigma), float(std::abs(pc / predicted_c - 1.0))};
  }
};

// Edge points of `y`: candidates are maxima of |∇| at scale kScaleA along
// the dominant gradient axis, above the noise; each gets its σ from the
// scales a and b and its departure from the step model at c. With
// `coarse_k` > 1, a point the scales coarse_k·(a, b, c) read wider than
// kHandOverSigmaPx keeps their reading (kEnlargedFrom above).
std::vector<EdgePoint> ReadEdges(const cv::Mat& y, const cv::Mat& guard, double noise,
                                 const std::array<float, 256>* noise_by_level, double coarse_k) {
  const ScaleReading fine(y, 1.0);
  std::optional<ScaleReading> coarse;
  if (coarse_k > 1) coarse.emplace(y, coarse_k);
  const float min_peak_floor = float(kMinEdgeGradient * kMinEdgeGradient);
  const std::array<float, 3> uniform_noise_sq = fine.NoiseSq(noise, nullptr);
  const int margin = EdgeMarginPx(1.0);
  std::vector<std::vector<EdgePoint>> rows_out(size_t(std::max(0, y.rows)));
  cv::parallel_for_(cv::Range(margin, std::max(margin, y.rows - margin)), [&](const cv::Range& range) {
    for (int r = range.start; r < range.end; ++r) {
      const float *a = fine.ma.ptr<float>(r), *au = fine.ma.ptr<float>(r - 1), *ad = fine.ma.ptr<float>(r + 1);
      const float *gxr = fine.gxa.ptr<float>(r), *gyr = fine.gya.ptr<float>(r);
      const uchar* g = guard.ptr<uchar>(r);
      const float* level = y.ptr<float>(r);
      for (int c = margin; c < y.cols - margin; ++c) {
        // The noise of this point's own level, when it differs with brightness.
        const float* level_sigma =
            noise_by_level ? &(*noise_by_level)[size_t(std::clamp(int(level[c] + 0.5f), 0, 255))] : nullptr;
        const std::array<float, 3> noise_sq = level_sigma ? fine.NoiseSq(noise, level_sigma) : uniform_noise_sq;
        const float min_peak_sq = std::max(min_peak_floor, float(kEdgeNoiseFactor * kEdgeNoiseFactor) * noise_sq[0]);
        if (a[c] < min_peak_sq || g[c]) continue;
        const bool horizontal = std::abs(gxr[c]) >= std::abs(gyr[c]);
        const float al = horizontal ? a[c - 1] : au[c], ar = horizontal ? a[c + 1] : ad[c];
        if (!(a[c] >= al && a[c] > ar)) continue;
        ScaleReading::Edge edge = fine.Read(r, c, horizontal, noise_sq);
        if (coarse) {
          const ScaleReading::Edge wide = coarse->Read(r, c, horizontal, coarse->NoiseSq(noise, level_sigma));
          if (wide.sigma > kHandOverSigmaPx) {
            edge.sigma = wide.sigma;
            edge.model_error = wide.model_error;
          }
        }
        rows_out[size_t(r)].push_back({r, c, float(edge.peak_a), edge.sigma, edge.model_error});
      }
    }
  });
  std::vector<EdgePoint> edges;
  for (auto& v : rows_out) edges.insert(edges.end(), v.begin(), v.end());
  return edges;
}

struct EdgeSummary {
  double median = 0, iqr = 0;
  int count = 0;
  double fit_share = 0;  // share of strong edges that fit the step model
};

// The image's σ: median over the strong edges that fit the step model best.
std::optional<EdgeSummary> Summarize(const std::vector<EdgePoint>& edges) {
  std::vector<float> strengths;
  strengths.reserve(edges.size());
  for (const EdgePoint& e : edges) strengths.push_back(e.strength);
  const double strong = NearestRank(strengths, kStrongEdgeQuantile);
  std::vector<float> errors;
  for (const EdgePoint& e : edges)
    if (e.strength >= strong) errors.push_back(e.model_error);
  if (errors.size() < size_t(kMinEdges)) return std::nullopt;
  // Keep the edges within tolerance; when too few, the best-fitting share.
  const double fallback = NearestRank(errors, kMinStepShare);
  const double tolerance = std::max(kStepModelTolerance, fallback);
  std::vector<float> sigmas;
  for (const EdgePoint& e : edges)
    if (e.strength >= strong && e.model_error <= tolerance) sigmas.push_back(e.sigma);
  if (sigmas.size() < size_t(kMinEdges)) return std::nullopt;
  EdgeSummary s;
  s.median = NearestRank(sigmas, 0.5);
  s.iqr = double(NearestRank(sigmas, 0.75)) - NearestRank(sigmas, 0.25);
  s.count = int(sigmas.size());
  s.fit_share = 0;
  for (float e : errors) s.fit_share += e <= kStepModelTolerance;
  s.fit_share /= double(errors.size());
  return s;
}

// True when every pixel has equal channels (a gray photo stored as colour).
bool GrayContent(const cv::Mat& pixels) {
  if (pixels.channels() == 1) return true;
  std::vector<cv::Mat> ch;
  cv::split(pixels, ch);
  return cv::norm(ch[0], ch[1], cv::NORM_INF) == 0 && cv::norm(ch[1], ch[2], cv::NORM_INF) == 0;
}

// The edges of `blocks` of `pixels` (in image coordinates, block order), each
// block's luma and whether every block is gray. Each block is read with a
// margin of context, so that its edge points (which ReadEdges keeps away
// from borders) cover the block itself; blocks in parallel (each block's own
// loops then run on its thread), merged in block order so the result does
// not depend on the threads.
struct BlockReading {
  std::vector<EdgePoint> edges;
  std::vector<cv::Mat> luma_blocks;
  bool gray = true;
};

// `coarse_scale`: 0, or the factor of the coarse scales (ReadEdges).
BlockReading ReadBlocks(const cv::Mat& pixels, const std::vector<cv::Rect>& blocks, double noise,
                        const std::array<float, 256>* noise_by_level, double coarse_scale) {
  const int margin = EdgeMarginPx(std::max(1.0, coarse_scale));
  const cv::Rect whole(0, 0, pixels.cols, pixels.rows);
  std::vector<std::vector<EdgePoint>> block_edges(blocks.size());
  std::vector<uint8_t> block_gray(blocks.size());
  BlockReading out;
  out.luma_blocks.resize(blocks.size());
  ParallelOver(int(blocks.size()), [&](const cv::Range& r) {
    for (int i = r.start; i < r.end; ++i) {
      const cv::Rect& block = blocks[i];
      const cv::Rect outer = (block + cv::Size(2 * margin, 2 * margin) - cv::Point(margin, margin)) & whole;
      const cv::Mat region = pixels(outer);
      const cv::Mat y = LumaF32(region);
      // The block's own points: the margin is context (with coarse scales,
      // wider than the fine reading keeps away from the region's border).
      std::vector<EdgePoint> read = ReadEdges(y, ClipGuard(region), noise, noise_by_level, coarse_scale);
      for (EdgePoint& e : read) {
        e.row += outer.y;
        e.col += outer.x;
        if (block.contains(cv::Point(e.col, e.row))) block_edges[i].push_back(e);
      }
      out.luma_blocks[i] = y(cv::Rect(block.tl() - outer.tl(), block.size()));
      block_gray[i] = GrayContent(pixels(block));
    }
  });
  for (const std::vector<EdgePoint>& b : block_edges) out.edges.insert(out.edges.end(), b.begin(), b.end());
  out.gray = std::all_of(block_gray.begin(), block_gray.end(), [](uint8_t g) { return g != 0; });
  return out;
}

// The mean noise power (σ², 8-bit units) over the pixels of `luma_blocks`,
// each at its own level's σ.
double MeanNoisePower(const std::vector<cv::Mat>& luma_blocks, const std::array<float, 256>& by_level) {
  double sum = 0;
  int64_t n = 0;
  for (const cv::Mat& block : luma_blocks)
    for (int r = 0; r < block.rows; ++r) {
      const float* y = block.ptr<float>(r);
      for (int c = 0; c < block.cols; ++c) {
        const double s = by_level[size_t(std::clamp(int(y[c] + 0.5f), 0, 255))];
        sum += s * s;
      }
      n += block.cols;
    }
  return n > 0 ? sum / double(n) : 0.0;
}

}  // namespace

BlurMeasurement MeasureBlur(const cv::Mat& pixels, const BlurOptions& options) {
  BlurMeasurement m;
  if (pixels.empty() || pixels.rows < 16 || pixels.cols < 16) return m;
  // Big images are read on an evenly spread sample of blocks, with a map
  // too, so that the figures do not depend on whether a map was asked for.
  const std::vector<cv::Rect> blocks = SampleBlocks(pixels.size(), kSampleBlockPx, kMaxSampledPixels);
  double noise = 0;
  if (options.noise_luma_sigma) {
    noise = *options.noise_luma_sigma;
  } else if (std::optional<double> s = EstimatePlaneNoiseSigma(
                 LumaF32(Mosaic(pixels, SampleBlocks(pixels.size(), 128, kMaxSampledPixels))), -1e9, 1e9)) {
    noise = *s;
  }
  const std::array<float, 256>* by_level =
      options.noise_luma_sigma_by_level ? &*options.noise_luma_sigma_by_level : nullptr;
  BlockReading reading = ReadBlocks(pixels, blocks, noise, by_level, /*coarse_scale=*/0);
  std::optional<EdgeSummary> summary = Summarize(reading.edges);
  const bool enlarged = std::isfinite(options.px_per_native_px) && options.px_per_native_px >= kEnlargedFrom;
  const double coarse_scale = enlarged && summary && summary->median > kCoarseFromSigmaPx
                            ? std::min(options.px_per_native_px, kMaxCoarseScale)
                            : 0.0;
  if (coarse_scale > 0) {
    reading = ReadBlocks(pixels, blocks, noise, by_level, coarse_scale);
    summary = Summarize(reading.edges);
  }
  const std::vector<EdgePoint>& edges = reading.edges;
  const std::vector<cv::Mat>& luma_blocks = reading.luma_blocks;
  const bool gray = reading.gray;
  const double rounding = pixels.depth() == CV_8U ? (gray ? 1.0 : 0.447) / 12.0 : 0.0;
  // An enlargement with edges to read is read by them alone (above): its
  // spectrum is not read.
  std::optional<SpectralBlur> spectral;
  if (!(summary && enlarged))
    spectral =
        SpectralBlurSigma(luma_blocks, (by_level ? MeanNoisePower(luma_blocks, *by_level) : noise * noise) + rounding);
  // Blend: the spectrum is exact for any content (textures) but is fooled
  // when its fitted power law strays from natural images (quantization
  // contours of flat areas, JPEG); isolated steps fit the edge model well.
  double spectral_weight = 0, edge_weight = 0;
  if (spectral) {
    const double drift = std::abs(spectral->alpha - kNaturalAlpha);
    spectral_weight = std::clamp(1.0 - (drift - kAlphaDriftTrusted) / kAlphaDriftSpan, 0.0, 1.0);
  }
  if (summary) edge_weight = std::clamp((summary->fit_share - kEdgeShareLow) / kEdgeShareSpan, 0.0, 1.0);
  // A few straight edges make a spectrum of a few lines, not a power law.
  if (spectral) spectral_weight *= std::clamp((spectral->fill - kSpectrumFillLow) / kSpectrumFillSpan, 0.0, 1.0);
  if (summary && spectral_weight + edge_weight == 0) edge_weight = 1;  // edges are all there is
  m.result.edge_count = summary ? summary->count : 0;
  if (spectral_weight + edge_weight == 0) return m;
  const double sigma = (spectral_weight * (spectral ? spectral->sigma_px : 0) +
                        edge_weight * (summary ? summary->median : 0)) /
                       (spectral_weight + edge_weight);
  m.result.blur_sigma_px = sigma;
  if (summary) m.result.blur_sigma_iqr_px = summary->iqr;
  std::vector<FocusEdge> step_edges;
  for (const EdgePoint& e : edges)
    if (e.model_error <= kStepModelTolerance) step_edges.push_back({e.row, e.col, e.sigma});
  if (std::optional<FocusReading> focus = ReadFocus(step_edges, blocks, options.px_per_native_px)) {
    m.result.in_focus_blur_sigma_px = std::min(sigma, focus->in_focus_sigma_px);
    m.result.out_of_focus_blur_sigma_px = focus->out_of_focus_sigma_px;
    m.result.in_focus_area_pct = focus->in_focus_area_pct;
  }
  if (spectral && spectral_weight > 0)
    m.result.blur_resolution_px =
        std::sqrt(spectral->resolution_sq_px2 * spectral_weight / (spectral_weight + edge_weight));
  if (options.compute_map) {
    // The map reads every pixel: the sample's edges when the sample is the
    // whole image, else tiles (read in parallel, each with its margin, so
    // they find the edges a whole-image read would).
    const bool sample_is_whole = blocks.size() == 1 && blocks[0] == cv::Rect(0, 0, pixels.cols, pixels.rows);
    const std::vector<EdgePoint> all_edges =
        sample_is_whole ? edges : ReadBlocks(pixels, TileBlocks(pixels.size(), kSampleBlockPx), noise, by_level, coarse_scale).edges;
    m.map = BlurMap(all_edges, pixels.size(), std::max(8, options.map_block_px), sigma);
  }
  return m;
}

}  // namespace acuity

#include "analysis/measurements/noise_patches.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "analysis/measurements/percentile.h"

namespace acuity::noise_patches {
namespace {

// Liu et al.'s confidence level for "this patch holds nothing but noise".
constexpr double kWeakTextureQuantile = 0.99;
// Values within this of 0 or 255 (8-bit units) count as clipped.
constexpr double kClipEpsilon = 1e-3;
// Candidate patch anchors per plane; larger images are sampled on a grid.
constexpr double kMaxAnchors = 1.5e6;
// A patch is noise-like when its count of exactly zero neighbour differences
// is within kZeroDiffSds standard deviations (+ kZeroDiffSlack) of what
// noise of the patch's own level would leave (NoiseLikeAnchors).
constexpr double kZeroDiffSds = 4.0;
constexpr double kZeroDiffSlack = 4.0;

// Quantile of the Gamma(shape, 1) distribution (Wilson–Hilferty; < 0.5 % off
// for shape ≥ 10, which patch sizes ≥ 5 px give).
double GammaQuantile(double shape, double z_score) {
  const double c = 1.0 / (9.0 * shape);
  const double t = 1.0 - c + z_score * std::sqrt(c);
  return shape * t * t * t;
}

// z-score of kWeakTextureQuantile (0.99) of the standard normal.
constexpr double kZ99 = 2.3263;

// Chen et al.'s rule: the noise eigenvalues are the largest set of smallest
// eigenvalues whose mean is also their median; the noise variance is that mean.
double NoiseVarianceFromEigenvalues(std::vector<double> ev) {
  std::sort(ev.begin(), ev.end());
  for (size_t k = ev.size(); k >= 1; --k) {
    double sum = 0;
    for (size_t i = 0; i < k; ++i) sum += ev[i];
    const double mean = sum / double(k);
    size_t above = 0, below = 0;
    for (size_t i = 0; i < k; ++i) {
      above += ev[i] > mean;
      below += ev[i] < mean;
    }
    if (above == below) return mean;
  }
  return ev.front();
}

// Box sums of `src` over kh × kw windows whose top-left corner is at each
// anchor (r·step, c·step); `rows` × `cols` anchors.
cv::Mat AnchorSums(const cv::Mat& src, int kh, int kw, int step, int rows, int cols) {
  cv::Mat full;
  cv::boxFilter(src, full, CV_32F, cv::Size(kw, kh), cv::Point(0, 0), /*normalize=*/false,
                cv::BORDER_REPLICATE);
  if (step == 1) return full(cv::Rect(0, 0, cols, rows));  // a view: callers only read it
  cv::Mat out(rows, cols, CV_32F);
  for (int r = 0; r < rows; ++r) {
    const float* in = full.ptr<float>(r * step);
    float* o = out.ptr<float>(r);
    for (int c = 0; c < cols; ++c) o[c] = in[c * step];
  }
  return out;
}

// Anchors whose patch could be noise of some level: noise of σ leaves a
// difference between neighbours exactly 0 with probability p0 = erf(q / 4σ)
// (q = 1 level, the coarsest quantisation a plane has: finer data only makes
// zeros rarer), where σ is the patch's own level √(ξ / tr). A patch that
// straddles the hard edge between two exactly flat areas (a glyph, a panel's
// border, a chart's bar) has a large ξ and yet mostly zero differences: no
// level of noise makes both, so it is structure however high the σ it is
// tested at. An exactly flat patch (ξ = 0) is noise of level 0; a quiet
// patch of a photo is noise of its own low level.
cv::Mat NoiseLikeAnchors(const cv::Mat& texture, const cv::Mat& zeros, int patch) {
  const double differences = 2.0 * patch * (patch - 1);
  const double trace = 2.0 * differences;  // tr(DhᵀDh + DvᵀDv): E[ξ] = trace · σ²
  cv::Mat out(texture.size(), CV_8U);
  for (int r = 0; r < texture.rows; ++r) {
    const float* t = texture.ptr<float>(r);
    const float* z = zeros.ptr<float>(r);
    uchar* o = out.ptr<uchar>(r);
    for (int c = 0; c < texture.cols; ++c) {
      const double sigma = std::sqrt(std::max(0.0, double(t[c])) / trace);
      const double p0 = sigma > 0 ? std::erf(1.0 / (4.0 * sigma)) : 1.0;
      const double expected = differences * p0;
      const double allowed =
          expected + kZeroDiffSds * std::sqrt(expected * (1.0 - p0)) + kZeroDiffSlack;
      o[c] = z[c] <= allowed + 0.5 ? 255 : 0;
    }
  }
  return out;
}

// xtx += the upper triangle of rowᵀ·row (rows of `padded` floats, from the
// 8-float block holding the diagonal on), in blocks of 8 so that the
// compiler vectorises them; an AVX2 clone where the CPU has it (no FMA
// contraction, so every CPU gets the same sums).
#if defined(__GNUC__) && defined(__x86_64__)
#define ACUITY_AVX2_CLONE __attribute__((target_clones("avx2", "default")))
#else
#define ACUITY_AVX2_CLONE
#endif
ACUITY_AVX2_CLONE void AddUpperOuterProduct(const float* __restrict row, int d, int padded,
                                            float* __restrict xtx) {
  for (int k = 0; k < d; ++k) {
    float* out = xtx + size_t(k) * padded;
    const float v = row[k];
    for (int b = k / 8 * 8; b < padded; b += 8)
      for (int j = 0; j < 8; ++j) out[b + j] += v * row[b + j];
  }
}

}  // namespace

PatchField MakePatchField(const cv::Mat& plane, int patch, bool count_clipped) {
  PatchField f;
  f.patch = patch;
  const double anchors = double(plane.rows - patch + 1) * (plane.cols - patch + 1);
  f.step = std::max(1, int(std::ceil(std::sqrt(anchors / kMaxAnchors))));
  f.rows = (plane.rows - patch) / f.step + 1;
  f.cols = (plane.cols - patch) / f.step + 1;
  cv::Mat gh = cv::Mat::zeros(plane.size(), CV_32F), gv = cv::Mat::zeros(plane.size(), CV_32F);
  cv::Mat dh = plane.colRange(1, plane.cols) - plane.colRange(0, plane.cols - 1);
  cv::Mat dv = plane.rowRange(1, plane.rows) - plane.rowRange(0, plane.rows - 1);
  cv::Mat zh = cv::Mat::zeros(plane.size(), CV_32F), zv = cv::Mat::zeros(plane.size(), CV_32F);
  cv::Mat(dh == 0).convertTo(zh.colRange(0, plane.cols - 1), CV_32F, 1.0 / 255.0);
  cv::Mat(dv == 0).convertTo(zv.rowRange(0, plane.rows - 1), CV_32F, 1.0 / 255.0);
  dh = dh.mul(dh);
  dv = dv.mul(dv);
  dh.copyTo(gh.colRange(0, plane.cols - 1));
  dv.copyTo(gv.rowRange(0, plane.rows - 1));
  f.texture = AnchorSums(gh, patch, patch - 1, f.step, f.rows, f.cols) +
              AnchorSums(gv, patch - 1, patch, f.step, f.rows, f.cols);
  f.noise_like = NoiseLikeAnchors(f.texture,
                                  AnchorSums(zh, patch, patch - 1, f.step, f.rows, f.cols) +
                                      AnchorSums(zv, patch - 1, patch, f.step, f.rows, f.cols),
                                  patch);
  f.mean = AnchorSums(plane, patch, patch, f.step, f.rows, f.cols) * (1.0 / (patch * patch));
  if (count_clipped) {
    cv::Mat at_level;
    cv::bitwise_or(plane <= kClipEpsilon, plane >= 255.0 - kClipEpsilon, at_level);
    at_level.convertTo(at_level, CV_32F, 1.0 / 255.0);
    f.clipped = AnchorSums(at_level, patch, patch, f.step, f.rows, f.cols);
  }
  return f;
}

cv::Mat AnchorsClearOf(const PatchField& f, const cv::Mat& mask) {
  cv::Mat marked;
  cv::Mat(mask != 0).convertTo(marked, CV_32F, 1.0 / 255.0);
  return AnchorSums(marked, f.patch, f.patch, f.step, f.rows, f.cols) < 0.5f;
}

// σ² from the covariance of the patches at `anchors` (flat indices into the
// field). Each patch has its own mean removed first: that direction carries
// no noise information (it is eigenvalue 0 and is dropped) and the sums stay
// small enough for float products.
double PatchNoiseVariance(const cv::Mat& plane, const PatchField& f,
                          const std::vector<int>& anchors, int max_patches) {
  const int p = f.patch, d = p * p;
  const int padded = (d + 7) / 8 * 8;  // rows padded with zeros to whole 8-float blocks
  const size_t stride = std::max<size_t>(1, (anchors.size() + max_patches - 1) / max_patches);
  const int n = int((anchors.size() + stride - 1) / stride);
  constexpr int kChunk = 256;
  cv::Mat total = cv::Mat::zeros(d, d, CV_64F);
  cv::Mat column_sum = cv::Mat::zeros(1, d, CV_64F);
  std::mutex mu;
  cv::parallel_for_(cv::Range(0, (n + kChunk - 1) / kChunk), [&](const cv::Range& range) {
    std::vector<float> row(padded, 0.0f), xtx(size_t(d) * padded);
    std::vector<double> sum(d);
    for (int chunk = range.start; chunk < range.end; ++chunk) {
      const int begin = chunk * kChunk, end = std::min(n, begin + kChunk);
      std::fill(xtx.begin(), xtx.end(), 0.0f);
      std::fill(sum.begin(), sum.end(), 0.0);
      for (int i = begin; i < end; ++i) {
        const int a = anchors[size_t(i) * stride];
        const int r0 = (a / f.cols) * f.step, c0 = (a % f.cols) * f.step;
        float mean = 0;
        for (int dr = 0; dr < p; ++dr) {
          const float* src = plane.ptr<float>(r0 + dr) + c0;
          for (int dc = 0; dc < p; ++dc) mean += (row[dr * p + dc] = src[dc]);
        }
        mean /= float(d);
        for (int k = 0; k < d; ++k) {
          row[k] -= mean;
          sum[k] += row[k];
        }
        AddUpperOuterProduct(row.data(), d, padded, xtx.data());
      }
      std::lock_guard<std::mutex> lock(mu);
      for (int k = 0; k < d; ++k) {
        double* t = total.ptr<double>(k);
        for (int j = k; j < d; ++j) t[j] += xtx[size_t(k) * padded + j];
        column_sum.at<double>(k) += sum[k];
      }
    }
  });
  cv::completeSymm(total);  // lower triangle from the upper
  cv::Mat mean = column_sum / double(n);
  cv::Mat covar = total / double(n) - mean.t() * mean;
  cv::Mat eigenvalues;
  cv::eigen(covar, eigenvalues);
  std::vector<double> ev(eigenvalues.begin<double>(), eigenvalues.end<double>());
  std::sort(ev.begin(), ev.end());
  ev.erase(ev.begin());  // the removed patch mean
  return NoiseVarianceFromEigenvalues(ev);
}

// The texture strength ξ below which a patch of `f` looks like pure noise of σ.
double WeakTextureThreshold(const PatchField& f, double sigma) {
  const int p = f.patch, n = p * p;
  const double trace = 4.0 * p * (p - 1);  // tr(DhᵀDh + DvᵀDv)
  return sigma * sigma * GammaQuantile(n / 2.0, kZ99) * 2.0 / n * trace;
}

// Anchors of weak-texture patches, for a current noise estimate σ: ξ below
// the threshold and noise-like (NoiseLikeAnchors).
std::vector<int> WeakTextureAnchors(const PatchField& f, double sigma, const cv::Mat& valid) {
  const double tau = WeakTextureThreshold(f, sigma);
  std::vector<int> out;
  out.reserve(size_t(f.rows) * f.cols / 4);
  for (int r = 0; r < f.rows; ++r) {
    const float* t = f.texture.ptr<float>(r);
    const uchar* like = f.noise_like.ptr<uchar>(r);
    const uchar* v = valid.empty() ? nullptr : valid.ptr<uchar>(r);
    for (int c = 0; c < f.cols; ++c)
      if (t[c] < tau && like[c] && (!v || v[c])) out.push_back(r * f.cols + c);
  }
  return out;
}

// Anchors whose patch lies inside one block of a mosaic of `block`-px blocks.
cv::Mat WithinBlocks(const PatchField& f, int block) {
  cv::Mat inside(f.rows, f.cols, CV_8U);
  for (int r = 0; r < f.rows; ++r)
    for (int c = 0; c < f.cols; ++c)
      inside.at<uchar>(r, c) =
          (r * f.step) % block + f.patch <= block && (c * f.step) % block + f.patch <= block ? 255
                                                                                             : 0;
  return inside;
}

// Anchors whose patch mean keeps kClipMarginSigmas·σ away from the clip
// levels, and exactly flat patches anywhere: one level in all 49 pixels, none
// at a clip level, lost no noise to clipping (a dark UI panel is not a
// shadow whose grain was cut off).
//
// Where the patches' clipped pixels are counted, a side's margin holds only
// where clipping shows as much as noise of σ would make it: each patch
// within the margin, its mean d levels from the clip level, would hold a
// clipped pixel with probability 1 − (1 − Q(d/σ))^n (n pixels, Q the normal
// tail); when fewer than kClipEvidenceShare of that expected count do, σ is
// too high for that side and the patches there lost nothing. Without that, a
// σ read too high shut out every patch of a bright page (paper at 245, σ 3)
// and left its text's edges to be read as noise (σ 18): the iteration starts
// high and could not come down.
cv::Mat UnclippedAnchors(const PatchField& f, double sigma, double low, double high) {
  const double margin = kClipMarginSigmas * sigma;
  cv::Mat near_low = f.mean <= low + margin, near_high = f.mean >= high - margin;
  if (!f.clipped.empty() && sigma > 0) {
    const double n = double(f.patch) * f.patch;
    const cv::Mat clipped = f.clipped >= 0.5f;
    // Exactly flat patches (a white border, a UI's white) are no noise's
    // evidence either way: left out of both counts.
    const cv::Mat textured = f.texture != 0.0f;
    for (const auto& [near, level] : {std::pair{&near_low, low}, std::pair{&near_high, high}}) {
      const int observed = cv::countNonZero(*near & clipped & textured);
      double expected = 0;
      for (int r = 0; r < f.rows && observed > 0; ++r) {
        const uchar* in = near->ptr<uchar>(r);
        const float* m = f.mean.ptr<float>(r);
        const uchar* t = textured.ptr<uchar>(r);
        for (int col = 0; col < f.cols; ++col) {
          if (!in[col] || !t[col]) continue;
          const double tail = 0.5 * std::erfc(std::abs(m[col] - level) / (sigma * std::sqrt(2.0)));
          expected += 1.0 - std::pow(1.0 - tail, n);
        }
      }
      if (observed < kClipEvidenceShare * expected || observed == 0) near->setTo(0);
    }
  }
  const cv::Mat kept = ~(near_low | near_high) | (f.texture == 0.0f);
  // A patch with a clipped pixel has lost part of its noise, whatever σ is.
  if (!f.clipped.empty()) return kept & (f.clipped < 0.5);
  return kept;
}

double DifferenceRatio(const cv::Mat& plane, const PatchField& f, const std::vector<int>& anchors) {
  double one = 0, two = 0;
  for (const int a : anchors) {
    const int y0 = (a / f.cols) * f.step, x0 = (a % f.cols) * f.step;
    for (int y = 0; y < f.patch; ++y) {
      const float* row = plane.ptr<float>(y0 + y) + x0;
      for (int x = 0; x < f.patch; ++x) {
        const float v = row[x];
        if (x + 1 < f.patch) one += double(row[x + 1] - v) * (row[x + 1] - v);
        if (x + 2 < f.patch) two += double(row[x + 2] - v) * (row[x + 2] - v);
        if (y + 1 < f.patch) {
          const float d = plane.ptr<float>(y0 + y + 1)[x0 + x] - v;
          one += double(d) * d;
        }
        if (y + 2 < f.patch) {
          const float d = plane.ptr<float>(y0 + y + 2)[x0 + x] - v;
          two += double(d) * d;
        }
      }
    }
  }
  // A patch of side P has P − 1 one-pixel and P − 2 two-pixel pairs per line.
  // (Patches of 2 px or less have no two-pixel pair: no evidence of white noise.)
  if (f.patch <= 2) return std::numeric_limits<double>::infinity();
  return one > 0 ? (two / (f.patch - 2)) / (one / (f.patch - 1)) : 0.0;
}

double SpreadKurtosis(const cv::Mat& plane, const PatchField& f, const std::vector<int>& anchors) {
  double second = 0, fourth = 0;
  size_t count = 0;
  const double pixels = double(f.patch) * f.patch;
  for (const int a : anchors) {
    const int y0 = (a / f.cols) * f.step, x0 = (a % f.cols) * f.step;
    const double mean = f.mean.at<float>(a / f.cols, a % f.cols);
    for (int y = 0; y < f.patch; ++y) {
      const float* row = plane.ptr<float>(y0 + y) + x0;
      for (int x = 0; x < f.patch; ++x) {
        const double d = row[x] - mean, d2 = d * d;
        second += d2;
        fourth += d2 * d2;
      }
    }
    count += size_t(pixels);
  }
  return second > 0 ? double(count) * fourth / (second * second) : 0.0;
}

}  // namespace acuity::noise_patches

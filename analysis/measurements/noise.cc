#include "analysis/measurements/noise.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "analysis/measurements/image_ops.h"
#include "analysis/measurements/noise_binning.h"
#include "analysis/measurements/noise_patches.h"
#include "analysis/measurements/noise_sampling.h"
#include "analysis/measurements/percentile.h"
#include "analysis/measurements/visible_part.h"

namespace acuity {
namespace {

using noise_patches::AnchorsClearOf;
using noise_patches::DifferenceRatio;
using noise_patches::kClipMarginSigmas;
using noise_patches::MakePatchField;
using noise_patches::PatchField;
using noise_patches::PatchNoiseVariance;
using noise_patches::SpreadKurtosis;
using noise_patches::UnclippedAnchors;
using noise_patches::WeakTextureAnchors;
using noise_patches::WeakTextureThreshold;
using noise_patches::WithinBlocks;

// Patch means from kMidToneLow to 255 − kMidToneLow are mid-tones; when more
// than kExtremeShare of the patches lie outside, clipping is a risk.
constexpr double kMidToneLow = 48.0;
constexpr double kExtremeShare = 0.2;
// Liu et al.'s iterations at most.
constexpr int kMaxIterations = 6;
// Images above kMaxSampledPixels are read on a sample of blocks of this side.
constexpr int kSampleBlockPx = 128;
constexpr double kMaxSampledPixels = 0.3e6;
// Patches per covariance while iterating (the final one uses max_patches).
constexpr int kIterationPatches = 3000;
// A plane whose σ is predicted from others starts the iteration this much higher.
constexpr double kInitialGuessMargin = 1.3;
// Patches per covariance of one brightness bin of the noise level function:
// in its final reading, and while it iterates (each bin × plane iterates
// apart, so these set the level function's cost; 1500 / 1000 read the shot +
// read ladder as well as 3000 / 3000 did, at about half the time).
constexpr int kLevelFunctionPatches = 1500;
constexpr int kLevelIterationPatches = 1000;
// A bin is read only when its iteration ends on at least this many weak-
// texture patches per dimension of the patch covariance (7×7 patches: 294):
// on fewer, the iteration has collapsed onto a handful of patches inside
// texture (brick) or kept every patch of a sliver of texture (gravel's
// shadows), and its σ was 30–135 % off on the ladder; "not measured" instead.
constexpr int kMinLevelPatchesPerDimension = 6;
// A brightness bin's σ is searched first from this many times the global σ
// (+ 1 level) ...
constexpr double kLevelCeilingRatio = 2.5;
// ... and again from this σ (8-bit units), for noise that lives in one
// range of brightness only (the shadows of a lifted exposure), which the
// global σ of a clean majority keeps under that ceiling: its reading counts
// only when above the first ceiling and white, i.e. its patches' two-pixel
// differences hold at most kMaxWhiteDifferenceRatio times the energy of
// their one-pixel differences (DifferenceRatio: 1 for white noise, 1.42 for
// noise correlated as by a demosaic, 1.99–3.2 for the texture and edges of
// the clean scikit-image photos this search read as noise; shadow noise
// σ 6–12 read 1.01–1.41).
constexpr double kLevelSearchCeiling8bit = 30.0;  // and kMaxWhiteDifferenceRatio (noise_binning.h)
// The level function's second search (LevelFunction) also asks the patches
// it read for the spread of noise: pixels around their patch means with a
// kurtosis of at least this. Noise confined to the darks or the mid-tones of
// 6 scikit-image photos (σ 8–14, white or blurred 0.7 px) reads 2.8–5.3
// there (Gaussian noise 2.9 in 7×7 patches; texture beneath it raises it);
// the glyph edges that fill the mid-tones of a scanned text page (σ 3
// paper, JPEG q85) read 1.75–1.85 — their pixels split into ink and paper
// — with differences as white as noise's (ratio 1.58), and were read as
// σ 12–25 "heavy noise" there.
constexpr double kMinNoiseKurtosis = 2.4;
constexpr double kLevelMarginRatio = 1.5;
// Variance that rounding to 8 bits adds to a noisy image (1/12 LSB²).
constexpr double kRoundingVariance = 1.0 / 12.0;

struct PlaneEstimate {
  double sigma = 0;
  double weak_fraction = 0;
  std::vector<int> anchors;  // the weak-texture patches finally used
};

int MinPatches(const PatchField& f) { return std::max(100, 2 * f.patch * f.patch); }

// The Liu et al. iteration from the estimate `e`: keep the patches that look
// like pure noise at σ (`select(σ)`: their anchors), re-estimate σ on them,
// until σ settles; then a final reading on up to max_patches of them.
template <typename Select>
std::optional<PlaneEstimate> Iterate(const cv::Mat& plane, const PatchField& f, int max_patches,
                                     const Select& select, PlaneEstimate e,
                                     int iteration_patches = kIterationPatches) {
  const int min_patches = MinPatches(f);
  for (int it = 0; it < kMaxIterations; ++it) {
    std::vector<int> sel = select(e.sigma);
    if (int(sel.size()) < min_patches) break;
    const bool last = it == kMaxIterations - 1;
    const double s = std::sqrt(std::max(0.0, PatchNoiseVariance(plane, f, sel, iteration_patches)));
    e.anchors = std::move(sel);
    const bool settled = std::abs(s - e.sigma) < 0.01 * std::max(1.0, e.sigma);
    e.sigma = s;
    if (settled || last) break;
  }
  if (int(e.anchors.size()) < min_patches) return std::nullopt;
  // Final, more precise reading on the chosen patches.
  e.sigma = std::sqrt(std::max(0.0, PatchNoiseVariance(plane, f, e.anchors, max_patches)));
  e.weak_fraction = double(e.anchors.size()) / (double(f.rows) * f.cols);
  return e;
}

// The Liu et al. iteration on every patch of `f`. `clip_valid(σ)` gives the
// anchors far enough from clipping (empty Mat = all).
template <typename ClipValid>
std::optional<PlaneEstimate> IteratePlane(const cv::Mat& plane, const PatchField& f, int max_patches,
                                          const ClipValid& clip_valid,
                                          std::optional<double> initial_sigma = std::nullopt) {
  const int min_patches = MinPatches(f);
  const int total = f.rows * f.cols;
  PlaneEstimate e;
  if (initial_sigma) {
    // Liu et al.'s iteration settles from above: start a little high.
    e.sigma = kInitialGuessMargin * *initial_sigma;
  } else {
    const cv::Mat valid0 = clip_valid(0.0);
    std::vector<int> all;
    all.reserve(total);
    for (int r = 0; r < f.rows; ++r) {
      const uchar* v = valid0.empty() ? nullptr : valid0.ptr<uchar>(r);
      for (int c = 0; c < f.cols; ++c)
        if (!v || v[c]) all.push_back(r * f.cols + c);
    }
    if (int(all.size()) < min_patches) return std::nullopt;
    e.sigma = std::sqrt(std::max(0.0, PatchNoiseVariance(plane, f, all, kIterationPatches)));
    e.anchors = std::move(all);
  }
  return Iterate(plane, f, max_patches, [&](double s) { return WeakTextureAnchors(f, s, clip_valid(s)); },
                 std::move(e));
}

// `weight_sq`: sum of the squared channel weights of the plane (1 for R, G, B).
double RemoveRounding(double sigma, bool eight_bit, double weight_sq = 1.0) {
  if (!eight_bit) return sigma;
  return std::sqrt(std::max(0.0, sigma * sigma - weight_sq * kRoundingVariance));
}

// Local noise σ per block: Immerkær's 3×3 mask (response std 6σ for white
// noise), RMS over channels, median over the block (edges are a minority).
// Works band by band on the original pixels, so big images need no full
// float copy.
cv::Mat NoiseMap(const cv::Mat& pixels, int block) {
  const cv::Matx33f mask(1, -2, 1, -2, 4, -2, 1, -2, 1);
  const bool gray = pixels.channels() == 1;
  // median of sqrt(mean of k squared N(0, 36σ²)) = 6σ · median(χ_k)/√k.
  const double chi_median = gray ? 0.6745 : 0.8880;  // k = 1 or 3
  const int rows = std::max(1, pixels.rows / block), cols = std::max(1, pixels.cols / block);
  cv::Mat map(rows, cols, CV_32F);
  cv::parallel_for_(cv::Range(0, rows), [&](const cv::Range& range) {
    std::vector<float> v;
    for (int br = range.start; br < range.end; ++br) {
      const int r0 = br * block, r1 = br == rows - 1 ? pixels.rows : r0 + block;
      const int top = std::max(0, r0 - 1), bottom = std::min(pixels.rows, r1 + 1);
      const cv::Mat band = pixels.rowRange(top, bottom);
      std::vector<cv::Mat> planes;
      if (gray) planes.push_back(LumaF32(band));
      else cv::split(BgrF32(band), planes);
      cv::Mat energy = cv::Mat::zeros(band.size(), CV_32F), response;
      for (const cv::Mat& plane : planes) {
        cv::filter2D(plane, response, CV_32F, mask, cv::Point(-1, -1), 0, cv::BORDER_REFLECT);
        energy += response.mul(response);
      }
      energy /= double(planes.size());
      for (int bc = 0; bc < cols; ++bc) {
        const int c0 = bc * block, c1 = bc == cols - 1 ? pixels.cols : c0 + block;
        v.clear();
        for (int r = r0; r < r1; ++r) {
          const float* e = energy.ptr<float>(r - top);
          v.insert(v.end(), e + c0, e + c1);
        }
        map.at<float>(br, bc) = float(std::sqrt(NearestRank(v, 0.5)) / (6.0 * chi_median));
      }
    }
  });
  return map;
}

// The planes noise is read on: an evenly spread sample of blocks of a big
// image, side by side (patches that would straddle two blocks are never
// used), as float B, G, R (or gray) planes with their patch statistics.
struct SampledPlanes {
  std::vector<cv::Mat> bgr;
  std::vector<PatchField> fields;
  cv::Mat inside;  // anchors whose patch lies within one block and shows; empty = all
  // `inside`, and clear of NoiseOptions::excluded: the anchors the level
  // function reads (empty = all).
  cv::Mat level_inside;

  // Anchors of plane c unclipped for noise σ `sigma` (and within a block).
  cv::Mat Usable(int c, double sigma) const {
    cv::Mat v = UnclippedAnchors(fields[c], sigma, 0.0, 255.0);
    return inside.empty() ? v : cv::Mat(v & inside);
  }
};

SampledPlanes SamplePlanes(const cv::Mat& pixels, int patch_px, const cv::Mat& excluded) {
  SampledPlanes s;
  const std::vector<cv::Rect> blocks = SampleBlocks(pixels.size(), kSampleBlockPx, kMaxSampledPixels);
  const cv::Mat sample = Mosaic(pixels, blocks);
  if (pixels.channels() == 1) {
    s.bgr.push_back(LumaF32(sample));
  } else {
    cv::split(BgrF32(sample), s.bgr);
  }
  // The planes are independent: each on its own thread.
  s.fields.resize(s.bgr.size());
  ParallelOver(int(s.bgr.size()), [&](const cv::Range& range) {
    for (int c = range.start; c < range.end; ++c) s.fields[c] = MakePatchField(s.bgr[c], patch_px, /*count_clipped=*/true);
  });
  if (blocks.size() > 1) s.inside = WithinBlocks(s.fields[0], kSampleBlockPx);
  // Patches that hold a hidden pixel (visible_part.h) read the colour stored
  // under transparency, or the smooth fill that replaced it: no noise.
  const cv::Mat hidden = HiddenMask(sample);
  if (!hidden.empty()) {
    const cv::Mat clear = AnchorsClearOf(s.fields[0], hidden);
    s.inside = s.inside.empty() ? clear : cv::Mat(s.inside & clear);
  }
  // The level function leaves out the patches that touch an excluded pixel
  // (NoiseOptions::excluded).
  s.level_inside = s.inside;
  if (!excluded.empty()) {
    CV_Assert(excluded.type() == CV_8U && excluded.size() == pixels.size());
    const cv::Mat clear = AnchorsClearOf(s.fields[0], Mosaic(excluded, blocks));
    s.level_inside = s.inside.empty() ? clear : cv::Mat(s.inside & clear);
  }
  return s;
}

// One channel's noise on its weak-texture patches. Near a clipping level,
// the patches that escaped clipping are those whose noise happened to stay
// small: an underestimated σ would let more of them in. When much of the
// image is dark or bright, the mid-tones (far from clipping for σ up to
// about 15) set a floor under the σ that decides the clipping margin.
std::optional<PlaneEstimate> EstimateChannel(const SampledPlanes& planes, int c, int max_patches) {
  const PatchField& field = planes.fields[c];
  double margin_floor = 0;
  const cv::Mat mid = (field.mean >= kMidToneLow) & (field.mean <= 255.0 - kMidToneLow);
  if (cv::countNonZero(mid) < (1.0 - kExtremeShare) * mid.total()) {
    auto mid_valid = [&](double s) { return cv::Mat(planes.Usable(c, s) & mid); };
    if (std::optional<PlaneEstimate> e = IteratePlane(planes.bgr[c], field, max_patches / 4, mid_valid))
      margin_floor = e->sigma;
  }
  auto valid = [&](double s) { return planes.Usable(c, std::max(s, margin_floor)); };
  return IteratePlane(planes.bgr[c], field, max_patches, valid);
}

// σ of the BT.601 Y, Cb and Cr planes of B, G, R `bgr` (channel σ `sigmas`,
// rounding removed), each on its own thread, read on the `unclipped`
// anchors. A weighted plane's σ if the channel noise were independent is
// where its iteration starts (luma, which holds most of the texture,
// searches from scratch) and the answer when clipping leaves nothing to read.
std::array<double, 3> YccSigmas(const std::vector<cv::Mat>& bgr, const std::vector<double>& sigmas,
                                const cv::Mat& unclipped, bool eight_bit, const NoiseOptions& options) {
  cv::Mat merged;
  cv::merge(bgr, merged);
  auto weighted = [&](float b, float g, float rr, bool search) {
    cv::Mat plane;
    cv::transform(merged, plane, cv::Matx13f(b, g, rr));
    const double predicted = std::sqrt(b * b * sigmas[0] * sigmas[0] + g * g * sigmas[1] * sigmas[1] +
                                       rr * rr * sigmas[2] * sigmas[2]);
    const PatchField f = MakePatchField(plane, options.patch_px);
    std::optional<PlaneEstimate> e = IteratePlane(plane, f, options.max_patches, [&](double) { return unclipped; },
                                                  search ? std::nullopt : std::optional<double>(predicted));
    return e ? RemoveRounding(e->sigma, eight_bit, double(b) * b + double(g) * g + double(rr) * rr) : predicted;
  };
  // B, G, R weights of Y, Cb and Cr (BT.601).
  const cv::Vec3f kYcc[3] = {cv::Vec3f(kLumaWeightsBgr), {0.5f, -0.3313f, -0.1687f}, {-0.0813f, -0.4187f, 0.5f}};
  std::array<double, 3> ycc{};
  cv::parallel_for_(cv::Range(0, 3), [&](const cv::Range& range) {
    for (int i = range.start; i < range.end; ++i) ycc[i] = weighted(kYcc[i][0], kYcc[i][1], kYcc[i][2], i == 0);
  });
  return ycc;
}

// The patches of one brightness bin of one plane that the level function may
// read, in anchor order: no clipped pixel, within a sampled block, ξ below
// the weak-texture threshold of the highest σ the iteration starts from.
struct BinCandidates {
  int patches_in_bin = 0;  // every patch whose mean lies in the bin
  std::vector<int> anchors;
  std::vector<float> texture, mean;
};

std::vector<BinCandidates> LevelCandidates(const SampledPlanes& planes, int c, int bins, double ceiling_sigma) {
  const PatchField& f = planes.fields[c];
  const double tau = WeakTextureThreshold(f, kInitialGuessMargin * ceiling_sigma);
  std::vector<BinCandidates> out(bins);
  for (int r = 0; r < f.rows; ++r) {
    const float* t = f.texture.ptr<float>(r);
    const float* m = f.mean.ptr<float>(r);
    const float* clipped = f.clipped.empty() ? nullptr : f.clipped.ptr<float>(r);
    const uchar* like = f.noise_like.ptr<uchar>(r);
    const uchar* inside = planes.level_inside.empty() ? nullptr : planes.level_inside.ptr<uchar>(r);
    for (int col = 0; col < f.cols; ++col) {
      const int bin = int(std::floor(m[col] * bins / 255.0));
      if (bin < 0 || bin >= bins) continue;
      // The bin test as level_from ≤ mean < level_to (the product above may round across an edge).
      const int b = m[col] < 255.0 * bin / bins ? bin - 1 : m[col] >= 255.0 * (bin + 1) / bins ? bin + 1 : bin;
      if (b < 0 || b >= bins) continue;
      BinCandidates& out_bin = out[b];
      ++out_bin.patches_in_bin;
      if (t[col] >= tau || !like[col] || (clipped && clipped[col] >= 0.5f) || (inside && !inside[col])) continue;
      out_bin.anchors.push_back(r * f.cols + col);
      out_bin.texture.push_back(t[col]);
      out_bin.mean.push_back(m[col]);
    }
  }
  return out;
}

// The noise level function: for each of `bins` equal brightness bins and
// each plane, the Liu et al. iteration on the plane's usable patches whose
// mean lies in the bin, started from kLevelCeilingRatio × the plane's global
// σ (`sigmas`) + 1 level and settling down from there: a bin's noise may be
// well above the global σ, but a bin with nothing but edges and texture (no
// patch that weak at that ceiling) is not measured rather than read as
// noise. Then again from kLevelSearchCeiling8bit, for noise confined to
// one range of brightness: that reading replaces the first when it is above
// the first ceiling and its patches are white noise (DifferenceRatio ≤
// kMaxWhiteDifferenceRatio) spread as noise is (SpreadKurtosis ≥
// kMinNoiseKurtosis), not texture or edges. A bin's σ is the mean over the
// planes that had enough patches there. All bin × plane readings run in
// parallel.
std::vector<NoiseLevelBin> LevelFunction(const SampledPlanes& planes, const std::vector<double>& sigmas_in,
                                         int bins, int max_patches, bool eight_bit,
                                         std::vector<double>* whiteness = nullptr) {
  const int n = int(planes.bgr.size());
  std::vector<std::optional<double>> sigmas(size_t(bins) * n);
  std::vector<double> ratios(size_t(bins) * n, 0.0);  // DifferenceRatio of what each reading read
  // Each plane's candidates, bin by bin, in one pass over its patches (ξ
  // below the threshold at the ceiling σ, no clipped pixel, within a block):
  // the iteration then scans these short lists instead of whole masks.
  std::vector<std::vector<BinCandidates>> candidates(n);
  ParallelOver(n, [&](const cv::Range& range) {
    for (int c = range.start; c < range.end; ++c)
      candidates[c] =
          LevelCandidates(planes, c, bins, std::max(kLevelSearchCeiling8bit, kLevelCeilingRatio * sigmas_in[c] + 1.0));
  });
  cv::parallel_for_(cv::Range(0, bins * n), [&](const cv::Range& range) {
    for (int i = range.start; i < range.end; ++i) {
      const int bin = i / n, c = i % n;
      const PatchField& field = planes.fields[c];
      const BinCandidates& in_bin = candidates[c][bin];
      if (in_bin.patches_in_bin < 100) continue;
      // The clipping margin follows σ only up to kLevelMarginRatio × the
      // global σ: the iteration starts high and would otherwise drop the
      // dark and bright bins before it settles.
      const double margin_cap = kLevelMarginRatio * sigmas_in[c];
      auto select = [&](double s) {
        const double tau = WeakTextureThreshold(field, s), margin = kClipMarginSigmas * std::min(s, margin_cap);
        std::vector<int> out;
        for (size_t k = 0; k < in_bin.anchors.size(); ++k)
          if (in_bin.texture[k] < tau && in_bin.mean[k] > margin && in_bin.mean[k] < 255.0 - margin)
            out.push_back(in_bin.anchors[k]);
        return out;
      };
      const int enough = kMinLevelPatchesPerDimension * field.patch * field.patch;
      auto read_from = [&](double ceiling) -> std::optional<PlaneEstimate> {
        PlaneEstimate start;
        start.sigma = kInitialGuessMargin * ceiling;
        std::optional<PlaneEstimate> e =
            Iterate(planes.bgr[c], field, max_patches, select, std::move(start), kLevelIterationPatches);
        if (!e || int(e->anchors.size()) < enough) return std::nullopt;
        return e;
      };
      const double ceiling = kLevelCeilingRatio * sigmas_in[c] + 1.0;
      std::optional<PlaneEstimate> e = read_from(ceiling);
      if (ceiling < kLevelSearchCeiling8bit) {
        const std::optional<PlaneEstimate> high = read_from(kLevelSearchCeiling8bit);
        if (high && high->sigma > ceiling &&
            DifferenceRatio(planes.bgr[c], field, high->anchors) <= kMaxWhiteDifferenceRatio &&
            SpreadKurtosis(planes.bgr[c], field, high->anchors) >= kMinNoiseKurtosis)
          e = high;
      }
      if (!e) continue;
      sigmas[i] = RemoveRounding(e->sigma, eight_bit);
      if (whiteness) ratios[i] = DifferenceRatio(planes.bgr[c], field, e->anchors);
    }
  });
  if (whiteness) whiteness->assign(bins, 0.0);
  std::vector<NoiseLevelBin> out(bins);
  for (int bin = 0; bin < bins; ++bin) {
    out[bin].level_from_8bit = 255.0 * bin / bins;
    out[bin].level_to_8bit = 255.0 * (bin + 1) / bins;
    double sum = 0;
    int count = 0;
    double ratio = 0;
    for (int c = 0; c < n; ++c)
      if (const std::optional<double>& s = sigmas[size_t(bin) * n + c])
        sum += *s, ratio += ratios[size_t(bin) * n + c], ++count;
    if (count > 0) out[bin].sigma = sum / count;
    if (count > 0 && whiteness) (*whiteness)[bin] = ratio / count;
  }
  return out;
}

}  // namespace

std::optional<double> EstimatePlaneNoiseSigma(const cv::Mat& plane, double clip_low, double clip_high,
                                              const NoiseOptions& options, double* weak_fraction) {
  if (plane.rows < 2 * options.patch_px || plane.cols < 2 * options.patch_px) return std::nullopt;
  const bool clips = std::isfinite(clip_low) || std::isfinite(clip_high);
  const PatchField f = MakePatchField(plane, options.patch_px, clips && clip_low == 0.0 && clip_high == 255.0);
  auto valid = [&](double s) { return clips ? UnclippedAnchors(f, s, clip_low, clip_high) : cv::Mat(); };
  std::optional<PlaneEstimate> e = IteratePlane(plane, f, options.max_patches, valid);
  if (!e) return std::nullopt;
  if (weak_fraction) *weak_fraction = e->weak_fraction;
  return e->sigma;
}

namespace {

// The reading at the pixels' own scale (MeasureNoise without the check for
// correlated noise), with its whiteness when asked for.
NoiseMeasurement MeasureNoiseOnce(const cv::Mat& pixels, const NoiseOptions& options, NoiseWhiteness* whiteness = nullptr) {
  NoiseMeasurement m;
  if (pixels.empty()) return m;
  const bool under_16px = pixels.rows < 16 || pixels.cols < 16;
  if (under_16px || pixels.total() < size_t(kMinNoisePixels)) {
    m.result.too_small = true;
    if (!under_16px && options.compute_map) m.map = NoiseMap(pixels, std::max(4, options.map_block_px));
    return m;
  }
  const SampledPlanes planes = SamplePlanes(pixels, options.patch_px, options.excluded);
  const size_t n = planes.bgr.size();
  // R, G, B (or gray) each on its own weak-texture patches, each on its own
  // thread (its inner loops then run on that thread), results kept per
  // plane, so nothing depends on timing.
  std::vector<std::optional<PlaneEstimate>> estimates(n);
  ParallelOver(int(n), [&](const cv::Range& range) {
    for (int c = range.start; c < range.end; ++c) estimates[c] = EstimateChannel(planes, c, options.max_patches);
  });
  if (std::any_of(estimates.begin(), estimates.end(), [](const auto& e) { return !e.has_value(); })) return m;
  std::vector<double> sigmas(n);
  double weak = 0;
  for (size_t c = 0; c < n; ++c) {
    sigmas[c] = estimates[c]->sigma;
    weak += estimates[c]->weak_fraction / n;
  }
  if (whiteness) {
    whiteness->global = 0;
    for (size_t c = 0; c < n; ++c)
      whiteness->global += DifferenceRatio(planes.bgr[c], planes.fields[c], estimates[c]->anchors) / double(n);
  }
  // Luma and chroma planes: their own weak-texture search (texture differs
  // between them), among the patches unclipped in every channel.
  cv::Mat unclipped;
  for (size_t c = 0; c < n; ++c) {
    cv::Mat v = planes.Usable(int(c), sigmas[c]);
    unclipped = unclipped.empty() ? v : (unclipped & v);
  }
  const bool eight_bit = pixels.depth() == CV_8U;
  const std::vector<double> raw_sigmas = sigmas;
  for (double& s : sigmas) s = RemoveRounding(s, eight_bit);
  NoiseResult& r = m.result;
  if (n == 1) {
    r.sigma = r.luma_sigma = sigmas[0];
    r.chroma_sigma = 0.0;
    r.channel_sigmas = std::array<double, 3>{sigmas[0], sigmas[0], sigmas[0]};
  } else {
    const std::array<double, 3> ycc = YccSigmas(planes.bgr, sigmas, unclipped, eight_bit, options);
    const double y = ycc[0], cb = ycc[1], cr = ycc[2];
    r.sigma = (sigmas[0] + sigmas[1] + sigmas[2]) / 3.0;
    r.channel_sigmas = std::array<double, 3>{sigmas[2], sigmas[1], sigmas[0]};
    r.luma_sigma = y;
    r.chroma_sigma = std::sqrt((cb * cb + cr * cr) / 2.0);
  }
  r.weak_texture_fraction = weak;
  if (options.level_bins > 0)
    r.level_function = LevelFunction(planes, raw_sigmas, options.level_bins, kLevelFunctionPatches, eight_bit,
                                     whiteness ? &whiteness->by_level : nullptr);
  if (options.compute_map) m.map = NoiseMap(pixels, std::max(4, options.map_block_px));
  return m;
}

// `r` read on the pixels binned b×b, in the full scale's 8-bit units: each
// σ times `factor` (b for noise white at the pixels' scale, whose b×b mean
// has σ/b; less for correlated noise: PixelSigmaFactor).
void ScaleFromBinned(NoiseResult& r, double factor) {
  for (std::optional<double>* v : {&r.sigma, &r.luma_sigma, &r.chroma_sigma})
    if (*v) **v *= factor;
  if (r.channel_sigmas)
    for (double& v : *r.channel_sigmas) v *= factor;
  for (NoiseLevelBin& bin : r.level_function)
    if (bin.sigma) *bin.sigma *= factor;
}

// Each figure of `r` no lower than `full`'s (the same figure read at the
// pixels' own scale); a bin read at only one scale keeps that reading.
void KeepTheHigher(NoiseResult& r, const NoiseResult& full) {
  auto higher = [](std::optional<double>& v, const std::optional<double>& f) {
    if (f && (!v || *f > *v)) v = f;
  };
  higher(r.sigma, full.sigma);
  higher(r.luma_sigma, full.luma_sigma);
  higher(r.chroma_sigma, full.chroma_sigma);
  if (r.channel_sigmas && full.channel_sigmas)
    for (size_t c = 0; c < 3; ++c) (*r.channel_sigmas)[c] = std::max((*r.channel_sigmas)[c], (*full.channel_sigmas)[c]);
  for (size_t i = 0; i < r.level_function.size() && i < full.level_function.size(); ++i)
    higher(r.level_function[i].sigma, full.level_function[i].sigma);
}

}  // namespace

NoiseMeasurement MeasureNoise(const cv::Mat& pixels, const NoiseOptions& options) {
  NoiseWhiteness full_whiteness;
  NoiseMeasurement full = MeasureNoiseOnce(pixels, options, &full_whiteness);
  if (!full.result.sigma) return full;
  full.result.correlated = false;
  // Noise correlated over a pixel or more (a demosaic's, a phone's noise
  // reduction, a film's grain) has little pixel-to-pixel part, which is
  // what the patches' smallest eigenvalues read; binned 2×2 (or, correlated
  // over more, 4×4) it is nearly white again. When the full scale reads
  // little and its patches look correlated (CorrelatedProbes), read the
  // binned pixels too: when that reading is well above this one on flat
  // patches enough that look white there (texture everywhere — gravel,
  // grass — leaves few, and not white), the noise is correlated and the
  // binned reading, brought back to the pixels' scale (PixelSigmaFactor),
  // is the noise.
  if (!options.read_correlated) return full;
  const std::vector<int> probes = CorrelatedProbes(full.result, full_whiteness);
  if (probes.empty()) return full;
  NoiseOptions binned_options = options;
  binned_options.compute_map = false;
  cv::Mat binned_pixels = pixels;
  std::vector<ProbeState> states(probes.size());
  // A reading that stands unless a coarser scale finds one first.
  std::optional<NoiseMeasurement> fallback;
  for (int b = 2; b <= kMaxCorrelatedBinning; b *= 2) {
    if (binned_pixels.rows < 2 * 16 || binned_pixels.cols < 2 * 16 ||
        binned_pixels.total() / 4 < size_t(kMinNoisePixels))
      break;
    // Exact 2×2 bins: an odd last row or column left out.
    cv::resize(binned_pixels(cv::Rect(0, 0, binned_pixels.cols / 2 * 2, binned_pixels.rows / 2 * 2)), binned_pixels,
               cv::Size(binned_pixels.cols / 2, binned_pixels.rows / 2), 0, 0, cv::INTER_AREA);
    if (!binned_options.excluded.empty()) {  // a bin that holds an excluded pixel is excluded
      const cv::Mat& e = binned_options.excluded;
      cv::resize(e(cv::Rect(0, 0, e.cols / 2 * 2, e.rows / 2 * 2)), binned_options.excluded,
                 cv::Size(e.cols / 2, e.rows / 2), 0, 0, cv::INTER_AREA);
      binned_options.excluded = binned_options.excluded != 0;
    }
    NoiseWhiteness whiteness;
    NoiseMeasurement binned = MeasureNoiseOnce(binned_pixels, binned_options, &whiteness);
    const BinnedChoice choice = ChooseBinnedReading(pixels, b, full.result, binned.result, whiteness, probes, states);
    if (choice.texture) return full;
    if (choice.probe != -2) {
      NoiseMeasurement m;
      m.result = binned.result;
      ScaleFromBinned(m.result, choice.factor);
      // A brightness bin's factor is that bin's: elsewhere the binned
      // reading stands only where it reads more than the full scale did.
      if (choice.probe >= 0) KeepTheHigher(m.result, full.result);
      m.result.correlated = true;
      m.result.binned_px = b;
      if (options.compute_map) {  // the binned pixels' local σ, scaled, on the full scale's grid
        const int block = std::max(4, options.map_block_px);
        m.map = NoiseMap(binned_pixels, std::max(2, block / b)) * choice.factor;
        if (m.map.size() != full.map.size() && !full.map.empty())
          cv::resize(m.map, m.map, full.map.size(), 0, 0, cv::INTER_NEAREST);
      }
      if (!choice.bin_again) return m;
      if (!fallback) fallback = std::move(m);
    }
    if (!choice.bin_again) break;  // nothing raised: no correlated noise
  }
  return fallback ? std::move(*fallback) : full;
}

}  // namespace acuity

#include "analysis/measurements/overlay_strokes.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "analysis/measurements/content_kind.h"

namespace acuity {
namespace {

// A step's share of the change `across` it (a signed level difference
// that includes it), 0–1.
double Share(int step, int across) {
  return across == 0 ? 1.0 : std::min(1.0, double(std::abs(step)) / double(std::abs(across)));
}

// How crisp the step between pixels i and i + 1 of a line (`at`, clamped to
// the line) is, seen from its ground on one side: its share of the change
// from kStrokeGroundPx px before i to i + 1 (ShareFromBefore), or from i to
// kStrokeGroundPx px after i + 1 (ShareFromAfter). A step made in one pixel
// reads 1; a blurred edge's largest step reads less (0.55 at σ 1 px, 0.64
// at σ 0.8 px, centred on the step).
template <typename At>
double ShareFromBefore(const At& at, int i) {
  return Share(at(i + 1) - at(i), at(i + 1) - at(i - kStrokeGroundPx));
}
template <typename At>
double ShareFromAfter(const At& at, int i) {
  return Share(at(i + 1) - at(i), at(i + 1 + kStrokeGroundPx) - at(i));
}

// Crispness 0–1 as StrokeInteriors stores it: 1–255.
uchar CrispnessLevel(double share) { return uchar(std::clamp(int(std::lround(255.0 * share)), 1, 255)); }
double CrispnessOf(int level) { return double(level) / 255.0; }

// Marks the strokes along one line of `count` pixels at `line` (`stride`
// bytes apart) in `out` (its pixels `out_stride` bytes apart: a view into a
// wider picture has a longer row than the mask made for it) with their
// crispness.
void StrokesAlong(const uchar* line, size_t stride, uchar* out, size_t out_stride, int count, int strong) {
  auto at = [&](int i) { return int(line[size_t(std::clamp(i, 0, count - 1)) * stride]); };
  for (int x = 0; x + 2 < count; ++x) {
    const int opening = at(x + 1) - at(x);
    if (std::abs(opening) < strong) continue;
    const double opening_share = ShareFromBefore(at, x);
    if (opening_share < kStrokeStepShare) continue;
    int lo = at(x + 1), hi = lo;
    for (int w = 1; w <= kStrokeMaxPx && x + w + 1 < count; ++w) {
      const int last = at(x + w), next = at(x + w + 1);
      lo = std::min(lo, last);
      hi = std::max(hi, last);
      if (hi - lo > kStrokeFlat8bit) break;
      const int closing = next - last;
      if (std::abs(closing) < strong || (closing > 0) == (opening > 0)) continue;
      const double closing_share = ShareFromAfter(at, x + w);
      if (closing_share < kStrokeStepShare) continue;
      const uchar crispness = CrispnessLevel(std::min(opening_share, closing_share));
      for (int k = 1; k <= w; ++k) {
        uchar& o = out[size_t(x + k) * out_stride];
        o = std::max(o, crispness);
      }
      break;
    }
  }
}

// Counts in `histogram` (by CrispnessLevel) the crispness of the photo's
// edges along one line: each step of at least `strong` levels where the line
// changes monotonically (within 2 levels) over kStrokeGroundPx px on either
// side and `skip` (its pixels `skip_stride` bytes apart) is 0, read from
// both sides (ShareFromBefore, ShareFromAfter), the lower.
void EdgeCrispnessAlong(const uchar* line, size_t stride, const uchar* skip, size_t skip_stride, int count, int strong,
                        std::array<int, 256>* histogram) {
  auto at = [&](int i) { return int(line[size_t(std::clamp(i, 0, count - 1)) * stride]); };
  for (int x = kStrokeGroundPx; x + 1 + kStrokeGroundPx < count; ++x) {
    const int step = at(x + 1) - at(x);
    if (std::abs(step) < strong || skip[size_t(x) * skip_stride] || skip[size_t(x + 1) * skip_stride]) continue;
    const int sign = step > 0 ? 1 : -1;
    bool monotone = true;
    for (int i = x - kStrokeGroundPx; i < x + 1 + kStrokeGroundPx && monotone; ++i)
      monotone = sign * (at(i + 1) - at(i)) >= -2;
    if (monotone) ++(*histogram)[CrispnessLevel(std::min(ShareFromBefore(at, x), ShareFromAfter(at, x)))];
  }
}

// The photo's crispest edges (kOverlayCrispnessMargin): the 90th percentile
// of EdgeCrispnessAlong's reading over rows and columns, 0–1, away from the
// blocks of `skip_blocks` (CV_8U, one cell per kOverlayBlockPx block) and
// from what does not show (`hidden`, CV_8U, may be empty: a cut-out's
// outline is a step made in one pixel); empty when under
// kMinReferenceEdges edges were read.
std::optional<double> PhotoEdgeCrispness(const cv::Mat& luma8, const cv::Mat& skip_blocks, const cv::Mat& hidden) {
  cv::Mat skip;
  cv::resize(skip_blocks, skip, cv::Size(skip_blocks.cols * kOverlayBlockPx, skip_blocks.rows * kOverlayBlockPx), 0,
             0, cv::INTER_NEAREST);
  skip = skip(cv::Rect(0, 0, luma8.cols, luma8.rows)).clone();
  if (!hidden.empty()) {  // nor any step whose ground reaches a hidden pixel
    cv::Mat near_hidden;
    const int reach = 2 * (kStrokeGroundPx + 1) + 1;
    cv::dilate(hidden, near_hidden, cv::Mat::ones(reach, reach, CV_8U));
    skip.setTo(255, near_hidden);
  }
  std::array<int, 256> histogram{};
  for (int y = 0; y < luma8.rows; ++y)
    EdgeCrispnessAlong(luma8.ptr<uchar>(y), 1, skip.ptr<uchar>(y), 1, luma8.cols, kStrongStep8bit, &histogram);
  for (int x = 0; x < luma8.cols; ++x)
    EdgeCrispnessAlong(luma8.ptr<uchar>(0) + x, luma8.step[0], skip.ptr<uchar>(0) + x, skip.step[0], luma8.rows,
                       kStrongStep8bit, &histogram);
  int64_t total = 0;
  for (int n : histogram) total += n;
  if (total < kMinReferenceEdges) return std::nullopt;
  int64_t below = 0;
  for (int level = 0; level < 256; ++level) {
    below += histogram[size_t(level)];
    if (10 * below > 9 * total) return CrispnessOf(level);
  }
  return CrispnessOf(255);
}

// The median of a cluster's strokes' crispness (StrokeInteriors' values), 0–1.
double MedianCrispness(std::vector<uint8_t>& crispness) {
  if (crispness.empty()) return 0.0;
  auto middle = crispness.begin() + std::ptrdiff_t(crispness.size() / 2);
  std::nth_element(crispness.begin(), middle, crispness.end());
  return CrispnessOf(*middle);
}

// The share of `levels` within ±kStrokeFlat8bit of their commonest level,
// plus of the rest within that of theirs: a drawn overlay's strokes are its
// fill and the ground between its glyphs.
double TwoLevelsShare(const std::vector<uint8_t>& levels) {
  if (levels.empty()) return 0.0;
  std::array<int, 256> count{};
  for (uint8_t v : levels) ++count[v];
  auto mode = [&]() {
    int best = 0, best_sum = -1;
    for (int c = 0; c < 256; ++c) {
      int sum = 0;
      for (int v = std::max(0, c - kStrokeFlat8bit); v <= std::min(255, c + kStrokeFlat8bit); ++v) sum += count[size_t(v)];
      if (sum > best_sum) best = c, best_sum = sum;
    }
    return best;
  };
  int covered = 0;
  for (int pass = 0; pass < 2; ++pass) {
    const int m = mode();
    for (int v = std::max(0, m - kStrokeFlat8bit); v <= std::min(255, m + kStrokeFlat8bit); ++v) {
      covered += count[size_t(v)];
      count[size_t(v)] = 0;
    }
  }
  return double(covered) / double(levels.size());
}

}  // namespace

cv::Mat StrokeInteriors(const cv::Mat& luma8, int strong_step_8bit) {
  CV_Assert(luma8.type() == CV_8U);
  cv::Mat out = cv::Mat::zeros(luma8.size(), CV_8U);
  cv::parallel_for_(cv::Range(0, luma8.rows), [&](const cv::Range& r) {
    for (int y = r.start; y < r.end; ++y)
      StrokesAlong(luma8.ptr<uchar>(y), 1, out.ptr<uchar>(y), 1, luma8.cols, strong_step_8bit);
  });
  // Columns: each writes its own column of `out` only.
  cv::parallel_for_(cv::Range(0, luma8.cols), [&](const cv::Range& r) {
    for (int x = r.start; x < r.end; ++x)
      StrokesAlong(luma8.ptr<uchar>(0) + x, luma8.step[0], out.ptr<uchar>(0) + x, out.step[0], luma8.rows,
                   strong_step_8bit);
  });
  return out;
}

cv::Mat LossyOverlayBlocks(const cv::Mat& luma8, const cv::Mat& hidden, double* overlay_pct) {
  *overlay_pct = 0.0;
  cv::Mat strokes = StrokeInteriors(luma8, kStrongStep8bit);
  if (!hidden.empty()) {  // nor the cut-out's outline, the step from a shown pixel to a hidden one
    cv::Mat outline;
    cv::dilate(hidden, outline, cv::Mat::ones(3, 3, CV_8U));
    strokes.setTo(0, outline);
  }
  const int total_strokes = cv::countNonZero(strokes);
  if (total_strokes < kMinClusterStrokePx) return cv::Mat();
  const int b = kOverlayBlockPx;
  const cv::Size grid((luma8.cols + b - 1) / b, (luma8.rows + b - 1) / b);
  cv::Mat per_block = cv::Mat::zeros(grid, CV_32S);
  for (int y = 0; y < strokes.rows; ++y) {
    const uchar* s = strokes.ptr<uchar>(y);
    int* n = per_block.ptr<int>(y / b);
    for (int x = 0; x < strokes.cols; ++x) n[x / b] += s[x] != 0;
  }
  const cv::Mat candidate = per_block >= kOverlayMinHardPx;
  if (cv::countNonZero(candidate) == 0) return cv::Mat();
  // Clusters: candidate blocks joined through one block (the letters of a
  // word), each judged by its own strokes' levels.
  cv::Mat joined, labels;
  cv::dilate(candidate, joined, cv::Mat::ones(3, 3, CV_8U));
  const int count = cv::connectedComponents(joined, labels, 8, CV_32S);
  std::vector<std::vector<uint8_t>> levels(static_cast<size_t>(count)), crispness(static_cast<size_t>(count));
  for (int y = 0; y < strokes.rows; ++y) {
    const uchar *s = strokes.ptr<uchar>(y), *l = luma8.ptr<uchar>(y);
    const int* label = labels.ptr<int>(y / b);
    const uchar* c = candidate.ptr<uchar>(y / b);
    for (int x = 0; x < strokes.cols; ++x)
      if (s[x] && c[x / b]) {
        levels[size_t(label[x / b])].push_back(l[x]);
        crispness[size_t(label[x / b])].push_back(s[x]);
      }
  }
  std::vector<int> drawn;  // the clusters whose strokes hold one or two levels
  for (int k = 1; k < count; ++k)
    if (int(levels[size_t(k)].size()) >= kMinClusterStrokePx && TwoLevelsShare(levels[size_t(k)]) >= kStrokeLevelsShare)
      drawn.push_back(k);
  if (drawn.empty()) return cv::Mat();
  // The photo's own crispest edges, away from every block with a stroke
  // (and one block around: a glyph's edges reach past its strokes' blocks).
  cv::Mat near_strokes;
  cv::dilate(per_block > 0, near_strokes, cv::Mat::ones(3, 3, CV_8U));
  const std::optional<double> reference = PhotoEdgeCrispness(luma8, near_strokes, hidden);
  cv::Mat blocks = cv::Mat::zeros(grid, CV_8U);
  for (int k : drawn) {
    if (reference && MedianCrispness(crispness[size_t(k)]) < *reference + kOverlayCrispnessMargin) continue;
    blocks.setTo(255, labels == k);
  }
  if (cv::countNonZero(blocks) == 0) return cv::Mat();
  // The picture around has next to no stroke of its own: it is soft, and
  // the clusters stand out of it as something drawn on it.
  cv::Mat near;
  cv::dilate(blocks, near, cv::Mat::ones(5, 5, CV_8U));
  int64_t around = 0, area = 0, covered = 0;
  for (int y = 0; y < strokes.rows; ++y) {
    const uchar* s = strokes.ptr<uchar>(y);
    const uchar *n = near.ptr<uchar>(y / b), *o = blocks.ptr<uchar>(y / b);
    const uchar* h = hidden.empty() ? nullptr : hidden.ptr<uchar>(y);
    for (int x = 0; x < strokes.cols; ++x) {
      around += s[x] && !n[x / b];
      covered += o[x / b] != 0;
      area += !(h && h[x]);
    }
  }
  if (area == 0 || 100.0 * double(around) / double(area) > kMaxStrokesAroundPct) return cv::Mat();
  const double pct = 100.0 * double(covered) / double(strokes.total());
  if (pct > kMaxOverlayPct) return cv::Mat();
  *overlay_pct = pct;
  return blocks;
}

}  // namespace acuity

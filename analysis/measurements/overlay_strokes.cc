#include "analysis/measurements/overlay_strokes.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "analysis/measurements/content_kind.h"

namespace acuity {
namespace {

// Marks the strokes along one line of `count` pixels at `line` (`stride`
// bytes apart) in `out` (its pixels `out_stride` bytes apart: a view into a
// wider picture has a longer row than the mask made for it).
void StrokesAlong(const uchar* line, size_t stride, uchar* out, size_t out_stride, int count, int strong) {
  auto at = [&](int i) { return int(line[size_t(std::clamp(i, 0, count - 1)) * stride]); };
  // A step made in one pixel: at least kStrokeStepShare of the change from
  // the level kStrokeGroundPx beyond it (a blurred edge's largest step is a
  // fraction of its span: 38 % at σ 1 px).
  auto crisp = [&](int step, int across) { return std::abs(step) >= kStrokeStepShare * std::abs(across); };
  for (int x = 0; x + 2 < count; ++x) {
    const int opening = at(x + 1) - at(x);
    if (std::abs(opening) < strong || !crisp(opening, at(x + 1) - at(x - kStrokeGroundPx))) continue;
    int lo = at(x + 1), hi = lo;
    for (int w = 1; w <= kStrokeMaxPx && x + w + 1 < count; ++w) {
      const int last = at(x + w), next = at(x + w + 1);
      lo = std::min(lo, last);
      hi = std::max(hi, last);
      if (hi - lo > kStrokeFlat8bit) break;
      const int closing = next - last;
      if (std::abs(closing) >= strong && (closing > 0) != (opening > 0) &&
          crisp(closing, at(x + w + kStrokeGroundPx) - last)) {
        for (int k = 1; k <= w; ++k) out[size_t(x + k) * out_stride] = 255;
        break;
      }
    }
  }
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
  std::vector<std::vector<uint8_t>> levels(static_cast<size_t>(count));
  for (int y = 0; y < strokes.rows; ++y) {
    const uchar *s = strokes.ptr<uchar>(y), *l = luma8.ptr<uchar>(y);
    const int* label = labels.ptr<int>(y / b);
    const uchar* c = candidate.ptr<uchar>(y / b);
    for (int x = 0; x < strokes.cols; ++x)
      if (s[x] && c[x / b]) levels[size_t(label[x / b])].push_back(l[x]);
  }
  cv::Mat blocks = cv::Mat::zeros(grid, CV_8U);
  for (int k = 1; k < count; ++k) {
    if (int(levels[size_t(k)].size()) < kMinClusterStrokePx || TwoLevelsShare(levels[size_t(k)]) < kStrokeLevelsShare)
      continue;
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

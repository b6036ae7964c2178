#include "analysis/measurements/content_kind.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "analysis/measurements/image_ops.h"

namespace acuity {
namespace {

constexpr int kMinSidePx = 8;
constexpr float kStrongStep8bit = 32.0f;  // a luma step this large between neighbours is a strong edge
constexpr int kHardEdgeReachPx = 3;       // ... hard when an exactly flat pixel lies this close
constexpr double kPhotoBelowFlatPct = 5.0;
constexpr double kSyntheticFlatPct = 30.0;
constexpr double kSyntheticHardEdgePct = 60.0;
constexpr double kPhotoBelowHardEdgePct = 20.0;
constexpr int kPhotoBlockPx = 32;               // blocks of the photo area
constexpr double kPhotoBelowStepShare = 0.15;   // ... with fewer of their pixels on strong steps
constexpr double kSyntheticBelowPhotoPct = 10.0;  // synthetic: less photo area than this

// Distinct colours of 8-bit gray or BGR pixels: one bit per possible colour.
int DistinctColours(const cv::Mat& px8) {
  const int channels = px8.channels();
  std::vector<uint64_t> seen(channels == 1 ? 4 : (1u << 24) / 64, 0);
  int count = 0;
  for (int r = 0; r < px8.rows; ++r) {
    const uchar* p = px8.ptr<uchar>(r);
    for (int c = 0; c < px8.cols; ++c, p += channels) {
      const uint32_t key = channels == 1 ? p[0] : uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16;
      uint64_t& word = seen[key >> 6];
      const uint64_t bit = uint64_t(1) << (key & 63);
      count += (word & bit) == 0;
      word |= bit;
    }
  }
  return count;
}

// CV_8U: 255 on both pixels of every strong luma step (horizontal or vertical).
cv::Mat StrongSteps(const cv::Mat& luma) {
  cv::Mat strong = cv::Mat::zeros(luma.size(), CV_8U);
  for (int r = 0; r < luma.rows; ++r) {
    const float* y = luma.ptr<float>(r);
    const float* below = r + 1 < luma.rows ? luma.ptr<float>(r + 1) : nullptr;
    uchar* s = strong.ptr<uchar>(r);
    uchar* s_below = below ? strong.ptr<uchar>(r + 1) : nullptr;
    for (int c = 0; c < luma.cols; ++c) {
      if (c + 1 < luma.cols && std::abs(y[c + 1] - y[c]) >= kStrongStep8bit) s[c] = s[c + 1] = 255;
      if (below && std::abs(below[c] - y[c]) >= kStrongStep8bit) s[c] = s_below[c] = 255;
    }
  }
  return strong;
}

// Whether `flat` and `strong` (same-sized CV_8U masks of one area) look
// photographed: under kPhotoBelowFlatPct of the pixels exactly flat, and
// under kPhotoBelowStepShare on strong steps.
bool LooksPhotographed(const cv::Mat& flat, const cv::Mat& strong) {
  const double n = double(flat.total());
  return cv::countNonZero(flat) < kPhotoBelowFlatPct / 100.0 * n && cv::countNonZero(strong) < kPhotoBelowStepShare * n;
}

// Share of the kPhotoBlockPx blocks that look photographed, %.
double PhotoAreaPct(const cv::Mat& flat, const cv::Mat& strong) {
  if (flat.rows < kPhotoBlockPx || flat.cols < kPhotoBlockPx) return LooksPhotographed(flat, strong) ? 100.0 : 0.0;
  int blocks = 0, photo = 0;
  for (int y = 0; y + kPhotoBlockPx <= flat.rows; y += kPhotoBlockPx) {
    for (int x = 0; x + kPhotoBlockPx <= flat.cols; x += kPhotoBlockPx, ++blocks) {
      const cv::Rect block(x, y, kPhotoBlockPx, kPhotoBlockPx);
      photo += LooksPhotographed(flat(block), strong(block));
    }
  }
  return 100.0 * photo / blocks;
}

ContentKind Classify(const ContentResult& r) {
  const double flat = *r.flat_pct, hard = r.hard_edge_pct.value_or(100.0);  // no strong edge: nothing soft either
  if (flat < kPhotoBelowFlatPct || hard < kPhotoBelowHardEdgePct) return ContentKind::kPhoto;
  if (flat >= kSyntheticFlatPct && hard >= kSyntheticHardEdgePct && *r.photo_pct < kSyntheticBelowPhotoPct)
    return ContentKind::kSynthetic;
  return ContentKind::kMixed;
}

}  // namespace

const char* ContentKindName(ContentKind kind) {
  switch (kind) {
    case ContentKind::kPhoto: return "photo";
    case ContentKind::kSynthetic: return "synthetic";
    case ContentKind::kMixed: return "mixed";
  }
  return "photo";
}

cv::Mat ExactlyFlatMask(const cv::Mat& pixels) {
  const cv::Mat kernel = cv::Mat::ones(3, 3, CV_8U);
  std::vector<cv::Mat> planes;
  cv::split(pixels, planes);
  cv::Mat flat;
  for (const cv::Mat& plane : planes) {
    cv::Mat lo, hi;
    cv::erode(plane, lo, kernel, cv::Point(-1, -1), 1, cv::BORDER_REPLICATE);
    cv::dilate(plane, hi, kernel, cv::Point(-1, -1), 1, cv::BORDER_REPLICATE);
    const cv::Mat same = lo == hi;
    flat = flat.empty() ? same : cv::Mat(flat & same);
  }
  return flat;
}

ContentMeasurement MeasureContent(const cv::Mat& pixels, const ContentOptions& options) {
  ContentMeasurement m;
  m.result.transparent_pct = TransparentPct(pixels);
  if (pixels.empty() || pixels.rows < kMinSidePx || pixels.cols < kMinSidePx) return m;
  const cv::Mat px8 = To8Bit(pixels, /*keep_gray=*/true);
  const cv::Mat flat = ExactlyFlatMask(px8);
  ContentResult& r = m.result;
  r.flat_pct = 100.0 * cv::countNonZero(flat) / double(flat.total());
  r.colors = DistinctColours(px8);
  const cv::Mat strong = StrongSteps(LumaF32(px8));
  const int strong_count = cv::countNonZero(strong);
  if (strong_count > 0) {
    cv::Mat near_flat;
    const int side = 2 * (kHardEdgeReachPx + std::max(0, options.coding_block_px)) + 1;
    cv::dilate(flat, near_flat, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(side, side)));
    r.hard_edge_pct = 100.0 * cv::countNonZero(strong & near_flat) / strong_count;
  }
  r.photo_pct = PhotoAreaPct(flat, strong);
  r.kind = Classify(r);
  if (options.compute_map) {
    const int block = std::max(1, options.map_block_px);
    cv::Mat share;
    flat.convertTo(share, CV_32F, 1.0 / 255.0);
    cv::resize(share, m.map, cv::Size(std::max(1, pixels.cols / block), std::max(1, pixels.rows / block)), 0, 0,
               cv::INTER_AREA);
  }
  return m;
}

}  // namespace acuity

#include "analysis/measurements/content_kind.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "analysis/measurements/clipped_plateaus.h"
#include "analysis/measurements/coded_blocks.h"
#include "analysis/measurements/drawn_fills.h"
#include "analysis/measurements/image_ops.h"
#include "analysis/measurements/overlay_strokes.h"
#include "analysis/measurements/visible_part.h"

namespace acuity {
namespace {

constexpr int kMinSidePx = 8;
constexpr int kHardEdgeReachPx = 3;       // ... hard when an exactly flat pixel lies this close
constexpr double kPhotoBelowFlatPct = 5.0;
constexpr double kSyntheticFlatPct = 30.0;
constexpr double kSyntheticHardEdgePct = 60.0;
constexpr double kPhotoBelowHardEdgePct = 20.0;
constexpr int kPhotoBlockPx = 32;               // blocks of the photo area
constexpr double kPhotoBelowStepShare = 0.15;   // ... with fewer of their pixels on strong steps
constexpr double kSyntheticBelowPhotoPct = 10.0;  // synthetic: less photo area than this
constexpr int kOverlayReachBlocks = 4;  // an overlay's blocks with strong edges but no flat pixel, this far
constexpr int kOverlayContextPx = 64;  // the fill reads at least this far around the overlay
constexpr double kOverlayFeatherPx = 6.0;  // the fill fades in over this many px inside the overlay's blocks


// Below this share of an area's shown pixels, too few are codable (outside
// the coding blocks a strong step crosses) to judge its flat share by them.
constexpr double kMinDecidablePct = 10.0;

// Pixels set in both masks (or all three; same-sized CV_8U), without a
// further image-sized mask.
double CountBoth(const cv::Mat& a, const cv::Mat& b, const cv::Mat& c = cv::Mat()) {
  int64_t n = 0;
  for (int y = 0; y < a.rows; ++y) {
    const uchar *p = a.ptr<uchar>(y), *q = b.ptr<uchar>(y), *r = c.empty() ? nullptr : c.ptr<uchar>(y);
    for (int x = 0; x < a.cols; ++x) n += (p[x] & q[x] & (r ? r[x] : 255)) != 0;
  }
  return double(n);
}

// The share of `flat` (CV_8U) among `shown` pixels, or among the `codable`
// ones (CV_8U, empty: lossless) where there are enough of them, 0–1.
double FlatShare(const cv::Mat& flat, const cv::Mat& codable, double shown) {
  const double n = codable.empty() ? 0.0 : double(cv::countNonZero(codable));
  if (n < kMinDecidablePct / 100.0 * shown) return shown > 0 ? cv::countNonZero(flat) / shown : 0.0;
  return CountBoth(flat, codable) / n;
}

// Whether `flat` and `strong` (same-sized CV_8U masks of one area, of which
// `shown` pixels show) look photographed: under kPhotoBelowFlatPct of the
// pixels exactly flat (of the codable ones, in lossy-coded pixels:
// FlatShare), under kPhotoBelowStepShare on strong steps, and, where
// `texture` is given (CV_8U, same size: the pixels of coded blocks of
// texture, coded_blocks.h), some of it.
bool LooksPhotographed(const cv::Mat& flat, const cv::Mat& strong, const cv::Mat& codable, const cv::Mat& texture,
                       double shown) {
  return FlatShare(flat, codable, shown) < kPhotoBelowFlatPct / 100.0 &&
         cv::countNonZero(strong) < kPhotoBelowStepShare * shown && (texture.empty() || cv::countNonZero(texture) > 0);
}

// Share of the kPhotoBlockPx blocks that look photographed, %, among those
// mostly shown (`hidden`: CV_8U, empty when nothing is hidden). `texture`:
// as LooksPhotographed's, or empty.
double PhotoAreaPct(const cv::Mat& flat, const cv::Mat& strong, const cv::Mat& hidden, const cv::Mat& codable,
                    const cv::Mat& texture = cv::Mat()) {
  auto part = [](const cv::Mat& m, const cv::Rect& r) { return m.empty() ? cv::Mat() : m(r); };
  auto shown = [&](const cv::Rect& r) {
    return double(r.area()) - (hidden.empty() ? 0.0 : double(cv::countNonZero(hidden(r))));
  };
  const cv::Rect whole(0, 0, flat.cols, flat.rows);
  if (flat.rows < kPhotoBlockPx || flat.cols < kPhotoBlockPx)
    return LooksPhotographed(flat, strong, codable, texture, shown(whole)) ? 100.0 : 0.0;
  int blocks = 0, photo = 0;
  for (int y = 0; y + kPhotoBlockPx <= flat.rows; y += kPhotoBlockPx) {
    for (int x = 0; x + kPhotoBlockPx <= flat.cols; x += kPhotoBlockPx) {
      const cv::Rect block(x, y, kPhotoBlockPx, kPhotoBlockPx);
      const double n = shown(block);
      if (n < 0.5 * block.area()) continue;
      ++blocks;
      photo += LooksPhotographed(flat(block), strong(block), part(codable, block), part(texture, block), n);
    }
  }
  if (blocks == 0) return LooksPhotographed(flat, strong, codable, texture, shown(whole)) ? 100.0 : 0.0;
  return 100.0 * photo / blocks;
}

// Per kOverlayBlockPx block: its pixels that are exactly flat (clipped
// highlights too: `flat`), on strong steps, and on strong steps with a fill's
// flat pixel within kHardEdgeReachPx (`near_flat`).
struct BlockCounts {
  cv::Mat flat, strong, hard;  // CV_32S, one cell per block
  cv::Mat area;                // CV_32S, the block's pixels (smaller at the right and bottom)
};

BlockCounts CountBlocks(const cv::Mat& flat, const cv::Mat& strong, const cv::Mat& near_flat) {
  const int b = kOverlayBlockPx;
  const cv::Size grid((flat.cols + b - 1) / b, (flat.rows + b - 1) / b);
  BlockCounts n{cv::Mat::zeros(grid, CV_32S), cv::Mat::zeros(grid, CV_32S), cv::Mat::zeros(grid, CV_32S),
                cv::Mat::zeros(grid, CV_32S)};
  for (int y = 0; y < flat.rows; ++y) {
    const uchar *f = flat.ptr<uchar>(y), *s = strong.ptr<uchar>(y), *h = near_flat.ptr<uchar>(y);
    int *nf = n.flat.ptr<int>(y / b), *ns = n.strong.ptr<int>(y / b), *nh = n.hard.ptr<int>(y / b),
        *na = n.area.ptr<int>(y / b);
    for (int x = 0; x < flat.cols; ++x) {
      const int cell = x / b;
      nf[cell] += f[x] != 0;
      ns[cell] += s[x] != 0;
      nh[cell] += (s[x] & h[x]) != 0;
      ++na[cell];
    }
  }
  return n;
}

// The overlay blocks (CV_8U, 255) of ContentResult::overlay_blocks, from
// the block counts; empty when none (or over kMaxOverlayPct of the picture).
cv::Mat OverlayBlocks(const BlockCounts& n, double* overlay_pct) {
  *overlay_pct = 0.0;
  const cv::Mat canvas = n.flat >= 0.9 * n.area;  // (CV_32S compares to CV_8U 255/0)
  const cv::Mat drawn = (n.hard >= kOverlayMinHardPx) & (2 * n.hard >= n.strong);
  if (cv::countNonZero(drawn) == 0) return cv::Mat();
  // Flat canvases: the blocks of flat areas of at least kCanvasMinPct of the
  // picture's blocks, and the blocks beside them.
  cv::Mat labels, stats, centroids;
  const int count = cv::connectedComponentsWithStats(canvas, labels, stats, centroids, 8, CV_32S);
  cv::Mat beside_canvas = cv::Mat::zeros(canvas.size(), CV_8U);
  const double min_blocks = kCanvasMinPct / 100.0 * double(canvas.total());
  for (int k = 1; k < count; ++k)
    if (stats.at<int>(k, cv::CC_STAT_AREA) >= min_blocks) beside_canvas.setTo(255, labels == k);
  cv::dilate(beside_canvas, beside_canvas, cv::Mat::ones(3, 3, CV_8U));
  const cv::Mat seeds = drawn & ~beside_canvas;
  if (cv::countNonZero(seeds) == 0) return cv::Mat();
  // The rest of the overlay: the blocks with strong edges joined to a drawn
  // one through at most kOverlayReachBlocks others (thin glyphs, a ring,
  // keep no flat pixel: the rest of a line of text), then one block more
  // around all of them.
  const cv::Mat edged = (n.strong >= kOverlayMinHardPx) & ~beside_canvas;
  cv::Mat blocks = seeds.clone();
  for (int step = 0; step < kOverlayReachBlocks; ++step) {
    cv::Mat grown;
    cv::dilate(blocks, grown, cv::Mat::ones(3, 3, CV_8U));
    blocks |= grown & edged;
  }
  cv::dilate(blocks, blocks, cv::Mat::ones(3, 3, CV_8U));
  cv::Mat covered_area;
  n.area.copyTo(covered_area, blocks);
  const double covered = cv::sum(covered_area)[0], total = cv::sum(n.area)[0];
  const double pct = 100.0 * covered / total;
  if (pct > kMaxOverlayPct) return cv::Mat();
  *overlay_pct = pct;
  return blocks;
}

// The shares the kind is judged by in pixels of a lossy coding (`codable`:
// CodableMask), where the coding blocks a strong step crosses ring whatever
// was drawn: the share of the codable pixels in drawn fills (`flat`:
// FlatAcrossBlocks), and the hard share of the strong steps with a codable
// pixel within reach (`side`: the reach's square) — of them, those with a
// drawn fill's pixel in reach. A JPEG screenshot dense with text kept 22–29 % of its pixels flat and 29 % of
// its steps hard, under the synthetic limits, where its background between
// the lines was flat throughout and its glyphs beside it hard. Each share
// stays the plain one where under kMinDecidablePct is left to judge by.
struct CodedShares {
  double flat_pct = 0;
  std::optional<double> hard_edge_pct;
};
CodedShares SharesWhereCodable(const cv::Mat& flat, const cv::Mat& strong, const cv::Mat& codable, int side,
                               const ContentResult& plain, double shown) {
  CodedShares out{100.0 * FlatShare(flat, codable, shown), plain.hard_edge_pct};
  if (!plain.hard_edge_pct) return out;
  const cv::Mat square = cv::getStructuringElement(cv::MORPH_RECT, cv::Size(side, side));
  cv::Mat near_codable, near_flat;
  cv::dilate(codable, near_codable, square);
  cv::dilate(flat, near_flat, square);
  const double decidable = CountBoth(strong, near_codable);
  if (decidable >= kMinDecidablePct / 100.0 * cv::countNonZero(strong))
    out.hard_edge_pct = 100.0 * CountBoth(strong, near_codable, near_flat) / decidable;
  return out;
}

// `flat` (ExactlyFlatMask of `px8`) where it runs on across a boundary of
// the `block_px` coding blocks: the flat pixels of the blocks that have a
// flat pixel on their edge whose neighbour across it is flat and of the same
// colour. A drawn fill runs on over blocks, where a photo's smooth area,
// coded by each block's mean alone, is a mosaic of flat blocks that differ
// (a brick wall at JPEG q50 kept 27 % of its pixels flat so).
cv::Mat FlatAcrossBlocks(const cv::Mat& px8, const cv::Mat& flat, const BlockGrid& grid) {
  const size_t pixel_bytes = px8.elemSize();
  cv::Mat joined = cv::Mat::zeros(grid.rows, grid.cols, CV_8U);
  auto same = [&](int y0, int x0, int y1, int x1) {
    return flat.at<uchar>(y0, x0) && flat.at<uchar>(y1, x1) &&
           std::memcmp(px8.ptr(y0, x0), px8.ptr(y1, x1), pixel_bytes) == 0;
  };
  auto join = [&](int y0, int x0, int y1, int x1) {
    joined.at<uchar>(grid.Row(y0), grid.Col(x0)) = joined.at<uchar>(grid.Row(y1), grid.Col(x1)) = 255;
  };
  for (int x = grid.FirstBoundaryX(); x < px8.cols; x += grid.px)
    for (int y = 0; y < px8.rows; ++y)  // vertical boundaries: x − 1 | x
      if (same(y, x - 1, y, x)) join(y, x - 1, y, x);
  for (int y = grid.FirstBoundaryY(); y < px8.rows; y += grid.px)
    for (int x = 0; x < px8.cols; ++x)  // horizontal boundaries: y − 1 | y
      if (same(y - 1, x, y, x)) join(y - 1, x, y, x);
  return flat & BlocksToPixels(joined, grid, flat.size());  // the flat pixels of joined blocks only
}

// CV_8U: 255 on the shown pixels outside the coding blocks of `grid` that
// a strong step crosses.
cv::Mat CodableMask(const cv::Mat& strong, const cv::Mat& hidden, const BlockGrid& grid) {
  cv::Mat codable = ~RingingBlockMask(strong, grid);
  if (!hidden.empty()) codable.setTo(0, hidden);
  return codable;
}

// r's flat share without clipped highlights (no drawn fill:
// clipped_plateaus.h), and its hard share (no strong edge: nothing soft
// either), %.
double UnclippedFlatPct(const ContentResult& r) { return std::max(0.0, *r.flat_pct - r.clipped_pct.value_or(0.0)); }
double HardEdgePct(const ContentResult& r) { return r.hard_edge_pct.value_or(100.0); }

// Whether r's plain shares (every flat pixel) say photo: under
// kPhotoBelowFlatPct of its pixels flat, or under kPhotoBelowHardEdgePct of
// its strong edges hard.
bool PlainSharesSayPhoto(const ContentResult& r) {
  return UnclippedFlatPct(r) < kPhotoBelowFlatPct || HardEdgePct(r) < kPhotoBelowHardEdgePct;
}

// The kind from r's shares. In lossy-coded pixels, `coded` (the flat pixels
// that run across its blocks: SharesWhereCodable of FlatAcrossBlocks) for
// the synthetic limits, and `fills` (of drawn_fills.h's fills; only read on
// a picture that looks photographed in places, photo_pct at least
// kSyntheticBelowPhotoPct) for the photo limits too: a JPEG codes a photo's
// smooth areas (a sky, a wall, a soft background) as flat patches beside
// its own edges, which read as fills with hard edges by the plain shares
// (datasets/content_kind_jpeg.sh: 23 of 100 photo JPEGs and 32 of 102
// blurred by 0.6–1 px read "mixed"; 3 and 2 with this; 4 and 2, and no
// photo "synthetic" (6 before), since photo_pct reads the fills and the
// coded texture: coded_blocks.h). On a picture with
// no photographed area, a gradation was drawn (a slide's gradient).
ContentKind Classify(const ContentResult& r, const std::optional<CodedShares>& coded,
                     const std::optional<CodedShares>& fills) {
  if (PlainSharesSayPhoto(r)) return ContentKind::kPhoto;
  // (The hard share only where the fills are no more than a photo's
  // clipped or smooth parts: a product padded on a white canvas, whose own
  // strong edges outnumber its outline's, stays mixed.)
  if (fills && (fills->flat_pct < kPhotoBelowFlatPct ||
                (fills->flat_pct < kSyntheticFlatPct &&
                 fills->hard_edge_pct.value_or(100.0) < kPhotoBelowHardEdgePct)))
    return ContentKind::kPhoto;
  const double judged_flat = coded ? coded->flat_pct : UnclippedFlatPct(r);
  const double judged_hard = coded ? coded->hard_edge_pct.value_or(100.0) : HardEdgePct(r);
  if (judged_flat >= kSyntheticFlatPct && judged_hard >= kSyntheticHardEdgePct &&
      *r.photo_pct < kSyntheticBelowPhotoPct)
    return ContentKind::kSynthetic;
  return ContentKind::kMixed;
}

}  // namespace

// Each row from the luma of its own
// and its neighbour rows, computed as it goes (no image-sized luma: on 12 MP
// that buffer's allocation and pass took a third of the content kind's time).
cv::Mat StrongStepMask(const cv::Mat& px8) {
  cv::Mat strong(px8.size(), CV_8U);
  const int rows = px8.rows, cols = px8.cols;
  cv::parallel_for_(cv::Range(0, rows), [&](const cv::Range& range) {
    const size_t n = static_cast<size_t>(cols);
    std::vector<float> above(n), here(n), below(n);
    for (int r = range.start; r < range.end; ++r) {
      if (r == range.start && r > 0) LumaRowF32(px8, r - 1, above.data());
      if (r == range.start) LumaRowF32(px8, r, here.data());
      if (r + 1 < rows) LumaRowF32(px8, r + 1, below.data());
      uchar* s = strong.ptr<uchar>(r);
      for (int c = 0; c < cols; ++c) {
        const float y = here[size_t(c)];
        const bool step = (c + 1 < cols && std::abs(here[size_t(c) + 1] - y) >= kStrongStep8bit) ||
                          (c > 0 && std::abs(y - here[size_t(c) - 1]) >= kStrongStep8bit) ||
                          (r + 1 < rows && std::abs(below[size_t(c)] - y) >= kStrongStep8bit) ||
                          (r > 0 && std::abs(y - above[size_t(c)]) >= kStrongStep8bit);
        s[c] = step ? 255 : 0;
      }
      std::swap(above, here);
      std::swap(here, below);
    }
  });
  return strong;
}

const char* ContentKindName(ContentKind kind) {
  switch (kind) {
    case ContentKind::kPhoto: return "photo";
    case ContentKind::kSynthetic: return "synthetic";
    case ContentKind::kMixed: return "mixed";
  }
  return "photo";
}

namespace {

// One pass per row, no copies: a 3×3 neighbourhood holds one value when each
// of its three rows does (its pixel equals both row neighbours) and the
// three centres are equal. `N`: bytes per pixel (all channels), so that the
// comparison unrolls. Borders replicated.
template <size_t N>
cv::Mat FlatMaskOf(const cv::Mat& pixels) {
  const int rows = pixels.rows, cols = pixels.cols;
  auto same = [](const uchar* a, const uchar* b) {
    bool equal = true;
    for (size_t k = 0; k < N; ++k) equal &= a[k] == b[k];  // unrolled, no call
    return equal;
  };
  // Each pixel equal to its left and right neighbours (within the row).
  cv::Mat row_flat(rows, cols, CV_8U);
  cv::parallel_for_(cv::Range(0, rows), [&](const cv::Range& range) {
    for (int y = range.start; y < range.end; ++y) {
      const uchar* p = pixels.ptr<uchar>(y);
      uchar* out = row_flat.ptr<uchar>(y);
      for (int x = 0; x < cols; ++x) {
        const uchar* left = p + N * size_t(std::max(0, x - 1));
        const uchar* right = p + N * size_t(std::min(cols - 1, x + 1));
        const uchar* here = p + N * size_t(x);
        out[x] = same(left, here) && same(here, right);
      }
    }
  });
  cv::Mat flat(rows, cols, CV_8U);
  cv::parallel_for_(cv::Range(0, rows), [&](const cv::Range& range) {
    for (int y = range.start; y < range.end; ++y) {
      const int up = std::max(0, y - 1), down = std::min(rows - 1, y + 1);
      const uchar *p = pixels.ptr<uchar>(y), *pu = pixels.ptr<uchar>(up), *pd = pixels.ptr<uchar>(down);
      const uchar *r = row_flat.ptr<uchar>(y), *ru = row_flat.ptr<uchar>(up), *rd = row_flat.ptr<uchar>(down);
      uchar* out = flat.ptr<uchar>(y);
      for (int x = 0; x < cols; ++x) {
        const size_t at = N * size_t(x);
        out[x] = r[x] && ru[x] && rd[x] && same(pu + at, p + at) && same(p + at, pd + at) ? 255 : 0;
      }
    }
  });
  return flat;
}

}  // namespace

cv::Mat ExactlyFlatMask(const cv::Mat& pixels) {
  if (pixels.empty()) return cv::Mat();
  switch (pixels.elemSize()) {
    case 1: return FlatMaskOf<1>(pixels);
    case 2: return FlatMaskOf<2>(pixels);
    case 3: return FlatMaskOf<3>(pixels);
    case 4: return FlatMaskOf<4>(pixels);
    case 6: return FlatMaskOf<6>(pixels);
    case 8: return FlatMaskOf<8>(pixels);
    default: break;  // wider pixels (e.g. 3-channel float): per plane
  }
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

namespace {

// Blends `filled` (the fill under `mask`) back towards `pixels` inside the
// mask's first kOverlayFeatherPx: weight = distance from the mask's
// outline / kOverlayFeatherPx, at most 1 (the fill). Colour channels only.
template <typename T>
void FeatherFill(const cv::Mat& pixels, const cv::Mat& mask, cv::Mat& filled) {
  const int pad = int(std::ceil(kOverlayFeatherPx)) + 1;
  cv::Rect box = cv::boundingRect(mask);
  box = cv::Rect(box.x - pad, box.y - pad, box.width + 2 * pad, box.height + 2 * pad) &
        cv::Rect(0, 0, pixels.cols, pixels.rows);
  cv::Mat inside;  // CV_32F over `box`: px from the nearest pixel outside the mask
  cv::distanceTransform(mask(box), inside, cv::DIST_L2, 3);
  const int channels = pixels.channels(), colours = std::min(channels, 3);
  for (int y = 0; y < box.height; ++y) {
    const float* d = inside.ptr<float>(y);
    const T* p = pixels.ptr<T>(box.y + y) + size_t(box.x) * size_t(channels);
    T* f = filled.ptr<T>(box.y + y) + size_t(box.x) * size_t(channels);
    for (int x = 0; x < box.width; ++x) {
      if (d[x] <= 0 || d[x] >= kOverlayFeatherPx) continue;  // outside (as it was), or the fill itself
      const double w = d[x] / kOverlayFeatherPx;
      for (int c = 0; c < colours; ++c) {
        const size_t at = size_t(x) * size_t(channels) + size_t(c);
        f[at] = cv::saturate_cast<T>(p[at] + w * (double(f[at]) - p[at]));
      }
    }
  }
}

}  // namespace

cv::Mat WithoutOverlays(const cv::Mat& pixels, const ContentResult& content) {
  if (content.overlay_blocks.empty() || content.kind == ContentKind::kSynthetic) return pixels;
  cv::Mat mask;
  cv::resize(content.overlay_blocks, mask, content.overlay_blocks.size() * kOverlayBlockPx, 0, 0, cv::INTER_NEAREST);
  mask = mask(cv::Rect(0, 0, pixels.cols, pixels.rows));
  if (cv::countNonZero(mask) == 0) return pixels;
  // Filled within the overlay's box grown by its own size on each side (at
  // least kOverlayContextPx): the fill reads the photo around it, and a
  // corner's watermark on a 12 MP photo costs a copy of the photo and a
  // fill of the corner, not a fill of the whole frame.
  const cv::Rect box = cv::boundingRect(mask);
  const int grow_x = std::max(box.width, kOverlayContextPx), grow_y = std::max(box.height, kOverlayContextPx);
  const cv::Rect area = cv::Rect(box.x - grow_x, box.y - grow_y, box.width + 2 * grow_x, box.height + 2 * grow_y) &
                        cv::Rect(0, 0, pixels.cols, pixels.rows);
  cv::Mat filled = pixels.clone();
  FillSmoothlyWhere(pixels(area), mask(area)).copyTo(filled(area));
  // Faded in from the mask's outline: the photo's own texture does not end
  // in a straight step there (which the blur would read as a crisp edge).
  if (pixels.depth() == CV_16U) FeatherFill<uint16_t>(pixels, mask, filled);
  else FeatherFill<uint8_t>(pixels, mask, filled);
  return filled;
}

ContentMeasurement MeasureContent(const cv::Mat& pixels, const ContentOptions& options) {
  ContentMeasurement m;
  m.result.transparent_pct = TransparentPct(pixels);
  if (pixels.empty() || pixels.rows < kMinSidePx || pixels.cols < kMinSidePx) return m;
  // Only what shows is read (visible_part.h): a hidden pixel is neither flat
  // nor a colour of the picture, and the step from a shown pixel to one
  // beside it that is hidden is the cut-out's outline, not an edge in it.
  const cv::Mat hidden = HiddenMask(pixels);
  const double shown = double(pixels.total()) - (hidden.empty() ? 0.0 : double(cv::countNonZero(hidden)));
  if (shown < 1) return m;
  const cv::Mat px8 = To8Bit(pixels, /*keep_gray=*/true);
  cv::Mat flat = ExactlyFlatMask(px8);
  cv::Mat strong = StrongStepMask(px8);
  if (!hidden.empty()) {
    cv::Mat outline;
    cv::dilate(hidden, outline, cv::Mat::ones(3, 3, CV_8U));
    flat.setTo(0, hidden);
    strong.setTo(0, outline);
  }
  ContentResult& r = m.result;
  r.flat_pct = 100.0 * cv::countNonZero(flat) / shown;
  // The flat pixels a drawing could have left (`fill`): not those of a
  // photo's clipped highlights and shadows (clipped_plateaus.h), in
  // lossless pixels — a lossy coding rings beside every drawn edge, and a
  // JPEG screenshot's white page then ramped on towards white as a sky
  // does. They still make a canvas for the overlay search: a blown-out
  // sky's outline, as a backdrop's, is not drawn on the photo.
  cv::Mat fill = flat;
  if (options.lossless && options.coding_block_px == 0) {
    const cv::Mat clipped = ClippedPlateauMask(px8, flat, hidden);
    r.clipped_pct = clipped.empty() ? 0.0 : 100.0 * cv::countNonZero(clipped) / shown;
    if (!clipped.empty()) fill = flat & ~clipped;
  }
  r.colors = DistinctColours(px8, hidden);
  const int strong_count = cv::countNonZero(strong);
  // Within reach of a fill's flat pixel (kHardEdgeReachPx, in a JPEG one coding
  // block farther): a strong step there is hard — and, in lossless pixels
  // (the only ones searched for overlays), the drawn edge of an overlay.
  cv::Mat near_flat;
  if (strong_count > 0) {
    const int side = 2 * (kHardEdgeReachPx + std::max(0, options.coding_block_px)) + 1;
    cv::dilate(fill, near_flat, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(side, side)));
    int64_t hard = 0;  // strong steps with a flat pixel in reach (no third image-sized mask)
    for (int y = 0; y < strong.rows; ++y) {
      const uchar *s = strong.ptr<uchar>(y), *f = near_flat.ptr<uchar>(y);
      for (int x = 0; x < strong.cols; ++x) hard += (s[x] & f[x]) != 0;
    }
    r.hard_edge_pct = 100.0 * double(hard) / strong_count;
  }
  cv::Mat luma8;  // made when needed, once (px8 is gray or BGR: To8Bit drops alpha)
  auto luma = [&]() -> const cv::Mat& {
    if (luma8.empty()) {
      if (px8.channels() == 1) luma8 = px8;
      else cv::cvtColor(px8, luma8, cv::COLOR_BGR2GRAY);
    }
    return luma8;
  };
  // In lossy-coded pixels, flat shares are judged where the coding could
  // leave a flat pixel (CodableMask; SharesWhereCodable), on the flat pixels
  // that run across its blocks (FlatAcrossBlocks), and the photo limits
  // also on the fills among them (Classify).
  cv::Mat codable, joined_flat = fill;
  std::optional<CodedShares> coded, fills;
  if (options.coding_block_px > 0) {
    const BlockGrid grid(px8.size(), options.coding_block_px, options.coding_grid_origin_px);
    codable = CodableMask(strong, hidden, grid);
    joined_flat = FlatAcrossBlocks(px8, fill, grid);
    const int side = 2 * (kHardEdgeReachPx + options.coding_block_px) + 1;
    coded = SharesWhereCodable(joined_flat, strong, codable, side, r, shown);
    if (PlainSharesSayPhoto(r)) {
      r.photo_pct = PhotoAreaPct(joined_flat, strong, hidden, codable);
    } else {
      // The fills alone, and the blocks of coded texture: where a photo's
      // blocks were coded by their means, its flat areas run on into the
      // texture around them or step as a gradation; a drawn gradient's
      // blocks hold no texture.
      const CodedBlocks blocks = ReadCodedBlocks(luma(), codable, grid);
      const cv::Mat drawn = DrawnFillMask(luma(), joined_flat, codable, &blocks);
      r.photo_pct = PhotoAreaPct(drawn, strong, hidden, codable, BlocksToPixels(blocks.texture, grid, px8.size()));
      if (*r.photo_pct >= kSyntheticBelowPhotoPct) fills = SharesWhereCodable(drawn, strong, codable, side, r, shown);
    }
  } else {
    r.photo_pct = PhotoAreaPct(joined_flat, strong, hidden, codable);
  }
  r.kind = Classify(r, coded, fills);
  // Overlays: in lossless pixels by their flat fills; in lossy-coded ones by
  // their crisp strokes on a soft photo (overlay_strokes.h) — a JPEG keeps a
  // glyph's flat fill only where it clips, and codes a smooth area's blocks
  // by their mean alone, flat beside a photo's own edges (a test: 11 of 48
  // clean JPEGs read 2–19 % overlay by flat fills).
  if (*r.kind != ContentKind::kSynthetic && options.find_overlays) {
    double pct = 0.0;
    if (options.lossless && options.coding_block_px == 0) {
      if (strong_count > 0) r.overlay_blocks = OverlayBlocks(CountBlocks(flat, strong, near_flat), &pct);
    } else if (strong_count > 0) {
      r.overlay_blocks = LossyOverlayBlocks(luma(), hidden, &pct);
    }
    r.overlay_pct = pct;
  }
  if (options.compute_map) {
    const int block = std::max(1, options.map_block_px);
    cv::Mat share;
    fill.convertTo(share, CV_32F, 1.0 / 255.0);
    cv::resize(share, m.map, cv::Size(std::max(1, pixels.cols / block), std::max(1, pixels.rows / block)), 0, 0,
               cv::INTER_AREA);
  }
  return m;
}

}  // namespace acuity

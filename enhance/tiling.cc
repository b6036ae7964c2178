#include "enhance/tiling.h"

#include <algorithm>
#include <utility>

namespace acuity {
namespace {

// Splits [0, length) into `count` nearly equal consecutive spans.
std::vector<std::pair<int, int>> Spans(int length, int max_span) {
  const int count = max_span <= 0 ? 1 : std::max(1, (length + max_span - 1) / max_span);
  std::vector<std::pair<int, int>> spans;
  spans.reserve(count);
  for (int i = 0; i < count; ++i) {
    const int begin = static_cast<int>(static_cast<long long>(length) * i / count);
    const int end = static_cast<int>(static_cast<long long>(length) * (i + 1) / count);
    spans.emplace_back(begin, end - begin);
  }
  return spans;
}

// Measured (models/RESULTS.md, "Tile overlap"): esrgan-thick, whose nominal
// receptive radius is 154 px, is within 0.1/255 of the untiled output at an
// 8-px margin and at float rounding (0.004/255) from 12 px on; 16 px keeps a
// 2× safety factor over the 8 px that already meet the 1/255 requirement.
constexpr int kMaxOverlapPx = 16;
// For a model whose receptive radius is unknown (a user's .pt, e.g. a
// 23-block Real-ESRGAN): twice the cap, as nothing was measured for it.
constexpr int kUnknownOverlapPx = 32;

}  // namespace

std::vector<Tile> LayoutTiles(cv::Size image, int tile_px, int overlap_px) {
  return LayoutTilesIn(cv::Rect(cv::Point(0, 0), image), image, tile_px, overlap_px);
}

std::vector<Tile> LayoutTilesIn(cv::Rect region, cv::Size image, int tile_px, int overlap_px) {
  std::vector<Tile> tiles;
  const cv::Rect bounds(0, 0, image.width, image.height);
  region &= bounds;
  if (region.width <= 0 || region.height <= 0) return tiles;
  const int margin = std::max(0, overlap_px);
  for (const auto& [dy, h] : Spans(region.height, tile_px)) {
    for (const auto& [dx, w] : Spans(region.width, tile_px)) {
      const int x = region.x + dx, y = region.y + dy;
      Tile t;
      t.core = cv::Rect(x, y, w, h);
      t.padded = cv::Rect(x - margin, y - margin, w + 2 * margin, h + 2 * margin) & bounds;
      tiles.push_back(t);
    }
  }
  return tiles;
}

cv::Rect CoreInTileOutput(const Tile& tile, int scale) {
  return cv::Rect((tile.core.x - tile.padded.x) * scale, (tile.core.y - tile.padded.y) * scale,
                  tile.core.width * scale, tile.core.height * scale);
}

cv::Rect CoreInOutput(const Tile& tile, int scale) {
  return cv::Rect(tile.core.x * scale, tile.core.y * scale, tile.core.width * scale,
                  tile.core.height * scale);
}

int OverlapForReceptiveRadius(int receptive_radius_px) {
  if (receptive_radius_px < 0) return kUnknownOverlapPx;
  return std::min(receptive_radius_px, kMaxOverlapPx);
}

}  // namespace acuity

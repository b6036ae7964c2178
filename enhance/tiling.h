// Tile layout for running a convolutional upscaler on an image of any size
// with bounded memory. The image is cut into a grid of non-overlapping
// "core" rectangles of nearly equal size; each is run with a margin of
// `overlap_px` context pixels on every side (clipped at the image border:
// tiled_pass.h reads the image framed by that many mirrored pixels, so that
// the margin exists there too), and only the core's part of the tile's
// output is kept. With a margin at
// least as large as the model's effective receptive radius the assembled
// output equals the untiled one (within float rounding); enhance's tests and
// models/RESULTS.md measure how much margin each model needs.
//
//   for (const acuity::Tile& t : acuity::LayoutTiles(image.size(), 256, 16)) {
//     cv::Mat out = Model(image(t.padded));                       // scale× larger
//     out(acuity::CoreInTileOutput(t, scale)).copyTo(result(acuity::CoreInOutput(t, scale)));
//   }
#ifndef ACUITY_ENHANCE_TILING_H_
#define ACUITY_ENHANCE_TILING_H_

#include <vector>

#include <opencv2/core.hpp>

namespace acuity {

struct Tile {
  cv::Rect core;    // input px: the part of the image this tile produces
  cv::Rect padded;  // input px: core plus the context margin, inside the image
};

// Row-major grid of tiles covering `image` exactly once with their cores.
// Cores are at most tile_px on a side (tile_px ≤ 0 = one tile); padded rects
// extend them by overlap_px (≥ 0) on each side, clipped to the image.
std::vector<Tile> LayoutTiles(cv::Size image, int tile_px, int overlap_px);

// The same grid laid over `region` of an image of `image` px: the cores
// cover the region exactly once; padded rects stay inside the image (their
// context may lie outside the region).
std::vector<Tile> LayoutTilesIn(cv::Rect region, cv::Size image, int tile_px, int overlap_px);

// Where the core lies inside the output of the padded tile (output px).
cv::Rect CoreInTileOutput(const Tile& tile, int scale);

// Where the core lies in the full output image (output px).
cv::Rect CoreInOutput(const Tile& tile, int scale);

// Context margin (input px) for a model of the given receptive radius
// (-1 = unknown): the whole radius for small ones, capped for the deep
// RRDN (154 px) where the measured error has vanished long before
// (models/RESULTS.md, "Tile overlap").
int OverlapForReceptiveRadius(int receptive_radius_px);

}  // namespace acuity

#endif  // ACUITY_ENHANCE_TILING_H_

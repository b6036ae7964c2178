// Pixel blocks: a picture made wholly of k×k squares of one colour — pixel
// art (or any picture) enlarged k× by repeating pixels (nearest neighbour),
// as a sprite sheet or an emoji is published. Its true picture is 1/k the
// size, and repeating its pixels again is its exact enlargement: an
// upscaling network would round its squares, a sharpen ring them.
//
//   if (std::optional<int> k = acuity::PixelBlockSide(image.pixels)) Say(*k);  // 4: 4×4 squares
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_PIXEL_BLOCKS_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_PIXEL_BLOCKS_H_

#include <optional>

#include <opencv2/core.hpp>

namespace acuity {

// The side k, px (2–64), of the squares `pixels` is made of: every column
// (row) equals its neighbour, in every channel and row (column), except at
// boundaries a multiple of k apart (a flat band of the art spans several
// squares; at least 4 runs between boundaries, half of them k exactly; the
// first and last may be cut, as in a crop of such a picture), and rows and
// columns share that k. Empty for anything else — a photo, a picture drawn
// at its own size, squares of uneven sides (an enlargement by a fraction),
// a JPEG of such a picture (its decode differs inside the squares).
std::optional<int> PixelBlockSide(const cv::Mat& pixels);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_PIXEL_BLOCKS_H_

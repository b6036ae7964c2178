// The transform blocks of lossy-coded pixels (a JPEG's 8×8 blocks) and which
// of them hold a photo's texture. A JPEG of a photo at a low quality codes
// most of its blocks by their means alone: a wall, a sky or the moon's face
// comes out as a mosaic of flat blocks among blocks that kept some texture,
// which the flat shares of content_kind.h read as a drawing's fills. A
// drawing's blocks, where no strong edge crosses them, are flat or ramps (a
// gradient); a block that is neither, in luma, holds detail that was
// photographed (or drawn softly: a faint line, an anti-aliased glyph, which
// sit beside the drawing's own fills).
//
//   const acuity::BlockGrid grid(luma8.size(), 8, cv::Point(0, 0));
//   const acuity::CodedBlocks blocks = acuity::ReadCodedBlocks(luma8, codable, grid);
//   bool textured = blocks.texture.at<uchar>(grid.Row(y), grid.Col(x)) != 0;
//
// Tuned on datasets/content_kind_jpeg.sh; held out:
// datasets/content_kind_heldout.py (datasets/RESULTS.md, "Content kind").
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_CODED_BLOCKS_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_CODED_BLOCKS_H_

#include <opencv2/core.hpp>

namespace acuity {

// A lossy coding's blocks over a picture: `block_px` wide, starting at
// `origin` (content_kind.h ContentOptions::coding_grid_origin_px; a partial
// first block before it), and which block a pixel's column or row falls in.
struct BlockGrid {
  BlockGrid(cv::Size size, int block_px, cv::Point origin)
      : px(block_px), shift_x(block_px - origin.x), shift_y(block_px - origin.y),
        cols((size.width + shift_x + block_px - 1) / block_px),
        rows((size.height + shift_y + block_px - 1) / block_px) {}
  int Col(int x) const { return (x + shift_x) / px; }
  int Row(int y) const { return (y + shift_y) / px; }
  // Where the second column (row) of blocks starts: the first boundary.
  int FirstBoundaryX() const { return shift_x < px ? px - shift_x : px; }
  int FirstBoundaryY() const { return shift_y < px ? px - shift_y : px; }
  // The pixels of block (row, col), clipped to a picture of `size`.
  cv::Rect Block(int row, int col, cv::Size size) const {
    const cv::Rect r(col * px - shift_x, row * px - shift_y, px, px);
    return r & cv::Rect(0, 0, size.width, size.height);
  }
  int px, shift_x, shift_y, cols, rows;
};

// A block holds texture when the root mean square of its luma about the
// least-squares plane through it is at least this, 8-bit levels: a JPEG of
// a photo at q25–50 keeps 1–4 levels of texture in the blocks it does not
// code by their means alone; a drawn gradient's blocks are planes (under
// 0.5 level off one, its own rounding).
inline constexpr double kTextureMinResidualRms8bit = 1.0;

// Per block of a grid (grid.rows × grid.cols), of the picture's luma.
struct CodedBlocks {
  BlockGrid grid;
  // CV_8U: 255 where the block lies whole in the picture and in `codable`
  // (no strong step in it, nothing hidden) and holds texture
  // (kTextureMinResidualRms8bit).
  cv::Mat texture;
  // CV_32F: the block's mean luma, 8-bit levels (of its pixels in the
  // picture).
  cv::Mat mean_8bit;
  // CV_8U: its luma's range (maximum − minimum), 8-bit levels.
  cv::Mat range_8bit;
};

// `luma8`: CV_8U; `codable`: CV_8U of its size (255: outside the coding
// blocks a strong step crosses, and shown: content_kind.cc CodableMask).
CodedBlocks ReadCodedBlocks(const cv::Mat& luma8, const cv::Mat& codable, const BlockGrid& grid);

// CV_8U of `strong`'s size: 255 on the pixels of the coding blocks of
// `grid` that a strong step crosses (`strong`: CV_8U, nonzero on its pixels;
// content_kind.h StrongStepMask). A lossy coding rings over such a block,
// whatever was drawn or photographed there: no flat pixel is left to a
// drawing's fill, and its ripples are the coding's, not noise (noise.h
// NoiseOptions::excluded).
cv::Mat RingingBlockMask(const cv::Mat& strong, const BlockGrid& grid);

// CV_8U of `size`, 255 on the pixels of the blocks set in `per_block`
// (CV_8U, grid.rows × grid.cols).
cv::Mat BlocksToPixels(const cv::Mat& per_block, const BlockGrid& grid, cv::Size size);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_CODED_BLOCKS_H_

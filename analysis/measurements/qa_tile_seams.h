// Tile seams: the periodic grid of straight discontinuities a tiled
// upscaler leaves where its tiles meet, read on an output's luma (CV_32FC1,
// 8-bit units) against the plain enlargement of its input (qa_measures.h),
// whose own lines (a text's line pitch, a table's rules) are content.
//
//   const acuity::TileSeamMeasure seams = acuity::DetectTileSeams(out_luma, plain_luma);
//   if (seams.strength > 2) Report(seams.period_px, seams.axis);
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_QA_TILE_SEAMS_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_QA_TILE_SEAMS_H_

#include <string>

#include <opencv2/core.hpp>

namespace acuity {

// A periodic grid of discontinuities (tile seams of a tiled upscaler). At
// each boundary between two columns: the step across it minus the mean of
// the neighbouring steps (a ramp gives 0, a 1-px seam its jump), averaged
// with its sign over blocks of 16 rows, divided by the typical such step of
// the block, median over the blocks — so a line stands out only where it runs
// along most of the height. For every period 32–512 px (at least 4 lines)
// and phase, the 30th percentile of that profile over the grid's lines; the
// strength is the best grid's level over the 95th percentile of all lines. A
// grid explained by a finer one (a JPEG block grid, a nearest-neighbour
// pattern) does not count, nor, when `content_luma` (the plain enlargement
// of the input, same size) is given, one that stands out there at half the
// level or more, or whose steps there leave less than half of the output's
// unexplained (the signed block steps compared line by line, so that another
// kernel's ringing does not count): the content's own lines (a text's line
// pitch, a table's rules, pixel art's cells), not seams. Heavy texture masks
// seams (as it does for the eye).
// A tiled upscaler's grid starts at the top-left corner and runs on both
// axes: DetectOriginTileGrid reads the lines of both axes together at the
// tiles' period from the corner, edge by edge (a seam line cut at the tiles
// along it; two tiles that came out alike leave an invisible edge, so the
// 70th percentile of the edges, over the 95th percentile of such edges at
// every boundary), and a grid of few lines per axis (128-px tiles on a
// 450×300 output: 3 columns and 2 rows) is found too. The strongest of the
// three readings is reported; a one-axis grid from the corner whose period
// divides the 2-D one's names the period.
struct TileSeamMeasure {
  double strength = 0;  // ≈ 0.7–1.4 with no seams, > 2 with visible ones
  double step_8bit = 0; // median |step| at the grid's lines, 8-bit levels
  int seams = 0;        // lines of the grid in the image
  int period_px = 0;    // 0 = image too small to look
  int offset_px = 0;    // first line: the first column (row) of the second tile
  std::string axis;     // "columns" (vertical seams), "rows", "both" (a grid from the corner) or ""
};
TileSeamMeasure DetectTileSeams(const cv::Mat& luma, const cv::Mat& content_luma = cv::Mat());
// The same along one axis only: vertical seams (between columns).
TileSeamMeasure DetectColumnSeams(const cv::Mat& luma, const cv::Mat& content_luma = cv::Mat());
// Only the grids from the top-left corner, both axes' lines together (≥ 4
// lines in all, each axis longer than the period).
TileSeamMeasure DetectOriginTileGrid(const cv::Mat& luma, const cv::Mat& content_luma = cv::Mat());

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_QA_TILE_SEAMS_H_

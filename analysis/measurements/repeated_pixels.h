// Pixels an enlargement copied instead of interpolating: columns (rows) that
// repeat their left (upper) neighbour, as a nearest-neighbour enlargement
// by k makes k − 1 of every k. Exactly, or nearly once the copy was saved
// as a JPEG: the copied column then differs from its source far less than
// the columns around it differ from theirs. A photo repeats none; drawn
// content repeats those that cross only flat colour.
//
//   double pct = acuity::RepeatedPixelsPct(output.pixels, output.info.jpeg.has_value());  // ×3 by copying: ≈ 67
//   if (acuity::NearestNeighbourPattern(jpeg.pixels).strength >= acuity::kNearestPatternMin) { ... }
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_REPEATED_PIXELS_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_REPEATED_PIXELS_H_

#include <vector>

#include <opencv2/core.hpp>

namespace acuity {

// [x] is true when column x (x ≥ 1) equals column x − 1, every channel, in
// at least resampling::kDupRowShare of the rows. Any depth and channel count.
std::vector<bool> RepeatedColumns(const cv::Mat& pixels);

// [x] is true when column x (x ≥ 1) nearly repeats column x − 1: their mean
// absolute luma difference (8-bit levels, over all rows) is at most
// kNearCopyRatio of the larger of the neighbouring pairs' (x − 1 against
// x − 2, x + 1 against x), which is at least kNearCopyFloor levels. What a
// copy keeps through a JPEG (chelsea copied ×2: 42 % of the columns at q95,
// 21 % at q85, 11 % at q75); an interpolation's or a network's
// columns all differ alike, a photo's change smoothly.
inline constexpr double kNearCopyRatio = 0.3;
inline constexpr double kNearCopyFloor = 1.0;  // 8-bit levels
std::vector<bool> NearlyRepeatedColumns(const cv::Mat& pixels);

// 100 × the smaller of the shares of columns and of rows that repeat their
// neighbour, % (an enlargement by copying repeats both; a drawing's flat
// band, one): exactly, or also nearly when `lossy` (pixels decoded from a
// JPEG; in lossless pixels a copy is exact, and a drawing's anti-aliased
// glyphs make near-copies of their own). 0 for an empty image.
double RepeatedPixelsPct(const cv::Mat& pixels, bool lossy = false);

// A nearest-neighbour enlargement's phase pattern in the nearly repeated
// columns and rows: for a period f of 2–4 px, the share of near-copies on
// the f − 1 most copied phases minus that on the least copied one (1 for a
// clean ×f copy, ≈ 0 without a pattern), on the weaker axis; the best f.
// Measured (datasets: skimage photos ×2–×4 by copying, then JPEG q85–95:
// 0.38–1.0; the same photos as JPEGs down to q75, their bicubic, Lanczos and
// bilinear enlargements and ESRGAN outputs saved as JPEG q80–90: at most
// 0.29; a smooth micrograph at JPEG q50: 0.42).
struct CopyPattern {
  double strength = 0;  // 0–1
  int period_px = 0;    // the f, 0 when no near-copy at all
};
inline constexpr double kNearestPatternMin = 0.35;
CopyPattern NearestNeighbourPattern(const cv::Mat& pixels);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_REPEATED_PIXELS_H_

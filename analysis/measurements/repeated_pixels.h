// Pixels an enlargement copied instead of interpolating: columns (rows) that
// repeat their left (upper) neighbour exactly, as a nearest-neighbour
// enlargement by k makes k − 1 of every k. A photo repeats none; drawn
// content repeats those that cross only flat colour.
//
//   double pct = acuity::RepeatedPixelsPct(output.pixels);  // a photo ×3 by copying: ≈ 67
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_REPEATED_PIXELS_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_REPEATED_PIXELS_H_

#include <vector>

#include <opencv2/core.hpp>

namespace acuity {

// [x] is true when column x (x ≥ 1) equals column x − 1, every channel, in
// at least resampling::kDupRowShare of the rows. Any depth and channel count.
std::vector<bool> RepeatedColumns(const cv::Mat& pixels);

// 100 × the smaller of the shares of repeated columns and of repeated rows,
// % (an enlargement by copying repeats both; a drawing's flat band, one).
// 0 for an empty image.
double RepeatedPixelsPct(const cv::Mat& pixels);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_REPEATED_PIXELS_H_

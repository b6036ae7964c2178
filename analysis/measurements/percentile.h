// Order statistics for the measurements, written once, each with one
// convention:
//
//  * Percentile / Median — linear interpolation between the closest ranks
//    (numpy's default, Hyndman & Fan type 7): the value at position
//    p/100 · (n − 1) of the sorted values; Median is Percentile 50, the mean
//    of the two middle values when n is even. For figures that are
//    reported or compared with Python references (QA, quality metrics).
//  * NearestRank — a member of the values: the one at rank
//    round(fraction · (n − 1)) of the sorted values, the same position as
//    Percentile's, rounded instead of interpolated; fraction 0.5 gives the
//    upper median v[n/2]. The estimators whose constants were fitted on the
//    ladders with it keep it (blur, noise map, over-sharpening, native
//    scale): interpolating would move their figures, and their
//    calibrated thresholds, by a fraction of a rank.
//
//   double p95 = acuity::Percentile(delta_e_map, 95);       // any one-channel cv::Mat
//   double m = acuity::Median({1.0, 2.0, 3.0, 10.0});       // 2.5
//   float typical = acuity::NearestRank(values, 0.5);       // reorders `values`
//
// KthSmallest, the selection both rank rules rest on, is there for the one
// reading defined by a rank rather than a fraction (native scale's noise
// floor: the (n/10)-th power).
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_PERCENTILE_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_PERCENTILE_H_

#include <algorithm>
#include <vector>

#include <opencv2/core.hpp>

namespace acuity {

// `percent` is clamped to 0–100. Non-finite values are skipped; NaN when no
// value is left. `values`: one channel, any depth.
double Percentile(const cv::Mat& values, double percent);
double Percentile(std::vector<double> values, double percent);

// Percentile(values, 50): the middle value, or the mean of the two middle
// values when n is even. NaN when no value is finite.
double Median(std::vector<double> values);

// The value at 0-based rank `rank` (clamped to n − 1) of the sorted values;
// T{} (0) when `values` is empty. Reorders `values` (std::nth_element).
template <typename T>
T KthSmallest(std::vector<T>& values, size_t rank) {
  if (values.empty()) return T{};
  rank = std::min(rank, values.size() - 1);
  std::nth_element(values.begin(), values.begin() + rank, values.end());
  return values[rank];
}

// KthSmallest at rank round(fraction · (n − 1)) (fraction in 0–1).
template <typename T>
T NearestRank(std::vector<T>& values, double fraction) {
  if (values.empty()) return T{};
  return KthSmallest(values, static_cast<size_t>(fraction * (values.size() - 1) + 0.5));
}

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_PERCENTILE_H_

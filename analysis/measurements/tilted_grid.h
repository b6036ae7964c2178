// An enlargement turned off the axes: a picture enlarged and then
// straightened (turned a few degrees, its corners cropped) keeps its
// resampling grid, turned with it. native_scale.h reads the periodicity a
// resampling leaves along rows and columns; turned by as little as 1°, the
// grid's phase drifts down the picture and averages away there (a ×2 bicubic
// enlargement turned 1–3° read 1.0, "native"). This finds such a grid and
// its turn, so that the picture can be turned back and read as any other.
//
// How: the magnitude of each pixel's difference from its four neighbours'
// mean is periodic with the resampling grid (it is small where a sample fell
// on a source pixel); its 2-D power spectrum has a sharp peak at the grid's
// cycle frequency, off the axes by the turn. A peak of at least
// kMinTiltedGridPeakRatio × the median power above kSearchMinPhi
// (resampling_peaks.h), 0.2–10° off an axis, the highest of its 5×5 bins
// and stronger than the axis at its radius (an axis-aligned peak's spread
// into the next bins is not one), is a turned grid: native photos stay under 100 but a regular texture can pass
// (brick reads up to 630), so the caller confirms the enlargement on the
// picture turned back (native_scale.cc), where the axis reading's stopband
// and factor tests decide. Measured at ×2–×4 turned 2–7° (datasets/RESULTS.md);
// factors over about 6× have their cycle frequency under 0.16 cycle/px and
// are not searched. Limits: a ×2 grid's peak weakens with the turn (coffee
// ×2 turned 7° is under the line); a regular texture over the grid (brick)
// hides it; a turn under 0.2° is left to the axis reading.
//
//   if (const std::optional<acuity::TiltedGrid> g = acuity::FindTiltedGrid(luma))
//     read(acuity::TurnedBack(luma, g->angle_deg));  // and -angle_deg too unless g->sign_known
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_TILTED_GRID_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_TILTED_GRID_H_

#include <optional>

#include <opencv2/core.hpp>

namespace acuity {

inline constexpr double kMinTiltedGridPeakRatio = 100.0;
inline constexpr double kMinGridTiltDeg = 0.2;
inline constexpr double kMaxGridTiltDeg = 10.0;

struct TiltedGrid {
  // The grid's turn, degrees, counter-clockwise as the picture is shown
  // (kMinGridTiltDeg to kMaxGridTiltDeg either way).
  double angle_deg = 0;
  // The peak's frequency: the resampling's cycle frequency, cycles/px.
  double cycle_frequency_per_px = 0;
  // The peak's power over the median power above kSearchMinPhi (ratio).
  double peak_ratio = 0;
  // False when the peak lies at the Nyquist frequency of a row or column
  // (a ×2 grid): there the pixels alias the grid turned by +a and by −a to
  // the same peak, and both turns are to be tried.
  bool sign_known = true;
};

// `luma`: CV_32FC1 (any scale), at least 48 px a side; a window of at most
// 512 px a side is what native_scale.h reads (larger works, slower).
std::optional<TiltedGrid> FindTiltedGrid(const cv::Mat& luma);

// `luma` turned back by `angle_deg` (a grid's turn; bicubic) and cropped to
// the largest axis-aligned rectangle of its aspect inside it: the grid on
// the axes again.
cv::Mat TurnedBack(const cv::Mat& luma, double angle_deg);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_TILTED_GRID_H_

// The resampling peaks of native_scale.h's interpolation test: the
// analysed window's spectra (WindowReading), the peaks of its cyclic
// spectrum that a resampling makes (FindPeaks: its fundamental and
// harmonics, not a JPEG grid's, nor the skirt of a stronger peak, nor image
// structure at low cycle frequencies), whether they stand out, and the
// enlargement factors that explain them all (ConsistentFactors). Internal
// to native_scale.cc, which confirms a factor by its stopband; split out to
// keep each file to one concern.
//
//   resampling::WindowReading w = ...;  // native_scale.cc ReadWindow
//   const resampling::Peaks peaks = resampling::FindPeaks(w);
//   if (!peaks.list.empty() && resampling::StandsOut(w.cyclic, peaks))
//     for (double f : resampling::ConsistentFactors(w, peaks)) { /* ascending */ }
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_RESAMPLING_PEAKS_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_RESAMPLING_PEAKS_H_

#include <utility>
#include <vector>

#include <opencv2/core.hpp>

#include "analysis/measurements/resampling_spectra.h"

namespace acuity::resampling {

inline constexpr double kSearchMinPhi = 0.16;      // lower cycle frequencies are image structure ...
inline constexpr double kMaxFactor = 16.0;         // ... unless their harmonics show too: factors up to this
inline constexpr double kPeakThreshold = 30.0;     // power ratio over the median: a resampling peak
inline constexpr double kPhiTolerance = 0.006;     // cycles/px, when matching harmonics

// What the analysed window shows: both axes' spectra, their combined cyclic
// spectrum and power spectrum, and the JPEG-grid evidence.
struct WindowReading {
  cv::Rect window;  // the analysed window of the image (native_scale.cc ChooseWindow)
  cv::Mat luma;     // its luma
  AxisSpectra ax, ay;
  std::vector<double> cyclic;     // Combined(ax, ay)
  std::vector<double> log_power;  // dB, mean of both axes
  bool jpeg_grid = false;
  // Under a JPEG grid: the cyclic spectrum whitened only down to the noise
  // floor, and the grid's odd harmonics in it.
  std::vector<double> cyclic_floor;
  double jpeg_floor = 0;
};

// The resampling peaks of the cyclic spectrum: (φ, strength), the strongest
// one, and whether a period of 8 px was seen under a JPEG grid.
struct Peaks {
  std::vector<std::pair<double, double>> list;
  double strongest = 0, strongest_phi = 0;
  bool period8 = false;
};

// Part of the skirt of a much stronger peak nearby? (The periodic component
// is modulated by the image content, which widens a strong peak.) `s`: a
// cyclic spectrum (kGridSize values), `phi` in cycles/px.
bool InSkirt(const std::vector<double>& s, double phi);

// The resampling peaks of w.cyclic, from kMaxFactor's fundamental up to 0.5
// cycles/px, and under a JPEG grid the ones the grid cannot make.
Peaks FindPeaks(const WindowReading& w);

// A weak peak must stand out: the runner-up local maximum elsewhere is at
// most half as strong (a soft native image has several weak ones).
bool StandsOut(const std::vector<double>& s, const Peaks& peaks);

// Candidate factors, ascending and distinct, that explain every
// significant peak (ConsistentFactors in resampling_peaks.cc says how).
std::vector<double> ConsistentFactors(const WindowReading& w, const Peaks& peaks);

}  // namespace acuity::resampling

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_RESAMPLING_PEAKS_H_

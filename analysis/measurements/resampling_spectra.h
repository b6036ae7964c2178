// The spectra that native_scale.h's interpolation test reads, one axis at a
// time: the whitened cyclic spectrum (resampling periodicity), the power
// spectrum in dB (the kernel's stopband) and the exactly repeated or
// interpolated columns (nearest neighbour, bilinear). Internal to
// native_scale.cc; split out to keep each file to one concern.
//
//   resampling::AxisSpectra ax, ay;
//   resampling::BothAxes(luma, luma.t(), /*floor_weight=*/0.0, &ax, &ay);
//   const std::vector<double> cyclic = resampling::Combined(ax, ay);
//   if (resampling::CyclicAt(cyclic, 0.5) > 30) { /* period 2 px */ }
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_RESAMPLING_SPECTRA_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_RESAMPLING_SPECTRA_H_

#include <array>
#include <opencv2/core.hpp>
#include <vector>

namespace acuity::resampling {

inline constexpr double kGridStep = 0.0025;  // cycle-frequency grid, cycles/px
inline constexpr int kGridSize = 201;        // 0 … 0.5
inline constexpr int kSpectrumBins = 129;    // power spectrum grid 0 … 0.5 cycle/px
inline constexpr double kDupRowShare =
    0.985;  // a column repeats its neighbour in this share of rows

// One axis (the rows of a luma image) of the analysed window.
struct AxisSpectra {
  std::vector<double> cyclic = std::vector<double>(kGridSize, 0.0);  // power ratio over median
  std::vector<double> log_power = std::vector<double>(kSpectrumBins, 0.0);  // dB
  double dup_share = 0;       // share of columns with content that repeat their left neighbour
  bool dup_reliable = false;  // the other columns rarely repeat (not a flat image)
  double linear_share = 0;    // share of columns with content on a straight line with both neighbours
  bool linear_reliable = false;
  // The whitened rows' variance at each position x mod 8 of the lines
  // (x counted from the lines' first pixel), over its mean: where in an
  // 8-px cycle the period-8 energy sits (a JPEG's block edges at 7|0; a
  // resampling's source samples elsewhere). Dimensionless; 1.0 everywhere
  // when nothing repeats every 8 px.
  std::array<double, 8> phase8{1, 1, 1, 1, 1, 1, 1, 1};
};

// u folded into [0, 0.5] (cycles/px): the cycle frequency an alias shows at.
double Fold(double u);

// Both axes at once (rows of `luma` and of its transpose `luma_t`), in
// parallel. floor_weight > 0 whitens only down to the noise floor (×
// the 10th-percentile power; 0: plain whitening, and the exact-resampling
// shares are measured).
void BothAxes(const cv::Mat& luma, const cv::Mat& luma_t, double floor_weight, AxisSpectra* ax,
              AxisSpectra* ay);

// Cyclic spectrum of both axes, averaged (power ratio over the median).
std::vector<double> Combined(const AxisSpectra& a, const AxisSpectra& b);

// The cyclic spectrum at cycle frequency phi (cycles/px): the best of the
// nearest grid points.
double CyclicAt(const std::vector<double>& s, double phi);

// The power spectrum (dB) at frequency nu (cycles/px), interpolated.
double LogPowerAt(const std::vector<double>& l, double nu);

// Mean dB change mirrored around the cut-off 0.5/f: an f× upscale's
// spectrum above it is its own mirror image times the kernel's stopband
// (very negative); a native spectrum only shows its gentle natural decay.
double MirrorDrop(const std::vector<double>& log_power, double f);

}  // namespace acuity::resampling

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_RESAMPLING_SPECTRA_H_

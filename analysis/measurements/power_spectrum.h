// The power spectrum the spectral readings share: a picture's samples, their
// mean removed, under a 2-D Hann window, through a DFT; |F|² per bin,
// unshifted (DC at (0, 0), bin (i, j) at signed frequency i/rows, j/cols
// cycles/px once wrapped). Motion blur's tiles (motion_blur.h), the halftone
// screen's window (halftone.h) and the tilted grid's residual
// (tilted_grid.h) read it.
//
//   cv::Mat hann;
//   cv::createHanningWindow(hann, tile.size(), CV_32F);
//   const cv::Mat power = acuity::HannPowerSpectrum(tile, hann);
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_POWER_SPECTRUM_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_POWER_SPECTRUM_H_

#include <opencv2/core.hpp>

namespace acuity {

// `samples`: CV_32FC1; `hann`: its window (cv::createHanningWindow, CV_32F,
// the same size), made once by a caller that reads many tiles. Returns
// CV_32FC1 of the same size, in squared sample units.
cv::Mat HannPowerSpectrum(const cv::Mat& samples, const cv::Mat& hann);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_POWER_SPECTRUM_H_

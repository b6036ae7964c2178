// The one shape of a measurement's answer: its figures plus, when the caller
// asked for it, a map of the same reading over the image. Every measurement
// that can draw a map is called the same way —
//
//   XResult figures = MeasureX(pixels, XOptions{...}).result;
//   XOptions options;  options.compute_map = true;
//   acuity::Measured<XResult> m = acuity::MeasureX(pixels, options);
//   if (!m.map.empty()) Show(m.map);
//
// — for X = Noise, Blur, Compression and Oversharpening. Asking for a map
// never changes a figure (each measurement's test checks it). Prior upscaling
// (native_scale.h) is a single global reading of one window and has no map:
// MeasureNativeScale(pixels) returns its ResolutionResult alone.
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_MEASURED_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_MEASURED_H_

#include <opencv2/core.hpp>

namespace acuity {

template <typename Result>
struct Measured {
  Result result;
  // When the options' compute_map was set: CV_32FC1 in the figure's units
  // (each XOptions says the cell size and units). Empty otherwise.
  cv::Mat map;
};

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_MEASURED_H_

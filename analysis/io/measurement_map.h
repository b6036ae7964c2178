// A per-pixel (or per-block) map of one measurement — what the measurements
// produce beside their figures and what the heatmap writer, the HTML report
// and the viewer draw. Values are in the measurement's units.
//
//   acuity::MeasurementMap map{"blur", "px", blur_values, 0};
//   acuity::WriteHeatmapPng(map, image.size(), "maps/photo.blur.png");
#ifndef ACUITY_ANALYSIS_IO_MEASUREMENT_MAP_H_
#define ACUITY_ANALYSIS_IO_MEASUREMENT_MAP_H_

#include <string>

#include <opencv2/core.hpp>

namespace acuity {

struct MeasurementMap {
  std::string name;   // file-name safe: "blur", "noise", "blockiness", "halo"
  std::string unit;   // e.g. "px", "8-bit", "score"
  cv::Mat values;     // CV_32FC1; any size (it is stretched over the image when shown)
  double display_max = 0;  // value shown as the hottest colour; 0 = the map's maximum
};

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_IO_MEASUREMENT_MAP_H_

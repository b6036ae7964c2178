// Turns a measurement map (float values in the measurement's units) into a
// colour heatmap that people can read: for `analyze --maps DIR`, the HTML
// report and the viewer's overlays.
//
//   cv::Mat bgr = acuity::RenderHeatmap(map, image.pixels.size());
//   absl::Status s = acuity::WriteHeatmapPng(map, image.pixels.size(), "maps/photo.blur.png");
#ifndef ACUITY_ANALYSIS_IO_HEATMAP_H_
#define ACUITY_ANALYSIS_IO_HEATMAP_H_

#include <string>

#include <opencv2/core.hpp>

#include "absl/status/status.h"
#include "analysis/io/measurement_map.h"

namespace acuity {

// 8-bit BGR heatmap (inferno colour map: black = 0, yellow = display_max or
// the map's maximum) stretched to `size` with nearest-neighbour (blocks stay
// visible as blocks). NaN values (not measured there) are drawn mid-grey.
cv::Mat RenderHeatmap(const MeasurementMap& map, cv::Size size);

absl::Status WriteHeatmapPng(const MeasurementMap& map, cv::Size size, const std::string& path);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_IO_HEATMAP_H_

// Turns a measurement map (float values in the measurement's units) into a
// colour heatmap that people can read: for `analyze --maps DIR`, the HTML
// report and the viewer's overlays.
//
//   cv::Mat bgr = acuity::RenderHeatmap(map, image.pixels.size());
//   absl::Status s = acuity::WriteHeatmapPng(map, image.pixels.size(), "maps/photo.blur.png");
//   for (const acuity::WrittenHeatmap& w : acuity::WriteHeatmaps(report.maps, size, "maps", "photo"))
//     if (!w.status.ok()) Report(w.path, w.status);   // maps/photo.blur.png, maps/photo.noise.png, ...
#ifndef ACUITY_ANALYSIS_IO_HEATMAP_H_
#define ACUITY_ANALYSIS_IO_HEATMAP_H_

#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "absl/status/status.h"
#include "analysis/io/measurement_map.h"

namespace acuity {

// 8-bit BGR heatmap (inferno colour map: black = 0, yellow = display_max or
// the map's maximum) stretched to `size` with nearest-neighbour (blocks stay
// visible as blocks). NaN values (not measured there) are drawn mid-grey.
cv::Mat RenderHeatmap(const MeasurementMap& map, cv::Size size);

// RenderHeatmap as a PNG file, written atomically (atomic_file.h); out of
// memory or disk gives guard.h's marked ResourceExhausted.
absl::Status WriteHeatmapPng(const MeasurementMap& map, cv::Size size, const std::string& path);

struct WrittenHeatmap {
  std::string path;     // DIR/<stem>.<map name>.png
  absl::Status status;  // OK when written
};

// Writes every map as `dir`/`stem`.<map name>.png (WriteHeatmapPng, each
// stretched over `size`, the image's size): the files of `analyze --maps`
// and `qa --maps`. One entry per map, in the maps' order; a map that could
// not be written does not stop the others. `dir` must exist.
std::vector<WrittenHeatmap> WriteHeatmaps(const std::vector<MeasurementMap>& maps, cv::Size size,
                                          const std::string& dir, const std::string& stem);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_IO_HEATMAP_H_

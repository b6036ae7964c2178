#include "analysis/io/heatmap.h"

#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "absl/strings/str_cat.h"
#include "analysis/io/atomic_file.h"
#include "analysis/io/guard.h"
#include "analysis/io/png_codec.h"

namespace acuity {

cv::Mat RenderHeatmap(const MeasurementMap& map, cv::Size size) {
  CV_Assert(map.values.type() == CV_32FC1 && !map.values.empty());
  cv::Mat valid = map.values == map.values;  // false where NaN
  double max_value = map.display_max;
  if (!(max_value > 0)) cv::minMaxLoc(map.values, nullptr, &max_value, nullptr, nullptr, valid);
  if (!(max_value > 0)) max_value = 1.0;
  cv::Mat scaled;
  map.values.convertTo(scaled, CV_8U, 255.0 / max_value);  // saturates above max
  cv::Mat colour;
  cv::applyColorMap(scaled, colour, cv::COLORMAP_INFERNO);
  colour.setTo(cv::Scalar(128, 128, 128), ~valid);
  cv::Mat out;
  cv::resize(colour, out, size, 0, 0, cv::INTER_NEAREST);
  return out;
}

absl::Status WriteHeatmapPng(const MeasurementMap& map, cv::Size size, const std::string& path) {
  return CatchToStatus(absl::StrCat("writing the ", map.name, " heatmap"), [&]() -> absl::Status {
    absl::StatusOr<std::string> png = EncodePng(RenderHeatmap(map, size));
    if (!png.ok())
      return absl::InternalError(absl::StrCat("could not encode the ", map.name, " heatmap: ", png.status().message()));
    return WriteFileAtomically(path, *png);
  });
}

std::vector<WrittenHeatmap> WriteHeatmaps(const std::vector<MeasurementMap>& maps, cv::Size size,
                                          const std::string& dir, const std::string& stem) {
  std::vector<WrittenHeatmap> written(maps.size());
  std::vector<char> attempted(maps.size(), 0);
  // Each map rendered and compressed on its own thread (every one is as big
  // as the image). WriteHeatmapPng returns a status and never throws, but
  // the thread pool and the paths can (no thread or memory left): then the
  // maps not yet attempted get that status.
  const absl::Status pool = CatchToStatus("writing the heatmaps", [&] {
    for (size_t i = 0; i < maps.size(); ++i) written[i].path = absl::StrCat(dir, "/", stem, ".", maps[i].name, ".png");
    cv::parallel_for_(cv::Range(0, int(maps.size())), [&](const cv::Range& r) {
      for (int i = r.start; i < r.end; ++i) {
        attempted[i] = 1;
        written[i].status = WriteHeatmapPng(maps[i], size, written[i].path);
      }
    });
  });
  if (!pool.ok())
    for (size_t i = 0; i < maps.size(); ++i)
      if (!attempted[i]) written[i].status = pool;
  return written;
}

}  // namespace acuity

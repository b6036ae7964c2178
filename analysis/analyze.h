// The analysis of one image: what the file is, how it compares with a
// target, and the quality measurements. Each measurement is optional: a field
// that has not been measured stays empty (null in JSON), never invented.
//
//   acuity::AnalyzeOptions options;
//   options.target = *acuity::ParseTargetSpec("8x10in@300dpi");
//   acuity::AnalysisReport report = acuity::Analyze(image, options);
#ifndef ACUITY_ANALYSIS_ANALYZE_H_
#define ACUITY_ANALYSIS_ANALYZE_H_

#include <optional>
#include <string>
#include <vector>

#include "analysis/blur.h"
#include "analysis/compression.h"
#include "analysis/image.h"
#include "analysis/noise.h"
#include "analysis/oversharpening.h"
#include "analysis/target_fit.h"
#include "analysis/target_spec.h"
#include "analysis/upscale_detect.h"
#include "analysis/warning.h"

namespace acuity {

// A per-pixel (or per-block) map of one measurement, for the viewer, the
// report and `analyze --maps DIR`. Values are in the measurement's units.
struct MeasurementMap {
  std::string name;   // file-name safe: "blur", "noise", "blockiness", "halo"
  std::string unit;   // e.g. "px", "8-bit", "score"
  cv::Mat values;     // CV_32FC1; any size (it is stretched over the image when shown)
  double display_max = 0;  // value shown as the hottest colour; 0 = the map's maximum
};

struct AnalysisReport {
  ImageInfo input;
  std::optional<TargetFit> target;
  SharpnessResult sharpness;
  NoiseResult noise;
  CompressionResult compression;
  OversharpeningResult oversharpening;
  ResolutionResult resolution;
  std::vector<Warning> warnings;
  std::vector<MeasurementMap> maps;  // filled when AnalyzeOptions::compute_maps
};

struct AnalyzeOptions {
  std::optional<TargetSpec> target;
  bool compute_maps = false;
};

AnalysisReport Analyze(const Image& image, const AnalyzeOptions& options = {});

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_ANALYZE_H_

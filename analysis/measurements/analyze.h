// The analysis of one image: what the file is, how it compares with a
// target, and the quality measurements. Each measurement is optional: a field
// that has not been measured stays empty (null in JSON), never invented.
//
//   acuity::AnalyzeOptions options;
//   options.target = *acuity::ParseTargetSpec("8x10in@300dpi");
//   acuity::AnalysisReport report = acuity::Analyze(image, options);
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_ANALYZE_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_ANALYZE_H_

#include <optional>
#include <string>
#include <vector>

#include "analysis/measurements/blur.h"
#include "analysis/measurements/compression.h"
#include "analysis/io/image.h"
#include "analysis/io/measurement_map.h"
#include "analysis/measurements/noise.h"
#include "analysis/measurements/oversharpening.h"
#include "analysis/measurements/target_fit.h"
#include "analysis/measurements/target_spec.h"
#include "analysis/measurements/native_scale.h"
#include "analysis/measurements/warning.h"

namespace acuity {

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

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_ANALYZE_H_

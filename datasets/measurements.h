// The measurements of Analyze(), by the names `evaluate --only` and
// `analyze_bench` use, so that the benchmarks can time each of them and
// `evaluate --only` can tune one estimator without running the others. Each
// step is the library's own RunMeasurement (analysis/measurements/analyze.h):
// it fills its block of an AnalysisReport exactly as Analyze() does (blur
// reads the luma noise σ that the noise step left).
//
//   acuity::AnalysisReport report;
//   for (const auto& step : acuity::datasets::MeasurementSteps()) RunMeasurement(step.measurement, image, false, &report);
#ifndef ACUITY_DATASETS_MEASUREMENTS_H_
#define ACUITY_DATASETS_MEASUREMENTS_H_

#include <string>
#include <vector>

#include "analysis/measurements/analyze.h"

namespace acuity::datasets {

struct MeasurementStep {
  std::string name;  // "noise", "blur", "compression", "oversharpening", "upscale"
  Measurement measurement;
};

// In Analyze()'s order (noise before blur).
const std::vector<MeasurementStep>& MeasurementSteps();

}  // namespace acuity::datasets

#endif  // ACUITY_DATASETS_MEASUREMENTS_H_

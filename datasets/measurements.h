// The measurements of Analyze(), one by one, so that the benchmarks can time
// each of them and `evaluate --only` can tune one estimator without running
// the others. Each step fills its block of an AnalysisReport exactly as
// Analyze() does (blur reads the luma noise σ that the noise step left).
//
//   acuity::AnalysisReport report;
//   for (const auto& step : acuity::datasets::MeasurementSteps()) step.run(image, &report);
#ifndef ACUITY_DATASETS_MEASUREMENTS_H_
#define ACUITY_DATASETS_MEASUREMENTS_H_

#include <functional>
#include <string>
#include <vector>

#include "analysis/measurements/analyze.h"

namespace acuity::datasets {

struct MeasurementStep {
  std::string name;  // "noise", "blur", "compression", "oversharpening", "upscale"
  std::function<void(const Image&, AnalysisReport*)> run;
};

// In Analyze()'s order (noise before blur).
const std::vector<MeasurementStep>& MeasurementSteps();

}  // namespace acuity::datasets

#endif  // ACUITY_DATASETS_MEASUREMENTS_H_

#include "analysis/analyze.h"

namespace acuity {

AnalysisReport Analyze(const Image& image, const AnalyzeOptions& options) {
  AnalysisReport report;
  report.input = image.info;
  if (options.target) {
    report.target = FitTarget(*options.target, image.info.width, image.info.height);
    for (const Warning& w : report.target->warnings) report.warnings.push_back(w);
  }
  return report;
}

}  // namespace acuity

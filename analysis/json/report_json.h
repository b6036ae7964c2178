// JSON form of an AnalysisReport, with the field names and units fixed by
// DESIGN.md ("input.*", "target.*", "sharpness.blur_sigma_px", ...).
//
//   std::cout << acuity::JsonText(acuity::ReportToJson(report)) << "\n";  // one JSON line (json_text.h)
#ifndef ACUITY_ANALYSIS_JSON_REPORT_JSON_H_
#define ACUITY_ANALYSIS_JSON_REPORT_JSON_H_

#include <nlohmann/json.hpp>

#include "analysis/measurements/analyze.h"

namespace acuity {

nlohmann::json ReportToJson(const AnalysisReport& report);
nlohmann::json TargetFitToJson(const TargetFit& fit);
nlohmann::json ImageInfoToJson(const ImageInfo& info);

// Rounds for output so that JSON does not show float noise (0.30000000000000004).
double RoundTo(double value, int decimals);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_JSON_REPORT_JSON_H_

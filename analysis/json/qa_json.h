// JSON form of a QaReport, as `acuity qa --json` prints it (DESIGN.md, `qa`):
// exactly one object {input, output, reference?, verdict, checks: [...],
// metrics: {...}}.
//
//   std::cout << acuity::JsonText(acuity::QaReportToJson(report, input.info, output.info, nullptr)) << "\n";
#ifndef ACUITY_ANALYSIS_JSON_QA_JSON_H_
#define ACUITY_ANALYSIS_JSON_QA_JSON_H_

#include <nlohmann/json.hpp>

#include "analysis/io/image.h"
#include "analysis/advice/qa.h"

namespace acuity {

// `reference` may be null. Non-finite values (a PSNR of identical images) are
// written as 100 dB, never as null.
nlohmann::json QaReportToJson(const QaReport& report, const ImageInfo& input,
                              const ImageInfo& output, const ImageInfo* reference);

nlohmann::json QaCheckToJson(const QaCheck& check);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_JSON_QA_JSON_H_

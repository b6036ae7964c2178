// Human-readable text for an AnalysisReport: a short table per file.
//
//   std::cout << acuity::cli::FormatReportText(report);
#ifndef ACUITY_CLI_TEXT_OUTPUT_H_
#define ACUITY_CLI_TEXT_OUTPUT_H_

#include <cstdint>
#include <string>

#include "analysis/analyze.h"

namespace acuity::cli {

std::string FormatReportText(const AnalysisReport& report);

// "2.4 MB", "830 kB", "512 B".
std::string FormatBytes(std::uint64_t bytes);

}  // namespace acuity::cli

#endif  // ACUITY_CLI_TEXT_OUTPUT_H_

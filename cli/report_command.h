// `acuity report [--target SPEC] -o REPORT.html FILE...` — one self-contained
// HTML page: per image the measurements in plain words, heatmap overlays,
// a histogram and the advice.
//
//   int code = acuity::cli::RunReport({"-o", "r.html", "a.jpg"}, std::cout, std::cerr);
#ifndef ACUITY_CLI_REPORT_COMMAND_H_
#define ACUITY_CLI_REPORT_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

#include "cli/args.h"
#include "cli/commands.h"

namespace acuity::cli {

// The command's entry in the table of commands (cli/commands.h) and its options.
CommandSpec ReportCommand();
ArgParser ReportArgParser();

int RunReport(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace acuity::cli

#endif  // ACUITY_CLI_REPORT_COMMAND_H_

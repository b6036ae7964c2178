// `acuity qa [--reference REF] [--json] [--maps DIR] [--thresholds k=v,...] INPUT OUTPUT`:
// checks an enhancement result against its input (and a ground truth).
//
//   int code = acuity::cli::RunQa({"--json", "in.png", "out.png"}, std::cout, std::cerr);
//   // 0 pass or warn, 1 fail, 2 bad usage, 3 an image could not be read
#ifndef ACUITY_CLI_QA_COMMAND_H_
#define ACUITY_CLI_QA_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "analysis/advice/qa.h"
#include "cli/args.h"
#include "cli/commands.h"

namespace acuity::cli {

// The command's entry in the table of commands (cli/commands.h).
CommandSpec QaCommand();

// --thresholds LIST, shared with the Python module: the defaults with LIST's
// overrides, or the parser's error prefixed "--thresholds: ".
void AddThresholdsOption(ArgParser& parser);
absl::StatusOr<QaThresholds> GetThresholds(const ParsedArgs& args);

// Prints how `acuity qa` reports a failed check of OUTPUT (the images do not
// go together: bad usage; else the machine or the check failed) and returns
// the exit code.
int ReportQaFailure(std::ostream& err, const std::string& output_path, const absl::Status& status);

int RunQa(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace acuity::cli

#endif  // ACUITY_CLI_QA_COMMAND_H_

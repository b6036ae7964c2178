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

#include "cli/commands.h"

namespace acuity::cli {

// The command's entry in the table of commands (cli/commands.h).
CommandSpec QaCommand();

int RunQa(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace acuity::cli

#endif  // ACUITY_CLI_QA_COMMAND_H_

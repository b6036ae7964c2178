// `acuity analyze [--target SPEC] [--json] [--max-megapixels N] FILE...`
//
//   int code = acuity::cli::RunAnalyze({"--json", "photo.jpg"}, std::cout, std::cerr);
#ifndef ACUITY_CLI_ANALYZE_COMMAND_H_
#define ACUITY_CLI_ANALYZE_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

#include "cli/args.h"
#include "cli/commands.h"

namespace acuity::cli {

// The command's entry in the table of commands (cli/commands.h) and its options.
CommandSpec AnalyzeCommand();
ArgParser AnalyzeArgParser();

// Returns the process exit code (analysis/io/exit_codes.h). Results go to `out`,
// diagnostics (one line per unreadable file) to `err`.
int RunAnalyze(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace acuity::cli

#endif  // ACUITY_CLI_ANALYZE_COMMAND_H_

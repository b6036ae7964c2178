// `acuity advise [--target SPEC] [--json] FILE...` — measurements plus an
// ordered plan with reasons and warnings.
//
//   int code = acuity::cli::RunAdvise({"--target", "4k", "photo.jpg"}, std::cout, std::cerr);
#ifndef ACUITY_CLI_ADVISE_COMMAND_H_
#define ACUITY_CLI_ADVISE_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include "analysis/advice/plan.h"
#include "analysis/measurements/analyze.h"
#include "cli/args.h"
#include "cli/commands.h"

namespace acuity::cli {

// The command's entry in the table of commands (cli/commands.h) and its options.
CommandSpec AdviseCommand();
ArgParser AdviseArgParser();

// The object `advise --json` prints for one image: the analysis's fields
// and "plan".
nlohmann::json AdviceToJson(const AnalysisReport& report, const Plan& plan);

int RunAdvise(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace acuity::cli

#endif  // ACUITY_CLI_ADVISE_COMMAND_H_

// `acuity advise [--target SPEC] [--device D] [--json] FILE...` — measurements
// plus an ordered plan with reasons and warnings.
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
#include "enhance/device.h"

namespace acuity::cli {

// The command's entry in the table of commands (cli/commands.h) and its options.
CommandSpec AdviseCommand();
ArgParser AdviseArgParser();

// The object `advise --json` prints for one image: the analysis's fields
// and "plan".
nlohmann::json AdviceToJson(const AnalysisReport& report, const Plan& plan);

// advise's --device (the device an upscale would run on, which prices the
// model choice): the option, and its words read (auto when not given;
// InvalidArgument for other words, FailedPrecondition for a CUDA device that
// is not there, as enhance's CheckDevice). Shared with the Python module's
// advise and with report.
void AddAdviseDeviceOption(ArgParser& parser);
absl::StatusOr<DeviceRequest> GetAdviseDevice(const ParsedArgs& args);

int RunAdvise(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace acuity::cli

#endif  // ACUITY_CLI_ADVISE_COMMAND_H_

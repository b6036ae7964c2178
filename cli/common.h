// Pieces every acuity subcommand shares: usage errors, per-file input errors
// and the image-loading options.
#ifndef ACUITY_CLI_COMMON_H_
#define ACUITY_CLI_COMMON_H_

#include <optional>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "analysis/io/image_io.h"
#include "analysis/measurements/target_spec.h"
#include "cli/args.h"

namespace acuity::cli {

// Prints "acuity: <message>" to `err` and returns kExitUsage.
int UsageError(std::ostream& err, const absl::Status& status);
int UsageError(std::ostream& err, const std::string& message);

// Prints the one-line "acuity: FILE: reason" diagnostic for a file that could
// not be read.
void ReportInputError(std::ostream& err, const std::string& path, const absl::Status& status);

// --max-megapixels N
void AddLoadOptions(ArgParser& parser);
absl::StatusOr<LoadOptions> GetLoadOptions(const ParsedArgs& args);

// --target SPEC; GetTarget gives nullopt when absent and the parser's
// message (InvalidArgument) for a SPEC it cannot read.
void AddTargetOption(ArgParser& parser);
absl::StatusOr<std::optional<TargetSpec>> GetTarget(const ParsedArgs& args);

// Creates the directory of --maps DIR (and its parents);
// FailedPrecondition when it cannot.
absl::Status MakeMapsDir(const std::string& dir);

}  // namespace acuity::cli

#endif  // ACUITY_CLI_COMMON_H_

#include "cli/common.h"

#include "absl/strings/str_cat.h"
#include "cli/exit_codes.h"

namespace acuity::cli {

int UsageError(std::ostream& err, const absl::Status& status) {
  return UsageError(err, std::string(status.message()));
}

int UsageError(std::ostream& err, const std::string& message) {
  err << "acuity: " << message << "\n";
  return kExitUsage;
}

void ReportInputError(std::ostream& err, const std::string& path, const absl::Status& status) {
  err << "acuity: " << path << ": " << status.message() << "\n";
}

void AddLoadOptions(ArgParser& parser) {
  parser.AddOption("max-megapixels", "N",
                   "refuse images larger than N megapixels before decoding (default 200)");
}

absl::StatusOr<LoadOptions> GetLoadOptions(const ParsedArgs& args) {
  LoadOptions options;
  absl::StatusOr<double> mp = args.GetNumber("max-megapixels", options.max_megapixels);
  if (!mp.ok()) return mp.status();
  if (!(*mp > 0)) return absl::InvalidArgumentError("--max-megapixels must be positive");
  options.max_megapixels = *mp;
  return options;
}

}  // namespace acuity::cli

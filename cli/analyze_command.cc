#include "cli/analyze_command.h"

#include <optional>

#include "analysis/analyze.h"
#include "analysis/image_io.h"
#include "analysis/report_json.h"
#include "analysis/target_spec.h"
#include "cli/args.h"
#include "cli/common.h"
#include "cli/exit_codes.h"
#include "cli/text_output.h"

namespace acuity::cli {

int RunAnalyze(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  ArgParser parser("analyze");
  parser.AddOption("target", "SPEC", "size to reach: 8x10in@300dpi, A4, 3840x2160, 2000px, 4k, ...", 't');
  parser.AddFlag("json", "print one JSON object per file, one per line");
  AddLoadOptions(parser);
  parser.AddFlag("help", "show this help", 'h');
  absl::StatusOr<ParsedArgs> parsed = parser.Parse(args);
  if (!parsed.ok()) return UsageError(err, parsed.status());
  if (parsed->Has("help")) {
    out << "usage: acuity analyze [--target SPEC] [--json] FILE...\n"
           "Measure each image: size and metadata, resolution versus a target, and quality.\n\n"
        << parser.OptionsHelp();
    return kExitOk;
  }
  if (parsed->positional().empty()) return UsageError(err, "analyze needs at least one FILE");

  AnalyzeOptions options;
  if (auto spec_text = parsed->Get("target")) {
    absl::StatusOr<TargetSpec> spec = ParseTargetSpec(*spec_text);
    if (!spec.ok()) return UsageError(err, spec.status());
    options.target = *spec;
  }
  absl::StatusOr<LoadOptions> load = GetLoadOptions(*parsed);
  if (!load.ok()) return UsageError(err, load.status());

  const bool json = parsed->Has("json");
  int exit_code = kExitOk;
  bool first = true;
  for (const std::string& path : parsed->positional()) {
    absl::StatusOr<Image> image = LoadImage(path, *load);
    if (!image.ok()) {
      ReportInputError(err, path, image.status());
      exit_code = kExitBadInput;
      continue;
    }
    AnalysisReport report = Analyze(*image, options);
    if (json) {
      out << ReportToJson(report).dump() << "\n";
    } else {
      if (!first) out << "\n";
      out << FormatReportText(report);
    }
    out.flush();
    first = false;
  }
  return exit_code;
}

}  // namespace acuity::cli

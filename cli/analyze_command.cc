#include "cli/analyze_command.h"

#include <filesystem>
#include <optional>
#include <set>

#include "analysis/measurements/analyze.h"
#include "analysis/io/heatmap.h"
#include "analysis/io/image_io.h"
#include "analysis/json/json_text.h"
#include "analysis/json/report_json.h"
#include "analysis/measurements/target_spec.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "analysis/io/exit_codes.h"
#include "cli/interrupt.h"
#include "cli/advise_command.h"
#include "report/text_output.h"

namespace acuity::cli {

ArgParser AnalyzeArgParser() {
  ArgParser parser("analyze");
  AddTargetOption(parser);
  parser.AddFlag("json", "print one JSON object per file, one per line");
  AddContentOption(parser);
  parser.AddOption("maps", "DIR", "write each measurement map as a PNG heatmap: DIR/<name>.<map>.png");
  AddAdviseDeviceOption(parser);  // the verdicts' words follow the plan's decisions
  AddLoadOptions(parser);
  AddStallLimitOption(parser, "one line naming the file, exit 4");
  parser.AddFlag("help", "show this help", 'h');
  return parser;
}

CommandSpec AnalyzeCommand() {
  return {"analyze",
          "measure each file: size, metadata, resolution vs a target, quality",
          {"acuity analyze [--target SPEC [--fit contain|crop|pad[:COLOR]]] [--json] [--content] [--maps DIR]",
           "               [--device auto|cpu|cuda[:N]] FILE|FOLDER..."},
          "Measure each image: size and metadata, resolution versus a target, and quality.\n"
          "A FOLDER stands for the image files under it (recursively), as in `acuity batch`.\n",
          AnalyzeArgParser,
          nullptr,
          RunAnalyze};
}

int RunAnalyze(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const ArgParser parser = AnalyzeArgParser();
  absl::StatusOr<ParsedArgs> parsed = parser.Parse(args);
  if (!parsed.ok()) return UsageError(err, parsed.status());
  if (parsed->Has("help")) {
    out << CommandHelp(AnalyzeCommand());
    return kExitOk;
  }
  if (parsed->positional().empty()) return UsageError(err, "analyze needs at least one FILE");

  absl::StatusOr<MeasureArgs> measure = GetMeasureArgs(*parsed);
  if (!measure.ok()) return UsageError(err, measure.status());
  const absl::StatusOr<double> stall_limit_s = GetStallLimit(*parsed);
  if (!stall_limit_s.ok()) return UsageError(err, stall_limit_s.status());
  StallGuard guard(*stall_limit_s);
  const absl::StatusOr<DeviceRequest> device = GetAdviseDevice(*parsed);
  if (!device.ok()) return UsageError(err, device.status());
  const std::optional<std::string> maps_dir = parsed->Get("maps");
  if (maps_dir) {
    if (absl::Status s = MakeOutputDir(*maps_dir); !s.ok()) return ReportOutputError(err, *maps_dir, s);
    measure->analyze.compute_maps = true;
  }
  std::set<std::string> used_stems;

  const bool json = parsed->Has("json");
  bool first = true;
  return ForEachImage(parsed->positional(), measure->load, guard, err, [&](const std::string& path, const Image& image) {
    int code = kExitOk;
    if (int refused = RefuseAnalysisOverCgroupLimit(err, path, image, measure->analyze.find_content)) return refused;
    const absl::StatusOr<AnalysisReport> analysed = TryAnalyze(image, measure->analyze);
    if (!analysed.ok()) return ReportFailure(err, path, analysed.status(), kExitFailed);
    AnalysisReport report = *analysed;
    if (maps_dir && !Interrupted()) {
      // DIR/<file stem>.<map>.png; a repeated stem gets a numeric suffix.
      std::string stem = std::filesystem::path(path).stem().string();
      for (int n = 2; !used_stems.insert(stem).second; ++n)
        stem = std::filesystem::path(path).stem().string() + "-" + std::to_string(n);
      code = ReportHeatmapErrors(WriteHeatmaps(report.maps, image.pixels.size(), *maps_dir, stem), path, err);
    }
    if (json) {
      out << JsonText(ReportToJson(report)) << "\n";
    } else {
      // The verdicts' words read the advisor's decisions (a model that
      // repairs the noise itself): priced as `acuity advise` prices them.
      // The JSON holds no verdicts, and loads nothing for them.
      PriceForDevice(*device, report);
      if (!first) out << "\n";
      out << report::FormatReportText(report);
    }
    out.flush();
    first = false;
    return code;
  });
}

}  // namespace acuity::cli

#include "cli/advise_command.h"

#include "analysis/advice/advisor.h"
#include "analysis/measurements/analyze.h"
#include "analysis/io/image_io.h"
#include "analysis/advice/plan.h"
#include "analysis/advice/plan_time.h"
#include "analysis/json/json_text.h"
#include "analysis/json/plan_json.h"
#include "analysis/json/report_json.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "analysis/io/exit_codes.h"
#include "report/text_output.h"

namespace acuity::cli {

nlohmann::json AdviceToJson(const AnalysisReport& report, const Plan& plan) {
  nlohmann::json j = ReportToJson(report);
  j["plan"] = PlanToJson(plan);
  return j;
}

ArgParser AdviseArgParser() {
  ArgParser parser("advise");
  AddTargetOption(parser);
  parser.AddFlag("json", "print one JSON object per file (measurements and \"plan\"), one per line");
  AddLoadOptions(parser);
  AddStallLimitOption(parser, "one line naming the file, exit 4");
  parser.AddFlag("help", "show this help", 'h');
  return parser;
}

CommandSpec AdviseCommand() {
  return {"advise",
          "measurements plus an ordered plan with reasons and warnings",
          {"acuity advise [--target SPEC [--fit contain|crop|pad[:COLOR]]] [--json] FILE|FOLDER..."},
          "Measure each image and say what to do, in which order, and why:\n"
          "repair (deblock, denoise) -> upscale -> sharpen last and lightly -> encode.\n",
          AdviseArgParser,
          nullptr,
          RunAdvise};
}

int RunAdvise(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const ArgParser parser = AdviseArgParser();
  absl::StatusOr<ParsedArgs> parsed = parser.Parse(args);
  if (!parsed.ok()) return UsageError(err, parsed.status());
  if (parsed->Has("help")) {
    out << CommandHelp(AdviseCommand());
    return kExitOk;
  }
  if (parsed->positional().empty()) return UsageError(err, "advise needs at least one FILE");
  absl::StatusOr<MeasureArgs> measure = GetMeasureArgs(*parsed);
  if (!measure.ok()) return UsageError(err, measure.status());
  const absl::StatusOr<double> stall_limit_s = GetStallLimit(*parsed);
  if (!stall_limit_s.ok()) return UsageError(err, stall_limit_s.status());
  StallGuard guard(*stall_limit_s);

  const bool json = parsed->Has("json");
  bool first = true;
  return ForEachImage(parsed->positional(), measure->load, guard, err, [&](const std::string& path, const Image& image) {
    if (int refused = RefuseAnalysisOverCgroupLimit(err, path, image, measure->analyze.find_content)) return refused;
    const absl::StatusOr<AnalysisReport> analysed = TryAnalyze(image, measure->analyze);
    if (!analysed.ok()) return ReportFailure(err, path, analysed.status(), kExitFailed);
    const AnalysisReport& report = *analysed;
    const Plan plan = Advise(report);
    if (json) {
      out << JsonText(AdviceToJson(report, plan)) << "\n";
    } else {
      if (!first) out << "\n";
      AnalysisReport shown = report;
      shown.warnings.clear();  // the plan repeats them, with its own
      out << report::FormatReportText(shown) << report::FormatPlanText(plan, report);
      const double seconds = EstimatedPlanSeconds(plan, image.pixels, "", SrDeviceKind::kCpu);
      if (seconds > kSayPlanTimeAboveSeconds)
        out << "  expected to run in " << PlanTimeText(seconds) << " (" << PlanTimeBasisText(SrDeviceKind::kCpu)
            << ")\n";
    }
    out.flush();
    first = false;
    return kExitOk;
  });
}

}  // namespace acuity::cli

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

void AddAdviseDeviceOption(ArgParser& parser) {
  AddDeviceOption(parser, "the device an upscale would run on, for which the model is chosen (default auto: the "
                          "first CUDA device the LibTorch module sees, else the CPU; docs/advice.md)");
}

absl::StatusOr<DeviceRequest> GetAdviseDevice(const ParsedArgs& args) {
  const std::optional<std::string> words = args.Get("device");
  if (!words) return DeviceRequest();
  absl::StatusOr<DeviceRequest> request = ParseDeviceRequest(*words);
  if (!request.ok()) return request.status();
  UpscaleOptions upscale;
  upscale.device = *request;
  // A CUDA device asked for must be there, as for enhance (one line, exit 2).
  if (absl::Status there = CheckDevice(upscale); !there.ok()) return there;
  return request;
}

ArgParser AdviseArgParser() {
  ArgParser parser("advise");
  AddTargetOption(parser);
  parser.AddFlag("json", "print one JSON object per file (measurements and \"plan\"), one per line");
  AddAdviseDeviceOption(parser);
  AddLoadOptions(parser);
  AddStallLimitOption(parser, "one line naming the file, exit 4");
  parser.AddFlag("help", "show this help", 'h');
  return parser;
}

CommandSpec AdviseCommand() {
  return {"advise",
          "measurements plus an ordered plan with reasons and warnings",
          {"acuity advise [--target SPEC [--fit contain|crop|pad[:COLOR]]] [--device auto|cpu|cuda[:N]] [--json]",
           "              FILE|FOLDER..."},
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
  const absl::StatusOr<DeviceRequest> device = GetAdviseDevice(*parsed);
  if (!device.ok()) return UsageError(err, device.status());

  const bool json = parsed->Has("json");
  bool first = true;
  return ForEachImage(parsed->positional(), measure->load, guard, err, [&](const std::string& path, const Image& image) {
    if (int refused = RefuseAnalysisOverCgroupLimit(err, path, image, measure->analyze.find_content)) return refused;
    const absl::StatusOr<AnalysisReport> analysed = TryAnalyze(image, measure->analyze);
    if (!analysed.ok()) return ReportFailure(err, path, analysed.status(), kExitFailed);
    AnalysisReport report = *analysed;
    PriceForDevice(*device, report);
    const Plan plan = Advise(report);
    if (json) {
      out << JsonText(AdviceToJson(report, plan)) << "\n";
    } else {
      if (!first) out << "\n";
      AnalysisReport shown = report;
      shown.warnings.clear();  // the plan repeats them, with its own
      out << report::FormatReportText(shown) << report::FormatPlanText(plan, report);
      const double seconds = EstimatedPlanSeconds(plan, image.pixels, "", report.upscale_device);
      if (seconds > kSayPlanTimeAboveSeconds)
        out << "  expected to run in " << PlanTimeText(seconds) << " (" << PlanTimeBasisText(report.upscale_device)
            << ")\n";
    }
    out.flush();
    first = false;
    return kExitOk;
  });
}

}  // namespace acuity::cli

#include "python/calls.h"

#include <sstream>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "analysis/advice/advisor.h"
#include "analysis/advice/qa.h"
#include "analysis/io/guard.h"
#include "analysis/io/image_io.h"
#include "analysis/json/batch_record_json.h"
#include "analysis/json/qa_json.h"
#include "analysis/json/report_json.h"
#include "cli/advise_command.h"
#include "cli/args.h"
#include "cli/common.h"
#include "cli/enhance_command.h"
#include "enhance/enhance_core.h"
#include "analysis/io/exit_codes.h"
#include "cli/qa_command.h"

namespace acuity::python {
namespace {

constexpr char kPrefix[] = "acuity: ";

// What the command's reporting functions print on `err`, one line each.
std::vector<std::string> Lines(const std::ostringstream& err) {
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(err.str(), '\n', absl::SkipEmpty())) {
    absl::ConsumePrefix(&line, kPrefix);
    lines.emplace_back(line);
  }
  return lines;
}

// The result of a call whose failure (exit code `code`, or none) was
// reported on `err`: the last line is the failure's, the others are notes.
CallResult Finish(std::optional<int> code, const std::ostringstream& err, CallResult result) {
  result.notes = Lines(err);
  if (code && *code != kExitOk) {
    result.error = CallError{*code, result.notes.empty() ? std::string("failed") : result.notes.back()};
    if (!result.notes.empty()) result.notes.pop_back();
    result.value = nullptr;
    result.pixels = cv::Mat();
  }
  return result;
}

// The options each function takes: the command's own, less those about
// printing (--json, --maps, --report) and the inputs (qa's --reference is an
// argument of its own).
cli::ArgParser OptionTable(Function function) {
  switch (function) {
    case Function::kAnalyze:
    case Function::kAdvise: {
      cli::ArgParser parser(function == Function::kAnalyze ? "analyze" : "advise");
      cli::AddTargetOption(parser);
      if (function == Function::kAnalyze) cli::AddContentOption(parser);
      cli::AddAdviseDeviceOption(parser);  // analyze's JSON has no verdicts: priced only for advise
      cli::AddLoadOptions(parser);
      return parser;
    }
    case Function::kQa: {
      cli::ArgParser parser("qa");
      cli::AddThresholdsOption(parser);
      cli::AddLoadOptions(parser);
      return parser;
    }
    case Function::kEnhance:
      break;
  }
  return cli::EnhanceArgParser();
}

std::string NameOf(const Input& input) { return input.path ? *input.path : kArrayName; }

// The input's image, read as every command reads a file (cli/common.h
// ForEachImage) or taken from memory under the same limits.
absl::StatusOr<Image> Load(const Input& input, const LoadOptions& load) {
  if (input.path) return LoadImage(*input.path, load);
  return ImageFromPixels(*input.pixels, kArrayName, load);
}

std::optional<int> LoadOrReport(const Input& input, const LoadOptions& load, std::optional<Image>& image,
                                std::ostream& err) {
  absl::StatusOr<Image> loaded = CatchToStatus("reading the image", [&] { return Load(input, load); });
  if (!loaded.ok()) {
    // An array the limits refuse is the caller's mistake, as a bad option is.
    const int otherwise = input.path ? kExitBadInput : kExitUsage;
    return cli::ReportFailure(err, NameOf(input), loaded.status(), otherwise);
  }
  image = *std::move(loaded);
  return std::nullopt;
}

// The measuring commands (analyze, advise): their options, the image, the
// analysis; `json` turns the report into the command's object.
template <typename ToJson>
CallResult Measure(Function function, const Input& input, const Words& options, ToJson json) {
  std::ostringstream err;
  CallResult result;
  const cli::ArgParser parser = OptionTable(function);
  const absl::StatusOr<cli::ParsedArgs> parsed = parser.Parse(options);
  if (!parsed.ok()) return Finish(cli::UsageError(err, parsed.status()), err, std::move(result));
  const absl::StatusOr<cli::MeasureArgs> measure = cli::GetMeasureArgs(*parsed);
  if (!measure.ok()) return Finish(cli::UsageError(err, measure.status()), err, std::move(result));
  const absl::StatusOr<DeviceRequest> device = cli::GetAdviseDevice(*parsed);  // auto unless advise's --device
  if (!device.ok()) return Finish(cli::UsageError(err, device.status()), err, std::move(result));
  std::optional<Image> image;
  if (auto code = LoadOrReport(input, measure->load, image, err)) return Finish(code, err, std::move(result));
  absl::StatusOr<AnalysisReport> report = TryAnalyze(*image, measure->analyze);
  if (!report.ok()) return Finish(cli::ReportFailure(err, NameOf(input), report.status(), kExitFailed), err,
                                  std::move(result));
  if (function == Function::kAdvise) PriceForDevice(*device, *report);
  result.value = json(*report);
  return Finish(std::nullopt, err, std::move(result));
}

// What `call` throws (the machine ran out of memory, a library failed)
// becomes its error, as the commands report it: no exception reaches Python.
template <typename F>
CallResult Guarded(const Input& input, F call) {
  CallResult result;
  const absl::Status thrown = CatchToStatus("working on the image", [&] { result = call(); });
  if (thrown.ok()) return result;
  std::ostringstream err;
  return Finish(cli::ReportFailure(err, NameOf(input), thrown, kExitFailed), err, CallResult());
}

CallResult CallAnalyzeUnguarded(const Input& input, const Words& options) {
  return Measure(Function::kAnalyze, input, options, [](const AnalysisReport& r) { return ReportToJson(r); });
}

CallResult CallAdviseUnguarded(const Input& input, const Words& options) {
  return Measure(Function::kAdvise, input, options,
                 [](const AnalysisReport& r) { return cli::AdviceToJson(r, Advise(r)); });
}

CallResult CallQaUnguarded(const Input& before, const Input& after, const std::optional<Input>& reference,
                           const Words& options) {
  std::ostringstream err;
  CallResult result;
  const cli::ArgParser parser = OptionTable(Function::kQa);
  const absl::StatusOr<cli::ParsedArgs> parsed = parser.Parse(options);
  if (!parsed.ok()) return Finish(cli::UsageError(err, parsed.status()), err, std::move(result));
  const absl::StatusOr<QaThresholds> thresholds = cli::GetThresholds(*parsed);
  if (!thresholds.ok()) return Finish(cli::UsageError(err, thresholds.status()), err, std::move(result));
  const absl::StatusOr<LoadOptions> load = cli::GetLoadOptions(*parsed);
  if (!load.ok()) return Finish(cli::UsageError(err, load.status()), err, std::move(result));
  std::optional<Image> input, output, truth;
  if (auto code = LoadOrReport(before, *load, input, err)) return Finish(code, err, std::move(result));
  if (auto code = LoadOrReport(after, *load, output, err)) return Finish(code, err, std::move(result));
  if (reference) {
    if (auto code = LoadOrReport(*reference, *load, truth, err)) return Finish(code, err, std::move(result));
  }
  QaOptions qa_options;
  qa_options.compute_maps = false;
  const absl::StatusOr<QaReport> report =
      RunQa(*input, *output, truth ? &*truth : nullptr, *thresholds, qa_options);
  if (!report.ok()) return Finish(cli::ReportQaFailure(err, NameOf(after), report.status()), err, std::move(result));
  result.value = QaReportToJson(*report, input->info, output->info, truth ? &truth->info : nullptr);
  return Finish(std::nullopt, err, std::move(result));
}

CallResult CallEnhanceUnguarded(const Input& input, const Words& options, const PipelineProgress& progress) {
  std::ostringstream out, err;  // `out`: the command's text, not part of the result
  CallResult result;
  const cli::ArgParser parser = OptionTable(Function::kEnhance);
  Words words = options;
  words.push_back("--");
  words.push_back(NameOf(input));
  const absl::StatusOr<cli::ParsedArgs> parsed = parser.Parse(words);
  if (!parsed.ok()) return Finish(cli::UsageError(err, parsed.status()), err, std::move(result));
  cli::EnhanceRequest request;
  request.output_required = false;  // without output=, the pixels only
  if (auto code = cli::ReadRequest(*parsed, request, err)) return Finish(code, err, std::move(result));
  Plan steps;
  if (auto code = cli::CheckBeforeWork(request, steps, err)) return Finish(code, err, std::move(result));
  std::optional<Image> image;
  if (auto code = LoadOrReport(input, request.load, image, err)) return Finish(code, err, std::move(result));
  cli::EnhanceOutcome outcome;
  if (auto code = cli::PrepareAndRun(request, steps, *image, progress, outcome, out, err))
    return Finish(code, err, std::move(result));
  if (!request.output.empty()) {
    if (auto code = cli::WriteEnhanceResult(request, cli::SpecOf(request, steps), *image, outcome.plan,
                                            outcome.result, out, err))
      return Finish(code, err, std::move(result));
  }
  result.value = nlohmann::json::object();
  AddEnhanceWorkJson(outcome.before, outcome.plan, result.value);
  result.value["output"] = request.output.empty() ? nlohmann::json(nullptr) : nlohmann::json(request.output);
  result.pixels = outcome.result.pixels;
  return Finish(std::nullopt, err, std::move(result));
}

}  // namespace

std::string OptionsHelp(Function function) { return OptionTable(function).OptionsHelp(); }

CallResult CallAnalyze(const Input& input, const Words& options) {
  return Guarded(input, [&] { return CallAnalyzeUnguarded(input, options); });
}

CallResult CallAdvise(const Input& input, const Words& options) {
  return Guarded(input, [&] { return CallAdviseUnguarded(input, options); });
}

CallResult CallQa(const Input& before, const Input& after, const std::optional<Input>& reference,
                  const Words& options) {
  return Guarded(after, [&] { return CallQaUnguarded(before, after, reference, options); });
}

CallResult CallEnhance(const Input& input, const Words& options, const PipelineProgress& progress) {
  return Guarded(input, [&] { return CallEnhanceUnguarded(input, options, progress); });
}

}  // namespace acuity::python

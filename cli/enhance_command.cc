#include "cli/enhance_command.h"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <optional>

#include <fmt/format.h>
#include <opencv2/core.hpp>

#include "absl/strings/str_join.h"
#include "analysis/advice/advisor.h"
#include "analysis/advice/parse_steps.h"
#include "analysis/advice/plan_ops.h"
#include "analysis/advice/plan_time.h"
#include "analysis/advice/sr_model_facts.h"
#include "analysis/io/guard.h"
#include "analysis/io/image_io.h"
#include "analysis/io/image_writer.h"
#include "analysis/measurements/analyze.h"
#include "analysis/io/thread_pool.h"
#include "analysis/measurements/target_spec.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "enhance/enhance_core.h"
#include "batch/stage_times.h"
#include "enhance/cuda_prestart.h"
#include "analysis/io/exit_codes.h"
#include "cli/interrupt.h"
#include "report/text_output.h"
#include "enhance/compute_threads.h"
#include "enhance/device.h"
#include "enhance/model_registry.h"
#include "enhance/pipeline.h"
#include "enhance/plan_preparation.h"

namespace acuity::cli {
namespace {

// The built-in models with their scales, from the model table.
std::string ModelsHelp() {
  std::vector<std::string> models;
  for (const SrModelFacts& f : AllSrModelFacts())
    models.push_back(fmt::format("{} (x{})", f.name, absl::StrJoin(f.Scales(), "/")));
  return absl::StrJoin(models, ", ");
}

// After the options: the steps from the plan table, the models from the model table.
std::vector<HelpSection> EnhanceSections() {
  const std::string example = "--steps deblock,denoise:12,upscale:4,sharpen:0.4";
  const std::string models = fmt::format("  {} (fastest first), or FILE.pt\n", ModelsHelp());
  return {{"steps (comma-separated; OP:VALUE:... in the order shown, or OP:name=value)",
           fmt::format("{}e.g. {}\n", StepsHelpText(), example),
           fmt::format("{}\ne.g. `{}`\n", StepsMarkdownTable(), example)},
          {"models", models, ""}};
}

constexpr double kPlainProgressEverySeconds = 10;
constexpr double kBarRefreshSeconds = 0.1;

// Progress on stderr: a bar redrawn in place on a terminal; otherwise a plain
// line now and then (every 10 s) so that logs stay readable.
class ProgressPrinter {
 public:
  ProgressPrinter(std::ostream& err, bool tty) : err_(err), tty_(tty) {}
  ~ProgressPrinter() { Finish(); }

  bool Update(double fraction, const std::string& step) {
    const double now = Seconds();
    if (tty_) {
      if (now - last_ < kBarRefreshSeconds && fraction < 1.0) return true;
      constexpr int kWidth = 24;
      const int filled = int(std::lround(fraction * kWidth));
      err_ << "\racuity: [" << std::string(filled, '#') << std::string(kWidth - filled, '-') << "] "
           << fmt::format("{:3.0f} % ", fraction * 100) << step << "\x1b[K" << std::flush;
      drawn_ = true;
    } else if (now - last_ >= kPlainProgressEverySeconds) {
      err_ << fmt::format("acuity: {:.0f} % ({})\n", fraction * 100, step) << std::flush;
    } else {
      return true;
    }
    last_ = now;
    return true;
  }

  void Finish() {
    if (drawn_) err_ << "\r\x1b[K" << std::flush;
    drawn_ = false;
  }

 private:
  double Seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  std::ostream& err_;
  const bool tty_;
  const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  double last_ = 0;
  bool drawn_ = false;
};

}  // namespace

ArgParser EnhanceArgParser() {
  ArgParser parser("enhance");
  AddTargetOption(parser);
  parser.AddOption("steps", "STEPS", "explicit steps, run in the order given (see steps below)", 's');
  parser.AddOption("plan", "auto", "run the plan `acuity advise` gives");
  parser.AddOption("model", "NAME|FILE.pt", "super-resolution model (default: acuity picks, and says which)", 'm');
  parser.AddOption("model-scale", "N", "scale of a FILE.pt without a JSON sidecar");
  parser.AddOption("model-range", "1|255", "input range of a FILE.pt without a JSON sidecar");
  parser.AddOption("quality", "Q", "JPEG/WebP quality 1-100 (default 92, or the encode step's)", 'q');
  parser.AddOption("threads", "N", "CPU threads for the model and OpenCV (default: measured)");
  AddDeviceOptions(parser);
  parser.AddOption("max-memory", "MB",
                   "refuse up front (exit 4) a plan estimated to need more memory (default: what is available)");
  parser.AddOption("output", "OUT", "where to write the result (.jpg, .png, .tif, .webp)", 'o');
  AddLoadOptions(parser);
  parser.AddFlag("timings",
                 "say on stderr where the time went: read, analyse and plan, start LibTorch, load models, steps, "
                 "write, re-measure");
  parser.AddFlag("help", "show this help", 'h');
  return parser;
}

namespace {

// --model-scale, --model-range, --quality, --threads. An exit code on a usage error.
std::optional<int> ReadNumbers(const ParsedArgs& parsed, EnhanceRequest& request, std::ostream& err) {
  absl::StatusOr<double> scale = parsed.GetNumber("model-scale", 0);
  absl::StatusOr<double> range = parsed.GetNumber("model-range", 0);
  absl::StatusOr<double> q = parsed.GetNumber("quality", 0);
  absl::StatusOr<double> threads = parsed.GetNumber("threads", 0);
  absl::StatusOr<double> max_memory = parsed.GetNumber("max-memory", 0);
  for (const auto* s : {&scale, &range, &q, &threads, &max_memory})
    if (!s->ok()) return UsageError(err, s->status());
  UpscaleOptions& upscale = request.options.upscale;
  if (parsed.Has("model-scale")) {
    if (*scale < 1 || *scale > 16 || *scale != std::floor(*scale))
      return UsageError(err, "--model-scale must be a whole number 1-16");
    upscale.model_scale = int(*scale);
  }
  if (parsed.Has("model-range")) {
    if (*range != 1 && *range != 255) return UsageError(err, "--model-range must be 1 or 255");
    upscale.model_input_range = *range;
  }
  if (parsed.Has("quality")) {
    if (*q < 1 || *q > 100 || *q != std::floor(*q)) return UsageError(err, "--quality must be 1-100");
    request.quality = int(*q);
  }
  if (parsed.Has("threads")) {
    if (*threads < 1 || *threads > 256 || *threads != std::floor(*threads))
      return UsageError(err, "--threads must be a whole number ≥ 1");
    upscale.threads = int(*threads);
    SetComputeThreads(int(*threads));
  }
  if (parsed.Has("max-memory")) {
    if (!(*max_memory > 0)) return UsageError(err, "--max-memory must be a positive number of MB");
    request.max_memory_mb = *max_memory;
  }
  return std::nullopt;
}

}  // namespace

std::optional<int> ReadRequest(const ParsedArgs& parsed, EnhanceRequest& request, std::ostream& err) {
  if (parsed.positional().size() != 1) return UsageError(err, "enhance needs exactly one FILE");
  request.input = parsed.positional()[0];
  request.output = parsed.Get("output").value_or("");
  if (request.output.empty() && request.output_required) return UsageError(err, "enhance needs -o OUT");
  request.steps_text = parsed.Get("steps");
  const std::optional<std::string> plan_mode = parsed.Get("plan");
  if (request.steps_text && plan_mode) return UsageError(err, "give either --steps or --plan auto, not both");
  if (!request.steps_text && !plan_mode) return UsageError(err, "enhance needs --steps STEPS or --plan auto");
  if (plan_mode && *plan_mode != "auto") return UsageError(err, "--plan takes only 'auto'");
  if (absl::Status s = GetDeviceOptions(parsed, request.options.upscale); !s.ok()) return UsageError(err, s);
  absl::StatusOr<std::optional<TargetSpec>> target = GetTarget(parsed);
  if (!target.ok()) return UsageError(err, target.status());
  request.target = *target;
  request.options.upscale.model = parsed.Get("model").value_or("");
  if (auto code = ReadNumbers(parsed, request, err)) return code;
  absl::StatusOr<LoadOptions> load = GetLoadOptions(parsed);
  if (!load.ok()) return UsageError(err, load.status());
  request.load = *load;
  request.timings = parsed.Has("timings");
  return std::nullopt;
}

namespace {

// A plan problem (PreparePlan, CheckModels): a missing model file is an
// unreadable input; anything else is a usage error.
int PlanError(std::ostream& err, const absl::Status& status) {
  err << "acuity: " << status.message() << "\n";
  return absl::IsNotFound(status) ? kExitBadInput : kExitUsage;
}

}  // namespace

std::optional<int> CheckBeforeWork(EnhanceRequest& request, Plan& plan, std::ostream& err) {
  if (request.steps_text) {
    absl::StatusOr<Plan> parsed = ParseSteps(*request.steps_text);
    if (!parsed.ok()) return UsageError(err, parsed.status());
    plan = *std::move(parsed);
  }
  if (absl::Status s = CheckModels(plan, request.options.upscale); !s.ok()) return PlanError(err, s);
  if (absl::Status s = CheckDevice(request.options.upscale); !s.ok()) return UsageError(err, s);
  // Nothing to write (output_required off): no file format to agree with;
  // the plan's own encode step, if any, says how the pixels are prepared.
  if (request.output.empty()) return std::nullopt;
  absl::StatusOr<ImageFormat> out_format = OutputFormatFromPath(request.output);
  if (!out_format.ok()) return UsageError(err, out_format.status());
  request.out_format = *out_format;
  if (absl::Status s = CheckOutputPath(request.output, request.input); !s.ok())
    return ReportOutputError(err, request.output, s);
  return std::nullopt;
}

namespace {

// Runs the plan, reporting to `progress` (which cancels it by returning
// false). An exit code on failure.
std::optional<int> Run(const EnhanceRequest& request, const Image& image, const Plan& plan,
                       const PipelineProgress& progress, PipelineResult& result, std::ostream& err) {
  PipelineOptions options = request.options;
  options.progress = progress;
  options.output_format = request.out_format;
  absl::StatusOr<PipelineResult> run = RunPlan(image, plan, options);
  if (run.ok()) {
    result = *std::move(run);
    return std::nullopt;
  }
  if (absl::IsCancelled(run.status()) && Interrupted()) return ReportInterrupted(err, request.input);
  if (IsModelFileError(run.status())) {
    err << "acuity: " << run.status().message() << "\n";  // names the model file
    return kExitBadInput;
  }
  err << "acuity: " << request.input << ": " << run.status().message() << "; nothing written\n";
  return kExitFailed;
}

}  // namespace

std::optional<int> WriteEnhanceResult(const EnhanceRequest& request, const EnhanceSpec& spec, const Image& image,
                                      const Plan& plan, const PipelineResult& result, std::ostream& out, std::ostream& err) {
  WriteOptions write = EnhancedWriteOptions(image, result, spec, request.quality);
  write.cancelled = Interrupted;
  absl::StatusOr<WriteReport> written = WriteImage(request.output, result.pixels, write);
  if (absl::IsCancelled(written.status())) return ReportInterrupted(err, request.input);
  if (IsMachineResourceError(written.status())) return ReportFailure(err, request.input, written.status(), kExitNoResource);
  if (!written.ok()) return ReportOutputError(err, request.output, written.status());
  for (size_t i = 0; i < result.log.size(); ++i) {
    const StepLog& log = result.log[i];
    out << fmt::format("  {:<40} {:6.1f} s  {}×{} px{}\n", log.step, log.seconds, log.width, log.height,
                       log.note.empty() ? "" : "  (" + log.note + ")");
    const auto* up = std::get_if<UpscaleStep>(&plan.steps[i].params);  // one log entry per step
    if (up != nullptr && up->model.empty() && request.options.upscale.model.empty())
      err << "acuity: " << log.step << ": model chosen by acuity; pick one with --model "
          << absl::StrJoin(BuiltinModelNames(), "|") << "|FILE.pt\n";
  }
  for (const std::string& note : written->notes) err << "acuity: " << request.output << ": " << note << "\n";
  out << fmt::format("wrote {} ({}, {}×{} px, {}{})\n", request.output, ImageFormatName(written->format),
                     result.pixels.cols, result.pixels.rows, report::FormatBytes(written->bytes),
                     written->dpi_x ? fmt::format(", {:g} dpi", std::round(*written->dpi_x * 10) / 10) : "");
  return std::nullopt;
}

namespace {

// What the plan achieved, measured on the file as written (decoded again,
// so JPEG encoding counts).
void PrintBeforeAfter(const EnhanceRequest& request, const AnalysisReport& before, const AnalyzeOptions& analyze,
                      std::ostream& out, std::ostream& err) {
  absl::StatusOr<Image> result_image = LoadImage(request.output, request.load);
  // The result read again at the input's scale too (the blur and the smear
  // "at the input's size"; without it, the table divides after's own): the
  // two readings share nothing and run side by side on the pool — on a GPU's
  // host the re-measure was the longest stage of a run (models/RESULTS.md,
  // "GPU").
  AnalyzeOptions plain = analyze;
  plain.target.reset();
  std::optional<Image> at_input;
  if (result_image.ok()) at_input = report::ContentAtInputScale(*result_image, before);
  absl::StatusOr<AnalysisReport> read_at_input = absl::NotFoundError("same scale");
  const auto read_it_at_input = [&] { read_at_input = TryAnalyze(*at_input, plain); };
  // Side by side only where the reduced copy is small beside the result (an
  // enlargement of 2× or more): two analyses of near the same size at once
  // would need twice the memory the enhance's budget counted for one.
  const bool side_by_side = at_input && 4.0 * double(at_input->pixels.total()) <= double(result_image->pixels.total());
  TaskGroup beside;  // thread_pool.h: TryAnalyze throws nothing
  if (side_by_side) beside.Run(read_it_at_input);
  absl::StatusOr<AnalysisReport> after =
      result_image.ok() ? TryAnalyze(*result_image, analyze) : absl::StatusOr<AnalysisReport>(result_image.status());
  beside.Wait();
  if (at_input && !side_by_side) read_it_at_input();
  if (after.ok()) {
    out << report::FormatBeforeAfterText(before, *after, read_at_input.ok() ? &*read_at_input : nullptr);
  } else {  // the output is written and fine; only the comparison is missing
    err << "acuity: " << request.output << ": written, but not re-analysed: " << after.status().message() << "\n";
  }
}

}  // namespace

EnhanceSpec SpecOf(const EnhanceRequest& request, const Plan& steps) {
  EnhanceSpec spec;
  if (request.steps_text) spec.explicit_plan = steps;
  spec.target = request.target;
  spec.options = request.options;
  spec.output_path = request.output;
  spec.output_format = request.out_format;
  return spec;
}

namespace {

// Over the memory budget: one line, exit 4, nothing written.
std::optional<int> MemoryError(const EnhanceRequest& request, const absl::Status& status, std::ostream& err) {
  if (status.ok()) return std::nullopt;
  err << "acuity: " << request.input << ": " << status.message() << "\n";
  return kExitFailed;
}

// The command's table: the request's options (EnhanceArgParser, shared
// with the Python module) and the program's watchdog.
ArgParser EnhanceCommandArgParser() {
  ArgParser parser = EnhanceArgParser();
  AddStallLimitOption(parser, "one line naming the file, exit 4, nothing written");
  return parser;
}

}  // namespace

CommandSpec EnhanceCommand() {
  return {"enhance",
          "run explicit steps or the advised plan (upscale, sharpen, ...) and write OUT",
          {"acuity enhance [--target SPEC [--fit contain|crop|pad[:COLOR]]] [--steps STEPS | --plan auto]",
           "               [--model NAME|FILE.pt] [--model-scale N] [--model-range 1|255] [--quality Q]",
           "               [--threads N] [--device auto|cpu|cuda[:N]] [--precision auto|fp16|bf16|fp32]",
           "               [--max-memory MB] -o OUT FILE"},
          "Run explicit steps, in the order given, or the advised plan, and write OUT.\n",
          EnhanceCommandArgParser,
          EnhanceSections,
          RunEnhance};
}

std::optional<int> PrepareAndRun(const EnhanceRequest& request, const Plan& steps, const Image& image,
                                 const PipelineProgress& progress, EnhanceOutcome& outcome, std::ostream& out,
                                 std::ostream& err) {
  const auto started = std::chrono::steady_clock::now();
  const EnhanceSpec spec = SpecOf(request, steps);
  const int64_t budget = MemoryBudgetForWork(request.max_memory_mb).bytes;
  if (!request.steps_text) {
    const int64_t analysis = EstimatePeakMemoryBytes(GeometryOf(image), /*find_content=*/true);  // as PrepareEnhance
    if (auto code = MemoryError(request, CheckMemoryBudget(analysis, budget, "the analysis"), err)) return *code;
  }
  absl::StatusOr<PreparedEnhance> prepared = PrepareEnhance(image, spec);
  if (IsMachineResourceError(prepared.status())) {
    return ReportFailure(err, request.input, prepared.status(), kExitFailed);
  }
  if (!prepared.ok()) return PlanError(err, prepared.status());
  const Plan& ready = prepared->prepared.plan;
  const int64_t estimate = EstimatePeakMemoryBytes(GeometryOf(image), ready, spec.options.upscale);
  // Read again once an upscale's LibTorch is mapped (enhance_core.h).
  const auto libtorch_started = std::chrono::steady_clock::now();
  if (PlanUpscales(ready)) PrestartCudaDevice(spec.options.upscale.device);  // beside the module's load
  const int64_t plan_budget = PlanUpscales(ready) ? MemoryBudgetForWork(request.max_memory_mb, true).bytes : budget;
  if (auto code = MemoryError(request, CheckMemoryBudget(estimate, plan_budget, "this plan"), err)) return *code;
  if (prepared->before) out << request.input << "\n" << report::FormatPlanText(ready, *prepared->before);
  for (const std::string& note : prepared->prepared.notes) err << "acuity: " << note << "\n";
  const SrDeviceKind device = PlanDeviceKind(ready, spec.options.upscale.device);
  FinishCudaPrestart(device == SrDeviceKind::kCuda);
  if (PlanUpscales(ready))
    outcome.start_libtorch_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - libtorch_started).count();
  const double seconds = EstimatedPlanSeconds(ready, image.pixels, spec.options.upscale.model, device);
  if (seconds > kSayPlanTimeAboveSeconds)
    err << "acuity: " << request.input << ": expected to take " << PlanTimeText(seconds) << " ("
        << PlanTimeBasisText(device) << ")\n";
  outcome.before = std::move(prepared->before);
  outcome.plan = ready;
  outcome.prepare_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return Run(request, image, outcome.plan, progress, outcome.result, err);
}

int RunEnhance(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const ArgParser parser = EnhanceCommandArgParser();
  absl::StatusOr<ParsedArgs> parsed = parser.Parse(args);
  if (!parsed.ok()) return UsageError(err, parsed.status());
  if (parsed->Has("help")) {
    out << CommandHelp(EnhanceCommand());
    return kExitOk;
  }
  EnhanceRequest request;
  if (auto code = ReadRequest(*parsed, request, err)) return *code;
  const absl::StatusOr<double> stall_limit_s = GetStallLimit(*parsed);
  if (!stall_limit_s.ok()) return UsageError(err, stall_limit_s.status());
  Plan plan;
  if (auto code = CheckBeforeWork(request, plan, err)) return *code;

  batch::StageTimes times;
  StallGuard guard(*stall_limit_s);
  guard.Beat(request.input);
  absl::StatusOr<Image> image = LoadImage(request.input, request.load);
  if (!image.ok()) return ReportFailure(err, request.input, image.status(), kExitBadInput);
  times.Mark("read");
  EnhanceOutcome outcome;
  ProgressPrinter printer(err, isatty(STDERR_FILENO) == 1);
  const std::optional<int> failed = PrepareAndRun(
      request, plan, *image,
      [&](double f, const std::string& step) {
        guard.Beat();  // each tile and step
        return printer.Update(f, step) && !Interrupted();
      },
      outcome, out, err);
  printer.Finish();
  if (failed) return *failed;
  guard.Beat();
  times.Mark("steps");
  // "steps" split into what went before them (the plan, then LibTorch's and
  // the device's start), the models' loading and the steps themselves.
  times.SplitLast(request.steps_text ? "plan" : "analyse and plan",
                  outcome.prepare_seconds - outcome.start_libtorch_seconds);
  if (outcome.start_libtorch_seconds > 0) times.SplitLast("start LibTorch", outcome.start_libtorch_seconds);
  if (outcome.result.model_load_seconds > 0)
    times.SplitLast("load models", outcome.result.model_load_seconds);
  const EnhanceSpec spec = SpecOf(request, plan);
  if (auto code = WriteEnhanceResult(request, spec, *image, outcome.plan, outcome.result, out, err)) return *code;
  times.Mark("encode and write");
  guard.Beat(request.output);  // the re-measure of OUT, written and kept whatever comes
  AnalyzeOptions analyze;
  analyze.target = request.target;
  if (outcome.before) {
    PrintBeforeAfter(request, *outcome.before, analyze, out, err);
    times.Mark("re-measure");
  }
  if (request.timings) err << "acuity: " << request.output << ": " << times.Text() << "\n";
  if (Interrupted()) return ReportInterrupted(err, "");  // OUT was complete before the signal
  return kExitOk;
}

}  // namespace acuity::cli

#include "cli/enhance_command.h"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <optional>

#include <fmt/format.h>
#include <opencv2/core.hpp>

#include "absl/strings/match.h"
#include "analysis/advice/advisor.h"
#include "analysis/measurements/analyze.h"
#include "analysis/io/image_io.h"
#include "analysis/measurements/target_fit.h"
#include "analysis/measurements/target_spec.h"
#include "cli/args.h"
#include "cli/common.h"
#include "cli/exit_codes.h"
#include "cli/text_output.h"
#include "analysis/io/image_writer.h"
#include "enhance/compute_threads.h"
#include "enhance/model_registry.h"
#include "enhance/pipeline.h"

namespace acuity::cli {
namespace {

constexpr char kUsage[] =
    "usage: acuity enhance [--target SPEC] [--steps STEPS | --plan auto] [--model NAME|FILE.pt]\n"
    "                      [--model-scale N] [--model-range 1|255] [--quality Q] [--threads N]\n"
    "                      -o OUT FILE\n"
    "Run explicit steps, in the order given, or the advised plan, and write OUT.\n"
    "\n"
    "steps (comma-separated; OP:VALUE:... or OP:name=value):\n"
    "  upscale[:FACTOR[:MODEL]]   AI upscale; no FACTOR = what --target needs\n"
    "  downscale:FACTOR|WxH       area-average down\n"
    "  sharpen[:AMOUNT[:RADIUS]]  halo-guarded unsharp mask (0.4 = 40 %, radius px)\n"
    "  denoise[:SIGMA]            non-local means; no SIGMA = measured\n"
    "  deblock[:QUALITY]          JPEG repair; no QUALITY = the file's tables or estimated\n"
    "  encode:FORMAT[:QUALITY]    jpeg|png|tiff|webp (must match OUT's extension)\n"
    "e.g. --steps deblock,denoise:12,upscale:4,sharpen:0.4\n"
    "models: esrgan-slim (fastest), esrgan-medium, esrgan-thick (best), or FILE.pt\n\n";

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

// Checks every model an upscale step will use: known names or a readable
// file with a known input range. Returns the exit code to stop with, if any.
std::optional<int> CheckModels(const Plan& plan, const UpscaleOptions& defaults, std::ostream& err) {
  for (const PlanStep& s : plan.steps) {
    if (s.op != "upscale") continue;
    const std::string model = s.params.value("model", defaults.model);
    if (model.empty()) continue;
    if (LooksLikeModelPath(model)) {
      absl::StatusOr<ModelSpec> spec = UserModelSpec(model, defaults.model_scale, defaults.model_input_range);
      if (!spec.ok()) {
        if (spec.status().code() == absl::StatusCode::kNotFound) {
          ReportInputError(err, model, spec.status());
          return kExitBadInput;
        }
        return UsageError(err, fmt::format("{}: {}", model, std::string(spec.status().message())));
      }
    } else if (!IsBuiltinModelName(model)) {
      return UsageError(err, fmt::format("unknown model '{}' (esrgan-slim, esrgan-medium, esrgan-thick, "
                                         "or a TorchScript FILE.pt)", model));
    }
  }
  return std::nullopt;
}

// Gives factor-less upscale steps the factor the target needs (relative to
// the input size); drops them when the target is already covered.
std::optional<int> ResolveUpscaleFactors(Plan& plan, const std::optional<TargetSpec>& target,
                                         const Image& image, std::ostream& err) {
  std::vector<PlanStep> kept;
  for (PlanStep& s : plan.steps) {
    if (s.op == "upscale" && !s.params.contains("factor")) {
      if (!target) return UsageError(err, "upscale without a factor needs --target (or write upscale:2)");
      const TargetFit fit = FitTarget(*target, image.pixels.cols, image.pixels.rows);
      if (fit.required_scale <= 1.0) {
        err << fmt::format("acuity: the image already covers {} ({}×{} px): no upscaling needed\n",
                           target->description, fit.width_px, fit.height_px);
        continue;
      }
      s.params["factor"] = fit.required_scale;
      s.reason = fmt::format("{} needs {}×{} px: {:.2f}×", target->description, fit.width_px,
                             fit.height_px, fit.required_scale);
    }
    kept.push_back(s);
  }
  plan.steps = std::move(kept);
  return std::nullopt;
}

}  // namespace

int RunEnhance(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  ArgParser parser("enhance");
  AddTargetOption(parser);
  parser.AddOption("steps", "STEPS", "explicit steps, run in the order given (see above)", 's');
  parser.AddOption("plan", "auto", "run the plan `acuity advise` gives");
  parser.AddOption("model", "NAME|FILE.pt", "super-resolution model (default: acuity picks, and says which)", 'm');
  parser.AddOption("model-scale", "N", "scale of a FILE.pt without a JSON sidecar");
  parser.AddOption("model-range", "1|255", "input range of a FILE.pt without a JSON sidecar");
  parser.AddOption("quality", "Q", "JPEG/WebP quality 1-100 (default 92, or the encode step's)", 'q');
  parser.AddOption("threads", "N", "CPU threads for the model and OpenCV (default: measured)");
  parser.AddOption("output", "OUT", "where to write the result (.jpg, .png, .tif, .webp)", 'o');
  AddLoadOptions(parser);
  parser.AddFlag("help", "show this help", 'h');
  absl::StatusOr<ParsedArgs> parsed = parser.Parse(args);
  if (!parsed.ok()) return UsageError(err, parsed.status());
  if (parsed->Has("help")) {
    out << kUsage << parser.OptionsHelp();
    return kExitOk;
  }
  if (parsed->positional().size() != 1) return UsageError(err, "enhance needs exactly one FILE");
  const std::string input = parsed->positional()[0];
  const std::optional<std::string> output = parsed->Get("output");
  if (!output || output->empty()) return UsageError(err, "enhance needs -o OUT");
  const std::optional<std::string> steps_text = parsed->Get("steps");
  const std::optional<std::string> plan_mode = parsed->Get("plan");
  if (steps_text && plan_mode) return UsageError(err, "give either --steps or --plan auto, not both");
  if (!steps_text && !plan_mode) return UsageError(err, "enhance needs --steps STEPS or --plan auto");
  if (plan_mode && *plan_mode != "auto") return UsageError(err, "--plan takes only 'auto'");

  absl::StatusOr<std::optional<TargetSpec>> parsed_target = GetTarget(*parsed);
  if (!parsed_target.ok()) return UsageError(err, parsed_target.status());
  const std::optional<TargetSpec> target = *parsed_target;
  PipelineOptions options;
  options.upscale.model = parsed->Get("model").value_or("");
  std::optional<int> quality;
  {
    absl::StatusOr<double> scale = parsed->GetNumber("model-scale", 0);
    absl::StatusOr<double> range = parsed->GetNumber("model-range", 0);
    absl::StatusOr<double> q = parsed->GetNumber("quality", 0);
    absl::StatusOr<double> threads = parsed->GetNumber("threads", 0);
    for (const auto* s : {&scale, &range, &q, &threads})
      if (!s->ok()) return UsageError(err, s->status());
    if (parsed->Has("model-scale")) {
      if (*scale < 1 || *scale > 16 || *scale != std::floor(*scale))
        return UsageError(err, "--model-scale must be a whole number 1-16");
      options.upscale.model_scale = int(*scale);
    }
    if (parsed->Has("model-range")) {
      if (*range != 1 && *range != 255) return UsageError(err, "--model-range must be 1 or 255");
      options.upscale.model_input_range = *range;
    }
    if (parsed->Has("quality")) {
      if (*q < 1 || *q > 100 || *q != std::floor(*q)) return UsageError(err, "--quality must be 1-100");
      quality = int(*q);
    }
    if (parsed->Has("threads")) {
      if (*threads < 1 || *threads > 256 || *threads != std::floor(*threads))
        return UsageError(err, "--threads must be a whole number ≥ 1");
      options.upscale.threads = int(*threads);
      SetComputeThreads(int(*threads));
    }
  }
  absl::StatusOr<LoadOptions> load = GetLoadOptions(*parsed);
  if (!load.ok()) return UsageError(err, load.status());

  // Everything that can be checked before the (long) work.
  Plan plan;
  if (steps_text) {
    absl::StatusOr<Plan> parsed_plan = ParseSteps(*steps_text);
    if (!parsed_plan.ok()) return UsageError(err, parsed_plan.status());
    plan = *std::move(parsed_plan);
  }
  if (auto code = CheckModels(plan, options.upscale, err)) return *code;
  absl::StatusOr<ImageFormat> out_format = OutputFormatFromPath(*output);
  if (!out_format.ok()) return UsageError(err, out_format.status());
  if (absl::Status s = CheckOutputPath(*output, input); !s.ok()) return UsageError(err, s);

  absl::StatusOr<Image> image = LoadImage(input, *load);
  if (!image.ok()) {
    ReportInputError(err, input, image.status());
    return kExitBadInput;
  }
  AnalyzeOptions analyze;
  analyze.target = target;
  std::optional<AnalysisReport> before;
  if (plan_mode) {
    before = Analyze(*image, analyze);
    plan = Advise(*before);
    if (!options.upscale.model.empty())
      for (PlanStep& s : plan.steps)
        if (s.op == "upscale") s.params["model"] = options.upscale.model;
    out << input << "\n" << FormatPlanText(plan);
  }
  if (auto code = ResolveUpscaleFactors(plan, target, *image, err)) return *code;
  for (PlanStep& s : plan.steps) {
    if (s.op != "encode") continue;
    const std::string format = s.params.value("format", "");
    if (format == ImageFormatName(*out_format)) continue;
    if (!plan_mode)
      return UsageError(err, fmt::format("the step encode:{} does not match the output {} (a {} file)", format,
                                         *output, ImageFormatName(*out_format)));
    // The advisor's suggestion gives way to the file name the user chose.
    err << fmt::format("acuity: the plan suggests {} for this target; writing {} as {} asks\n",
                       FormatStepText(s), ImageFormatName(*out_format), *output);
    s.params = {{"format", ImageFormatName(*out_format)}};
  }

  ProgressPrinter printer(err, isatty(STDERR_FILENO) == 1);
  options.progress = [&](double f, const std::string& step) { return printer.Update(f, step); };
  absl::StatusOr<PipelineResult> result = RunPlan(*image, plan, options);
  printer.Finish();
  if (!result.ok()) {
    const std::string message(result.status().message());
    const std::string& model = options.upscale.model;
    if (absl::StartsWith(message, "upscale") && LooksLikeModelPath(model) &&
        result.status().code() != absl::StatusCode::kResourceExhausted) {
      err << "acuity: " << message << "\n";  // names the model file
      return kExitBadInput;
    }
    err << "acuity: " << input << ": " << message << "; nothing written\n";
    return kExitFailed;
  }

  WriteOptions write;
  write.source = &image->info;
  write.format = *out_format;
  write.quality = quality.value_or(result->encode_quality.value_or(kDefaultJpegQuality));
  if (target && target->kind == TargetSpec::Kind::kPrint) write.target_dpi = target->dpi;
  absl::StatusOr<WriteReport> written = WriteImage(*output, result->pixels, write);
  if (!written.ok()) {
    err << "acuity: " << *output << ": " << written.status().message() << "\n";
    return written.status().code() == absl::StatusCode::kFailedPrecondition ? kExitUsage : kExitFailed;
  }

  for (size_t i = 0; i < result->log.size(); ++i) {
    const StepLog& log = result->log[i];
    out << fmt::format("  {:<40} {:6.1f} s  {}×{} px{}\n", log.step, log.seconds, log.width, log.height,
                       log.note.empty() ? "" : "  (" + log.note + ")");
    const PlanStep& step = plan.steps[i];  // one log entry per step
    if (step.op == "upscale" && !step.params.contains("model") && options.upscale.model.empty())
      err << "acuity: " << log.step << ": model chosen by acuity; pick one with --model "
          << "esrgan-slim|esrgan-medium|esrgan-thick|FILE.pt\n";
  }
  for (const std::string& note : written->notes) err << "acuity: " << *output << ": " << note << "\n";
  out << fmt::format("wrote {} ({}, {}×{} px, {}{})\n", *output, ImageFormatName(written->format),
                     result->pixels.cols, result->pixels.rows, FormatBytes(written->bytes),
                     written->dpi_x ? fmt::format(", {:g} dpi", std::round(*written->dpi_x * 10) / 10) : "");
  if (before) {
    // What the plan achieved, measured on the file as written (decoded
    // again, so JPEG encoding counts).
    absl::StatusOr<Image> result_image = LoadImage(*output, *load);
    if (result_image.ok()) {
      out << FormatBeforeAfterText(*before, Analyze(*result_image, analyze));
    } else {  // the output is written and fine; only the comparison is missing
      err << "acuity: " << *output << ": written, but not re-analysed: " << result_image.status().message()
          << "\n";
    }
  }
  return kExitOk;
}

}  // namespace acuity::cli

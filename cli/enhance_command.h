// `acuity enhance [--target SPEC] [--steps STEPS | --plan auto] [--model NAME|FILE.pt]
//                 [--model-scale N] [--model-range 1|255] [--quality Q] [--threads N]
//                 [--max-memory MB] -o OUT FILE`
// — runs explicit steps (analysis/advice/parse_steps.h for the grammar,
// plan_ops.h for the ops) or the advisor's plan on FILE, prepared as every
// front end prepares it (enhance/plan_preparation.h), and writes OUT
// atomically, with EXIF, ICC, DPI, alpha and 16-bit depth kept
// (analysis/io/image_writer.h).
//
//   int code = acuity::cli::RunEnhance({"--steps", "upscale:2,sharpen:0.4", "-o", "big.png",
//                                       "photo.jpg"}, std::cout, std::cerr);
//
// Exit codes, chosen from status codes and payloads, never from message
// text: 0 done; 2 bad usage (flags, steps, an unknown model, OUT is the
// input); 3 the input (or the --model file) could not be read or is not a
// usable model (IsModelFileError); 4 the enhancement or the writing failed,
// or the machine ran out of memory or disk (OUT is then left as it was and
// no temporary file remains), or the plan's estimated peak memory
// (enhance/memory_estimate.h) is over --max-memory MB (default:
// MemAvailable) and nothing was tried; 130/143 interrupted by SIGINT/SIGTERM
// (cli/interrupt.h; OUT left as it was).
#ifndef ACUITY_CLI_ENHANCE_COMMAND_H_
#define ACUITY_CLI_ENHANCE_COMMAND_H_

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "analysis/advice/plan.h"
#include "analysis/io/image.h"
#include "analysis/io/image_io.h"
#include "analysis/measurements/analyze.h"
#include "analysis/measurements/target_spec.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "enhance/enhance_core.h"
#include "enhance/pipeline.h"

namespace acuity::cli {

// The command's entry in the table of commands (cli/commands.h).
CommandSpec EnhanceCommand();

// The pieces below are RunEnhance's own steps, shared with the Python
// module (python/calls.h) so that both read, check and run a request alike.
// Each returns an exit code after printing the one-line error to `err`.

// What the command line asks for.
struct EnhanceRequest {
  std::string input, output;
  std::optional<std::string> steps_text;  // nullopt: --plan auto
  std::optional<TargetSpec> target;
  PipelineOptions options;
  std::optional<int> quality;  // --quality
  std::optional<double> max_memory_mb;  // --max-memory
  bool timings = false;                 // --timings: where the time went, on stderr
  LoadOptions load;
  ImageFormat out_format = ImageFormat::kUnknown;
  // The command needs -o OUT; the Python module's enhance does not (nothing
  // is written then and out_format stays kUnknown: the result's pixels are
  // returned as the plan makes them, flattened onto white only where its
  // own encode step is a JPEG).
  bool output_required = true;
};

// The option table of `acuity enhance` (--help, parsing).
ArgParser EnhanceArgParser();

// Everything but the steps, read from the parsed command line.
std::optional<int> ReadRequest(const ParsedArgs& parsed, EnhanceRequest& request, std::ostream& err);

// The explicit steps (parsed into `plan`) and OUT, checked before the (long) work.
std::optional<int> CheckBeforeWork(EnhanceRequest& request, Plan& plan, std::ostream& err);

// The shared description of the work (enhance/enhance_core.h).
EnhanceSpec SpecOf(const EnhanceRequest& request, const Plan& steps);

struct EnhanceOutcome {
  std::optional<AnalysisReport> before;  // --plan auto: the analysis the plan came from
  Plan plan;                             // the plan that ran, as prepared
  PipelineResult result;
  double prepare_seconds = 0;  // the analysis and the plan, before the steps ran
  // Of prepare_seconds: loading the LibTorch module and finding the plan's
  // device (a CUDA device's start), s; 0 for a plan without an AI upscale.
  double start_libtorch_seconds = 0;
};

// On the loaded `image`: checks the memory budget, prepares the plan (the
// advisor's, or `steps`), prints it (--plan auto) to `out` and its notes to
// `err`, then runs it, reporting to `progress` (false cancels).
std::optional<int> PrepareAndRun(const EnhanceRequest& request, const Plan& steps, const Image& image,
                                 const PipelineProgress& progress, EnhanceOutcome& outcome, std::ostream& out,
                                 std::ostream& err);

// Writes OUT atomically; prints the step log and what was written to `out`.
std::optional<int> WriteEnhanceResult(const EnhanceRequest& request, const EnhanceSpec& spec, const Image& image,
                                      const Plan& plan, const PipelineResult& result, std::ostream& out,
                                      std::ostream& err);

int RunEnhance(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace acuity::cli

#endif  // ACUITY_CLI_ENHANCE_COMMAND_H_

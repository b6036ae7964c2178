#include "cli/batch_command.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "analysis/advice/parse_steps.h"
#include "analysis/io/thread_pool.h"
#include "analysis/json/batch_record_json.h"
#include "cli/args.h"
#include "batch/device_turns.h"
#include "batch/inputs.h"
#include "batch/job.h"
#include "batch/manifest.h"
#include "batch/progress.h"
#include "batch/results.h"
#include "batch/scheduler.h"
#include "batch/stall_watch.h"
#include "batch/summary.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/stall_guard.h"
#include "analysis/io/exit_codes.h"
#include "acuity/version.h"
#include "enhance/device.h"
#include "enhance/memory_budget.h"

namespace acuity::cli {
namespace {

using batch::BatchAction;
using batch::BatchActionName;
using batch::BatchInput;
using batch::BatchInputs;
using batch::BatchJob;
using batch::BatchJobOptions;
using batch::BatchManifest;
using batch::BatchOptionValues;
using batch::BatchProgress;
using batch::DeviceTurn;
using batch::DeviceTurns;
using batch::BatchSummary;
using batch::ClaimResultsDir;
using batch::FailOn;
using batch::FormatOptions;
using batch::FormatSummary;
using batch::InShard;
using batch::JobScheduler;
using batch::JobStats;
using batch::ListBatchInputs;
using batch::ParseBatchAction;
using batch::ParseFailOn;
using batch::ParseShard;
using batch::PrepareBatchJob;
using batch::ReadManifest;
using batch::ReadResultsDir;
using batch::ReadResultsFile;
using batch::ResultsContents;
using batch::ResultsFileName;
using batch::ResultsWriter;
using batch::ResumeIndex;
using batch::RunBatchJob;
using batch::Shard;
using batch::StallWatch;
using batch::StalledRecord;
using batch::Summarize;
using batch::SummaryToJson;

// Options that say where or how fast, not what the results are: every other
// option of the parser is part of the results' key (batch/manifest.h).
constexpr const char* kNotKeyed[] = {"out",     "shard", "jobs", "max-memory",   "summary",    "fail-on",
                                     "json",    "help",  "retry-failed", "device", "stall-limit"};

ArgParser MakeParser() {
  ArgParser parser("batch");
  parser.AddOption("out", "DIR", "where the results (and enhance's outputs) go", 'o');
  parser.AddOption("do", "analyze|advise|qa|enhance", "what to do with each input (default analyze)");
  AddTargetOption(parser);
  parser.AddOption("plan", "auto", "qa/enhance: run the plan `acuity advise` gives (the default)");
  parser.AddOption("steps", "STEPS", "qa/enhance: explicit steps, as `acuity enhance --steps`", 's');
  parser.AddOption("model", "NAME|FILE.pt", "super-resolution model (default: acuity picks)", 'm');
  parser.AddOption("thresholds", "LIST", "qa/enhance: QA limits, as `acuity qa --thresholds`");
  AddDeviceOptions(parser);
  parser.AddOption("shard", "I/N", "only the inputs in shard I of N (by a stable hash of the relative path)");
  parser.AddOption("jobs", "N", "files at a time (default: the cores, fewer when memory is short)", 'j');
  parser.AddOption("max-memory", "MB", "memory budget for the files in flight (default: what is available)");
  AddStallLimitOption(parser, "record it as a retryable error and end after the files in flight");
  parser.AddOption("summary", "DIR", "print the summary of DIR's results (every shard) and exit");
  parser.AddOption("fail-on", "GATE", "warn, fail, or warning codes / QA check names, comma-separated: exit 1 when an input has one");
  parser.AddFlag("json", "print the summary as one JSON object");
  parser.AddFlag("retry-failed",
                 "also run again the inputs whose last record failed for lack of memory or disk (\"retryable\": true)");
  AddLoadOptions(parser);
  parser.AddFlag("help", "show this help", 'h');
  return parser;
}

// What the command line asks for, beyond the per-input options.
struct BatchRequest {
  BatchJobOptions job;
  std::optional<Shard> shard;
  std::optional<int> jobs;  // --jobs
  std::optional<double> max_memory_mb;
  double stall_limit_s = kDefaultStallLimitS;  // --stall-limit; 0: none
  bool retry_failed = false;  // --retry-failed
  std::vector<std::string> inputs;
};

// How the results are reported: --fail-on, --json.
struct SummaryRequest {
  FailOn fail_on;
  bool json = false;
};

// The options that make the results what they are (all but kNotKeyed), as given.
BatchOptionValues KeyedOptions(const ArgParser& parser, const ParsedArgs& parsed) {
  BatchOptionValues keyed;
  for (const std::string& name : parser.Names()) {
    if (std::find(std::begin(kNotKeyed), std::end(kNotKeyed), name) != std::end(kNotKeyed)) continue;
    if (std::optional<std::string> value = parsed.Get(name)) keyed[name] = *value;
  }
  return keyed;
}

// Whether the run's records hold plans the advisor makes for a target (advise,
// and qa or enhance without --steps): their models are priced for the
// device (docs/gpu.md), so the kind it resolves to is part of the results'
// key although --device is not (a shard may resume on another machine of
// the same kind).
bool AdvisesForATarget(const BatchJobOptions& job) {
  const bool advises = job.action == BatchAction::kAdvise ||
                       ((job.action == BatchAction::kQa || job.action == BatchAction::kEnhance) &&
                        !job.enhance.explicit_plan);
  return advises && job.enhance.target.has_value();
}

// What an option not given means, so that `--do analyze` keys as no --do,
// and no --fit as the target's own fit (`--target amazon` is `--target
// amazon --fit pad`).
BatchOptionValues KeyDefaults(const BatchRequest& request) {
  BatchOptionValues defaults = {{"do", BatchActionName(BatchAction::kAnalyze)},
                                {"plan", "auto"},
                                {"max-megapixels", fmt::format("{:g}", LoadOptions().max_megapixels)}};
  if (const std::optional<TargetSpec>& target = request.job.enhance.target)
    defaults["fit"] = FitText(DefaultFit(*target));
  // Results made before the device kind was keyed were priced for the CPU.
  if (AdvisesForATarget(request.job)) defaults["device"] = "cpu";
  return defaults;
}

// --do, --plan/--steps, --model, --thresholds. An error message on a usage error.
absl::Status ReadWork(const ParsedArgs& parsed, BatchRequest& request) {
  absl::StatusOr<BatchAction> action = ParseBatchAction(parsed.Get("do").value_or("analyze"));
  if (!action.ok()) return action.status();
  BatchJobOptions& job = request.job;
  job.action = *action;
  const bool runs_plan = job.action == BatchAction::kQa || job.action == BatchAction::kEnhance;
  const std::optional<std::string> steps = parsed.Get("steps"), plan = parsed.Get("plan");
  const std::optional<std::string> thresholds = parsed.Get("thresholds");
  if (!runs_plan && (steps || plan || parsed.Has("model") || thresholds))
    return absl::InvalidArgumentError("--plan, --steps, --model and --thresholds go with --do qa or --do enhance");
  if (thresholds) {
    if (absl::Status s = job.qa_thresholds.Override(*thresholds); !s.ok())
      return absl::InvalidArgumentError("--thresholds: " + std::string(s.message()));
  }
  if (steps && plan) return absl::InvalidArgumentError("give either --steps or --plan auto, not both");
  if (plan && *plan != "auto") return absl::InvalidArgumentError("--plan takes only 'auto'");
  absl::StatusOr<std::optional<TargetSpec>> target = GetTarget(parsed);
  if (!target.ok()) return target.status();
  job.analyze.target = job.enhance.target = *target;
  job.enhance.options.upscale.model = parsed.Get("model").value_or("");
  if (absl::Status s = GetDeviceOptions(parsed, job.enhance.options.upscale); !s.ok()) return s;
  if (steps) {
    absl::StatusOr<Plan> parsed_steps = ParseSteps(*steps);
    if (!parsed_steps.ok()) return parsed_steps.status();
    job.enhance.explicit_plan = *std::move(parsed_steps);
  }
  // advise prices its plans for the device (a CUDA device asked for must
  // be there, as for `acuity advise`); analyze's records hold no plan.
  if (!runs_plan) return job.action == BatchAction::kAdvise ? CheckDevice(job.enhance.options.upscale) : absl::OkStatus();
  if (absl::Status s = CheckModels(job.enhance.explicit_plan.value_or(Plan{}), job.enhance.options.upscale); !s.ok())
    return s;
  return CheckDevice(job.enhance.options.upscale);
}

// --shard, --jobs, --max-memory, the load options, --out, the INPUTs.
absl::Status ReadRequest(const ParsedArgs& parsed, BatchRequest& request) {
  if (absl::Status s = ReadWork(parsed, request); !s.ok()) return s;
  if (auto shard = parsed.Get("shard")) {
    absl::StatusOr<Shard> s = ParseShard(*shard);
    if (!s.ok()) return s.status();
    request.shard = *s;
  }
  absl::StatusOr<double> jobs = parsed.GetNumber("jobs", 0), memory = parsed.GetNumber("max-memory", 0);
  absl::StatusOr<double> stall = GetStallLimit(parsed);
  for (const auto* s : {&jobs, &memory, &stall})
    if (!s->ok()) return s->status();
  request.stall_limit_s = *stall;
  if (parsed.Has("jobs")) {
    if (*jobs < 1 || *jobs > 256 || *jobs != std::floor(*jobs))
      return absl::InvalidArgumentError("--jobs must be a whole number 1-256");
    request.jobs = int(*jobs);
  }
  if (parsed.Has("max-memory")) {
    if (!(*memory > 0)) return absl::InvalidArgumentError("--max-memory must be a positive number of MB");
    request.max_memory_mb = *memory;
  }
  absl::StatusOr<LoadOptions> load = GetLoadOptions(parsed);
  if (!load.ok()) return load.status();
  request.job.load = *load;
  request.job.out_dir = parsed.Get("out").value_or("");
  if (request.job.out_dir.empty()) return absl::InvalidArgumentError("batch needs --out DIR (or --summary DIR)");
  request.retry_failed = parsed.Has("retry-failed");
  request.inputs = parsed.positional();
  if (request.inputs.empty()) return absl::InvalidArgumentError("batch needs at least one INPUT");
  return absl::OkStatus();
}

// The summary of `records` on `out` (text or JSON); returns its exit code.
int PrintSummary(const std::vector<nlohmann::json>& records, const SummaryRequest& how,
                 const std::optional<BatchManifest>& manifest, std::ostream& out) {
  const BatchSummary summary = Summarize(records, how.fail_on);
  if (how.json) {
    nlohmann::json j = SummaryToJson(summary);
    j["options"] = manifest ? nlohmann::json(manifest->options) : nlohmann::json(nullptr);
    j["acuity_version"] = manifest ? nlohmann::json(manifest->acuity_version) : nlohmann::json(nullptr);
    out << j.dump() << "\n";
  } else {
    if (manifest)
      out << fmt::format("results of: acuity batch {} (acuity {})\n", FormatOptions(manifest->options),
                         manifest->acuity_version);
    out << FormatSummary(summary);
  }
  out.flush();
  return summary.exit_code;
}

int RunSummary(const std::string& dir, const SummaryRequest& how, std::ostream& out, std::ostream& err) {
  const ResultsContents contents = ReadResultsDir(dir);
  if (contents.files.empty()) return UsageError(err, "--summary " + dir + ": no results*.jsonl there");
  if (contents.torn_lines > 0)
    err << fmt::format("acuity: {}: {} torn line(s) ignored (a run was killed while writing)\n", dir,
                       contents.torn_lines);
  absl::StatusOr<std::optional<BatchManifest>> manifest = ReadManifest(dir);
  if (!manifest.ok()) err << "acuity: " << manifest.status().message() << "\n";
  return PrintSummary(contents.records, how, manifest.value_or(std::nullopt), out);
}

// The last SIGINT/SIGTERM received: a signal handler can only reach state
// of this kind, so it is the one process-wide variable (SignalWatch owns the
// handlers while a batch runs).
std::atomic<int>& ReceivedSignal() {
  static std::atomic<int> received{0};
  return received;
}

extern "C" void OnStopSignal(int sig) {
  if (ReceivedSignal().exchange(sig) != 0) _exit(128 + sig);  // the second one: the user insists
}

// SIGINT and SIGTERM while the batch runs: the first stops it after the
// files in flight, a second one exits at once (what is recorded stays).
class SignalWatch {
 public:
  SignalWatch() {
    ReceivedSignal() = 0;
    struct sigaction action = {};
    action.sa_handler = OnStopSignal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &old_int_);
    sigaction(SIGTERM, &action, &old_term_);
  }
  ~SignalWatch() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }
  // The signal received, 0 if none (yet).
  int Poll() const { return ReceivedSignal().load(); }

 private:
  struct sigaction old_int_, old_term_;
};

// The inputs of this run: listed, in the shard, not yet recorded.
struct Todo {
  std::vector<BatchInput> files;
  size_t listed = 0, in_shard = 0, done_before = 0;
  bool unlisted = false;  // an INPUT could not be listed
};

absl::StatusOr<Todo> FindTodo(const BatchRequest& request, const std::vector<nlohmann::json>& recorded,
                              std::ostream& err) {
  absl::StatusOr<BatchInputs> inputs = ListBatchInputs(request.inputs, request.job.out_dir);
  if (!inputs.ok()) return inputs.status();
  Todo todo;
  for (const std::string& problem : inputs->problems) err << "acuity: " << problem << "\n";
  todo.unlisted = !inputs->problems.empty();
  todo.listed = inputs->files.size();
  const ResumeIndex done(recorded, request.retry_failed);
  for (BatchInput& input : inputs->files) {
    if (request.shard && !InShard(input.relative, *request.shard)) continue;
    ++todo.in_shard;
    if (done.Done(input)) {
      ++todo.done_before;
      continue;
    }
    todo.files.push_back(std::move(input));
  }
  return todo;
}

int Cores() { return UsableCpus(); }

// The line that ends a run in which an input made no progress.
void SayStopped(BatchProgress& progress, std::ostream& err) {
  const std::string done = progress.Counts();
  progress.Finish();
  err << fmt::format("acuity: batch: stopped after an input made no progress ({}); run the same command again "
                     "to go on with the inputs not recorded, and with --retry-failed to try the stalled one again\n",
                     done);
  err.flush();
}

// The end of a run with a stalled input: its record and those of the other
// files in flight are written (and synced); its thread cannot be stopped
// or joined, and no destructor may run under it, so the process ends here,
// exit 4, resumable like an interrupted run.
[[noreturn]] void EndAfterStall(BatchProgress& progress, std::ostream& err) {
  SayStopped(progress, err);
  std::fflush(nullptr);
  std::_Exit(kExitFailed);
}

// Runs the files; returns 0, or the exit code of an interruption or a
// results file that cannot be written.
int RunFiles(const BatchRequest& request, BatchJobOptions job, const Todo& todo, ResultsWriter& writer,
             std::ostream& err) {
  const int jobs = request.jobs.value_or(Cores());
  job.enhance.options.upscale.threads = std::max(1, Cores() / jobs);
  // --plan auto plans an upscale for a target; --steps may have one.
  const bool plan_upscales = !job.enhance.explicit_plan || PlanUpscales(*job.enhance.explicit_plan);
  // An enhance batch upscales: its LibTorch counts before the budget is read.
  const bool may_upscale = job.action == BatchAction::kEnhance && plan_upscales;
  const WorkBudget memory = MemoryBudgetForWork(request.max_memory_mb, may_upscale);
  // qa runs the plan too: either may spread its files over several GPUs.
  const bool runs_models = (job.action == BatchAction::kEnhance || job.action == BatchAction::kQa) && plan_upscales;
  DeviceTurns gpus(runs_models && job.enhance.options.upscale.device.kind == DeviceRequest::Kind::kAuto
                       ? CudaDeviceCount()
                       : 0);
  job.budget_bytes = memory.bytes;
  job.budget_source = memory.source;
  err << fmt::format("acuity: batch: {} to do, {} at a time at most, memory budget {:.0f} MB beside the program "
                     "({})\n",
                     todo.files.size(), jobs, memory.bytes / 1048576.0, memory.source);
  const auto start = std::chrono::steady_clock::now();
  std::vector<BatchJob> prepared(todo.files.size());
  BatchProgress progress(err, isatty(STDERR_FILENO) == 1, todo.files.size());
  SignalWatch signals;
  std::atomic<bool> write_failed{false};
  StallWatch watch(todo.files.size(), std::chrono::duration_cast<StallWatch::Clock::duration>(
                                          std::chrono::duration<double>(request.stall_limit_s)));
  const auto keep = [&](const BatchRecord& record, const std::string& diagnostic) {
    if (!diagnostic.empty()) progress.Say(diagnostic);
    if (absl::Status s = writer.Append(BatchRecordToJson(record)); !s.ok()) {
      if (!write_failed.exchange(true)) progress.Say("acuity: " + std::string(s.message()));
    }
    progress.FileDone(!record.header.ok());
  };
  const JobScheduler scheduler({jobs, memory.bytes});
  const JobStats stats = scheduler.Run(
      todo.files.size(),
      [&](size_t i) {
        watch.Started(i);  // reading the file can stall too (a file system that stopped answering)
        prepared[i] = PrepareBatchJob(todo.files[i], job);
        watch.Waiting(i);  // for memory beside the jobs in flight: not a stall
        return prepared[i].estimate_bytes;
      },
      [&](size_t i) {
        // Admitted after a stall was declared (the scheduler stops at its
        // next turn): left for the next run, unrecorded, never running.
        if (watch.any_stalled()) return;
        watch.Beat(i);
        const DeviceTurn gpu(gpus);  // --device auto over several GPUs: the least busy one
        prepared[i].device_spread = gpu.device();
        std::string diagnostic;
        const BatchRecord record =
            RunBatchJob(todo.files[i], std::move(prepared[i]), job, &diagnostic, [&watch, i] { watch.Beat(i); });
        if (watch.Claim(i)) {  // else given up as stalled: recorded as such
          keep(record, diagnostic);
          watch.Done(i);  // only now may the run end
        }
      },
      [&] { return signals.Poll() != 0 || write_failed || watch.any_stalled(); },
      [&] {
        signals.Poll();
        for (size_t i : watch.NewlyStalled()) {
          std::string diagnostic;
          const double quiet_s = watch.SecondsQuiet(i);
          if (!watch.Claim(i)) continue;  // its worker finished meanwhile and recorded it
          keep(StalledRecord(todo.files[i], job, quiet_s, &diagnostic), diagnostic);
          watch.Done(i);
        }
        if (watch.any_stalled() && watch.running() == 0) EndAfterStall(progress, err);
        progress.Tick();
      });
  progress.Finish();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  err << fmt::format("acuity: batch: {} files in {:.1f} s ({:.2f} files/s), up to {} at once\n", stats.started,
                     seconds, seconds > 0 ? stats.started / seconds : 0.0, stats.max_in_flight);
  if (write_failed) return kExitFailed;
  if (watch.any_stalled()) {  // the stalled work came back and every worker ended before the next tick
    SayStopped(progress, err);
    return kExitFailed;
  }
  if (const int sig = signals.Poll(); sig != 0) {
    err << fmt::format("acuity: interrupted: {} of {} inputs done in this run; run the same command again to "
                       "resume (recorded inputs are skipped)\n",
                       stats.started, todo.files.size());
    return 128 + sig;
  }
  return kExitOk;
}

}  // namespace

CommandSpec BatchCommand() {
  return {"batch",
          "any of these over folders and lists: JSON Lines, resumable, parallel, sharded",
          {"acuity batch --out DIR [--do analyze|advise|qa|enhance] [--target SPEC]",
           "             [--plan auto | --steps STEPS] [--model M] [--thresholds LIST]",
           "             [--shard I/N] [--jobs N] [--max-memory MB] [--fail-on GATE] [--json] INPUT...",
           "acuity batch --summary DIR [--fail-on GATE] [--json]"},
          "Run a command over files, folders (recursive) and @LIST files (one path per line):\n"
          "one JSON object per input appended to DIR/results.jsonl (DIR/results.shard-I-of-N.jsonl\n"
          "with --shard). Run the same command again to resume: recorded inputs are skipped;\n"
          "DIR/batch.json keeps the options, and a run with other options on DIR is refused.\n"
          "--do qa runs the plan and checks the result without writing it; --do enhance also\n"
          "writes it to DIR/<the input's relative path>. --fail-on warn|fail|CODE[,CODE]: exit 1\n"
          "when an input has a QA verdict of fail (fail), of warn or any warning (warn), or that\n"
          "warning code or QA check not passed (CODE).\n",
          MakeParser,
          nullptr,
          RunBatch};
}

int RunBatch(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const ArgParser parser = MakeParser();
  absl::StatusOr<ParsedArgs> parsed = parser.Parse(args);
  if (!parsed.ok()) return UsageError(err, parsed.status());
  if (parsed->Has("help")) {
    out << CommandHelp(BatchCommand());
    return kExitOk;
  }
  SummaryRequest how;
  how.json = parsed->Has("json");
  if (auto gate = parsed->Get("fail-on")) {
    absl::StatusOr<FailOn> fail_on = ParseFailOn(*gate);
    if (!fail_on.ok()) return UsageError(err, fail_on.status());
    how.fail_on = *std::move(fail_on);
  }
  if (auto dir = parsed->Get("summary")) return RunSummary(*dir, how, out, err);
  BatchRequest request;
  if (absl::Status s = ReadRequest(*parsed, request); !s.ok()) return UsageError(err, s);
  const std::string& dir = request.job.out_dir;
  if (absl::Status s = MakeOutputDir(dir); !s.ok()) return ReportOutputError(err, dir, s);
  const ResultsContents recorded = ReadResultsDir(dir);
  absl::StatusOr<Todo> todo = FindTodo(request, recorded.records, err);
  if (!todo.ok()) return UsageError(err, todo.status());
  BatchManifest manifest{kAcuityVersion, KeyedOptions(parser, *parsed)};
  if (AdvisesForATarget(request.job))  // the kind, "cpu" or "cuda" (KeyDefaults: cpu before it was keyed)
    manifest.options["device"] = UpscaleDeviceKind(request.job.enhance.options.upscale.device) == SrDeviceKind::kCuda
                                     ? "cuda"
                                     : "cpu";
  absl::StatusOr<std::vector<std::string>> notes = ClaimResultsDir(dir, manifest, KeyDefaults(request), recorded.records);
  if (!notes.ok()) return ReportOutputError(err, dir, notes.status());  // other options: a usage error
  for (const std::string& note : *notes) err << "acuity: " << note << "\n";
  if (todo->done_before > 0)
    err << fmt::format("acuity: batch: {} of {} inputs already recorded, skipped\n", todo->done_before,
                       todo->in_shard);
  const std::string results = (std::filesystem::path(dir) / ResultsFileName(request.shard)).string();
  absl::StatusOr<std::unique_ptr<ResultsWriter>> writer = ResultsWriter::Open(results);
  if (!writer.ok()) {  // the message names the file and the OS's reason
    err << "acuity: " << writer.status().message() << "\n";
    return kExitFailed;
  }
  if (const int code = RunFiles(request, request.job, *todo, **writer, err); code != kExitOk) return code;
  ResultsContents contents;
  ReadResultsFile(results, contents);
  const int code = PrintSummary(contents.records, how, manifest, out);
  return std::max(code, todo->unlisted ? kExitBadInput : kExitOk);
}

}  // namespace acuity::cli

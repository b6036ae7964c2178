#include "batch/job.h"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "absl/strings/str_cat.h"
#include "analysis/advice/advisor.h"
#include "analysis/advice/plan_ops.h"
#include "analysis/advice/qa.h"
#include "analysis/io/guard.h"
#include "analysis/io/image_header.h"
#include "analysis/io/image_writer.h"
#include "analysis/measurements/marketplace.h"
#include "analysis/measurements/target_fit.h"
#include "analysis/io/atomic_file.h"
#include "analysis/io/exit_codes.h"
#include "batch/stage_times.h"
#include "batch/stall_watch.h"
#include "enhance/device.h"
#include "enhance/memory_estimate.h"
#include "enhance/upscaler.h"

namespace acuity::batch {
namespace {

// One job's stage times and its progress callback: each stage's end is
// progress (and each tile or step of the plan: Enhance).
struct Stages {
  StageTimes times;
  const std::function<void()>& progress;
  void Mark(std::string name) {
    times.Mark(std::move(name));
    if (progress) progress();
  }
};

// A record with its input and the run's budget; status ok so far.
BatchRecord NewRecord(const BatchInput& input, const BatchJobOptions& options) {
  BatchRecord record;
  record.header.input = {input.relative, input.size_bytes, input.mtime_ns};
  record.header.action = BatchActionName(options.action);
  record.header.exit_code = kExitOk;
  if (options.budget_bytes > 0) {
    record.header.memory_budget_mb = options.budget_bytes / 1048576.0;
    record.header.memory_budget_source = options.budget_source;
  }
  return record;
}

// Makes `record` an error record; `diagnostic` gets its stderr line.
void SetError(const BatchInput& input, const absl::Status& status, int exit_code, bool retryable, BatchRecord& record,
              std::string* diagnostic) {
  record.header.status = "error";
  record.header.error = std::string(status.message());
  record.header.exit_code = exit_code;
  record.header.retryable = retryable;
  *diagnostic = absl::StrCat("acuity: ", input.path, ": ", status.message());
}

namespace fs = std::filesystem;

// A failure: the record's status, error and exit code.
struct JobError {
  absl::Status status;
  int exit_code;
};

// An input that could not be read — unless the machine ran out of memory
// reading it: that is no bad input, and a retry may succeed.
JobError Unreadable(absl::Status s) {
  const int code = IsMachineResourceError(s) ? kExitNoResource : kExitBadInput;
  return {std::move(s), code};
}

// A plan problem as `acuity enhance` reports it: a missing model file is
// unreadable input, anything else is a usage error.
JobError PlanProblem(absl::Status s) {
  const int code = absl::IsNotFound(s) ? kExitBadInput : kExitUsage;
  return {std::move(s), code};
}

// The plan `--plan auto` is expected to run, for the estimate: repair, the
// upscale the target needs, sharpen.
Plan AutoPlanForEstimate(const ImageGeometry& g, const BatchJobOptions& options) {
  Plan plan;
  plan.steps.push_back({DenoiseStep{}, ""});
  if (options.enhance.target) {
    const TargetFit fit = FitTarget(*options.enhance.target, g.width_px, g.height_px);
    if (fit.required_scale > 1) plan.steps.push_back({UpscaleStep{fit.required_scale, ""}, ""});
  }
  plan.steps.push_back({SharpenStep{}, ""});
  return plan;
}

int64_t EstimateFor(const ImageGeometry& g, const BatchJobOptions& options) {
  // What Work() runs: advise and --plan auto look for faces and text.
  const int64_t analysis = EstimatePeakMemoryBytes(g, options.action != BatchAction::kAnalyze);
  if (options.action == BatchAction::kAnalyze || options.action == BatchAction::kAdvise) return analysis;
  const Plan plan = options.enhance.explicit_plan ? *options.enhance.explicit_plan : AutoPlanForEstimate(g, options);
  const int64_t run = EstimatePeakMemoryBytes(g, plan, options.enhance.options.upscale);
  const int64_t qa = EstimateQaPeakMemoryBytes(g, GeometryAfter(g, plan));
  return std::max({options.enhance.explicit_plan ? 0 : analysis, run, qa});
}

// Removes temporary files a killed run left beside `output` (atomic writes:
// ".NAME.tmp-XXXXXX"). Only this input's own, so shards sharing DIR are safe.
void RemoveStaleTemporaries(const fs::path& output) {
  const std::string prefix = "." + output.filename().string() + ".tmp-";
  std::error_code ec;
  for (fs::directory_iterator it(output.parent_path(), ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().filename().string().rfind(prefix, 0) == 0) fs::remove(it->path(), ec);
  }
}

// Reading a result back: acuity made it, so no decompression-bomb limit.
LoadOptions ResultLoadOptions() {
  LoadOptions load;
  load.max_megapixels = 1e9;
  return load;
}

// The result as written (enhance), or encoded in memory and decoded again
// (qa), so that the check sees what a file would hold.
absl::StatusOr<Image> Produce(const Image& image, const PipelineResult& result, const EnhanceSpec& spec,
                              bool write, BatchRecord& record) {
  if (write) {
    absl::StatusOr<WriteReport> written = WriteEnhanced(image, result, spec, std::nullopt);
    if (!written.ok()) return written.status();
    record.output = spec.output_path;
    return LoadImage(spec.output_path, ResultLoadOptions());
  }
  const WriteOptions options = EnhancedWriteOptions(image, result, spec, std::nullopt);
  absl::StatusOr<std::string> bytes = EncodeImage(result.pixels, spec.output_format, options);
  if (!bytes.ok()) return bytes.status();
  return DecodeImage(*bytes, spec.output_path + " (not written)", ResultLoadOptions());
}

// `path` with the extension of the format the plan's encode step writes
// added, when it has one and the extension says another (photo.png →
// photo.png.jpg): the name keeps the input's own extension, so that
// shoe.png and shoe.tif of one folder never write one shoe.jpg (nor
// overwrite an input shoe.jpg when --out is the input folder).
std::string NamedAfterEncodeStep(const std::string& path, const Plan& plan) {
  const EncodeStep* encode = LastEncodeStep(plan);
  if (encode == nullptr) return path;
  const absl::StatusOr<ImageFormat> named = OutputFormatFromPath(path);
  if (named.ok() && *named == encode->format) return path;
  return path + FileExtension(encode->format);
}

// qa / enhance: the plan, run, the result (written for enhance), its QA.
std::optional<JobError> Enhance(const BatchInput& input, const Image& image, const BatchJobOptions& options,
                                int device_spread, BatchRecord& record, Stages& stages) {
  EnhanceSpec spec = options.enhance;
  spec.options.upscale.device.spread = device_spread;
  spec.output_path = BatchOutputPath(options, input);
  // The user's steps write the input's format; an advised plan's encode
  // step chooses its own (a marketplace's JPEG on white for a PNG cut-out),
  // and the output is named after it.
  auto take_format_from_path = [&spec]() -> absl::Status {
    absl::StatusOr<ImageFormat> format = OutputFormatFromPath(spec.output_path);
    if (format.ok()) spec.output_format = *format;
    return format.status();
  };
  if (spec.explicit_plan)
    if (absl::Status s = take_format_from_path(); !s.ok()) return JobError{s, kExitFailed};
  absl::StatusOr<PreparedEnhance> prepared = PrepareEnhance(image, spec);
  if (!prepared.ok()) return PlanProblem(prepared.status());
  if (!spec.explicit_plan) {
    spec.output_path = NamedAfterEncodeStep(spec.output_path, prepared->prepared.plan);
    if (absl::Status s = take_format_from_path(); !s.ok()) return JobError{s, kExitFailed};
  }
  const bool write = options.action == BatchAction::kEnhance;
  if (write) {
    if (absl::Status s = MakeOutputDir(fs::path(spec.output_path).parent_path().string()); !s.ok())
      return JobError{s, kExitFailed};
    RemoveStaleTemporaries(spec.output_path);
    if (absl::Status s = CheckOutputPath(spec.output_path, input.path); !s.ok())
      return JobError{s, OutputErrorExitCode(s)};
  }
  record.analysis = prepared->before;
  record.plan = prepared->prepared.plan;
  stages.Mark("plan");
  spec.options.output_format = spec.output_format;
  if (stages.progress) {  // each tile and step is progress
    spec.options.progress = [inner = spec.options.progress, &stages](double done, const std::string& step) {
      stages.progress();
      return inner ? inner(done, step) : true;
    };
  }
  absl::StatusOr<PipelineResult> result = RunPlan(image, prepared->prepared.plan, spec.options);
  if (!result.ok())  // as `acuity enhance`: a bad model file is unreadable input
    return JobError{result.status(), IsModelFileError(result.status()) ? kExitBadInput : kExitFailed};
  stages.Mark("steps");
  absl::StatusOr<Image> output = Produce(image, *result, spec, write, record);
  if (!output.ok()) return JobError{output.status(), kExitFailed};
  stages.Mark(write ? "write" : "encode");
  QaOptions qa_options;
  qa_options.compute_maps = false;
  qa_options.check_content = true;  // as `acuity qa`
  // A marketplace target: its rules are checked as `acuity qa --target` does.
  if (spec.target && !spec.target->marketplace.empty()) qa_options.marketplace = FindMarketplace(spec.target->marketplace);
  absl::StatusOr<QaReport> qa = RunQa(image, *output, nullptr, options.qa_thresholds, qa_options);
  if (!qa.ok()) return JobError{qa.status(), kExitFailed};
  if (qa->verdict == QaStatus::kFail) record.header.exit_code = kExitQaFail;
  record.qa = BatchRecordQa{*std::move(qa), image.info, output->info};
  stages.Mark("qa");
  return std::nullopt;
}

std::optional<JobError> Work(const BatchInput& input, BatchJob& job, const BatchJobOptions& options,
                             BatchRecord& record, Stages& stages) {
  if (!job.bytes.ok()) return Unreadable(job.bytes.status());
  if (absl::Status s = CheckMemoryBudget(job.estimate_bytes, options.budget_bytes, "this input's work"); !s.ok())
    return JobError{s, kExitFailed};
  absl::StatusOr<Image> image = DecodeImage(*job.bytes, input.path, options.load);
  job.bytes = std::string();  // the pixels are what counts now
  if (!image.ok()) return Unreadable(image.status());
  stages.Mark("decode");
  if (options.action == BatchAction::kQa || options.action == BatchAction::kEnhance)
    return Enhance(input, *image, options, job.device_spread, record, stages);
  AnalyzeOptions analyze = options.analyze;
  analyze.find_content = options.action == BatchAction::kAdvise;  // as `acuity advise`
  record.analysis = Analyze(*image, analyze);
  if (options.action == BatchAction::kAdvise) {
    // Priced for the device an upscale would run on, as `acuity advise`
    // (loads nothing unless the target needs an upscale and an NVIDIA
    // driver is installed).
    PriceForDevice(options.enhance.options.upscale.device, *record.analysis);
    record.plan = Advise(*record.analysis);
  }
  stages.Mark(options.action == BatchAction::kAdvise ? "analyse and plan" : "analyse");
  return std::nullopt;
}

}  // namespace

const char* BatchActionName(BatchAction action) {
  switch (action) {
    case BatchAction::kAnalyze: return "analyze";
    case BatchAction::kAdvise: return "advise";
    case BatchAction::kQa: return "qa";
    case BatchAction::kEnhance: return "enhance";
  }
  return "analyze";
}

absl::StatusOr<BatchAction> ParseBatchAction(const std::string& text) {
  for (BatchAction a : {BatchAction::kAnalyze, BatchAction::kAdvise, BatchAction::kQa, BatchAction::kEnhance})
    if (text == BatchActionName(a)) return a;
  return absl::InvalidArgumentError(absl::StrCat("--do ", text, ": use analyze, advise, qa or enhance"));
}

std::string BatchOutputPath(const BatchJobOptions& options, const BatchInput& input) {
  return (fs::path(options.out_dir) / fs::path(input.relative)).string();
}

BatchJob PrepareBatchJob(const BatchInput& input, const BatchJobOptions& options) {
  BatchJob job;
  // On a worker thread: nothing may leave it (what throws becomes the job's
  // status, reported when the job runs).
  const absl::Status prepared = CatchToStatus("reading the file", [&] {
    job.bytes = ReadFileBytes(input.path);
    if (!job.bytes.ok()) return;
    absl::StatusOr<ImageHeader> header = ReadImageHeader(*job.bytes);
    if (!header.ok()) return;  // reported when decoded
    ImageGeometry g;
    g.width_px = header->width, g.height_px = header->height;
    g.channels = std::clamp(header->channels, 1, 4);
    g.bytes_per_channel = header->bit_depth > 8 ? 2 : 1;
    job.estimate_bytes = EstimateFor(g, options);
  });
  if (!prepared.ok()) job.bytes = prepared;
  return job;
}

BatchRecord RunBatchJob(const BatchInput& input, BatchJob job, const BatchJobOptions& options,
                        std::string* diagnostic, const std::function<void()>& progress) {
  BatchRecord record = NewRecord(input, options);
  // On a worker thread: what throws becomes this record's error.
  std::optional<JobError> error;
  Stages stages{StageTimes(), progress};  // from here: reading the file happened in PrepareBatchJob
  const absl::Status thrown =
      CatchToStatus("working on the file", [&] { error = Work(input, job, options, record, stages); });
  record.header.seconds = stages.times.StagesAndTotal();
  if (!thrown.ok()) error = JobError{thrown, IsMachineResourceError(thrown) ? kExitNoResource : kExitFailed};
  // The machine's fault (memory, disk): the same file may work on a retry
  // (`batch --retry-failed`, or a run with more memory).
  if (error) SetError(input, error->status, error->exit_code, IsMachineResourceError(error->status), record, diagnostic);
  return record;
}

BatchRecord StalledRecord(const BatchInput& input, const BatchJobOptions& options, double quiet_s,
                          std::string* diagnostic) {
  BatchRecord record = NewRecord(input, options);
  const absl::Status stalled =
      absl::DeadlineExceededError(StalledReason(quiet_s) + "; --retry-failed runs it again");
  SetError(input, stalled, kExitFailed, /*retryable=*/true, record, diagnostic);
  return record;
}

}  // namespace acuity::batch

// One input of `acuity batch`: read it, estimate its peak memory, run what
// --do asks through the single-file commands' own code (Analyze, Advise,
// PrepareEnhance + RunPlan + WriteEnhanced, RunQa) and build its record
// (analysis/json/batch_record_json.h: the very objects those commands print):
//
//   {"input": {"path": "a/b.jpg", "size_bytes": 81234, "mtime_ns": 1700000000000000000},
//    "do": "enhance", "status": "ok", "error": null, "exit_code": 0,
//    "analysis": {... `acuity analyze --json` ...},       (not with --steps)
//    "plan": {... the "plan" of `acuity advise --json` / the plan enhance ran ...},
//    "output": "OUT/a/b.jpg",                              (enhance)
//    "qa": {... `acuity qa --json INPUT OUTPUT` ...}}      (qa, enhance)
//
//   acuity::batch::BatchJob job = acuity::batch::PrepareBatchJob(input, options);
//   scheduler admits job.estimate_bytes ...
//   acuity::BatchRecord record = acuity::batch::RunBatchJob(input, std::move(job), options, &diagnostic);
//   writer.Append(acuity::BatchRecordToJson(record));
#ifndef ACUITY_BATCH_JOB_H_
#define ACUITY_BATCH_JOB_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "analysis/advice/qa.h"
#include "analysis/io/image_io.h"
#include "analysis/json/batch_record_json.h"
#include "analysis/measurements/analyze.h"
#include "batch/inputs.h"
#include "enhance/enhance_core.h"

namespace acuity::batch {

// --do: analyze and advise measure; qa runs the plan in memory and checks
// the result without writing it; enhance also writes it under --out DIR.
enum class BatchAction { kAnalyze, kAdvise, kQa, kEnhance };
const char* BatchActionName(BatchAction action);
absl::StatusOr<BatchAction> ParseBatchAction(const std::string& text);

struct BatchJobOptions {
  BatchAction action = BatchAction::kAnalyze;
  AnalyzeOptions analyze;  // the target
  LoadOptions load;
  EnhanceSpec enhance;     // explicit steps, target, upscale defaults; output_path set per input
  QaThresholds qa_thresholds = QaThresholds::Defaults();  // qa, enhance: --thresholds
  std::string out_dir;     // enhance: outputs mirror the inputs' relative paths here
  int64_t budget_bytes = 0;  // a job estimated above it is not run (an error record)
  std::string budget_source;  // what set budget_bytes, for the records ("the cgroup's memory limit")
};

struct BatchJob {
  absl::StatusOr<std::string> bytes = std::string();  // the file, read once
  int64_t estimate_bytes = 0;  // peak memory of the work, without the process base
  // --device auto on a machine with several GPUs: the GPU this file runs
  // on (device_turns.h: the least busy when it starts; DeviceRequest::spread);
  // < 0: auto's own choice.
  int device_spread = -1;
};

// Reads the file and its header; estimates the work's peak memory.
BatchJob PrepareBatchJob(const BatchInput& input, const BatchJobOptions& options);

// The work and its record. `diagnostic`: the one-line "acuity: PATH: reason"
// for stderr when the input failed, else empty. `progress` (may be empty)
// is called as the work moves on: after each stage, and per tile or step
// of the plan (the batch's watchdog, stall_watch.h, listens).
BatchRecord RunBatchJob(const BatchInput& input, BatchJob job, const BatchJobOptions& options,
                        std::string* diagnostic, const std::function<void()>& progress = {});

// The record of an input whose work made no progress for `quiet_s`
// seconds (StallWatch): status "error", exit code 4, retryable (a stall is
// the machine's or a library's, not the file's: `batch --retry-failed`
// runs it again); `diagnostic` as RunBatchJob's.
BatchRecord StalledRecord(const BatchInput& input, const BatchJobOptions& options, double quiet_s,
                          std::string* diagnostic);

// Where --do enhance writes `input`'s result.
std::string BatchOutputPath(const BatchJobOptions& options, const BatchInput& input);

}  // namespace acuity::batch

#endif  // ACUITY_BATCH_JOB_H_

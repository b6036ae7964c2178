// One input of `acuity batch`: read it, estimate its peak memory, run what
// --do asks through the single-file commands' own code (Analyze, Advise,
// PrepareEnhance + RunPlan + WriteEnhanced, RunQa) and build its JSON Lines
// record with the very objects those commands print:
//
//   {"input": {"path": "a/b.jpg", "size_bytes": 81234, "mtime_ns": 1700000000000000000},
//    "do": "enhance", "status": "ok", "error": null, "exit_code": 0,
//    "analysis": {... `acuity analyze --json` ...},       (not with --steps)
//    "plan": {... the "plan" of `acuity advise --json` / the plan enhance ran ...},
//    "output": "OUT/a/b.jpg",                              (enhance)
//    "qa": {... `acuity qa --json INPUT OUTPUT` ...}}      (qa, enhance)
//
//   acuity::cli::BatchJob job = acuity::cli::PrepareBatchJob(input, options);
//   scheduler admits job.estimate_bytes ...
//   nlohmann::json record = acuity::cli::RunBatchJob(input, std::move(job), options, &diagnostic);
#ifndef ACUITY_CLI_BATCH_JOB_H_
#define ACUITY_CLI_BATCH_JOB_H_

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "analysis/advice/qa.h"
#include "analysis/io/image_io.h"
#include "analysis/measurements/analyze.h"
#include "cli/batch_inputs.h"
#include "cli/enhance_core.h"

namespace acuity::cli {

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
};

struct BatchJob {
  absl::StatusOr<std::string> bytes = std::string();  // the file, read once
  int64_t estimate_bytes = 0;  // peak memory of the work, without the process base
};

// Reads the file and its header; estimates the work's peak memory.
BatchJob PrepareBatchJob(const BatchInput& input, const BatchJobOptions& options);

// The work and its record. `diagnostic`: the one-line "acuity: PATH: reason"
// for stderr when the input failed, else empty.
nlohmann::json RunBatchJob(const BatchInput& input, BatchJob job, const BatchJobOptions& options,
                           std::string* diagnostic);

// Where --do enhance writes `input`'s result.
std::string BatchOutputPath(const BatchJobOptions& options, const BatchInput& input);

}  // namespace acuity::cli

#endif  // ACUITY_CLI_BATCH_JOB_H_

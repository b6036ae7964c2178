// The JSON form of one `acuity batch` record (a line of results*.jsonl,
// docs/batch.md), written here like every other JSON object of acuity, and
// the part of it every reader needs (resuming, the summary, the catalogue
// report, the viewer's triage) read back in one place. The body (analysis,
// plan, qa) is the very object `acuity analyze|advise|qa --json` prints.
//
//   acuity::BatchRecord r;
//   r.input = {"a/b.jpg", 81234, 1700000000000000000};
//   r.action = "analyze";
//   r.analysis = report;
//   results_writer.Append(acuity::BatchRecordToJson(r));
//   ...
//   for (const nlohmann::json* last : acuity::LastRecordOfEachInput(records))
//     acuity::BatchRecordHeaderFromJson(*last)->input.path ...
#ifndef ACUITY_ANALYSIS_JSON_BATCH_RECORD_JSON_H_
#define ACUITY_ANALYSIS_JSON_BATCH_RECORD_JSON_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "analysis/advice/plan.h"
#include "analysis/advice/qa.h"
#include "analysis/io/image.h"
#include "analysis/measurements/analyze.h"

namespace acuity {

// The input as the batch found it: what resuming keys on.
struct BatchRecordInput {
  std::string path;  // relative to its INPUT root
  std::optional<int64_t> size_bytes, mtime_ns;  // absent in records that lack them
};

// What every record has, whatever --do was.
struct BatchRecordHeader {
  BatchRecordInput input;
  std::string action;  // "do": analyze, advise, qa, enhance
  std::string status = "ok";  // "ok" or "error"
  std::string error;          // the reason, when status is "error"
  int exit_code = 0;          // what `acuity` would exit with for this file alone
  // With an error: the machine's fault (memory, disk), so that the same file
  // may work on a retry (`batch --retry-failed`).
  bool retryable = false;
  // The memory budget the work was planned with (MB beside the program, and
  // what set it: "the cgroup's memory limit", "--max-memory", ...); absent
  // in records of an acuity that did not keep it.
  std::optional<double> memory_budget_mb;
  std::string memory_budget_source;
  // Stage name -> seconds, in the order the stages ran, "total" last
  // (batch/stage_times.h); written to the millisecond.
  std::vector<std::pair<std::string, double>> seconds;

  bool ok() const { return status == "ok"; }
};

// A QA result with the two images it compared (their "input" and "output").
struct BatchRecordQa {
  QaReport report;
  ImageInfo input, output;
};

struct BatchRecord {
  BatchRecordHeader header;
  std::optional<AnalysisReport> analysis;  // "analysis": analyze, advise, and an advised plan's analysis
  std::optional<Plan> plan;                // "plan": advise, and the plan qa/enhance ran
  std::optional<std::string> output;       // "output": where enhance wrote the result
  std::optional<BatchRecordQa> qa;         // "qa": qa, enhance
};

// {"input": {"path", "size_bytes", "mtime_ns"}, "do", "status", "error"
// (null when ok), "exit_code", "retryable" (with an error), "memory_budget"
// ({"mb", "source"}, when known), "seconds",
// then each body part present.
nlohmann::json BatchRecordToJson(const BatchRecord& record);

// The "analysis" (when the plan was advised from `before`) and "plan" of an
// enhancement: a record's, and the Python module's enhance() result.
void AddEnhanceWorkJson(const std::optional<AnalysisReport>& before, const Plan& plan, nlohmann::json& object);

// The header of a record read back. InvalidArgument when `record` is not
// an object with a string input.path (a line that is no record); any other
// field missing or of the wrong type reads as its default.
absl::StatusOr<BatchRecordHeader> BatchRecordHeaderFromJson(const nlohmann::json& record);

// What a record found, read back (the summary and its gate, the catalogue,
// the viewer's triage). Parts missing or of the wrong type read as empty.
struct BatchRecordFindings {
  // Warning codes of "analysis" then "plan", each once, in the record's order.
  std::vector<std::string> warnings;
  // With a "qa" object: its verdict ("pass", "warn", "fail"; "" when it has
  // none) and the names of its checks that warned or failed, each once, in order.
  std::optional<std::string> qa_verdict;
  std::vector<std::string> qa_not_passed;
  // With a "plan" object: its steps' ops, in order.
  std::optional<std::vector<std::string>> steps;
};
BatchRecordFindings BatchRecordFindingsFromJson(const nlohmann::json& record);

// The last record of each input path (an input done again after it changed
// is recorded again: the last counts), in the order of the paths; records
// without a path are left out.
std::vector<const nlohmann::json*> LastRecordOfEachInput(const std::vector<nlohmann::json>& records);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_JSON_BATCH_RECORD_JSON_H_

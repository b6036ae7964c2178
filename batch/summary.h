// The summary of `acuity batch` results (its own run, or `acuity batch
// --summary DIR` over every shard's file): counts by status, by QA verdict,
// by warning code, by QA check not passed and by advised step kind, the
// seconds spent in each stage of the work,
// failures, the --fail-on gate, and the exit code they lead to. When an
// input was recorded more than once (it changed and was done again), its
// last record counts.
//
//   absl::StatusOr<acuity::batch::FailOn> gate = acuity::batch::ParseFailOn("warn");
//   acuity::batch::BatchSummary s = acuity::batch::Summarize(ReadResultsDir("out").records, *gate);
//   std::cout << acuity::batch::FormatSummary(s);   // or SummaryToJson(s)
//   return s.exit_code;
#ifndef ACUITY_BATCH_SUMMARY_H_
#define ACUITY_BATCH_SUMMARY_H_

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"

namespace acuity::batch {

// `--fail-on warn|fail|CODE[,CODE...]`: which records fail the gate (exit
// code 1). `fail`: a QA verdict of fail (as without --fail-on); `warn`: a QA
// verdict of warn or fail, or any warning (analysis.warnings, plan.warnings);
// CODE: a record with that warning code, or with that QA check not passed
// (checks[].name with status warn or fail).
struct FailOn {
  bool warn = false;
  bool fail = false;
  std::set<std::string> codes;
  std::string text;  // as given, for the summary; empty: no gate
};
// InvalidArgument for an empty item or one that is not snake_case.
absl::StatusOr<FailOn> ParseFailOn(const std::string& text);

struct BatchSummary {
  int inputs = 0;  // distinct input paths
  std::map<std::string, int> by_status;   // "ok", "error"
  std::map<std::string, int> by_verdict;  // QA "pass", "warn", "fail"
  std::map<std::string, int> by_warning;  // warning code -> inputs with it (analysis or plan)
  std::map<std::string, int> by_check;    // QA check name -> inputs where it warned or failed
  std::map<std::string, int> by_step;     // plan step op -> inputs whose plan has it
  int no_steps = 0;                       // inputs whose plan is empty (leave as is)
  // Stage name -> seconds summed over the inputs' records ("seconds", "total"
  // included; records without it count nothing): where the work's time went.
  std::map<std::string, double> seconds_by_stage;
  // "196 MB (the cgroup's memory limit)" -> inputs whose work was planned
  // with that memory budget (records that hold one).
  std::map<std::string, int> by_memory_budget;
  std::vector<std::pair<std::string, std::string>> failures;  // path, error
  std::string gate;                                           // --fail-on as given; empty: none
  std::vector<std::pair<std::string, std::string>> gate_failures;  // path, what failed it ("qa warn, motion_blur")
  // The largest record exit_code (0 ok, 1 a QA fail, 3 unreadable, 4
  // failed), and 1 at least when an input fails the gate.
  int exit_code = 0;
};

BatchSummary Summarize(const std::vector<nlohmann::json>& records, const FailOn& fail_on = {});

// Several lines of plain text; at most `max_failures` failures (and gate
// failures) are listed.
std::string FormatSummary(const BatchSummary& summary, int max_failures = 20);

// The same as one JSON object: {"inputs", "by_status", "by_verdict",
// "by_warning", "by_check", "by_step", "no_steps", "failures": [{"path",
// "error"}], "fail_on" (null without a gate), "gate_failures": [{"path",
// "reasons"}], "seconds_by_stage", "memory_budgets" ({"196 MB (the cgroup's
// memory limit)": inputs}), "exit_code"}.
nlohmann::json SummaryToJson(const BatchSummary& summary);

}  // namespace acuity::batch

#endif  // ACUITY_BATCH_SUMMARY_H_

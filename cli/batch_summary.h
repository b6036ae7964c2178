// The summary of `acuity batch` results (its own run, or `acuity batch
// --summary DIR` over every shard's file): counts by status, by QA verdict
// and by advised step kind, the failures, and the exit code they lead to.
// When an input was recorded more than once (it changed and was done
// again), its last record counts.
//
//   acuity::cli::BatchSummary s = acuity::cli::Summarize(ReadResultsDir("out").records);
//   std::cout << acuity::cli::FormatSummary(s);
//   return s.exit_code;
#ifndef ACUITY_CLI_BATCH_SUMMARY_H_
#define ACUITY_CLI_BATCH_SUMMARY_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace acuity::cli {

struct BatchSummary {
  int inputs = 0;  // distinct input paths
  std::map<std::string, int> by_status;   // "ok", "error"
  std::map<std::string, int> by_verdict;  // QA "pass", "warn", "fail"
  std::map<std::string, int> by_step;     // plan step op -> inputs whose plan has it
  int no_steps = 0;                       // inputs whose plan is empty (leave as is)
  std::vector<std::pair<std::string, std::string>> failures;  // path, error
  int exit_code = 0;  // the largest record exit_code: 0 ok, 1 a QA fail, 3 unreadable, 4 failed
};

BatchSummary Summarize(const std::vector<nlohmann::json>& records);

// Several lines of plain text; at most `max_failures` failures are listed.
std::string FormatSummary(const BatchSummary& summary, int max_failures = 20);

}  // namespace acuity::cli

#endif  // ACUITY_CLI_BATCH_SUMMARY_H_

// The results of `acuity batch`: JSON Lines files in --out DIR, one object
// per input, appended and fsync'ed one record at a time so that a killed run
// loses at most the files in flight; reading them back (a torn last line,
// left by a crash mid-write, is detected and ignored) for resuming and for
// the summary.
//
//   absl::StatusOr<std::unique_ptr<acuity::batch::ResultsWriter>> w =
//       acuity::batch::ResultsWriter::Open("out/results.jsonl");
//   (*w)->Append(record);  // thread-safe; durable when it returns OK
//   acuity::batch::ResultsContents all = acuity::batch::ReadResultsDir("out");
#ifndef ACUITY_BATCH_RESULTS_H_
#define ACUITY_BATCH_RESULTS_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "batch/inputs.h"

namespace acuity::batch {

// "results.jsonl", or "results.shard-I-of-N.jsonl" for a shard.
std::string ResultsFileName(const std::optional<Shard>& shard);

class ResultsWriter {
 public:
  // Opens (creates) `path` for appending. A last line without its newline
  // (a record torn by a crash) is cut off first, so that the next record
  // starts on a line of its own. PermissionDenied / FailedPrecondition.
  static absl::StatusOr<std::unique_ptr<ResultsWriter>> Open(const std::string& path);
  ~ResultsWriter();
  ResultsWriter(const ResultsWriter&) = delete;
  ResultsWriter& operator=(const ResultsWriter&) = delete;

  // Writes `record` as one line and fsyncs the file. Thread-safe.
  // ResourceExhausted / DataLoss when the disk refuses.
  absl::Status Append(const nlohmann::json& record);

 private:
  ResultsWriter(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  std::mutex mu_;
  int fd_;
  std::string path_;
};

struct ResultsContents {
  std::vector<nlohmann::json> records;  // in file order, files in name order
  int torn_lines = 0;                   // lines that are not a JSON object (ignored)
  std::vector<std::string> files;       // the files read
};

// Every results*.jsonl of `dir` (none: empty contents).
ResultsContents ReadResultsDir(const std::string& dir);
// One file (missing: empty contents).
void ReadResultsFile(const std::string& path, ResultsContents& contents);

// What was already done: relative path -> the size and mtime recorded (the
// last record of a path counts).
class ResumeIndex {
 public:
  // `retry_failed`: an input whose last record failed for lack of memory or
  // disk ("retryable": true) counts as not done.
  explicit ResumeIndex(const std::vector<nlohmann::json>& records, bool retry_failed = false);
  // True when `input` was recorded with its current size and mtime.
  bool Done(const BatchInput& input) const;
  size_t size() const { return done_.size(); }

 private:
  struct Recorded {
    int64_t size_bytes = -1, mtime_ns = -1;
    bool retry = false;
  };
  std::map<std::string, Recorded> done_;
};

}  // namespace acuity::batch

#endif  // ACUITY_BATCH_RESULTS_H_

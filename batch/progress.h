// The overall progress of `acuity batch` on stderr: on a terminal one bar
// redrawn in place (files done / total, files per second, time left,
// failures so far); otherwise a plain line every 10 s, so that logs stay
// readable. Thread-safe.
//
//   acuity::batch::BatchProgress progress(std::cerr, isatty(2) == 1, files.size());
//   progress.FileDone(/*failed=*/false);   // from any worker
//   progress.Tick();                        // now and then: redraws when due
//   progress.Finish();
#ifndef ACUITY_BATCH_PROGRESS_H_
#define ACUITY_BATCH_PROGRESS_H_

#include <chrono>
#include <cstddef>
#include <mutex>
#include <ostream>
#include <string>

namespace acuity::batch {

class BatchProgress {
 public:
  BatchProgress(std::ostream& err, bool tty, size_t total) : err_(err), tty_(tty), total_(total) {}
  ~BatchProgress() { Finish(); }

  void FileDone(bool failed);
  void Tick();
  // Clears the bar (a terminal); prints nothing otherwise.
  void Finish();
  // Writes a line of its own (a diagnostic) without breaking the bar.
  void Say(const std::string& line);

  // "12/200 files, 3.1 files/s, 1 min left, 0 failed" (no locking).
  std::string Line() const;
  // "12 of 200 files done, 0 failed".
  std::string Counts();

 private:
  void DrawLocked(bool force);
  double Seconds() const;
  std::mutex mu_;
  std::ostream& err_;
  const bool tty_;
  const size_t total_;
  size_t done_ = 0, failed_ = 0;
  const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  double last_draw_ = 0;
  bool drawn_ = false;
};

}  // namespace acuity::batch

#endif  // ACUITY_BATCH_PROGRESS_H_

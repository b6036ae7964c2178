// The batch's watchdog for work that makes no progress. A job that reports
// no progress for the limit — a decoder or library spinning, a file system
// that stopped answering, a thread waiting for one that never started — is
// declared stalled, once, so that `acuity batch` records it as a retryable
// error and ends after the other jobs in flight, instead of holding its
// node until the cluster's time limit. A stalled thread cannot be stopped
// from outside: the job's record goes to whichever claims it first, its
// worker (should it finish after all) or the watchdog, never to both.
//
//   acuity::batch::StallWatch watch(files.size(), std::chrono::seconds(600));
//   // the worker of job i:
//   watch.Started(i);
//   Read(i);
//   watch.Waiting(i);            // for its turn: not a stall
//   watch.Beat(i);               // its turn came
//   Record r = Run(i, /*progress=*/[&] { watch.Beat(i); });
//   if (watch.Claim(i)) Write(r), watch.Done(i);
//   // the thread that waits, now and then:
//   for (size_t i : watch.NewlyStalled())
//     if (watch.Claim(i)) Write(StalledRecord(i)), watch.Done(i);
//   if (watch.any_stalled() && watch.running() == 0) EndHere();  // every record written
#ifndef ACUITY_BATCH_STALL_WATCH_H_
#define ACUITY_BATCH_STALL_WATCH_H_

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

namespace acuity::batch {

// The reason given for a stalled input, batch's record and the single-file
// commands' line alike: "no progress in 600 s: given up as stalled (the
// machine or a library stopped moving, not the file)". `quiet_s`: seconds.
std::string StalledReason(double quiet_s);

class StallWatch {
 public:
  using Clock = std::chrono::steady_clock;

  // `jobs` jobs, indexed 0..jobs−1; a job is stalled after `limit` without
  // a Started or Beat. A limit ≤ 0 never declares a stall.
  StallWatch(size_t jobs, Clock::duration limit);

  // Job i began (its worker calls it first).
  void Started(size_t i, Clock::time_point now = Clock::now());
  // Job i waits for its turn (memory for it, beside the jobs in flight):
  // not watched, not running, until its next Beat.
  void Waiting(size_t i);
  // Job i made progress (a stage, a tile), or its turn came.
  void Beat(size_t i, Clock::time_point now = Clock::now());
  // True for the first caller for job i, false for any later one: the
  // worker when it has its record, the watchdog when it declares the job
  // stalled. The one that claims it writes its record, then calls Done.
  bool Claim(size_t i);
  // Job i's record is written (by whoever claimed it): it no longer counts
  // as running. Once per job; later calls do nothing.
  void Done(size_t i);

  // The jobs started, not waiting, not claimed, and without progress for
  // the limit at `now`, each returned once.
  std::vector<size_t> NewlyStalled(Clock::time_point now = Clock::now());
  // Seconds job i has gone without progress at `now` (0 if not started).
  double SecondsQuiet(size_t i, Clock::time_point now = Clock::now()) const;

  int running() const;       // started, not waiting, its record not yet written (Done)
  bool any_stalled() const;  // NewlyStalled has returned a job
  double limit_s() const { return std::chrono::duration<double>(limit_).count(); }

 private:
  struct Job {
    bool started = false, waiting = false, claimed = false, done = false, stalled = false;
    Clock::time_point last{};
  };
  const Clock::duration limit_;
  mutable std::mutex mu_;
  std::vector<Job> jobs_;
  int running_ = 0;
  bool any_stalled_ = false;
};

}  // namespace acuity::batch

#endif  // ACUITY_BATCH_STALL_WATCH_H_

// Runs `acuity batch`'s jobs on threads of one process: at most `max_jobs`
// at a time, and a job starts only while the sum of the peak-memory
// estimates of the jobs in flight, its own included, stays within the
// budget (a job whose estimate alone is over the budget runs alone). Jobs
// start in index order; once `stop` says so, no new job starts and the jobs
// in flight finish.
//
//   acuity::batch::JobScheduler scheduler({.max_jobs = 4, .budget_bytes = 2LL << 30});
//   acuity::batch::JobStats stats = scheduler.Run(
//       files.size(),
//       [&](size_t i) { return Prepare(i); },   // reads the file, returns its estimate
//       [&](size_t i) { Process(i); },
//       [&] { return interrupted.load(); },
//       [&] { ShowProgress(); });               // on the calling thread, ~5 times a second
#ifndef ACUITY_BATCH_SCHEDULER_H_
#define ACUITY_BATCH_SCHEDULER_H_

#include <cstddef>
#include <cstdint>
#include <functional>

namespace acuity {
class ThreadPool;
}  // namespace acuity

namespace acuity::batch {


struct SchedulerOptions {
  int max_jobs = 1;          // threads
  int64_t budget_bytes = 0;  // ≤ 0: no memory limit
  ThreadPool* pool = nullptr;  // whose threads run the jobs; null: ThreadPool::Shared()
};

struct JobStats {
  size_t started = 0;          // jobs run (all of them unless stopped)
  int max_in_flight = 0;       // the most jobs that ran at once
  int64_t max_in_flight_bytes = 0;  // the largest sum of estimates in flight
  int threads_refused = 0;     // thread starts refused (the pool then stops trying; the rest do the work)
};

class JobScheduler {
 public:
  explicit JobScheduler(SchedulerOptions options) : options_(options) {}

  // `prepare(i)` (on a worker, before admission; may do I/O) returns job i's
  // estimate in bytes; `work(i)` runs it. `stop` and `tick` are called from
  // the calling thread, which waits for the workers — and, when no pool
  // thread can start or the waiting thread takes up a worker itself, runs
  // jobs: then between its jobs, so that a stop still ends the run after
  // the job in hand.
  JobStats Run(size_t count, const std::function<int64_t(size_t)>& prepare,
               const std::function<void(size_t)>& work, const std::function<bool()>& stop,
               const std::function<void()>& tick) const;

 private:
  SchedulerOptions options_;
};

}  // namespace acuity::batch

#endif  // ACUITY_BATCH_SCHEDULER_H_

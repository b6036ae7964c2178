#include "batch/scheduler.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "analysis/io/thread_pool.h"

namespace acuity::batch {
namespace {

constexpr auto kTickEvery = std::chrono::milliseconds(200);

// The shared state of one Run.
struct Admission {
  std::mutex mu;
  std::condition_variable changed;
  size_t next = 0;  // the next job index to take
  int in_flight = 0;
  int64_t bytes_in_flight = 0;
  JobStats stats;
};

}  // namespace

JobStats JobScheduler::Run(size_t count, const std::function<int64_t(size_t)>& prepare,
                           const std::function<void(size_t)>& work, const std::function<bool()>& stop,
                           const std::function<void()>& tick) const {
  Admission a;
  std::atomic<bool> stopping{false};
  const std::thread::id caller = std::this_thread::get_id();
  // On the calling thread only (`stop` and `tick` are its own): asks `stop`.
  const auto poll_stop = [&] {
    if (!stopping && stop && stop()) {
      std::lock_guard<std::mutex> lock(a.mu);
      stopping = true;
      a.changed.notify_all();
    }
  };
  const int workers = std::max(1, std::min<int>(options_.max_jobs, int(std::max<size_t>(count, 1))));
  auto worker = [&] {
    for (;;) {
      if (std::this_thread::get_id() == caller) {  // a worker run inline: nobody else polls
        if (tick) tick();
        poll_stop();  // after the tick, which may have found a reason to stop
      }
      size_t i;
      {
        std::lock_guard<std::mutex> lock(a.mu);
        if (stopping || a.next >= count) break;
        i = a.next++;
      }
      const int64_t estimate = std::max<int64_t>(0, prepare(i));
      std::unique_lock<std::mutex> lock(a.mu);
      a.changed.wait(lock, [&] {
        return stopping || a.in_flight == 0 || options_.budget_bytes <= 0 ||
               a.bytes_in_flight + estimate <= options_.budget_bytes;
      });
      if (stopping) break;
      ++a.in_flight, a.bytes_in_flight += estimate, ++a.stats.started;
      a.stats.max_in_flight = std::max(a.stats.max_in_flight, a.in_flight);
      a.stats.max_in_flight_bytes = std::max(a.stats.max_in_flight_bytes, a.bytes_in_flight);
      lock.unlock();
      work(i);
      lock.lock();
      --a.in_flight, a.bytes_in_flight -= estimate;
      a.changed.notify_all();
    }
  };
  // The workers are tasks of the process's pool (thread_pool.h), which is
  // let grow to `workers` threads; a thread that cannot start (no stack or
  // arena under the memory limit) leaves the jobs to the workers that run —
  // with none, the first worker runs every job here.
  ThreadPool& pool = options_.pool != nullptr ? *options_.pool : ThreadPool::Shared();
  pool.AllowAtLeast(workers);
  const int refused_before = pool.threads_refused();
  TaskGroup group(pool);
  for (int w = 0; w < workers; ++w) group.Run(worker);
  {
    std::lock_guard<std::mutex> lock(a.mu);
    a.stats.threads_refused = pool.threads_refused() - refused_before;
  }
  while (!group.WaitFor(kTickEvery)) {
    if (tick) tick();
    poll_stop();  // after the tick, which may have found a reason to stop (a stall)
  }
  group.Wait();  // `worker` lets nothing escape
  return a.stats;
}

}  // namespace acuity::batch

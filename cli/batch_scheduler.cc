#include "cli/batch_scheduler.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace acuity::cli {
namespace {

constexpr auto kTickEvery = std::chrono::milliseconds(200);

// The shared state of one Run.
struct Admission {
  std::mutex mu;
  std::condition_variable changed;
  size_t next = 0;  // the next job index to take
  int in_flight = 0, workers_left = 0;
  int64_t bytes_in_flight = 0;
  JobStats stats;
};

}  // namespace

JobStats JobScheduler::Run(size_t count, const std::function<int64_t(size_t)>& prepare,
                           const std::function<void(size_t)>& work, const std::function<bool()>& stop,
                           const std::function<void()>& tick) const {
  Admission a;
  std::atomic<bool> stopping{false};
  const int workers = std::max(1, std::min<int>(options_.max_jobs, int(std::max<size_t>(count, 1))));
  a.workers_left = workers;
  auto worker = [&] {
    for (;;) {
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
    std::lock_guard<std::mutex> lock(a.mu);
    --a.workers_left;
    a.changed.notify_all();
  };
  std::vector<std::thread> pool;
  for (int w = 0; w < workers; ++w) {
    try {
      pool.emplace_back(worker);
    } catch (const std::system_error&) {
      // No stack or arena for another thread under the memory limit: go on
      // with the workers that started (none: this thread works alone).
      std::lock_guard<std::mutex> lock(a.mu);
      a.workers_left -= workers - w;
      a.stats.threads_refused = workers - w;
      break;
    }
  }
  if (pool.empty()) {
    {
      std::lock_guard<std::mutex> lock(a.mu);
      a.workers_left = 1;
    }
    worker();
  }
  {
    std::unique_lock<std::mutex> lock(a.mu);
    while (a.workers_left > 0) {
      a.changed.wait_for(lock, kTickEvery);
      lock.unlock();
      if (!stopping && stop && stop()) stopping = true;
      if (tick) tick();
      lock.lock();
      if (stopping) a.changed.notify_all();
    }
  }
  for (std::thread& t : pool) t.join();
  return a.stats;
}

}  // namespace acuity::cli

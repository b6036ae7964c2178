#include "batch/scheduler.h"

#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <string>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "analysis/io/isolated_call.h"
#include "analysis/io/thread_pool.h"
#include "tests/testing/address_space.h"

namespace acuity::batch {
namespace {

// Runs `count` jobs with `estimates` (cycled) and records the largest
// number and byte sum of jobs seen running at once by the jobs themselves.
struct Observed {
  JobStats stats;
  int max_running = 0;
  int64_t max_bytes = 0;
  std::set<size_t> ran;
};

Observed RunJobs(SchedulerOptions options, size_t count, const std::vector<int64_t>& estimates,
                 std::function<bool()> stop = [] { return false; }) {
  Observed o;
  std::mutex mu;
  int running = 0;
  int64_t bytes = 0;
  JobScheduler scheduler(options);
  o.stats = scheduler.Run(
      count, [&](size_t i) { return estimates[i % estimates.size()]; },
      [&](size_t i) {
        const int64_t e = estimates[i % estimates.size()];
        {
          std::lock_guard<std::mutex> lock(mu);
          ++running, bytes += e;
          o.max_running = std::max(o.max_running, running);
          o.max_bytes = std::max(o.max_bytes, bytes);
          o.ran.insert(i);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // overlap, not timing
        std::lock_guard<std::mutex> lock(mu);
        --running, bytes -= e;
      },
      stop, [] {});
  return o;
}

TEST(JobSchedulerTest, RunsEveryJobOnceWithAtMostMaxJobs) {
  const Observed o = RunJobs({3, 0}, 20, {1});
  EXPECT_EQ(o.ran.size(), 20u);
  EXPECT_EQ(o.stats.started, 20u);
  EXPECT_LE(o.max_running, 3);
  EXPECT_EQ(o.stats.max_in_flight, o.max_running);
}

TEST(JobSchedulerTest, TheMemoryBudgetLowersTheParallelismForBigJobs) {
  // Small jobs: 4 fit in the budget; big ones (a 4× upscale): only one does.
  const Observed small = RunJobs({4, 1000}, 16, {200});
  EXPECT_EQ(small.ran.size(), 16u);
  EXPECT_LE(small.max_bytes, 1000);
  const Observed big = RunJobs({4, 1000}, 6, {700});
  EXPECT_EQ(big.ran.size(), 6u);
  EXPECT_EQ(big.max_running, 1);
  EXPECT_EQ(big.stats.max_in_flight, 1);
  const Observed mixed = RunJobs({4, 1000}, 24, {700, 100, 100, 100});
  EXPECT_EQ(mixed.ran.size(), 24u);
  EXPECT_LE(mixed.max_bytes, 1000);
  EXPECT_LE(mixed.stats.max_in_flight_bytes, 1000);
}

TEST(JobSchedulerTest, AJobOverTheWholeBudgetRunsAlone) {
  const Observed o = RunJobs({2, 1000}, 5, {100, 5000});
  EXPECT_EQ(o.ran.size(), 5u);
  EXPECT_LE(o.max_bytes, 5000);  // never beside another job
}

TEST(JobSchedulerTest, StopLetsTheJobsInFlightFinishAndStartsNoMore) {
  std::atomic<int> calls{0};
  const Observed o = RunJobs({2, 0}, 1000, {1}, [&] { return ++calls > 1; });
  EXPECT_LT(o.ran.size(), 1000u);
  EXPECT_EQ(o.ran.size(), o.stats.started);
  EXPECT_GT(o.ran.size(), 0u);
}

// With no pool thread at all (every start refused), the calling thread runs
// the jobs itself: a stop (SIGINT) must still end the run after the job in
// hand, and progress still ticks. Before, it ran every job to the end.
TEST(JobSchedulerTest, JobsRunInlineStillStopAndTick) {
  int starts = 0;
  ThreadPool no_threads(4, [&](std::function<void()>) -> std::thread {
    ++starts;
    throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again));
  });
  SchedulerOptions options{2, 0};
  options.pool = &no_threads;
  std::vector<int> done(100, 0);
  int ticks = 0, ran = 0;
  const JobStats stats = JobScheduler(options).Run(
      done.size(), [](size_t) { return int64_t{1}; }, [&](size_t i) { done[i] = 1, ++ran; },
      [&] { return ran >= 3; }, [&] { ++ticks; });
  EXPECT_GE(starts, 1);
  EXPECT_EQ(ran, 3);
  EXPECT_EQ(stats.started, 3u);
  EXPECT_GE(ticks, 3);
}

// A worker thread that cannot be started (its 8 MB stack does not fit under
// the address-space limit, as under `ulimit -v`) ended the batch in
// std::terminate with 0 records. Injected for real in an expendable child:
// no room for a single new stack; the calling thread does every job.
TEST(JobSchedulerTest, WorkersThatCannotStartLeaveTheWorkToTheOthers) {
#if defined(ACUITY_UNDER_ASAN)
  GTEST_SKIP() << "an address-space limit cannot apply to an AddressSanitizer build";
#endif
  absl::StatusOr<std::string> reply = RunIsolated({"the scheduler", 60}, []() -> absl::StatusOr<std::string> {
    std::vector<int> done(6, 0);
    // Threads' stacks larger than any glibc keeps from threads that ended
    // (it reuses those without mapping new memory).
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, size_t{64} << 20);
    pthread_setattr_default_np(&attr);
    pthread_attr_destroy(&attr);
    const rlim_t limit = rlim_t(testing::MappedBytes()) + (rlim_t{2} << 20);
    rlimit r{limit, RLIM_INFINITY};
    if (setrlimit(RLIMIT_AS, &r) != 0) return absl::InternalError("setrlimit");
    const JobStats stats = JobScheduler({3, 0}).Run(
        done.size(), [](size_t) { return int64_t{1}; }, [&](size_t i) { done[i] = 1; }, nullptr, nullptr);
    int ran = 0;
    for (int d : done) ran += d;
    return std::to_string(ran) + " ran, " + std::to_string(stats.threads_refused) + " refused";
  });
  ASSERT_TRUE(reply.ok()) << reply.status();
  // One start refused: the pool then stops trying (thread_pool.h).
  EXPECT_EQ(*reply, "6 ran, 1 refused");
}

}  // namespace
}  // namespace acuity::batch

#include "batch/stall_watch.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "analysis/io/thread_pool.h"
#include "batch/scheduler.h"

namespace acuity::batch {
namespace {

using std::chrono::seconds;
using Clock = StallWatch::Clock;

TEST(StallWatchTest, AJobIsStalledOnceAfterTheLimitWithoutProgress) {
  StallWatch watch(3, seconds(10));
  const Clock::time_point t0 = Clock::now();
  watch.Started(0, t0);
  watch.Started(1, t0);
  EXPECT_EQ(watch.running(), 2);
  EXPECT_TRUE(watch.NewlyStalled(t0 + seconds(9)).empty());
  watch.Beat(1, t0 + seconds(8));  // job 1 progresses, job 0 does not
  EXPECT_EQ(watch.NewlyStalled(t0 + seconds(10)), std::vector<size_t>{0});
  EXPECT_TRUE(watch.any_stalled());
  EXPECT_TRUE(watch.NewlyStalled(t0 + seconds(11)).empty()) << "declared once";
  EXPECT_DOUBLE_EQ(watch.SecondsQuiet(0, t0 + seconds(12)), 12.0);
  EXPECT_EQ(watch.NewlyStalled(t0 + seconds(18)), std::vector<size_t>{1});
  EXPECT_DOUBLE_EQ(watch.SecondsQuiet(2, t0 + seconds(99)), 0.0) << "never started: never stalled";
}

TEST(StallWatchTest, TheRecordGoesToTheFirstClaimOnly) {
  StallWatch watch(2, seconds(1));
  const Clock::time_point t0 = Clock::now();
  watch.Started(0, t0);
  watch.Started(1, t0);
  EXPECT_TRUE(watch.Claim(1));  // job 1's worker finished
  EXPECT_EQ(watch.running(), 2) << "its record is not written yet: the run must not end";
  watch.Done(1);
  EXPECT_EQ(watch.running(), 1);
  EXPECT_EQ(watch.NewlyStalled(t0 + seconds(5)), std::vector<size_t>{0}) << "a finished job is never stalled";
  EXPECT_TRUE(watch.Claim(0));   // the watchdog records the stall
  EXPECT_FALSE(watch.Claim(0));  // the worker, finishing after all, writes nothing
  watch.Done(0);
  watch.Done(0);  // once
  EXPECT_EQ(watch.running(), 0);
}

// A job read and waiting for memory beside the jobs in flight is not
// stalled however long it waits, and does not count as running.
TEST(StallWatchTest, WaitingForItsTurnIsNotAStall) {
  StallWatch watch(1, seconds(10));
  const Clock::time_point t0 = Clock::now();
  watch.Started(0, t0);
  watch.Waiting(0);
  EXPECT_EQ(watch.running(), 0);
  EXPECT_TRUE(watch.NewlyStalled(t0 + seconds(100)).empty());
  watch.Beat(0, t0 + seconds(100));  // its turn
  EXPECT_EQ(watch.running(), 1);
  EXPECT_TRUE(watch.NewlyStalled(t0 + seconds(109)).empty());
  EXPECT_EQ(watch.NewlyStalled(t0 + seconds(110)), std::vector<size_t>{0});
}

TEST(StallWatchTest, NoLimitNeverStalls) {
  StallWatch watch(1, seconds(0));
  const Clock::time_point t0 = Clock::now();
  watch.Started(0, t0);
  EXPECT_TRUE(watch.NewlyStalled(t0 + std::chrono::hours(24 * 365)).empty());
  EXPECT_FALSE(watch.any_stalled());
}

// With the scheduler, as `acuity batch` uses them: job 2 of 20 blocks (a
// real wait, released only by the test once the watchdog has spoken); the
// watchdog finds it from the waiting thread's ticks, no job starts after,
// the jobs in flight finish, and the blocked worker — released — does not
// get the record the watchdog wrote.
TEST(StallWatchTest, ABlockedJobIsFoundWhileTheOthersFinishAndNoJobStartsAfter) {
  ThreadPool pool(2);
  constexpr size_t kJobs = 20;  // 100 ms each but job 2: 1.8 s of jobs left when the stall is declared
  StallWatch watch(kJobs, std::chrono::milliseconds(300));
  std::mutex mu;
  std::condition_variable released_cv;
  bool released = false;
  std::set<size_t> recorded_by_worker, recorded_stalled, started;
  const JobScheduler scheduler({2, 0, &pool});
  scheduler.Run(
      kJobs,
      [&](size_t i) {  // as `batch`: watched while the file is read, then waiting for its turn
        watch.Started(i);
        watch.Waiting(i);
        return int64_t{0};
      },
      [&](size_t i) {
        watch.Beat(i);
        {
          std::lock_guard<std::mutex> lock(mu);
          started.insert(i);
        }
        if (i == 2) {
          std::unique_lock<std::mutex> lock(mu);
          released_cv.wait(lock, [&] { return released; });
        } else {
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        if (watch.Claim(i)) {
          {
            std::lock_guard<std::mutex> lock(mu);
            recorded_by_worker.insert(i);
          }
          watch.Done(i);
        }
      },
      [&] { return watch.any_stalled(); },
      [&] {
        for (size_t i : watch.NewlyStalled())
          if (watch.Claim(i)) recorded_stalled.insert(i), watch.Done(i);
        if (watch.any_stalled() && watch.running() == 0) {  // `batch` ends the process here
          std::lock_guard<std::mutex> lock(mu);
          released = true;
          released_cv.notify_all();
        }
      });
  EXPECT_EQ(recorded_stalled, std::set<size_t>{2});
  EXPECT_EQ(recorded_by_worker.count(2), 0u) << "the record went to the watchdog";
  for (size_t i : started) {
    if (i == 2) continue;
    EXPECT_EQ(recorded_by_worker.count(i), 1u) << "job " << i << " finished and kept its record";
  }
  EXPECT_LT(started.size(), kJobs) << "jobs kept starting after the stall";
}

}  // namespace
}  // namespace acuity::batch

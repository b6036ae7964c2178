#include "analysis/io/thread_pool.h"

#include <pthread.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <future>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tests/testing/address_space.h"

namespace acuity {
namespace {

using namespace std::chrono_literals;  // NOLINT(build/namespaces)

// Runs `body` on a thread of its own and fails — ending the test program,
// since a deadlocked pool cannot be joined — when it has not returned within
// `limit`: a deadlock is a failure here, never a hang of the suite.
void WithinOrDie(std::chrono::seconds limit, std::function<void()> body) {
  std::packaged_task<void()> task(std::move(body));
  std::future<void> done = task.get_future();
  std::thread t(std::move(task));
  if (done.wait_for(limit) != std::future_status::ready) {
    ADD_FAILURE() << "still waiting after " << limit.count() << " s: a deadlock";
    std::_Exit(1);
  }
  t.join();
  done.get();
}

// A thread start that always fails, as under a memory limit.
std::thread Refuse(std::function<void()>) { throw std::system_error(EAGAIN, std::generic_category()); }

TEST(ThreadPoolTest, RunsEveryTaskExactlyOnce) {
  ThreadPool pool(3);
  std::vector<std::atomic<int>> runs(2000);
  TaskGroup group(pool);
  for (size_t i = 0; i < runs.size(); ++i) group.Run([&runs, i] { ++runs[i]; });
  group.Wait();
  for (size_t i = 0; i < runs.size(); ++i) ASSERT_EQ(runs[i].load(), 1) << "task " << i;
  EXPECT_LE(pool.threads_started(), 3);
}

TEST(ThreadPoolTest, NeverMoreThreadsThanItsBoundPlusTheWaiter) {
  ThreadPool pool(2);
  std::atomic<int> running{0}, most{0};
  TaskGroup group(pool);
  for (int i = 0; i < 40; ++i)
    group.Run([&] {
      const int now = ++running;
      for (int seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {
      }
      std::this_thread::sleep_for(1ms);
      --running;
    });
  group.Wait();
  EXPECT_LE(most.load(), 3);  // two pool threads and the waiting thread
  EXPECT_EQ(pool.threads_started(), 2);
}

// Tasks that open groups of their own and wait for them, on a pool of one
// thread: the waiting threads run the queued tasks themselves.
TEST(ThreadPoolTest, NestedGroupsFinishOnAPoolOfOneThread) {
  ThreadPool pool(1);
  std::atomic<int> leaves{0};
  WithinOrDie(60s, [&] {
    TaskGroup outer(pool);
    for (int i = 0; i < 8; ++i)
      outer.Run([&] {
        TaskGroup inner(pool);
        for (int j = 0; j < 8; ++j)
          inner.Run([&] {
            TaskGroup innermost(pool);
            innermost.Run([&] { ++leaves; });
            innermost.Wait();
          });
        inner.Wait();
      });
    outer.Wait();
  });
  EXPECT_EQ(leaves.load(), 64);
}

// The pool's only thread is busy: a second group's tasks run on the thread
// that waits for them instead of waiting behind it.
TEST(ThreadPoolTest, TheWaitingThreadRunsQueuedTasks) {
  ThreadPool pool(1);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  TaskGroup busy(pool);
  busy.Run([released] { released.wait(); });
  std::atomic<int> on_waiter{0};
  WithinOrDie(30s, [&] {
    const std::thread::id waiter = std::this_thread::get_id();
    TaskGroup group(pool);
    for (int i = 0; i < 5; ++i)
      group.Run([&on_waiter, waiter] {
        if (std::this_thread::get_id() == waiter) ++on_waiter;
      });
    group.Wait();
  });
  EXPECT_EQ(on_waiter.load(), 5);
  release.set_value();
  busy.Wait();
}

TEST(ThreadPoolTest, WithNoThreadEveryTaskRunsOnTheCaller) {
  ThreadPool pool(4, Refuse);
  const std::thread::id me = std::this_thread::get_id();
  int on_caller = 0;  // no other thread may touch it
  TaskGroup group(pool);
  for (int i = 0; i < 10; ++i)
    group.Run([&] {
      if (std::this_thread::get_id() == me) ++on_caller;
    });
  group.Wait();
  EXPECT_EQ(on_caller, 10);
  EXPECT_EQ(pool.threads_started(), 0);
  EXPECT_GE(pool.threads_refused(), 1);
  EXPECT_EQ(pool.bound(), 0);
}

// One thread starts, the next is refused: the bound drops to one and all
// the work is done.
TEST(ThreadPoolTest, ARefusedStartLowersTheBound) {
  std::atomic<int> starts{0};
  ThreadPool pool(4, [&](std::function<void()> body) {
    if (starts++ > 0) throw std::system_error(EAGAIN, std::generic_category());
    return std::thread(std::move(body));
  });
  std::atomic<int> done{0};
  WithinOrDie(30s, [&] {
    TaskGroup group(pool);
    for (int i = 0; i < 100; ++i)
      group.Run([&] {
        std::this_thread::sleep_for(100us);
        ++done;
      });
    group.Wait();
  });
  EXPECT_EQ(done.load(), 100);
  EXPECT_EQ(pool.threads_started(), 1);
  EXPECT_EQ(pool.threads_refused(), 1);
  EXPECT_EQ(pool.bound(), 1);
  pool.AllowAtLeast(3);  // `batch --jobs 3`: tried again
  EXPECT_EQ(pool.bound(), 3);
}

TEST(ThreadPoolTest, AnExceptionReachesTheWaiterAndThePoolGoesOn) {
  ThreadPool pool(2);
  TaskGroup group(pool);
  std::atomic<int> others{0};
  group.Run([] { throw std::runtime_error("broken tile"); });
  for (int i = 0; i < 20; ++i) group.Run([&] { ++others; });
  try {
    group.Wait();
    ADD_FAILURE() << "Wait did not rethrow";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "broken tile");
  }
  EXPECT_EQ(others.load(), 20);  // the other tasks still ran
  group.Wait();                  // once only
  std::atomic<int> later{0};
  TaskGroup again(pool);
  for (int i = 0; i < 20; ++i) again.Run([&] { ++later; });
  again.Wait();
  EXPECT_EQ(later.load(), 20);
}

TEST(ThreadPoolTest, WaitForReturnsWhileATaskRuns) {
  ThreadPool pool(1);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  TaskGroup group(pool);
  group.Run([released] { released.wait(); });
  EXPECT_FALSE(group.WaitFor(20ms));
  release.set_value();
  EXPECT_TRUE(group.WaitFor(30s));
}

// The real thing: under an address-space limit that leaves no room for a
// thread's stack, in a child process, the pool still does all the work.
TEST(ThreadPoolTest, UnderAnAddressSpaceLimitTheWorkIsStillDone) {
#if defined(ACUITY_UNDER_ASAN)
  GTEST_SKIP() << "an address-space limit cannot apply to an AddressSanitizer build";
#else
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // Threads' stacks larger than any glibc keeps from threads that ended
    // (it reuses those without mapping new memory).
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, size_t{64} << 20);
    pthread_setattr_default_np(&attr);
    pthread_attr_destroy(&attr);
    const rlimit limit{rlim_t(testing::MappedBytes() + (2 << 20)), RLIM_INFINITY};
    if (setrlimit(RLIMIT_AS, &limit) != 0) std::_Exit(2);
    int code = 0;
    {
      ThreadPool pool(4);
      std::atomic<int> done{0};
      TaskGroup group(pool);
      for (int i = 0; i < 50; ++i) group.Run([&] { ++done; });  // no new thread stack fits
      group.Wait();
      if (done != 50) code = 3;
      if (pool.threads_refused() < 1 || pool.threads_started() > 0) code = 4;
    }
    std::_Exit(code);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status)) << "the child ended by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0) << "2: no limit set; 3: work lost; 4: a thread started under the limit";
#endif
}

// A fork()ed child has none of its parent's threads: the shared pool it
// sees must be its own, or work queued for the parent's threads would wait
// forever there.
TEST(ThreadPoolTest, AForkedChildGetsAPoolOfItsOwn) {
  {
    TaskGroup warm;  // the parent's shared pool has threads
    for (int i = 0; i < 8; ++i) warm.Run([] { std::this_thread::sleep_for(1ms); });
    warm.Wait();
  }
  ASSERT_GT(ThreadPool::Shared().threads_started(), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::atomic<int> done{0};
    TaskGroup group;
    for (int i = 0; i < 10; ++i) group.Run([&] { ++done; });
    for (int ticks = 0; !group.WaitFor(100ms);)  // waits, runs nothing itself
      if (++ticks > 100) std::_Exit(5);
    std::_Exit(done == 10 ? 0 : 3);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "5: the child's tasks never ran; 3: work lost";
}

}  // namespace
}  // namespace acuity

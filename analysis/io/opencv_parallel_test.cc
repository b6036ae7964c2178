#include "analysis/io/opencv_parallel.h"

#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <system_error>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "analysis/io/thread_pool.h"
#include "tests/testing/address_space.h"

namespace acuity {
namespace {

using namespace std::chrono_literals;  // NOLINT(build/namespaces)

// Makes `backend` OpenCV's for the test's scope, with 4 threads asked (so
// that OpenCV does not run its loops serially on a one-CPU machine), and
// puts the process's own back after.
class WithBackend {
 public:
  explicit WithBackend(std::shared_ptr<cv::parallel::ParallelForAPI> backend) : threads_(cv::getNumThreads()) {
    cv::parallel::setParallelForBackend(std::move(backend));
    cv::setNumThreads(4);
  }
  ~WithBackend() {
    cv::parallel::setParallelForBackend(MakePoolParallelBackend());
    cv::setNumThreads(threads_);
  }

 private:
  int threads_;
};

// cv::parallel_for_ over `n` indices in 64 stripes; how often each ran.
std::vector<int> RunLoop(int n) {
  std::vector<std::atomic<int>> runs(n);
  cv::parallel_for_(
      cv::Range(0, n),
      [&](const cv::Range& r) {
        for (int i = r.start; i < r.end; ++i) ++runs[i];
      },
      64);
  std::vector<int> counts(n);
  for (int i = 0; i < n; ++i) counts[i] = runs[i].load();
  return counts;
}

std::thread Refuse(std::function<void()>) { throw std::system_error(EAGAIN, std::generic_category()); }

TEST(OpenCvParallelTest, EveryIndexRunsOnceOnThePool) {
  ThreadPool pool(3);
  WithBackend backend(MakePoolParallelBackend(&pool));
  const std::vector<int> counts = RunLoop(10000);
  for (int i = 0; i < int(counts.size()); ++i) ASSERT_EQ(counts[i], 1) << "index " << i;
  EXPECT_GE(pool.threads_started(), 1) << "the loop never reached the pool";
}

// No thread can start (as under a memory or thread limit): the calling
// thread does all of it.
TEST(OpenCvParallelTest, APoolThatCannotStartAThreadStillFinishesTheLoop) {
  ThreadPool pool(4, Refuse);
  WithBackend backend(MakePoolParallelBackend(&pool));
  const std::vector<int> counts = RunLoop(5000);
  for (int i = 0; i < int(counts.size()); ++i) ASSERT_EQ(counts[i], 1) << "index " << i;
  EXPECT_EQ(pool.threads_started(), 0);
  EXPECT_GE(pool.threads_refused(), 1);
}

// OpenCV loops inside the pool's own tasks, on a pool of one thread that is
// busy with one of them: each caller works its own loop, none waits for the
// busy thread.
TEST(OpenCvParallelTest, LoopsInsidePoolTasksFinishOnAPoolOfOneThread) {
  ThreadPool pool(1);
  WithBackend backend(MakePoolParallelBackend(&pool));
  std::atomic<int> sums_right{0};
  std::thread watched([&] {
    TaskGroup group(pool);
    for (int t = 0; t < 6; ++t)
      group.Run([&] {
        cv::Mat m(512, 512, CV_32F, cv::Scalar(1.0f)), blurred;
        cv::GaussianBlur(m, blurred, cv::Size(5, 5), 1.0);  // parallel_for_ inside
        if (std::abs(cv::sum(blurred)[0] - 512.0 * 512.0) < 1.0) ++sums_right;
      });
    group.Wait();
  });
  for (int waited_ms = 0; sums_right.load() < 6 && waited_ms < 60000; waited_ms += 10)
    std::this_thread::sleep_for(10ms);
  if (sums_right.load() < 6) {
    ADD_FAILURE() << "loops still unfinished after 60 s: a deadlock";
    std::_Exit(1);
  }
  watched.join();
}

// The hang this replaces: under an address-space limit that leaves no room
// for another thread's stack, oneTBB (OpenCV's own framework on Debian)
// waited forever for a worker that could not start — `analyze --maps` of a
// 12 MP JPEG under 140 MB never returned. In a child process under such a
// limit, with the process's backend, a loop finishes; the parent gives it
// 60 s and kills it after.
TEST(OpenCvParallelTest, UnderAnAddressSpaceLimitALoopFinishes) {
#if defined(ACUITY_UNDER_ASAN)
  GTEST_SKIP() << "an address-space limit cannot apply to an AddressSanitizer build";
#else
  RunOpenCvLoopsOnThePool();
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    cv::setNumThreads(4);
    // Stacks larger than any glibc keeps from threads that ended.
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, size_t{64} << 20);
    pthread_setattr_default_np(&attr);
    pthread_attr_destroy(&attr);
    cv::Mat image(1024, 1024, CV_8UC3, cv::Scalar(10, 120, 200)), gray;
    const rlimit limit{rlim_t(testing::MappedBytes() + (8 << 20)), RLIM_INFINITY};
    if (setrlimit(RLIMIT_AS, &limit) != 0) std::_Exit(2);
    cv::cvtColor(image, gray, cv::COLOR_BGR2GRAY);  // a parallel loop
    const std::vector<int> counts = RunLoop(20000);
    for (int c : counts)
      if (c != 1) std::_Exit(3);
    std::_Exit(gray.at<uint8_t>(512, 512) == 0 ? 4 : 0);
  }
  int status = 0;
  pid_t done = 0;
  for (int waited_ms = 0; (done = waitpid(child, &status, WNOHANG)) == 0 && waited_ms < 60000; waited_ms += 10)
    std::this_thread::sleep_for(10ms);
  if (done == 0) {
    kill(child, SIGKILL);
    waitpid(child, &status, 0);
    FAIL() << "the loop under the limit had not finished after 60 s";
  }
  ASSERT_TRUE(WIFEXITED(status)) << "the child ended by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0) << "2: no limit set; 3: an index lost or run twice; 4: no conversion";
#endif
}

}  // namespace
}  // namespace acuity

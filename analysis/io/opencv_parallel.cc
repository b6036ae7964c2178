#include "analysis/io/opencv_parallel.h"

#include <algorithm>
#include <atomic>
#include <mutex>

#include <opencv2/core.hpp>

#include "analysis/io/thread_pool.h"

namespace acuity {
namespace {

// The index of this thread within the loop it works on (0: the caller), for
// cv::getThreadNum(); 0 outside any loop, as OpenCV documents.
thread_local int loop_thread_index = 0;

class PoolParallelBackend final : public cv::parallel::ParallelForAPI {
 public:
  explicit PoolParallelBackend(ThreadPool* pool) : pool_(pool) {}

  void parallel_for(int tasks, FN_parallel_for_body_cb_t body, void* data) override {
    if (tasks <= 0) return;
    ThreadPool& pool = pool_ ? *pool_ : ThreadPool::Shared();
    const int helpers = std::min({tasks - 1, Threads(pool) - 1, pool.bound()});
    if (helpers <= 0) {
      body(0, tasks, data);
      return;
    }
    // Stripes are claimed one at a time from `next`; whoever claims one runs
    // it, so no stripe waits for a particular thread.
    std::atomic<int> next{0};
    const auto work = [&next, tasks, body, data](int index) {
      const int outer_index = loop_thread_index;
      loop_thread_index = index;
      for (int i = next++; i < tasks; i = next++) body(i, i + 1, data);
      loop_thread_index = outer_index;
    };
    TaskGroup group(pool);
    for (int h = 1; h <= helpers; ++h) group.Run([&work, h] { work(h); });
    work(0);
    group.Wait();  // helpers not yet started run here, finding nothing left
  }

  int getThreadNum() const override { return loop_thread_index; }

  int getNumThreads() const override { return Threads(pool_ ? *pool_ : ThreadPool::Shared()); }

  int setNumThreads(int threads) override {
    const int before = requested_.exchange(std::max(0, threads));
    return before;
  }

  const char* getName() const override { return "acuity-pool"; }

 private:
  // Threads a loop may use, the caller included: what setNumThreads asked
  // (0: not asked), else the pool's bound; at least 1.
  int Threads(const ThreadPool& pool) const {
    const int requested = requested_.load();
    return std::max(1, requested > 0 ? requested : pool.bound());
  }

  ThreadPool* const pool_;
  std::atomic<int> requested_{0};
};

}  // namespace

std::shared_ptr<cv::parallel::ParallelForAPI> MakePoolParallelBackend(ThreadPool* pool) {
  return std::make_shared<PoolParallelBackend>(pool);
}

void RunOpenCvLoopsOnThePool() {
  static std::once_flag once;
  std::call_once(once, [] {
    // OpenCV keeps its thread count (every core by default) and passes it on;
    // the pool's bound caps it (PoolParallelBackend::parallel_for).
    cv::parallel::setParallelForBackend(MakePoolParallelBackend(), /*propagateNumThreads=*/false);
  });
}

}  // namespace acuity

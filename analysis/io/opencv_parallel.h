// OpenCV's parallel loops (cv::parallel_for_, which resize, colour
// conversion, filters and acuity's own row loops use) run on acuity's one
// thread pool (thread_pool.h) instead of OpenCV's compiled-in framework.
//
//   int main() {
//     acuity::RunOpenCvLoopsOnThePool();   // once, before other threads start
//     ...
//   }
//
// Why: Debian's OpenCV runs its loops on oneTBB, whose workers start as
// work arrives. Under a memory limit (ulimit -v, RLIMIT_DATA) or a thread
// limit (a cgroup's pids.max) a worker that cannot start is waited for
// forever: `analyze --maps` of a 12 MP JPEG under 140 MB spun in
// sched_yield inside cv::parallel_for_ and never returned. acuity's pool
// lowers its bound when a thread cannot start and the calling thread does
// the work that no thread took, so a loop finishes on however many threads
// the machine lets start, one included. One pool also means no second set
// of threads competing for the same cores.
//
// The calling thread always works on the loop: it claims stripes until none
// is left and then waits only for stripes that pool threads are running, so
// a loop inside a pool task (Analyze's measurements run on the pool) never
// waits for a thread that is busy waiting for it.
#ifndef ACUITY_ANALYSIS_IO_OPENCV_PARALLEL_H_
#define ACUITY_ANALYSIS_IO_OPENCV_PARALLEL_H_

#include <memory>

#include <opencv2/core/parallel/parallel_backend.hpp>

namespace acuity {

class ThreadPool;

// A cv::parallel::ParallelForAPI on a ThreadPool: on `pool` when given (a
// test's), else on ThreadPool::Shared() of the moment (a fork()ed child has
// its own).
std::shared_ptr<cv::parallel::ParallelForAPI> MakePoolParallelBackend(ThreadPool* pool = nullptr);

// Makes MakePoolParallelBackend() OpenCV's backend for the whole process.
// Idempotent. OpenCV asks that this happen before other threads use OpenCV:
// programs call it first thing (SetComputeThreads does, enhance/compute_threads.h).
void RunOpenCvLoopsOnThePool();

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_IO_OPENCV_PARALLEL_H_

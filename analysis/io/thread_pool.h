// acuity's one pool of threads for its own work: Analyze's measurements side
// by side, the upscaler's tile workers, `batch`'s jobs and the viewer's
// background jobs all run on it, so that a process never holds more threads
// than the pool's bound (see Shared) however the work nests.
//
//   acuity::TaskGroup group;                 // on ThreadPool::Shared()
//   group.Run([&] { a = MeasureA(image); });
//   group.Run([&] { b = MeasureB(image); });
//   c = MeasureC(image);                     // the calling thread works too
//   group.Wait();                            // rethrows the first exception
//
// Nothing here waits forever or ends the program:
// - Threads start as work arrives, up to the bound. A thread that cannot
//   start (no memory for its stack under a memory limit) lowers the bound to
//   the threads that did; with none at all, Run runs its task right away on
//   the calling thread. The work is the same, on fewer threads.
// - Wait runs the group's tasks that no thread has taken yet on the waiting
//   thread, and otherwise waits only for tasks already running. Groups may
//   nest (a task may open a group and wait for it) without a deadlock, even
//   on a pool of one thread.
// - A task's exception is kept (the first one of its group) and rethrown by
//   Wait on the waiting thread, like std::future::get; it never ends a pool
//   thread. The destructor of a group waits for its tasks and drops their
//   exceptions (call Wait to see them).
#ifndef ACUITY_ANALYSIS_IO_THREAD_POOL_H_
#define ACUITY_ANALYSIS_IO_THREAD_POOL_H_

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace acuity {

class TaskGroup;

// The CPUs this process may run on: its CPU affinity (taskset, a Slurm job's
// or a container's CPU set), not the machine's core count; at least 1.
int UsableCpus();

class ThreadPool {
 public:
  // What starts a pool thread; it throws std::system_error when the thread
  // cannot start (tests inject a refusal here).
  using StartThread = std::function<std::thread(std::function<void()>)>;

  // At most `max_threads` (≥ 0) threads; `start` defaults to std::thread.
  explicit ThreadPool(int max_threads, StartThread start = {});
  ~ThreadPool();  // lets the threads finish what they run, then joins them
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // The process's pool, made at first use: as many threads as the process
  // may run on (its CPU affinity, at least 2 so that a job can run beside a
  // waiting one). One per process, like OpenCV's own pool: every library of
  // acuity shares it, so nested work never multiplies threads.
  static ThreadPool& Shared();

  // At least `threads` threads from now on (`batch --jobs N` asks for N), up
  // to what the machine lets start. Never lowers the bound.
  void AllowAtLeast(int threads);

  int bound() const;             // threads it may hold now
  int threads_started() const;   // threads it holds
  int threads_refused() const;   // thread starts that failed

 private:
  friend class TaskGroup;
  struct Task {
    TaskGroup* group;
    std::function<void()> work;
  };

  // Queues `task`, starting a thread when none is idle and the bound allows.
  // False when the pool has no thread at all and could start none: the
  // caller runs the task itself.
  bool Submit(Task& task);
  // Takes the oldest queued task of `group` (true), for the waiting thread.
  bool TakeQueuedOf(TaskGroup* group, Task* task);
  void Worker();
  void RunTask(Task& task);  // runs it, records an exception, counts it done

  StartThread start_;
  mutable std::mutex mu_;
  std::condition_variable work_ready_;
  std::condition_variable task_done_;  // a task finished (TaskGroup::Wait)
  std::deque<Task> queue_;
  std::vector<std::thread> threads_;
  int bound_ = 0, idle_ = 0, refused_ = 0;
  bool stopping_ = false;
};

class TaskGroup {
 public:
  explicit TaskGroup(ThreadPool& pool = ThreadPool::Shared()) : pool_(pool) {}
  ~TaskGroup();  // waits; exceptions not collected by Wait are dropped
  TaskGroup(const TaskGroup&) = delete;
  TaskGroup& operator=(const TaskGroup&) = delete;

  // Runs `work` on a pool thread, or later on the thread that waits, or —
  // when the pool has no thread — now, on this thread.
  void Run(std::function<void()> work);

  // Returns when every task run so far has finished; rethrows the first
  // exception one of them threw (once).
  void Wait();

  // As Wait, but returns after `timeout` without running tasks here; true
  // when every task has finished (the exception stays for Wait).
  bool WaitFor(std::chrono::milliseconds timeout);

 private:
  friend class ThreadPool;
  ThreadPool& pool_;
  size_t unfinished_ = 0;      // guarded by pool_.mu_
  std::exception_ptr error_;   // guarded by pool_.mu_
};

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_IO_THREAD_POOL_H_

#include "analysis/io/thread_pool.h"

#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <atomic>
#include <system_error>
#include <utility>

namespace acuity {
int UsableCpus() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) return std::max(1, CPU_COUNT(&set));
  return std::max(1, int(std::thread::hardware_concurrency()));
}

ThreadPool::ThreadPool(int max_threads, StartThread start)
    : start_(start ? std::move(start) : [](std::function<void()> body) { return std::thread(std::move(body)); }),
      bound_(std::max(0, max_threads)) {}

ThreadPool::~ThreadPool() {
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    threads.swap(threads_);
  }
  work_ready_.notify_all();
  for (std::thread& t : threads) t.join();
}

ThreadPool& ThreadPool::Shared() {
  // Never destroyed: threads still waiting for work at exit need no join,
  // and no static destructor can run while a pool thread uses the pool. A
  // fork()ed child (isolated_call.h) has none of its parent's threads, and
  // maybe a mutex another thread held: it gets a pool of its own, and the
  // parent's stays untouched (still reachable, for the leak checker).
  static std::atomic<ThreadPool*> pool{nullptr};
  [[maybe_unused]] static ThreadPool* parents_pool = nullptr;
  static const bool made = [] {
    pool = new ThreadPool(std::max(2, UsableCpus()));
    pthread_atfork(nullptr, nullptr, [] {
      parents_pool = pool.load();
      pool = new ThreadPool(std::max(2, UsableCpus()));
    });
    return true;
  }();
  (void)made;
  return *pool.load();
}

void ThreadPool::AllowAtLeast(int threads) {
  std::lock_guard<std::mutex> lock(mu_);
  bound_ = std::max(bound_, threads);
}

int ThreadPool::bound() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bound_;
}

int ThreadPool::threads_started() const {
  std::lock_guard<std::mutex> lock(mu_);
  return int(threads_.size());
}

int ThreadPool::threads_refused() const {
  std::lock_guard<std::mutex> lock(mu_);
  return refused_;
}

bool ThreadPool::Submit(Task& task) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stopping_) return false;
  if (size_t(idle_) <= queue_.size() && int(threads_.size()) < bound_) {
    try {
      threads_.push_back(start_([this] { Worker(); }));
    } catch (const std::system_error&) {
      // No stack or arena for another thread under the memory limit: the
      // threads that started do the work from now on.
      ++refused_;
      bound_ = int(threads_.size());
    }
  }
  if (threads_.empty()) return false;
  ++task.group->unfinished_;
  queue_.push_back(std::move(task));
  work_ready_.notify_one();
  return true;
}

bool ThreadPool::TakeQueuedOf(TaskGroup* group, Task* task) {
  // Called with mu_ held.
  auto it = std::find_if(queue_.begin(), queue_.end(), [&](const Task& t) { return t.group == group; });
  if (it == queue_.end()) return false;
  *task = std::move(*it);
  queue_.erase(it);
  return true;
}

void ThreadPool::RunTask(Task& task) {
  std::exception_ptr error;
  {
    std::function<void()> work = std::move(task.work);  // its captures go before the group may
    try {
      work();
    } catch (...) {
      error = std::current_exception();
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  TaskGroup* group = task.group;
  if (error && !group->error_) group->error_ = error;
  --group->unfinished_;
  task_done_.notify_all();
}

void ThreadPool::Worker() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    ++idle_;
    work_ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    --idle_;
    if (queue_.empty()) return;  // stopping, nothing left
    Task task = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    RunTask(task);
    lock.lock();
  }
}

TaskGroup::~TaskGroup() {
  try {
    Wait();
  } catch (...) {
    // Dropped: the owner did not ask (see the header).
  }
}

void TaskGroup::Run(std::function<void()> work) {
  ThreadPool::Task task{this, std::move(work)};
  if (pool_.Submit(task)) return;
  // No pool thread: now, here.
  try {
    task.work();
  } catch (...) {
    std::lock_guard<std::mutex> lock(pool_.mu_);
    if (!error_) error_ = std::current_exception();
  }
}

void TaskGroup::Wait() {
  std::unique_lock<std::mutex> lock(pool_.mu_);
  for (;;) {
    ThreadPool::Task task;
    if (pool_.TakeQueuedOf(this, &task)) {
      lock.unlock();
      pool_.RunTask(task);
      lock.lock();
      continue;
    }
    if (unfinished_ == 0) break;
    pool_.task_done_.wait(lock);
  }
  std::exception_ptr error = std::exchange(error_, nullptr);
  lock.unlock();
  if (error) std::rethrow_exception(error);
}

bool TaskGroup::WaitFor(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(pool_.mu_);
  return pool_.task_done_.wait_for(lock, timeout, [&] { return unfinished_ == 0; });
}

}  // namespace acuity

// Background work for the viewer: each job runs as a task of the process's
// thread pool (analysis/io/thread_pool.h; with no thread to be had, right
// away on the calling thread) and hands back a closure that the UI thread runs when it polls (once a frame),
// so job results touch the viewer's state only on the UI thread. A `wake`
// callback (glfwPostEmptyEvent) lets an idle UI return from its wait.
//
//   acuity::viewer::JobRunner jobs([] { glfwPostEmptyEvent(); });
//   jobs.Start("decode A", [path] {
//     auto image = std::make_shared<acuity::Image>(*acuity::viewer::LoadForView(path));
//     return [image](/* on the UI thread */) { Show(image); };
//   });
//   ... each frame: jobs.Poll();
#ifndef ACUITY_VIEWER_JOBS_H_
#define ACUITY_VIEWER_JOBS_H_

#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "analysis/io/thread_pool.h"

namespace acuity::viewer {

class JobRunner {
 public:
  using Finish = std::function<void()>;      // runs on the UI thread
  using Work = std::function<Finish()>;      // runs on a worker thread

  // `failed`, when set, runs on the UI thread in place of a job's closure when
  // its work threw (analysis/io/guard.h: "out of memory while running the job
  // 'decode A'"); a job never ends the program.
  explicit JobRunner(std::function<void()> wake = {}, std::function<void(const absl::Status&)> failed = {})
      : wake_(std::move(wake)), failed_(std::move(failed)) {}
  ~JobRunner();  // waits for every job
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  void Start(std::string label, Work work);

  // Runs the closures of finished jobs, in the order they finished; returns
  // how many ran.
  int Poll();

  // Jobs started and not yet polled (running or finished but not polled).
  int Pending() const;
  std::vector<std::string> PendingLabels() const;

  // Blocks until every job has finished and polls them (tests, shutdown).
  void WaitAll();

  // Wakes the UI (e.g. a job reporting progress).
  void Wake() const {
    if (wake_) wake_();
  }

 private:
  struct Job {
    std::string label;
    bool done = false;
    Finish finish;
  };
  std::function<void()> wake_;
  std::function<void(const absl::Status&)> failed_;
  mutable std::mutex mutex_;
  std::list<Job> jobs_;
  std::vector<std::list<Job>::iterator> finished_order_;
  TaskGroup tasks_;  // last: destroyed (waited for) first
};

}  // namespace acuity::viewer

#endif  // ACUITY_VIEWER_JOBS_H_

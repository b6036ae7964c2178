#include "viewer/jobs.h"

#include <chrono>
#include <thread>

#include "analysis/io/guard.h"

namespace acuity::viewer {

// tasks_, the last member, is destroyed first: it waits for every job
// (their closures are dropped unpolled) while the rest is still alive.
JobRunner::~JobRunner() = default;

void JobRunner::Start(std::string label, Work work) {
  std::list<Job>::iterator it;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    jobs_.push_back(Job{std::move(label), false, {}});
    it = std::prev(jobs_.end());
  }
  const std::string doing = "running the job '" + it->label + "'";
  tasks_.Run([this, it, doing, work = std::move(work)] {
    absl::StatusOr<Finish> guarded = CatchToStatus(doing, work);
    Finish finish = guarded.ok() ? *std::move(guarded) : [this, status = guarded.status()] {
      if (failed_) failed_(status);
    };
    {
      std::lock_guard<std::mutex> lock(mutex_);
      it->finish = std::move(finish);
      it->done = true;
      finished_order_.push_back(it);
    }
    Wake();
  });
}

int JobRunner::Poll() {
  std::vector<Finish> done;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto it : finished_order_) {
      done.push_back(std::move(it->finish));
      jobs_.erase(it);
    }
    finished_order_.clear();
  }
  for (Finish& finish : done)
    if (finish) finish();  // may start new jobs
  return int(done.size());
}

int JobRunner::Pending() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return int(jobs_.size());
}

std::vector<std::string> JobRunner::PendingLabels() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> labels;
  for (const Job& job : jobs_) labels.push_back(job.label);
  return labels;
}

void JobRunner::WaitAll() {
  while (Pending() > 0) {
    if (Poll() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace acuity::viewer

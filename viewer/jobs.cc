#include "viewer/jobs.h"

#include <chrono>

#include "analysis/io/guard.h"

namespace acuity::viewer {

JobRunner::~JobRunner() {
  std::list<Job> jobs;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    jobs.splice(jobs.end(), jobs_);
    finished_order_.clear();
  }
  for (Job& job : jobs)
    if (job.thread.joinable()) job.thread.join();
}

void JobRunner::Start(std::string label, Work work) {
  std::lock_guard<std::mutex> lock(mutex_);
  jobs_.push_back(Job{std::move(label), {}, false, {}});
  auto it = std::prev(jobs_.end());
  const std::string doing = "running the job '" + it->label + "'";
  it->thread = std::thread([this, it, doing, work = std::move(work)] {
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
  std::vector<Job> done;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto it : finished_order_) {
      done.push_back(Job{std::move(it->label), std::move(it->thread), true, std::move(it->finish)});
      jobs_.erase(it);
    }
    finished_order_.clear();
  }
  for (Job& job : done) {
    job.thread.join();
    if (job.finish) job.finish();  // may start new jobs
  }
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

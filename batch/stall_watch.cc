#include "batch/stall_watch.h"

#include <fmt/format.h>

namespace acuity::batch {

std::string StalledReason(double quiet_s) {
  return fmt::format("no progress in {:.0f} s: given up as stalled (the machine or a library stopped moving, not the "
                     "file)",
                     quiet_s);
}

StallWatch::StallWatch(size_t jobs, Clock::duration limit) : limit_(limit), jobs_(jobs) {}

void StallWatch::Started(size_t i, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  if (i >= jobs_.size() || jobs_[i].started) return;
  jobs_[i].started = true;
  jobs_[i].last = now;
  ++running_;
}

void StallWatch::Waiting(size_t i) {
  std::lock_guard<std::mutex> lock(mu_);
  if (i >= jobs_.size() || !jobs_[i].started || jobs_[i].done || jobs_[i].waiting) return;
  jobs_[i].waiting = true;
  --running_;
}

void StallWatch::Beat(size_t i, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  if (i >= jobs_.size() || !jobs_[i].started) return;
  Job& job = jobs_[i];
  if (job.waiting && !job.done) {
    job.waiting = false;
    ++running_;
    job.last = now;
  }
  if (now > job.last) job.last = now;
}

bool StallWatch::Claim(size_t i) {
  std::lock_guard<std::mutex> lock(mu_);
  if (i >= jobs_.size() || jobs_[i].claimed) return false;
  jobs_[i].claimed = true;
  return true;
}

void StallWatch::Done(size_t i) {
  std::lock_guard<std::mutex> lock(mu_);
  if (i >= jobs_.size() || jobs_[i].done) return;
  jobs_[i].done = true;
  if (jobs_[i].started && !jobs_[i].waiting) --running_;
}

std::vector<size_t> StallWatch::NewlyStalled(Clock::time_point now) {
  std::vector<size_t> stalled;
  if (limit_ <= Clock::duration::zero()) return stalled;
  std::lock_guard<std::mutex> lock(mu_);
  for (size_t i = 0; i < jobs_.size(); ++i) {
    Job& job = jobs_[i];
    if (!job.started || job.waiting || job.claimed || job.stalled || now - job.last < limit_) continue;
    job.stalled = true;
    any_stalled_ = true;
    stalled.push_back(i);
  }
  return stalled;
}

double StallWatch::SecondsQuiet(size_t i, Clock::time_point now) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (i >= jobs_.size() || !jobs_[i].started) return 0.0;
  return std::chrono::duration<double>(now - jobs_[i].last).count();
}

int StallWatch::running() const {
  std::lock_guard<std::mutex> lock(mu_);
  return running_;
}

bool StallWatch::any_stalled() const {
  std::lock_guard<std::mutex> lock(mu_);
  return any_stalled_;
}

}  // namespace acuity::batch

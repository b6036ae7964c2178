#include "batch/stage_times.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace acuity::batch {

void StageTimes::Mark(std::string name) {
  const Clock::time_point now = Clock::now();
  stages_.emplace_back(std::move(name), std::chrono::duration<double>(now - last_).count());
  last_ = now;
}

void StageTimes::SplitLast(std::string name, double part_s) {
  if (stages_.empty()) return;
  const double part = std::clamp(part_s, 0.0, stages_.back().second);
  stages_.back().second -= part;
  stages_.insert(stages_.end() - 1, {std::move(name), part});
}

double StageTimes::TotalSeconds() const { return std::chrono::duration<double>(last_ - start_).count(); }

std::string StageTimes::Text() const {
  std::string text = "time:";
  for (size_t i = 0; i < stages_.size(); ++i)
    text += fmt::format("{} {} {:.2f} s", i == 0 ? "" : ",", stages_[i].first, stages_[i].second);
  return text + fmt::format("; {:.2f} s in all", TotalSeconds());
}

std::vector<std::pair<std::string, double>> StageTimes::StagesAndTotal() const {
  std::vector<std::pair<std::string, double>> all = stages_;
  all.emplace_back("total", TotalSeconds());
  return all;
}

}  // namespace acuity::batch

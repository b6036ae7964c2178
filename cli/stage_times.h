// Where a command's time went, stage by stage (`acuity enhance --timings`):
// reading the input, analysing and planning, the steps, encoding and
// writing the result, measuring it again. Marks are taken on a monotonic
// clock; each stage lasts from the previous mark (or Start) to its own.
//
//   acuity::cli::StageTimes times;                 // starts now
//   Decode(...);          times.Mark("read");
//   RunSteps(...);        times.Mark("steps");
//   err << "acuity: out.png: " << times.Text() << "\n";
//   // "time: read 0.21 s, steps 11.90 s; 12.11 s in all"
#ifndef ACUITY_CLI_STAGE_TIMES_H_
#define ACUITY_CLI_STAGE_TIMES_H_

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace acuity::cli {

class StageTimes {
 public:
  StageTimes() : start_(Clock::now()), last_(start_) {}

  // Ends the stage `name` now (seconds since the previous mark).
  void Mark(std::string name);
  // Splits the last stage: `part_s` seconds of it (measured inside, e.g. the
  // planning inside "plan and steps") become the stage `name` before it.
  void SplitLast(std::string name, double part_s);

  const std::vector<std::pair<std::string, double>>& stages() const { return stages_; }  // name, seconds
  double TotalSeconds() const;  // from construction to the last mark

  // "time: read 0.21 s, steps 11.90 s; 12.11 s in all"
  std::string Text() const;
  // {"read": 0.21, "steps": 11.9, "total": 12.11}: seconds per stage and in
  // all, to the millisecond (a batch record's "seconds", docs/batch.md).
  nlohmann::json Json() const;

 private:
  using Clock = std::chrono::steady_clock;
  Clock::time_point start_, last_;
  std::vector<std::pair<std::string, double>> stages_;
};

}  // namespace acuity::cli

#endif  // ACUITY_CLI_STAGE_TIMES_H_

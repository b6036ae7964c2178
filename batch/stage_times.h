// Where a command's time went, stage by stage (`acuity enhance --timings`):
// reading the input, analysing and planning, the steps, encoding and
// writing the result, measuring it again. Marks are taken on a monotonic
// clock; each stage lasts from the previous mark (or Start) to its own.
//
//   acuity::batch::StageTimes times;                 // starts now
//   Decode(...);          times.Mark("read");
//   RunSteps(...);        times.Mark("steps");
//   err << "acuity: out.png: " << times.Text() << "\n";
//   // "time: read 0.21 s, steps 11.90 s; 12.11 s in all"
#ifndef ACUITY_BATCH_STAGE_TIMES_H_
#define ACUITY_BATCH_STAGE_TIMES_H_

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace acuity::batch {

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
  // The stages, then ("total", TotalSeconds()): a batch record's "seconds"
  // (analysis/json/batch_record_json.h, docs/batch.md).
  std::vector<std::pair<std::string, double>> StagesAndTotal() const;

 private:
  using Clock = std::chrono::steady_clock;
  Clock::time_point start_, last_;
  std::vector<std::pair<std::string, double>> stages_;
};

}  // namespace acuity::batch

#endif  // ACUITY_BATCH_STAGE_TIMES_H_

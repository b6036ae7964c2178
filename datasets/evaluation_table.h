// The small toolkit every section of the accuracy report (datasets/RESULTS.md)
// is written with: readings paired with their truths over a filtered set of
// files, the table cells and met/missed words.
//
//   Pairs p = Collect(obs, [](const Observation& o) { return Ladder(o) == "noise"; }, ours, truth);
//   rows.push_back({"σ MAE", "≤ 0.5", Cell(MeanAbsoluteError(p.est, p.truth), p), "—",
//                   Status(mae, p, Goal::kAtMost, 0.5)});
//   std::string markdown = Table(rows);
#ifndef ACUITY_DATASETS_EVALUATION_TABLE_H_
#define ACUITY_DATASETS_EVALUATION_TABLE_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "datasets/evaluation.h"

namespace acuity::datasets {

using Filter = std::function<bool(const Observation&)>;
using Getter = std::function<std::optional<double>(const Observation&)>;

inline constexpr char kNotMeasured[] = "not measured yet";

// Estimates paired with truths over the files a filter selects; files whose
// estimate is null are counted, not scored.
struct Pairs {
  std::vector<double> est, truth;
  int missing = 0;
  int total() const { return static_cast<int>(est.size()) + missing; }
};

Pairs Collect(const std::vector<Observation>& obs, const Filter& keep, const Getter& est, const Getter& truth);

// A number with `decimals` decimals; "—" for NaN.
std::string Num(double v, int decimals = 3);

// A scored value as shown in a table cell: the number, "(k of n null)", or
// "not measured yet" when every estimate is null.
std::string Cell(double value, const Pairs& p, int decimals = 3);

// A rate over 0/1 values as a percentage cell.
std::string Percent(const Pairs& p);

enum class Goal { kAtMost, kAtLeast, kBelow, kInfo };

// "**met**", "missed by …", "info", …
std::string Status(double value, const Pairs& p, Goal goal, double bound);

struct Row {
  std::string what, target, ours, peer, status;
};

// A Markdown table: measure | target | acuity | peer | status.
std::string Table(const std::vector<Row>& rows);

bool InRange(double v, double lo, double hi);

const std::string& Ladder(const Observation& o);

// The photos, in the order they first appear; with `ladder`, only those that
// have files in that ladder (the held-out photos of the JPEG-table ladders
// have no noise or blur ladder, so their rows would be empty).
std::vector<std::string> Photos(const std::vector<Observation>& obs, const std::string& ladder = "");

// The section on JPEGs with camera-like tables (datasets/evaluation_jpeg.cc).
std::string JpegTablesSection(const std::vector<Observation>& obs);

}  // namespace acuity::datasets

#endif  // ACUITY_DATASETS_EVALUATION_TABLE_H_

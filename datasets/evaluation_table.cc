#include "datasets/evaluation_table.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "datasets/stats.h"

namespace acuity::datasets {

Pairs Collect(const std::vector<Observation>& obs, const Filter& keep, const Getter& est, const Getter& truth) {
  Pairs p;
  for (const Observation& o : obs) {
    if (!o.loaded || !keep(o)) continue;
    std::optional<double> e = est(o), t = truth(o);
    if (!t) continue;
    if (!e) {
      ++p.missing;
      continue;
    }
    p.est.push_back(*e);
    p.truth.push_back(*t);
  }
  return p;
}

std::string Num(double v, int decimals) {
  if (std::isnan(v)) return "—";
  return fmt::format("{:.{}f}", v, decimals);
}

// A scored value as shown in a table cell: the number, "(k of n null)", or
// "not measured yet" when every estimate is null.
std::string Cell(double value, const Pairs& p, int decimals) {
  if (p.total() == 0) return "no files";
  if (p.est.empty()) return kNotMeasured;
  std::string s = Num(value, decimals);
  if (p.missing > 0) s += fmt::format(" ({} of {} null)", p.missing, p.total());
  return s;
}

// A rate over 0/1 values as a percentage cell.
std::string Percent(const Pairs& p) {
  if (p.est.empty()) return Cell(NAN, p);
  Pairs complete = p;
  complete.missing = 0;
  std::string s = Cell(100.0 * Mean(p.est), complete, 1) + " %";
  return p.missing ? s + fmt::format(" ({} of {} null)", p.missing, p.total()) : s;
}


std::string Status(double value, const Pairs& p, Goal goal, double bound) {
  if (goal == Goal::kInfo) return "info";
  if (p.total() == 0) return "—";
  if (p.est.empty()) return kNotMeasured;
  if (p.missing > 0) return fmt::format("missed ({} null)", p.missing);
  if (std::isnan(value)) return "—";
  bool ok = goal == Goal::kAtMost ? value <= bound : goal == Goal::kAtLeast ? value >= bound : value < bound;
  if (ok) return "**met**";
  return fmt::format("missed by {}", Num(std::abs(value - bound)));
}


std::string Table(const std::vector<Row>& rows) {
  std::string s = "| measure | target | acuity | peer | status |\n|---|---|---|---|---|\n";
  for (const Row& r : rows) s += fmt::format("| {} | {} | {} | {} | {} |\n", r.what, r.target, r.ours, r.peer, r.status);
  return s;
}

bool InRange(double v, double lo, double hi) { return v >= lo - 1e-9 && v <= hi + 1e-9; }

const std::string& Ladder(const Observation& o) { return o.label.recipe.ladder; }

std::vector<std::string> Photos(const std::vector<Observation>& obs, const std::string& ladder) {
  std::vector<std::string> photos;
  for (const Observation& o : obs) {
    if (!ladder.empty() && Ladder(o) != ladder) continue;
    if (std::find(photos.begin(), photos.end(), o.label.photo) == photos.end()) photos.push_back(o.label.photo);
  }
  return photos;
}

}  // namespace acuity::datasets

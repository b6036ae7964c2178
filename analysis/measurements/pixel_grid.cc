#include "analysis/measurements/pixel_grid.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace acuity {
namespace {

constexpr float kExactStep8bit = 16.0f;     // a strong step, luma levels
constexpr int kMinLatticeChanges = 16;      // changing boundaries needed to read a lattice
constexpr double kMaxAdjacentChanges = 0.02; // share of gaps of 1 px a lattice of f ≥ 2 tolerates
constexpr double kLatticeShare = 0.9;       // gaps that must be multiples of the lattice period
constexpr int kMaxLatticePx = 32;  // the largest nearest-neighbour factor read from the lattice
// Exact steps that prove the native grid, in count and as a share of the
// strong steps out of flat runs: 1500–8300 and 12–93 % on native
// screenshots and charts, at most 34 and 0.4 % after a 1.5–3× bilinear,
// bicubic or Lanczos enlargement of them.
constexpr int kMinExactSteps = 256;
constexpr double kExactStepShare = 0.05;
constexpr double kRepeatsFitShare = 0.5;
constexpr int kShortRunPx = 2;    // runs of repeats this short come from a nearest-neighbour upscale ...
constexpr int kMaxShortRuns = 32; // ... when there are this many

// One axis (along the rows of `lines`): the lattice period of the changing
// boundaries (0 = none) and the steps counted into *grid.
int ReadAxisGrid(const cv::Mat& lines, double dup_row_share, PixelGrid* grid) {
  const int n = lines.cols;
  std::vector<int> same(n - 1, 0);
  for (int r = 0; r < lines.rows; ++r) {
    const float* p = lines.ptr<float>(r);
    for (int x = 0; x + 1 < n; ++x) {
      const float d = p[x + 1] - p[x];
      same[x] += d == 0.0f;
      if (x < 1 || x + 3 >= n || std::abs(d) < kExactStep8bit || p[x] != p[x - 1]) continue;
      ++grid->flat_steps;
      const float e = p[x + 2] - p[x + 1];
      const bool line = e * d < 0.0f && std::abs(e) >= kExactStep8bit && p[x + 3] == p[x + 2];
      grid->exact_steps += e == 0.0f || line;
    }
  }
  std::vector<int> changes;
  int run = 0;
  for (int x = 0; x + 1 < n; ++x) {
    const bool repeat = same[x] >= dup_row_share * lines.rows;
    if (!repeat) changes.push_back(x);
    if (repeat) ++run;
    if ((!repeat || x + 2 == n) && run > 0) grid->repeat_runs.push_back(run), run = 0;
  }
  if (int(changes.size()) < kMinLatticeChanges) return 0;
  std::vector<int> count(kMaxLatticePx + 1, 0);
  int adjacent = 0;
  for (size_t i = 1; i < changes.size(); ++i) {
    const int gap = changes[i] - changes[i - 1];
    adjacent += gap == 1;
    if (gap <= kMaxLatticePx) ++count[gap];
  }
  const double gaps = double(changes.size() - 1);
  if (adjacent > kMaxAdjacentChanges * gaps) return 0;
  // The commonest gap is a multiple of the period (art whose features are
  // mostly 2 source pixels wide changes every 2f): the period is its largest
  // divisor that nearly every gap is a multiple of. A gap above the largest
  // period read is a multiple too, never a lattice of its own.
  const int common = int(std::max_element(count.begin() + 2, count.end()) - count.begin());
  if (count[common] == 0) return 0;
  for (int period = common; period >= 2; --period) {
    if (common % period != 0) continue;
    int multiples = 0;
    for (size_t i = 1; i < changes.size(); ++i) multiples += (changes[i] - changes[i - 1]) % period == 0;
    if (multiples >= kLatticeShare * gaps) return period;
  }
  return 0;
}

}  // namespace

PixelGrid ReadPixelGrid(const cv::Mat& luma, double dup_row_share) {
  CV_Assert(luma.type() == CV_32FC1);
  PixelGrid grid;
  const int fx = ReadAxisGrid(luma, dup_row_share, &grid), fy = ReadAxisGrid(luma.t(), dup_row_share, &grid);
  if (fx > 0 && fy > 0 && fx == fy) grid.lattice_factor = fx;
  return grid;
}

// Do the repeated columns come in the runs a nearest-neighbour upscale by f
// makes (at most ⌈f⌉ − 1 long: 84–98 % of the repeats after 1.25–2× of a
// screenshot), rather than a drawn page's margins (4 % on the native one)?
bool RepeatsFit(const PixelGrid& grid, double f) {
  const int longest = int(std::ceil(f - 1e-6)) - 1;
  double repeats = 0, fitting = 0;
  for (int run : grid.repeat_runs) repeats += run, fitting += run <= longest ? run : 0;
  return fitting >= kRepeatsFitShare * repeats;
}

// Native drawn content: many exact steps, and no sign of a nearest-neighbour
// upscale (which keeps exact steps), i.e. few short runs of repeats.
bool PixelExact(const PixelGrid& grid) {
  const auto short_runs = std::count_if(grid.repeat_runs.begin(), grid.repeat_runs.end(),
                                        [](int run) { return run <= kShortRunPx; });
  return grid.exact_steps >= kMinExactSteps && grid.exact_steps >= kExactStepShare * grid.flat_steps &&
         short_runs < kMaxShortRuns;
}

}  // namespace acuity

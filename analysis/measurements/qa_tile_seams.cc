#include "analysis/measurements/qa_tile_seams.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/core.hpp>

#include "analysis/measurements/percentile.h"

namespace acuity {
namespace {

constexpr int kSeamMinPeriodPx = 32, kSeamMaxPeriodPx = 512, kSeamMinCount = 4;
constexpr double kFinerGridShare = 0.8;  // a finer grid this strong explains a coarser one
constexpr double kContentGridShare = 0.5;  // ... and the plain enlargement's grid this strong, the content
constexpr double kContentStepShare = 0.5;  // ... or its steps there leave less than this share of the output's
constexpr double kSeamStepFloor8bit = 0.05;
constexpr double kSeamQuantilePct = 30.0;   // the weaker seams of a grid must stand out too
constexpr double kSeamReferencePct = 95.0;  // ... above the strongest 5 % of other boundaries
constexpr int kSeamBlockRows = 16;
// A tiler's grid from the corner counts its tile edges (a seam line between
// two tiles), of which a share can be invisible (two tiles that came out
// alike): the level is this percentile of them, so 30 % must stand out.
constexpr double kTileEdgeQuantilePct = 70.0;
constexpr int kMaxGridLines = 64;  // per axis, when a finer grid is read
// A grid's strength at which its lines stand out above the strongest 5 % of
// other lines.
constexpr double kStandsOut = 1.0;
// A tiler's few lines are a small sample of a finer grid's (a q20 JPEG's
// blocks: 5 of 70 lines), whose percentile scatters: a finer grid at 60 %
// of the level explains it (real seams on a q75 JPEG: 20 %).
constexpr double kFinerTileGridShare = 0.6;

// Signed step at each column boundary x | x+1 (index x, 1 ≤ x ≤ cols − 3):
// Y(x+1) − Y(x) minus the mean of the two neighbouring differences (a ramp
// gives 0, a 1-px seam its jump), averaged with its sign over blocks of
// kSeamBlockRows rows: a tile's offset is constant along its edge while
// texture averages out. Rows: blocks; columns: boundaries.
cv::Mat BlockSteps(const cv::Mat& luma) {
  const int blocks = std::max(1, luma.rows / kSeamBlockRows);
  cv::Mat steps = cv::Mat::zeros(blocks, luma.cols - 1, CV_64F);
  for (int y = 0; y < luma.rows; ++y) {
    const float* row = luma.ptr<float>(y);
    double* out = steps.ptr<double>(std::min(y / kSeamBlockRows, blocks - 1));
    for (int x = 1; x + 2 < luma.cols; ++x) {
      const double d0 = row[x] - row[x - 1], d1 = row[x + 1] - row[x], d2 = row[x + 2] - row[x + 1];
      out[x] += d1 - 0.5 * (d0 + d2);
    }
  }
  for (int b = 0; b < blocks; ++b) {
    const int rows = b + 1 < blocks ? kSeamBlockRows : luma.rows - b * kSeamBlockRows;
    steps.row(b) *= 1.0 / rows;
  }
  return steps;
}

// Per block and boundary: how far its step stands out from the typical
// boundary of the same row block, |step| / (1.4826 · median |step| of the
// block).
cv::Mat NormalisedSteps(const cv::Mat& steps) {
  const int blocks = steps.rows, n = steps.cols;
  cv::Mat normalised(blocks, n, CV_64F);
  std::vector<double> magnitudes;
  for (int b = 0; b < blocks; ++b) {
    const double* s = steps.ptr<double>(b);
    magnitudes.clear();
    for (int x = 1; x + 1 < n; ++x) magnitudes.push_back(std::abs(s[x]));
    const double scale = std::max(1.4826 * Median(magnitudes), kSeamStepFloor8bit);
    double* out = normalised.ptr<double>(b);
    for (int x = 0; x < n; ++x) out[x] = std::abs(s[x]) / scale;
  }
  return normalised;
}

// Per boundary: NormalisedSteps, median over the blocks. A seam along the
// whole height stands out in most blocks, an object's edge only where the
// object is.
std::vector<double> SeamProfile(const cv::Mat& steps) {
  const cv::Mat normalised = NormalisedSteps(steps);
  const int blocks = normalised.rows, n = normalised.cols;
  std::vector<double> profile(n), column(blocks);
  for (int x = 0; x < n; ++x) {
    for (int b = 0; b < blocks; ++b) column[b] = normalised.at<double>(b, x);
    profile[x] = Median(column);
  }
  profile[0] = profile[std::min(1, n - 1)];
  if (n >= 2) profile[n - 1] = profile[n - 2];
  return profile;
}

// The kSeamQuantilePct percentile of the profile at phase, phase + period, ...
double GridLevel(const std::vector<double>& profile, int period, int phase, int* count) {
  std::vector<double> v;
  for (size_t x = phase; x < profile.size(); x += period) v.push_back(profile[x]);
  if (count) *count = static_cast<int>(v.size());
  if (v.empty()) return 0;
  return Percentile(std::move(v), kSeamQuantilePct);
}

// The median |step| (8-bit levels) of boundary `x` over the row blocks.
double MedianStepAt(const cv::Mat& steps, int x) {
  std::vector<double> line(steps.rows);
  for (int b = 0; b < steps.rows; ++b) line[b] = std::abs(steps.at<double>(b, x));
  return Median(line);
}

// At the boundaries `lines` of one axis: per line, the median over the row
// blocks of |output step| into `step` and of |output step − content step|
// into `unexplained` (block steps, 8-bit levels).
void AddLineSteps(const cv::Mat& steps, const cv::Mat& content_steps, const std::vector<int>& lines,
                  std::vector<double>& step, std::vector<double>& unexplained) {
  std::vector<double> residual(steps.rows);
  for (int x : lines) {
    step.push_back(MedianStepAt(steps, x));
    for (int b = 0; b < steps.rows; ++b)
      residual[b] = std::abs(steps.at<double>(b, x) - content_steps.at<double>(b, x));
    unexplained.push_back(Median(residual));
  }
}

// Do the content's own steps explain the output's at a grid's lines? A
// content line (a cell edge of pixel art, a text row, a table's rule) is in
// the plain enlargement too, with its sign and nearly its size, whatever
// kernel made the output: PIL's Lanczos-3 or bicubic of pixel art leave
// 9–19 % of the step unexplained by acuity's Lanczos-4, where each kernel's
// ringing alone makes the normalised profiles differ 5-fold. A seam is in
// the output only (≈ 100 % unexplained).
bool ContentExplains(const std::vector<double>& step, const std::vector<double>& unexplained) {
  const double typical = Median(step);
  return typical > 0 && Median(unexplained) < kContentStepShare * typical;
}

// The boundaries of a grid of `period` from `phase` among `n` (the last,
// at the picture's edge, has no step read).
std::vector<int> GridLines(int period, int phase, int n) {
  std::vector<int> lines;
  for (int x = phase; x + 1 < n; x += period) lines.push_back(x);
  return lines;
}

// The block steps of both axes of a luma plane (BlockSteps of it and of its
// transpose), read once for every seam detector; empty for an empty plane.
struct AxisSteps {
  cv::Mat columns, rows;
  cv::Size size;  // the plane's, px
};
AxisSteps StepsOf(const cv::Mat& luma) {
  if (luma.empty()) return {};
  return {BlockSteps(luma), BlockSteps(luma.t()), luma.size()};
}

// DetectColumnSeams on the block steps of a `size` plane (`content_steps`:
// those of the plain enlargement, or empty).
TileSeamMeasure ColumnSeams(const cv::Mat& steps, const cv::Mat& content_steps, cv::Size size) {
  TileSeamMeasure best;
  if (size.width < kSeamMinCount * kSeamMinPeriodPx || size.height < kSeamBlockRows) return best;
  const std::vector<double> profile = SeamProfile(steps);
  const std::vector<double> content_profile =
      content_steps.empty() ? std::vector<double>() : SeamProfile(content_steps);
  const int n = static_cast<int>(profile.size());
  const double reference = std::max(
      Percentile(profile, kSeamReferencePct), 0.1);

  struct Candidate {
    double level;
    int period, phase, count;
  };
  std::vector<Candidate> candidates;
  for (int period = kSeamMinPeriodPx; period <= kSeamMaxPeriodPx; ++period) {
    Candidate top{-1, period, 0, 0};
    for (int phase = 0; phase < period && phase < n; ++phase) {
      int count = 0;
      const double level = GridLevel(profile, period, phase, &count);
      if (count >= kSeamMinCount && level > top.level) top = {level, period, phase, count};
    }
    if (top.level > 0) candidates.push_back(top);
  }
  std::sort(candidates.begin(), candidates.end(),
            [](const Candidate& a, const Candidate& b) { return a.level > b.level; });
  for (const Candidate& c : candidates) {
    bool explained = false;
    for (int d = 2; d < c.period && !explained; ++d)
      if (c.period % d == 0)
        explained = GridLevel(profile, d, c.phase % d, nullptr) >= kFinerGridShare * c.level;
    if (explained) continue;
    // The content's own lines (text rows, a table's rules) stand out in a
    // plain enlargement of the input too; seams only in the output.
    if (!content_profile.empty()) {
      if (GridLevel(content_profile, c.period, c.phase, nullptr) >= kContentGridShare * c.level) continue;
      std::vector<double> step, unexplained;
      AddLineSteps(steps, content_steps, GridLines(c.period, c.phase, n), step, unexplained);
      if (ContentExplains(step, unexplained)) continue;
    }
    best.strength = c.level / reference;
    best.seams = c.count;
    best.period_px = c.period;
    best.offset_px = c.phase + 1;  // boundary x is between columns x and x + 1
    best.axis = "columns";
    std::vector<double> seam_steps;
    for (int x = c.phase; x < n; x += c.period) seam_steps.push_back(MedianStepAt(steps, x));
    best.step_8bit = Median(seam_steps);
    break;
  }
  return best;
}

}  // namespace

TileSeamMeasure DetectColumnSeams(const cv::Mat& luma, const cv::Mat& content_luma) {
  CV_Assert(luma.type() == CV_32FC1);
  CV_Assert(content_luma.empty() || (content_luma.type() == CV_32FC1 && content_luma.size() == luma.size()));
  return ColumnSeams(BlockSteps(luma), content_luma.empty() ? cv::Mat() : BlockSteps(content_luma), luma.size());
}

namespace {

// The tile edges along one axis (`normalised`: NormalisedSteps of that
// axis) of the lines of a grid of `line_period` px from the top-left corner
// (boundary line_period − 1, 2·line_period − 1, …), leaving out those on
// the grid of `skip_period` (0: none), at most kMaxGridLines of them spread
// evenly: for each line and each tile of `tile_px` along it, the median of
// the line's blocks inside that tile. Adds them to `edges`; returns the
// number of lines read.
int AddTileEdges(const cv::Mat& normalised, int line_period, int skip_period, int tile_px, std::vector<double>& edges) {
  std::vector<int> xs = GridLines(line_period, line_period - 1, normalised.cols);
  if (skip_period > 0)
    xs.erase(std::remove_if(xs.begin(), xs.end(), [&](int x) { return (x + 1) % skip_period == 0; }), xs.end());
  const double stride = std::max(1.0, double(xs.size()) / kMaxGridLines);
  std::vector<double> blocks;
  int lines = 0;
  for (double i = 0; i < xs.size(); i += stride, ++lines) {
    const int x = xs[size_t(i)];
    for (int top = 0; top < normalised.rows * kSeamBlockRows; top += tile_px) {
      blocks.clear();
      const int first = (top + kSeamBlockRows - 1) / kSeamBlockRows;
      const int end = std::min(normalised.rows, (top + tile_px) / kSeamBlockRows);
      for (int b = first; b < end; ++b) blocks.push_back(normalised.at<double>(b, x));
      if (!blocks.empty()) edges.push_back(Median(blocks));
    }
  }
  return lines;
}

// The kTileEdgeQuantilePct percentile of those tile edges on both axes (0
// when there are none); `lines`: the lines read on both axes.
double OriginGridLevel(const cv::Mat& columns, const cv::Mat& rows, int line_period, int skip_period, int tile_px,
                       int* lines = nullptr) {
  std::vector<double> edges;
  const int count = AddTileEdges(columns, line_period, skip_period, tile_px, edges) +
                    AddTileEdges(rows, line_period, skip_period, tile_px, edges);
  if (lines) *lines = count;
  return edges.empty() ? 0 : Percentile(std::move(edges), kTileEdgeQuantilePct);
}

// DetectOriginTileGrid on the block steps of both axes (`content`: those
// of the plain enlargement, or empty).
TileSeamMeasure OriginTileGrid(const AxisSteps& steps, const AxisSteps& content) {
  TileSeamMeasure best;
  const cv::Size size = steps.size;
  if (size.width < 2 * kSeamMinPeriodPx || size.height < 2 * kSeamMinPeriodPx) return best;
  const cv::Mat& steps_x = steps.columns;
  const cv::Mat& steps_y = steps.rows;
  const cv::Mat columns = NormalisedSteps(steps_x), rows = NormalisedSteps(steps_y);
  cv::Mat content_columns, content_rows;
  if (!content.columns.empty()) {
    content_columns = NormalisedSteps(content.columns);
    content_rows = NormalisedSteps(content.rows);
  }
  // The reference of a period: the same tile edges at every boundary (at
  // most kMaxGridLines per axis, spread evenly), so that a grid of few,
  // short edges is held to what short edges anywhere read.
  auto reference_of = [&](int period) {
    std::vector<double> edges;
    AddTileEdges(columns, 1, 0, period, edges);
    AddTileEdges(rows, 1, 0, period, edges);
    return std::max(Percentile(std::move(edges), kSeamReferencePct), 0.1);
  };
  double best_strength = 0;
  int best_period = 0;
  std::vector<double> found(kSeamMaxPeriodPx + 1, 0.0);  // strength of each grid that counts
  for (int period = kSeamMinPeriodPx; period <= kSeamMaxPeriodPx; ++period) {
    if (size.width <= period || size.height <= period) break;
    int lines = 0;
    const double level = OriginGridLevel(columns, rows, period, 0, period, &lines);
    if (lines < kSeamMinCount) continue;
    const double reference = reference_of(period);
    // Explained by a finer grid from the corner (a JPEG's 8-px blocks, a
    // JPEG enlarged 2×: 16 px) when that grid's other lines, read in the
    // same tiles, stand out as much.
    bool explained = false;
    for (int d = 2; d < std::min(period, kSeamMinPeriodPx) && !explained; ++d)
      if (period % d == 0)
        explained = OriginGridLevel(columns, rows, d, period, period) >= kFinerTileGridShare * level;
    if (explained) continue;
    if (!content_columns.empty()) {  // the content's own lines
      if (OriginGridLevel(content_columns, content_rows, period, 0, period) >= kContentGridShare * level) continue;
      std::vector<double> step, unexplained;
      AddLineSteps(steps_x, content.columns, GridLines(period, period - 1, steps_x.cols), step, unexplained);
      AddLineSteps(steps_y, content.rows, GridLines(period, period - 1, steps_y.cols), step, unexplained);
      if (ContentExplains(step, unexplained)) continue;
    }
    found[period] = level / reference;
    if (found[period] <= best_strength) continue;
    best_strength = found[period];
    best_period = period;
  }
  if (best_period == 0) return best;
  // A coarser grid can stand out more than the tiles' own where some of
  // their edges came out alike (every other line of 192-px tiles makes a
  // 384-px grid): the finest grid that divides it and stands out nearly as
  // much is the tiling.
  for (int d = kSeamMinPeriodPx; d < best_period; ++d)
    if (best_period % d == 0 && found[d] >= kFinerTileGridShare * best_strength) {
      best_strength = found[d];
      best_period = d;
      break;
    }
  best.strength = best_strength;
  best.period_px = best_period;
  best.offset_px = best_period;
  best.axis = "both";
  std::vector<double> seam_steps;
  for (const cv::Mat* steps : {&steps_x, &steps_y})
    for (int x = best_period - 1; x + 1 < steps->cols; x += best_period, ++best.seams)
      seam_steps.push_back(MedianStepAt(*steps, x));
  best.step_8bit = Median(seam_steps);
  return best;
}

}  // namespace

TileSeamMeasure DetectOriginTileGrid(const cv::Mat& luma, const cv::Mat& content_luma) {
  CV_Assert(luma.type() == CV_32FC1);
  CV_Assert(content_luma.empty() || (content_luma.type() == CV_32FC1 && content_luma.size() == luma.size()));
  return OriginTileGrid(StepsOf(luma), StepsOf(content_luma));
}

TileSeamMeasure DetectTileSeams(const cv::Mat& luma, const cv::Mat& content_luma) {
  CV_Assert(luma.type() == CV_32FC1);
  CV_Assert(content_luma.empty() || (content_luma.type() == CV_32FC1 && content_luma.size() == luma.size()));
  // Each plane's block steps, both axes, read once for the three readings.
  const AxisSteps steps = StepsOf(luma), content = StepsOf(content_luma);
  TileSeamMeasure columns = ColumnSeams(steps.columns, content.columns, luma.size());
  TileSeamMeasure rows = ColumnSeams(steps.rows, content.rows, cv::Size(luma.rows, luma.cols));
  if (!rows.axis.empty()) rows.axis = "rows";
  TileSeamMeasure grid = OriginTileGrid(steps, content);
  TileSeamMeasure best = rows.strength > columns.strength ? rows : columns;
  if (grid.strength <= best.strength) return best;
  // One axis's grid from the corner whose period divides the 2-D grid's,
  // and which stands out itself (kStandsOut), is the same tiling at its own
  // period (the 2-D grid can be every other line of it, where the other
  // lines cross texture): its period, the grid's strength.
  for (const TileSeamMeasure* axis : {&columns, &rows})
    if (axis->period_px > 0 && axis->strength >= kStandsOut && axis->offset_px % axis->period_px == 0 &&
        grid.period_px % axis->period_px == 0 && axis->period_px < grid.period_px) {
      TileSeamMeasure same = *axis;
      same.strength = grid.strength;
      return same;
    }
  return grid;
}

}  // namespace acuity

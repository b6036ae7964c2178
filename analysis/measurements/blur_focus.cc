#include "analysis/measurements/blur_focus.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "analysis/measurements/percentile.h"

namespace acuity {
namespace {

constexpr int kMinNeighbourhoodCells = 5;  // measured cells a 3×3 neighbourhood needs

// One region's grid of cells: each cell's edge σ readings.
struct CellGrid {
  cv::Rect region;
  int rows = 1, cols = 1;
  std::vector<std::vector<float>> cells;
};

// Each measured cell's neighbourhood median, in grid order; -1 where not measured.
std::vector<float> SmoothedCells(const CellGrid& g) {
  std::vector<float> own(g.cells.size(), -1.f);
  for (size_t i = 0; i < g.cells.size(); ++i) {
    std::vector<float> v = g.cells[i];
    if (v.size() >= size_t(kFocusMinCellEdges)) own[i] = NearestRank(v, 0.5);
  }
  std::vector<float> smoothed(own.size(), -1.f);
  for (int r = 0; r < g.rows; ++r)
    for (int c = 0; c < g.cols; ++c) {
      if (own[size_t(r) * g.cols + c] < 0) continue;
      std::vector<float> around;
      for (int rr = std::max(0, r - 1); rr <= std::min(g.rows - 1, r + 1); ++rr)
        for (int cc = std::max(0, c - 1); cc <= std::min(g.cols - 1, c + 1); ++cc)
          if (own[size_t(rr) * g.cols + cc] >= 0) around.push_back(own[size_t(rr) * g.cols + cc]);
      if (around.size() >= size_t(kMinNeighbourhoodCells))
        smoothed[size_t(r) * g.cols + c] = NearestRank(around, 0.5);
    }
  return smoothed;
}

}  // namespace

std::optional<FocusReading> ReadFocus(const std::vector<FocusEdge>& given, const std::vector<cv::Rect>& regions,
                                      double px_per_native_px) {
  // In the picture's native px: an enlargement by f makes every edge's σ f
  // times larger, and the gap between them, not the focus any shallower.
  const double gap_px = kFocusGapPx * std::max(1.0, px_per_native_px);
  // Blocks read with a margin of context can find one edge point twice
  // (blur.h's sample of touching blocks): each point counts once.
  std::vector<FocusEdge> edges = given;
  std::sort(edges.begin(), edges.end(),
            [](const FocusEdge& a, const FocusEdge& b) { return std::tie(a.row, a.col) < std::tie(b.row, b.col); });
  edges.erase(std::unique(edges.begin(), edges.end(),
                          [](const FocusEdge& a, const FocusEdge& b) { return a.row == b.row && a.col == b.col; }),
              edges.end());
  std::vector<CellGrid> grids;
  size_t frame_cells = 0;
  for (const cv::Rect& region : regions) {
    CellGrid g;
    g.region = region;
    g.rows = std::max(1, region.height / kFocusCellPx);
    g.cols = std::max(1, region.width / kFocusCellPx);
    g.cells.resize(size_t(g.rows) * g.cols);
    frame_cells += g.cells.size();
    grids.push_back(std::move(g));
  }
  for (const FocusEdge& e : edges)
    for (CellGrid& g : grids)
      if (g.region.contains(cv::Point(e.col, e.row))) {
        const int r = std::min(g.rows - 1, (e.row - g.region.y) / kFocusCellPx);
        const int c = std::min(g.cols - 1, (e.col - g.region.x) / kFocusCellPx);
        g.cells[size_t(r) * g.cols + c].push_back(e.sigma_px);
        break;
      }
  std::vector<std::vector<float>> smoothed;
  std::vector<float> measured;
  for (const CellGrid& g : grids) {
    smoothed.push_back(SmoothedCells(g));
    for (float s : smoothed.back())
      if (s >= 0) measured.push_back(s);
  }
  const size_t focus_cells = size_t(std::ceil(kFocusShare * double(frame_cells)));
  if (focus_cells == 0 || measured.size() < std::max<size_t>(focus_cells, 8)) return std::nullopt;
  std::sort(measured.begin(), measured.end());
  const double sharpest = measured[focus_cells - 1];
  const double median = measured[measured.size() / 2];
  if (sharpest > kFocusRatio * median || median - sharpest < gap_px) return std::nullopt;
  // The part in focus: the cells nearer the sharpest than the median; its σ
  // is the median of their edges (the sharpest cells alone read low).
  const double midway = 0.5 * (sharpest + median);
  std::vector<float> in_focus;
  size_t in_focus_cells = 0;
  for (size_t i = 0; i < grids.size(); ++i)
    for (size_t c = 0; c < smoothed[i].size(); ++c)
      if (smoothed[i][c] >= 0 && smoothed[i][c] <= midway) {
        ++in_focus_cells;
        in_focus.insert(in_focus.end(), grids[i].cells[c].begin(), grids[i].cells[c].end());
      }
  return FocusReading{NearestRank(in_focus, 0.5), median, 100.0 * double(in_focus_cells) / double(frame_cells)};
}

}  // namespace acuity

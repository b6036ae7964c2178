// Where an output lost detail: per cell of the picture (2×2 blocks of
// EdgeCells, qa_measures.h, at every block's step: half-overlapping cells,
// so that a soft part fills whole cells wherever it lies), the RMS
// curvature of the output near edges over that of the plain enlargement,
// so that a part made soft — a smeared patch, a tile that came out blurred
// or blank, a structure a model melted — shows though the picture as a
// whole keeps most of its detail (detail_retained).
//
//   const acuity::EdgeMeasure edges = acuity::MeasureEdges(out_luma, plain_luma, scale);
//   const acuity::LocalDetail local = acuity::MeasureLocalDetail(edges.cells, out_luma.size());
//   if (local.measured && local.lost_area_pct > 5) { /* a part of it went soft: local.lost_region */ }
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_QA_LOCAL_DETAIL_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_QA_LOCAL_DETAIL_H_

#include <opencv2/core.hpp>

#include "analysis/measurements/qa_measures.h"

namespace acuity {

// A cell "lost" its detail when the output keeps less than this share of the
// plain enlargement's RMS curvature there (a Gaussian blur of 1–2 input px
// takes a photo's cells to 0.05–0.3; a plain enlargement, a sharpened copy,
// a restoration or a model's output keep 0.6–3 nearly everywhere).
inline constexpr double kLostDetailRatio = 0.35;

struct LocalDetail {
  // False when under 4 cells' worth of blocks hold edges to read (a cell
  // counts when 2 % of it, and at least 16 px, is near an edge EdgeCells
  // counts; a block when 2 % of it, and at least 4 px, is).
  bool measured = false;
  // The largest connected (8-neighbour) area of blocks that lost their
  // detail — the cells read over them did on average —, as % of the area
  // of the blocks some cell read covers (the parts of the picture with
  // edges; a flat sky has no detail to lose). 0 when none did.
  double lost_area_pct = 0;
  // That area's bounding box (output px) and its own ratio; empty and 1
  // when none lost detail.
  cv::Rect lost_region;
  double lost_region_ratio = 1;
  // Per block, the mean over the cells read over it of 1 − ratio where the
  // output is softer than the enlargement (0 where sharper), 0 where no
  // cell over it was read (CV_32FC1, the output's size; with_map): hotter
  // than 1 − kLostDetailRatio exactly where the blocks lost their detail.
  cv::Mat loss_map;
};

// `cells`: MeasureEdges' of an output of `output_size` px.
LocalDetail MeasureLocalDetail(const EdgeCells& cells, cv::Size output_size, bool with_map = true);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_QA_LOCAL_DETAIL_H_

// Over-sharpening: the halos (bright/dark fringes) that strong unsharp
// masking leaves along edges, measured like Imatest's edge overshoot on a
// slanted-edge chart, but on a photo: strong, isolated, straight edges are
// found, the luma profile across each edge is sampled along the gradient
// normal, and the extrema just outside the transition are compared with the
// plateau levels further out. Robust statistics over many edges keep noise
// from reading as overshoot.
//
//   cv::Mat halo;  // CV_32FC1, per-pixel halo strength (% of edge contrast)
//   acuity::OversharpeningResult o = acuity::MeasureOversharpening(image.pixels, &halo);
//   if (o.detected.value_or(false)) Warn(*o.overshoot_pct);
#ifndef ACUITY_ANALYSIS_OVERSHARPENING_H_
#define ACUITY_ANALYSIS_OVERSHARPENING_H_

#include <optional>

#include <opencv2/core.hpp>

namespace acuity {

struct OversharpeningResult {
  // Grows with halo strength; 0 = none. The overshoot of the typical edge
  // (overshoot_pct), % of edge contrast: unsharp masking of amount 2 at
  // radius 1–2 px reads ≈ 12–40 on sharp photos, natural edges ≲ 7.
  std::optional<double> halo_score;
  // (overshoot + undershoot) / 2 in % of edge contrast, on the typical edge:
  // per half-pixel offset along the normal, the median over the measured
  // edges of their profiles normalised to their plateaus (0 dark, 1 bright).
  std::optional<double> overshoot_pct;
  std::optional<bool> detected;       // halo_score ≥ 10
  std::optional<int> edges_measured;  // edge profiles the medians were taken over
};

// Measures over-sharpening on the luma of `pixels` (any layout image_ops
// accepts). Empty fields (but edges_measured) when the image has too few
// straight, isolated edges with flat plateaus (pure texture: grass, gravel). When
// halo_map is given it receives per-pixel halo strength (CV_32FC1, image
// size, % of edge contrast; 0 away from measured edges).
OversharpeningResult MeasureOversharpening(const cv::Mat& pixels, cv::Mat* halo_map = nullptr);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_OVERSHARPENING_H_

// The second witness of a motion blur: a smear of L px along θ turns every
// edge whose normal lies along θ into a ramp about L px wide, so those edges
// read as soft as a Gaussian of σ ≈ L/√12. Flat graphics — a logo, a chart,
// a product drawn in flat colours — have the cepstral signature of a smear
// (a rectangle of width W has the spectrum of a box blur of W) but their
// edges across θ are steps. This reads how soft the edges across θ really
// are, with the two-scale gradient ratio of blur.h (derivative-of-Gaussian
// peaks at σa and σb: R = √(σ² + σb²) / √(σ² + σa²)), on the strongest
// edges whose normal lies within 45° of θ.
//
//   std::optional<double> soft = acuity::EdgeSoftnessAcross(luma_tiles, angle_deg);
//   if (soft && *soft < 1.0) ...  // edges across θ are steps: no smear along θ
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_MOTION_EDGES_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_MOTION_EDGES_H_

#include <optional>
#include <vector>

#include <opencv2/core.hpp>

namespace acuity {

// The Gaussian σ, px, that the softer edges across `angle_deg` (0 =
// horizontal movement, counter-clockwise as seen on screen) have: the 80th
// percentile over the strongest edge points of `tiles` (CV_32F luma, 0–255)
// whose gradient lies within 45° of the direction (a smear of L px spreads
// those over 0.7 L or more; a chart's bars and grid lines cross a dip at 120°
// only that way). The softest fifth counts, so that a subject smeared in
// front of a sharp background still reads soft. An edge point with an
// exactly flat pixel (3×3 of one luma) d ≤ 3 px away along the movement is
// read no softer than d/√3: a drawn picture's steps, which small text's thin
// strokes would otherwise make look soft. Empty when fewer than 16 edge
// points are found.
std::optional<double> EdgeSoftnessAcross(const std::vector<cv::Mat>& tiles, double angle_deg);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_MOTION_EDGES_H_

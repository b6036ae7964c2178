// Over-sharpening: the halos (bright/dark fringes) that strong unsharp
// masking leaves along edges.
//
//  * halo_score / detected / halo map — evidence that needs no isolated
//    edges, so texture-only photos (grass, gravel) get a reading too: the
//    share of fine-scale gradient that runs against the coarse-scale edge
//    direction (a halo decays back against the edge it borders; natural
//    edges under a non-negative lens PSF are monotone), plus the lift of the
//    high band of the noise-corrected spectrum over its middle band
//    (analysis/oversharpening_evidence.h).
//  * overshoot_pct — Imatest's edge overshoot, but on a photo: strong,
//    isolated, straight edges with flat plateaus are found, the luma profile
//    across each is sampled along the gradient normal, and the extrema just
//    outside the transition are compared with the plateaus; medians over
//    many edges keep noise from reading as overshoot.
//
//   cv::Mat halo;  // CV_32FC1, per-pixel halo score
//   acuity::OversharpeningResult o =
//       acuity::MeasureOversharpening(image.pixels, &halo, noise.luma_sigma);
//   if (o.detected.value_or(false)) Warn(*o.halo_score);
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_OVERSHARPENING_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_OVERSHARPENING_H_

#include <optional>

#include <opencv2/core.hpp>

namespace acuity {

struct OversharpeningResult {
  // Grows with halo strength; 0 = none. 16 per decade of the geometric mean
  // of the opposing gradient shares at two scale pairs (plus 0.1 × the
  // spectral tilt) above the level of halo-free photos. On the ladders
  // (datasets/RESULTS.md): blurred photos read 0, sharp halo-free photos
  // mostly 0–9, unsharp masking of amount 2–3 at radius 1–2 px mostly ≥ 10
  // and up to ≈ 22 (92 % flagged); a soft photo sharpened that hard
  // (chelsea) and dense fine texture (grass) sit near the line.
  std::optional<double> halo_score;
  // (overshoot + undershoot) / 2 in % of edge contrast, on the typical edge:
  // per half-pixel offset along the normal, the median over the measured
  // edges of their profiles normalised to their plateaus (0 dark, 1 bright).
  // Empty when the image has too few straight, isolated edges with flat
  // plateaus (pure texture).
  std::optional<double> overshoot_pct;
  std::optional<bool> detected;       // halo_score ≥ 10
  std::optional<int> edges_measured;  // edge profiles overshoot_pct was taken over
};

// Measures over-sharpening on the luma of `pixels` (any layout image_ops
// accepts). `noise_luma_sigma` (8-bit units, as NoiseResult::luma_sigma)
// discounts noise; unknown: estimated here with MeasureNoise. halo_score and
// detected are empty only for images under 16 px or without any gradient.
// When halo_map is given it receives the per-pixel halo score (CV_32FC1, image
// size, same scale as halo_score, from the opposing share over 15 px boxes).
// Big images: edge profiles come from an evenly spread sample of 256-px
// blocks (1.5 MP); the halo figures read 0.5 MP of strips (with a map too:
// only the map reads every pixel) and at most 16 spectrum tiles.
OversharpeningResult MeasureOversharpening(const cv::Mat& pixels, cv::Mat* halo_map = nullptr,
                                           std::optional<double> noise_luma_sigma = std::nullopt);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_OVERSHARPENING_H_

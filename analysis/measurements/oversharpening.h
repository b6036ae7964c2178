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
//   acuity::OversharpeningOptions options;
//   options.noise_luma_sigma = noise.luma_sigma;  // optional: estimated when empty
//   options.compute_map = true;                   // per-pixel halo score
//   acuity::OversharpeningMeasurement o = acuity::MeasureOversharpening(image.pixels, options);
//   if (o.result.detected.value_or(false)) Warn(*o.result.halo_score);
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_OVERSHARPENING_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_OVERSHARPENING_H_

#include <optional>

#include <opencv2/core.hpp>

#include "analysis/measurements/measured.h"

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

struct OversharpeningOptions {
  // Std-dev of the noise in luma (8-bit units, as NoiseResult::luma_sigma),
  // which the halo figures discount; unknown: estimated here with MeasureNoise.
  std::optional<double> noise_luma_sigma;
  // The map: the per-pixel halo score (CV_32FC1, image size, same scale as
  // halo_score, from the opposing share over 15 px boxes).
  bool compute_map = false;
};

// Figures plus the map when OversharpeningOptions::compute_map (measured.h).
using OversharpeningMeasurement = Measured<OversharpeningResult>;

// Measures over-sharpening on the luma of `pixels` (any layout image_ops
// accepts). halo_score and detected are empty only for images under 16 px or
// without any gradient. Big images: edge profiles come from an evenly spread
// sample of 256-px blocks (1.5 MP); the halo figures read 0.5 MP of strips
// (with a map too: only the map reads every pixel) and at most 16 spectrum
// tiles.
OversharpeningMeasurement MeasureOversharpening(const cv::Mat& pixels, const OversharpeningOptions& options = {});

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_OVERSHARPENING_H_

// Over-sharpening: the halos (bright/dark fringes) that strong unsharp
// masking leaves along edges.
//
//  * halo_score / detected / halo map — evidence that needs no isolated
//    edges, so texture-only photos (grass, gravel) get a reading too: the
//    share of fine-scale gradient that runs against the coarse-scale edge
//    direction (a halo decays back against the edge it borders; natural
//    edges under a non-negative lens PSF are monotone) at two scale pairs,
//    read against the image's own response to a test sharpening (a natural
//    image gains much opposition from it, an over-sharpened one little):
//    dense text and texture, which oppose themselves without any halo, are
//    thus normalised by their own content (analysis/oversharpening_evidence.h).
//  * overshoot_pct — Imatest's edge overshoot, but on a photo: strong,
//    isolated, straight edges with flat plateaus are found, the luma profile
//    across each is sampled along the gradient normal, and the extrema just
//    outside the transition are compared with the plateaus; medians over
//    many edges keep noise from reading as overshoot.
//
//   acuity::OversharpeningOptions options;
//   options.noise_luma_sigma = noise.luma_sigma;  // optional: estimated when empty
//   options.compute_map = true;                   // local halo score, 3 px cells
//   acuity::OversharpeningMeasurement o = acuity::MeasureOversharpening(image.pixels, options);
//   if (o.result.detected.value_or(false)) Warn(*o.result.halo_score);
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_OVERSHARPENING_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_OVERSHARPENING_H_

#include <optional>

#include <opencv2/core.hpp>

#include "analysis/measurements/measured.h"

namespace acuity {

struct OversharpeningResult {
  // Grows with halo strength; 0 = none, 10 = the detection line. 30 per
  // decade of the evidence (oversharpening.cc: 0.85 × log10 of the narrow
  // opposing share + 0.15 × that of the wide one − 0.7 × that of the narrow
  // share after the test sharpening) above the detection level, + 10. On the
  // wild set (datasets/RESULTS.md, every scikit-image photo and content
  // crops) clean images and unsharp masks of amount ≤ 0.5 read mostly 0–10,
  // amount 2–3 at radius 1–2 px mostly 10–17; soft fur sharpened that hard
  // and dense texture sit near the line. Empty for a two-level image
  // (black-and-white text: an unsharp mask clips back to the same pixels).
  std::optional<double> halo_score;
  // (overshoot + undershoot) / 2 in % of edge contrast, on the typical edge:
  // per half-pixel offset along the normal, the median over the measured
  // edges of their profiles normalised to their plateaus (0 dark, 1 bright).
  // Empty when the image has too few straight, isolated edges with flat
  // plateaus (pure texture).
  std::optional<double> overshoot_pct;
  std::optional<bool> detected;       // halo_score ≥ 10 (empty when halo_score is)
  std::optional<int> edges_measured;  // edge profiles overshoot_pct was taken over
  // True when nothing was read because the picture is drawn
  // (OversharpeningOptions::drawn_content); empty otherwise.
  std::optional<bool> drawn_content;
  // True when halo_score was not read because the picture has fewer than
  // kMinHaloScorePixels: a thumbnail that small (a photo box-downscaled to
  // 100×67 px) packs its detail as densely as a sharpened picture, and read
  // halo score 10–13, "over-sharpened", on clean photos. overshoot_pct is
  // still read when there are edges enough. Empty otherwise.
  std::optional<bool> too_small;
};

// Whether `r`'s overshoot was measured and reads 0 % to the nearest percent,
// as the advice writes it: its straight edges (edges_measured of them, at
// least 25) show none.
inline bool NoOvershootAtItsEdges(const OversharpeningResult& r) {
  return r.overshoot_pct.has_value() && *r.overshoot_pct < 0.5;
}

// The fewest pixels the halo score is read on: 128 × 128 px. The score was
// calibrated on photos and crops of at least 200 × 200 px (datasets/
// wild_ladders.cc); below 128 × 128, clean thumbnails of scikit-image's
// photos read as often over-sharpened (3 of 14 at 100 px wide) as thumbnails
// sharpened with an unsharp mask (amount 1, σ 1 px) read so (7 of 14).
// The halo score from which an image reads over-sharpened (`detected`).
inline constexpr double kOversharpenedHaloScore = 10.0;

inline constexpr int kMinHaloScoreSidePx = 128;
inline constexpr int kMinHaloScorePixels = kMinHaloScoreSidePx * kMinHaloScoreSidePx;

struct OversharpeningOptions {
  // Std-dev of the noise in luma (8-bit units, as NoiseResult::luma_sigma),
  // which the halo figures discount; unknown: estimated here with MeasureNoise.
  std::optional<double> noise_luma_sigma;
  // The picture is drawn (content_kind.h ContentKind::kSynthetic: text, UI,
  // charts): nothing is read (every figure empty, the map zero,
  // OversharpeningResult::drawn_content set). Both readings assume a
  // camera's edges, monotone under a lens; a rendered glyph's strokes, one
  // or two pixels wide with light on both sides, oppose their own gradient
  // and overshoot their "plateaus" as a halo does (a page of 12–16 px text
  // read halo score 11–12 and overshoot 183 %: "over-sharpened").
  bool drawn_content = false;
  // The map: the local halo score (CV_32FC1, one cell per 3 × 3 px, same
  // scale as halo_score: the image's score with the two scale pairs' shares
  // replaced by their local geometric mean over 15 px boxes) where it reaches
  // the detection line (10) on an image that is `detected`, 0 elsewhere: the
  // map shows where the halos the verdict reports are, and stays dark when
  // the verdict is "no halos".
  bool compute_map = false;
};

// Figures plus the map when OversharpeningOptions::compute_map (measured.h).
using OversharpeningMeasurement = Measured<OversharpeningResult>;

// Measures over-sharpening on the luma of `pixels` (any layout image_ops
// accepts). halo_score and detected are empty only for drawn content
// (OversharpeningOptions::drawn_content), pictures of fewer than
// kMinHaloScorePixels (too_small), images without any
// gradient, or two-level (≥ 99 % of the samples at 0 or full
// scale). Big images: edge profiles come from an evenly spread
// sample of 256-px blocks (1.5 MP); the halo figures read 0.5 MP of strips
// (with a map too: only the map reads every pixel), each twice (as is and
// test-sharpened).
OversharpeningMeasurement MeasureOversharpening(const cv::Mat& pixels, const OversharpeningOptions& options = {});

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_OVERSHARPENING_H_

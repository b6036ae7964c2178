// The advisor's rule for pixel art enlarged by repeating pixels (advisor.h):
// a drawn picture made wholly of k×k squares of one colour
// (ResolutionResult::pixel_block_px) is enlarged to its target by repeating
// pixels again (the `nearest` step), which is exact: an upscaling network
// would round its squares and invent texture inside them, a sharpen ring
// their edges (datasets/RESULTS.md, "Pixel art").
//
//   if (acuity::RepeatsPixels(report, thresholds)) acuity::AddRepeatPixels(report, plan);
#ifndef ACUITY_ANALYSIS_ADVICE_PIXEL_ART_ADVICE_H_
#define ACUITY_ANALYSIS_ADVICE_PIXEL_ART_ADVICE_H_

#include "analysis/advice/plan.h"
#include "analysis/measurements/analyze.h"

namespace acuity {

struct AdvisorThresholds;  // advisor.h

// The target needs an enlargement (TargetNeedsUpscale) of a picture made
// of squares (pixel_block_px) that is drawn: content kind synthetic, or a
// palette of at most kMaxPaletteColours colours (image_ops.h) — a photo
// enlarged by repeating pixels is not pixel art.
bool RepeatsPixels(const AnalysisReport& report, const AdvisorThresholds& thresholds);

// The `nearest` step to the size the kept part becomes, with its reason:
// the squares' side before and after, and whether the factor is whole
// (squares of one side) or not (of two sides, and the size that keeps them
// even).
void AddRepeatPixels(const AnalysisReport& report, Plan& plan);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_ADVICE_PIXEL_ART_ADVICE_H_

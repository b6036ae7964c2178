// The advisor's undither rule (advisor.h): a dithered few-colour picture
// (dither.h) gets an undither step first, before any repair, upscale or
// sharpen — the dots are the palette's, not detail, and every later step
// would enlarge or steepen them. Its reason names the later steps, as the
// denoise's does.
//
//   acuity::Plan plan;
//   if (acuity::AddUndither(report, plan)) ...;  // plan.steps[0] is the undither
//   ...  // the rest of the plan
//   acuity::SayWhyUndither(report, plan);  // once the plan is whole
#ifndef ACUITY_ANALYSIS_ADVICE_UNDITHER_ADVICE_H_
#define ACUITY_ANALYSIS_ADVICE_UNDITHER_ADVICE_H_

#include <cstddef>
#include <string>

#include "analysis/advice/plan.h"
#include "analysis/measurements/analyze.h"

namespace acuity {

// The steps after plan.steps[index] that would enlarge what a repair there
// leaves ("upscaling and sharpening", "upscaling", "sharpening"; "" for
// none): the words of the undither's and the denoise's reasons.
std::string LaterStepsThatEnlarge(const Plan& plan, size_t index);

// Adds the undither step (its σ the measured one) when report.dither
// detected a dither; true when it did.
bool AddUndither(const AnalysisReport& report, Plan& plan);

// The undither step's reason, naming the later steps that would enlarge the
// dots (an upscale, a sharpen), or none. Nothing when the plan has no
// undither step.
void SayWhyUndither(const AnalysisReport& report, Plan& plan);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_ADVICE_UNDITHER_ADVICE_H_

// The advisor's last step (advisor.h): how the result is written for its
// destination — a marketplace's rules (format, colour space, file size),
// PNG for transparency and for text and graphics, JPEG at the web quality
// for a photo on a screen — and a warning when the file will be large. The
// size quoted is that of the file the plan writes: without what its earlier
// steps take out (TakenOut).
//
//   acuity::TakenOut taken_out;
//   taken_out.noise = decisions.denoise != acuity::AdviceDecisions::Repair::kNotNeeded;
//   acuity::AddEncode(report, thresholds, taken_out, plan);  // once the other steps are in
#ifndef ACUITY_ANALYSIS_ADVICE_ENCODE_ADVICE_H_
#define ACUITY_ANALYSIS_ADVICE_ENCODE_ADVICE_H_

#include "analysis/advice/advisor.h"
#include "analysis/advice/plan.h"
#include "analysis/measurements/analyze.h"

namespace acuity {

// What the plan takes out of the picture before it is resized, which the
// file it writes does not pay for: its noise (a denoise step or a model
// that repairs) and a dither's dots (an undither step).
struct TakenOut {
  bool noise = false;
  bool dots = false;
};

// 5. Encode for the destination (web / marketplace targets) when anything
// changed, and warn about a large result. The size is that of the file the
// plan writes (`taken_out`): without its noise when the plan removes it,
// which halves a grainy photo's, or its dots when it undithers.
void AddEncode(const AnalysisReport& r, const AdvisorThresholds& t, TakenOut taken_out, Plan& plan);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_ADVICE_ENCODE_ADVICE_H_

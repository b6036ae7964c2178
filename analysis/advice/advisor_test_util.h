// The measurement reports and plan views the advisor's rule tests share
// (advisor_test.cc, advisor_noise_test.cc).
//
//   AnalysisReport r = acuity::advisor_test::Report("2000px");
//   EXPECT_THAT(acuity::advisor_test::Ops(Advise(r)), ElementsAre("upscale", "sharpen", "encode"));
#ifndef ACUITY_ANALYSIS_ADVICE_ADVISOR_TEST_UTIL_H_
#define ACUITY_ANALYSIS_ADVICE_ADVISOR_TEST_UTIL_H_

#include <string>
#include <vector>

#include "analysis/advice/advisor.h"
#include "analysis/advice/plan_ops.h"
#include "analysis/measurements/target_fit.h"
#include "analysis/measurements/target_spec.h"

namespace acuity::advisor_test {

inline std::vector<std::string> Ops(const Plan& plan) {
  std::vector<std::string> ops;
  for (const auto& s : plan.steps) ops.push_back(std::string(OpOf(s).name));
  return ops;
}

inline bool HasWarning(const Plan& plan, const std::string& code) {
  for (const auto& w : plan.warnings)
    if (w.code == code) return true;
  return false;
}

// A clean, sharp, native 1000×750 (or w×h) photo; `target` optional.
inline AnalysisReport Report(const char* target = nullptr, int w = 1000, int h = 750) {
  AnalysisReport r;
  r.input.width = w;
  r.input.height = h;
  r.sharpness.blur_sigma_px = 0.7;
  r.noise.sigma = 1.5;
  r.compression.quality_source = "none";
  r.oversharpening.detected = false;
  r.oversharpening.overshoot_pct = 3;
  r.resolution.native_scale = 1.0;
  if (target) r.target = FitTarget(*ParseTargetSpec(target), w, h);
  return r;
}

}  // namespace acuity::advisor_test

#endif  // ACUITY_ANALYSIS_ADVICE_ADVISOR_TEST_UTIL_H_

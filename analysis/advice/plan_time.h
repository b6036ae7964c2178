// How long a plan is expected to run: every step, each at the size it gets
// (following the size through crops, every AI pass and resizes), on the
// 2-core reference machine, idle; the AI passes on that machine's CPU or on
// a CUDA device (sr_model_facts.h's CUDA column: one H200, half precision).
// `acuity advise` and `acuity enhance` say it before a long run (over
// kSayPlanTimeAboveSeconds).
//
//   double s = acuity::EstimatedPlanSeconds(plan, image.pixels, /*default_model=*/"", acuity::SrDeviceKind::kCpu);
//   if (s > acuity::kSayPlanTimeAboveSeconds) Tell(acuity::PlanTimeText(s));  // "about 4 min"
#ifndef ACUITY_ANALYSIS_ADVICE_PLAN_TIME_H_
#define ACUITY_ANALYSIS_ADVICE_PLAN_TIME_H_

#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "analysis/advice/plan.h"
#include "analysis/advice/sr_model_facts.h"

namespace acuity {

inline constexpr double kSayPlanTimeAboveSeconds = 10.0;

// Seconds for `plan` on an input of `input` px, its AI passes on `device`.
// Upscale steps cost their model's AI passes (EstimatedSrSeconds,
// sr_choice.h: each pass at its own input size); a step without a model
// uses `default_model`, else the model acuity would pick for `device`; a
// model file of the user's counts as esrgan-thick. A
// step still without its factor (resolved from the target later) counts as
// nothing: pass a prepared plan (enhance/plan_preparation.h).
double EstimatedPlanSeconds(const Plan& plan, cv::Size input, const std::string& default_model,
                            SrDeviceKind device);

// The same for the input's own `pixels`: an upscale that only repairs
// precede costs its network's area (NetworkAreaShare, image_ops.h: a
// product shot on white is upscaled over the product and its margin only).
double EstimatedPlanSeconds(const Plan& plan, const cv::Mat& pixels, const std::string& default_model,
                            SrDeviceKind device);

// The same, step by step (the pipeline weighs its progress with them).
std::vector<double> EstimatedStepSeconds(const Plan& plan, cv::Size input, const std::string& default_model,
                                         SrDeviceKind device);
std::vector<double> EstimatedStepSeconds(const Plan& plan, const cv::Mat& pixels, const std::string& default_model,
                                         SrDeviceKind device);

// "about 40 s", "about 4 min", "about 1.5 h".
std::string PlanTimeText(double seconds);

// What an estimate for `device` assumes, for the line that gives it:
// "every step and AI pass, 2 idle cores" on the CPU.
std::string PlanTimeBasisText(SrDeviceKind device);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_ADVICE_PLAN_TIME_H_

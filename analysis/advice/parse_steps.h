// Reads explicit steps (`acuity enhance --steps ...`, the viewer's
// `enhance STEPS`) into a Plan. The ops, their parameters, ranges and
// defaults are those of the table in plan_ops.h (StepsHelpText lists them).
//
//   STEPS := STEP ("," STEP)*
//   STEP  := OP (":" ARG)*      ARG is a value in the op's positional order,
//                               or name=value with the parameter's name
//
// Numbers also read as people type them where the table says so: "x4",
// "4x" and "4×" for factors, "40%" for amounts; downscale takes a size as
// WxH ("1600x1200"); formats take jpg and tif.
//
//   absl::StatusOr<acuity::Plan> plan =
//       acuity::ParseSteps("deblock,denoise:12,upscale:4:esrgan-thick,sharpen:amount=30%,encode:jpeg:85");
//   if (!plan.ok()) Complain(plan.status().message());  // "step 'blur:2': unknown operation 'blur' ..."
//   // Parameters left out keep their defaults or stay absent (e.g. an
//   // upscale without a factor: enhance/plan_preparation.h fills it from the target).
#ifndef ACUITY_ANALYSIS_ADVICE_PARSE_STEPS_H_
#define ACUITY_ANALYSIS_ADVICE_PARSE_STEPS_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "analysis/advice/plan.h"

namespace acuity {

// Every step's reason is "given on the command line". InvalidArgument naming
// the step and the problem: an unknown op or parameter, a value that is not
// a number, a value out of range, a missing required parameter.
absl::StatusOr<Plan> ParseSteps(std::string_view steps);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_ADVICE_PARSE_STEPS_H_

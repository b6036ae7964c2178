// JSON form of a Plan, as `acuity advise --json` prints it (DESIGN.md):
// {"steps": [{op, params, reason}], "warnings": [{code, message}]}, with
// params named and written as the table in analysis/advice/plan_ops.h says
// (only the parameters a step has; e.g. a deblock step with the file's own
// tables has params {"strength": 0.8}).
//
//   std::cout << acuity::JsonText(acuity::PlanToJson(acuity::Advise(report))) << "\n";
//   acuity::StepToJson(plan.steps[0]);  // {"op": "upscale", "params": {"factor": 4, "model": "esrgan-thick"}, ...}
#ifndef ACUITY_ANALYSIS_JSON_PLAN_JSON_H_
#define ACUITY_ANALYSIS_JSON_PLAN_JSON_H_

#include <nlohmann/json.hpp>

#include "analysis/advice/plan.h"

namespace acuity {

nlohmann::json PlanToJson(const Plan& plan);

// {op, params, reason}
nlohmann::json StepToJson(const PlanStep& step);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_JSON_PLAN_JSON_H_

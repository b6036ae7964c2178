#include "analysis/advice/plan.h"

namespace acuity {

nlohmann::json PlanToJson(const Plan& plan) {
  nlohmann::json steps = nlohmann::json::array();
  for (const PlanStep& s : plan.steps)
    steps.push_back({{"op", s.op}, {"params", s.params}, {"reason", s.reason}});
  nlohmann::json warnings = nlohmann::json::array();
  for (const Warning& w : plan.warnings) warnings.push_back({{"code", w.code}, {"message", w.message}});
  return {{"steps", steps}, {"warnings", warnings}};
}

}  // namespace acuity

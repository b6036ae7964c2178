#include "analysis/json/plan_json.h"

#include <cmath>
#include <string>

#include "analysis/advice/plan_ops.h"

namespace acuity {
namespace {

nlohmann::json NumberJson(double v, JsonNumber form) {
  const bool integer = form == JsonNumber::kInteger || (form == JsonNumber::kIntegerWhenWhole && v == std::floor(v));
  return integer ? nlohmann::json(std::llround(v)) : nlohmann::json(v);
}

nlohmann::json ParamsJson(const StepParams& step) {
  nlohmann::json params = nlohmann::json::object();
  for (const ParamSpec& p : OpOf(step).params) {
    const std::optional<ParamValue> v = p.get(step);
    if (!v) continue;
    const std::string name(p.name);
    if (const auto* text = std::get_if<std::string>(&*v)) params[name] = *text;
    else params[name] = NumberJson(std::get<double>(*v), p.json);
  }
  return params;
}

}  // namespace

nlohmann::json StepToJson(const PlanStep& step) {
  return {{"op", std::string(OpOf(step).name)}, {"params", ParamsJson(step.params)}, {"reason", step.reason}};
}

nlohmann::json PlanToJson(const Plan& plan) {
  nlohmann::json steps = nlohmann::json::array();
  for (const PlanStep& s : plan.steps) steps.push_back(StepToJson(s));
  nlohmann::json warnings = nlohmann::json::array();
  for (const Warning& w : plan.warnings) warnings.push_back({{"code", w.code}, {"message", w.message}});
  return {{"steps", steps}, {"warnings", warnings}};
}

}  // namespace acuity

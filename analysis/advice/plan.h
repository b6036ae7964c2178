// An enhancement plan: ordered steps, each with its parameters and the reason
// that triggered it, plus warnings. The advisor (analysis/) writes plans; the
// pipeline (enhance/) runs them; `acuity enhance --steps` parses them.
//
//   acuity::Plan plan;
//   plan.steps.push_back({"upscale", {{"factor", 4}, {"model", "esrgan-thick"}},
//                         "the target needs 3.2× more pixels"});
//   std::cout << acuity::PlanToJson(plan).dump();
#ifndef ACUITY_ANALYSIS_ADVICE_PLAN_H_
#define ACUITY_ANALYSIS_ADVICE_PLAN_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/measurements/warning.h"

namespace acuity {

struct PlanStep {
  // "deblock", "denoise", "upscale", "downscale", "sharpen", "encode" (DESIGN.md).
  std::string op;
  // Per op (units in the names where they have one):
  //   deblock:   strength (0–1)
  //   denoise:   sigma (noise σ to remove, 8-bit units)
  //   upscale:   factor (≥ 1), model (name or .pt path)
  //   downscale: factor (≤ 1) or width_px/height_px
  //   sharpen:   amount (0–1+ , 0.4 = 40 %), radius (px, Gaussian σ)
  //   encode:    format ("jpeg"), quality (1–100)
  nlohmann::json params = nlohmann::json::object();
  std::string reason;  // quotes the measurement that triggered the step
};

struct Plan {
  std::vector<PlanStep> steps;  // empty = "leave it as it is"
  std::vector<Warning> warnings;
};

// {"steps": [{op, params, reason}], "warnings": [{code, message}]}
nlohmann::json PlanToJson(const Plan& plan);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_ADVICE_PLAN_H_

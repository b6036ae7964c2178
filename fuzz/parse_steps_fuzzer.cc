// Fuzz target: ParseSteps (`acuity enhance --steps`, the viewer's
// `enhance STEPS`), and the words and JSON of every plan it accepts.
//
//   build-asan/fuzz/parse_steps_fuzzer -dict=fuzz/dict/steps.dict NEW_DIR fuzz/corpus/parse_steps
#include <cstddef>
#include <cstdint>

#include "analysis/advice/parse_steps.h"
#include "analysis/advice/plan_ops.h"
#include "analysis/json/json_text.h"
#include "analysis/json/plan_json.h"
#include "fuzz/fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::StatusOr<acuity::Plan> plan = acuity::ParseSteps(acuity::fuzz::Bytes(data, size));
  if (!plan.ok()) {
    FUZZ_CHECK(absl::IsInvalidArgument(plan.status()) && !plan.status().message().empty());
    return 0;
  }
  for (const acuity::PlanStep& step : plan->steps) FUZZ_CHECK(!acuity::StepText(step).empty());
  FUZZ_CHECK(!acuity::JsonText(acuity::PlanToJson(*plan)).empty());
  return 0;
}

// For enhance's tests only: UpscaleOptions that use the models setup.sh
// converted for this build tree (ACUITY_TEST_MODEL_DIR, set by
// enhance/CMakeLists.txt for enhance_test).
//
//   absl::StatusOr<acuity::UpscaleResult> r =
//       acuity::Upscale(crop, acuity::TestUpscaleOptions("esrgan-slim", 2));
#ifndef ACUITY_ENHANCE_UPSCALE_TEST_OPTIONS_H_
#define ACUITY_ENHANCE_UPSCALE_TEST_OPTIONS_H_

#include <string>

#include "enhance/upscaler.h"

namespace acuity {

inline UpscaleOptions TestUpscaleOptions(const std::string& model, double factor) {
  UpscaleOptions o;
  o.model = model;
  o.factor = factor;
  o.model_dir = ACUITY_TEST_MODEL_DIR;
  return o;
}

}  // namespace acuity

#endif  // ACUITY_ENHANCE_UPSCALE_TEST_OPTIONS_H_

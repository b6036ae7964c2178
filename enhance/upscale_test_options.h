// For enhance's tests only: UpscaleOptions that use the models setup.sh
// converted for this build tree (ACUITY_TEST_MODEL_DIR, set by
// enhance/CMakeLists.txt for enhance_test), in float32 — the precision the
// goldens and the tiled = untiled bound are defined in (bfloat16 has its
// own tests against float32), on the CPU whatever devices the machine has
// (the CUDA path has its own tests: enhance/gpu/, ctest label gpu).
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
  o.precision = PrecisionMode::kFp32;
  o.device.kind = DeviceRequest::Kind::kCpu;
  return o;
}

}  // namespace acuity

#endif  // ACUITY_ENHANCE_UPSCALE_TEST_OPTIONS_H_

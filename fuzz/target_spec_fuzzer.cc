// Fuzz target: ParseTargetSpec (`--target`), and the fit of every target it
// accepts to an image, as `acuity analyze --target` computes it.
//
//   build-asan/fuzz/target_spec_fuzzer -dict=fuzz/dict/target_spec.dict NEW_DIR fuzz/corpus/target_spec
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "analysis/measurements/target_fit.h"
#include "analysis/measurements/target_spec.h"
#include "fuzz/fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::StatusOr<acuity::TargetSpec> spec = acuity::ParseTargetSpec(acuity::fuzz::Bytes(data, size));
  if (!spec.ok()) {
    FUZZ_CHECK(absl::IsInvalidArgument(spec.status()) && !spec.status().message().empty());
    return 0;
  }
  FUZZ_CHECK(!spec->description.empty());
  switch (spec->kind) {
    case acuity::TargetSpec::Kind::kPrint:
      FUZZ_CHECK(spec->width_in > 0 && spec->height_in > 0 && spec->dpi > 0);
      break;
    case acuity::TargetSpec::Kind::kPixels:
      FUZZ_CHECK(spec->width_px > 0 && spec->height_px > 0);
      break;
    case acuity::TargetSpec::Kind::kLongEdge:
      FUZZ_CHECK(spec->long_edge_px > 0);
      break;
  }
  for (const auto& [width_px, height_px] : {std::pair{640, 480}, std::pair{480, 640}, std::pair{1, 1}}) {
    const acuity::TargetFit fit = acuity::FitTarget(*spec, width_px, height_px);
    FUZZ_CHECK(std::isfinite(fit.required_scale) && fit.required_scale > 0);
    FUZZ_CHECK(fit.width_px > 0 && fit.height_px > 0);
    // What is kept lies inside the image; the output is the target's size
    // (contain: inside it).
    FUZZ_CHECK(fit.kept_x_px >= 0 && fit.kept_y_px >= 0 && fit.kept_width_px > 0 && fit.kept_height_px > 0);
    FUZZ_CHECK(fit.kept_x_px + fit.kept_width_px <= width_px && fit.kept_y_px + fit.kept_height_px <= height_px);
    FUZZ_CHECK(fit.scaled_width_px <= fit.output_width_px && fit.scaled_height_px <= fit.output_height_px);
    FUZZ_CHECK(fit.fit == acuity::FitMode::kContain
                   ? fit.output_width_px <= fit.width_px && fit.output_height_px <= fit.height_px
                   : fit.output_width_px == fit.width_px && fit.output_height_px == fit.height_px);
  }
  return 0;
}

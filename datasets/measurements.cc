#include "datasets/measurements.h"

namespace acuity::datasets {

const std::vector<MeasurementStep>& MeasurementSteps() {
  static const auto* steps = new std::vector<MeasurementStep>{
      {"noise", Measurement::kNoise},
      {"blur", Measurement::kBlur},
      {"compression", Measurement::kCompression},
      {"oversharpening", Measurement::kOversharpening},
      {"upscale", Measurement::kNativeScale},
  };
  return *steps;
}

}  // namespace acuity::datasets

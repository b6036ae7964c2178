#include "datasets/measurements.h"

#include "analysis/measurements/blur.h"
#include "analysis/measurements/compression.h"
#include "analysis/measurements/noise.h"
#include "analysis/measurements/oversharpening.h"
#include "analysis/measurements/native_scale.h"

namespace acuity::datasets {

const std::vector<MeasurementStep>& MeasurementSteps() {
  static const auto* steps = new std::vector<MeasurementStep>{
      {"noise", [](const Image& image, AnalysisReport* r) { r->noise = MeasureNoise(image.pixels).result; }},
      {"blur",
       [](const Image& image, AnalysisReport* r) {
         BlurOptions options;
         options.noise_sigma = r->noise.luma_sigma;
         r->sharpness = MeasureBlur(image.pixels, options).result;
       }},
      {"compression",
       [](const Image& image, AnalysisReport* r) {
         r->compression = MeasureCompression(image.pixels, image.info.jpeg, nullptr);
       }},
      {"oversharpening",
       [](const Image& image, AnalysisReport* r) {
         // Like Analyze(): the noise σ read by the noise step (none when it
         // did not run: the measurement reads it itself).
         r->oversharpening = MeasureOversharpening(image.pixels, nullptr, r->noise.luma_sigma);
       }},
      {"upscale", [](const Image& image, AnalysisReport* r) { r->resolution = MeasureNativeScale(image.pixels); }},
  };
  return *steps;
}

}  // namespace acuity::datasets

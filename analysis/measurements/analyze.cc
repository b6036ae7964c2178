#include "analysis/measurements/analyze.h"

#include <future>
#include <utility>

namespace acuity {

AnalysisReport Analyze(const Image& image, const AnalyzeOptions& options) {
  AnalysisReport report;
  report.input = image.info;
  if (options.target) {
    report.target = FitTarget(*options.target, image.info.width, image.info.height);
    for (const Warning& w : report.target->warnings) report.warnings.push_back(w);
  }
  // Compression (analysis/compression.h: quant tables when a JPEG, else
  // pixels) and prior upscaling (analysis/measurements/native_scale.h: a global reading,
  // no map) need no other reading: they run on a second thread beside the
  // noise → (blur ∥ over-sharpening) chain. OpenCV runs one parallel loop at
  // a time (a loop started while another runs goes serially on its own
  // thread), so the threads keep both cores busy between and beside the
  // loops. Each result is its own variable: the report does not depend on
  // which thread finishes first.
  cv::Mat block_map;
  std::future<std::pair<CompressionResult, ResolutionResult>> side = std::async(std::launch::async, [&] {
    CompressionResult compression =
        MeasureCompression(image.pixels, image.info.jpeg, options.compute_maps ? &block_map : nullptr);
    return std::make_pair(std::move(compression), MeasureNativeScale(image.pixels));
  });
  // noise (analysis/noise.h), then blur, which uses the luma noise σ
  NoiseOptions noise_options;
  noise_options.compute_map = options.compute_maps;
  NoiseMeasurement noise = MeasureNoise(image.pixels, noise_options);
  report.noise = noise.result;
  // over-sharpening halos (analysis/oversharpening.h) need the noise σ too,
  // not the blur: beside it.
  cv::Mat halo_map;
  std::future<OversharpeningResult> halos = std::async(std::launch::async, [&] {
    return MeasureOversharpening(image.pixels, options.compute_maps ? &halo_map : nullptr, noise.result.luma_sigma);
  });
  BlurOptions blur_options;
  blur_options.noise_sigma = noise.result.luma_sigma;
  blur_options.compute_map = options.compute_maps;
  BlurMeasurement blur = MeasureBlur(image.pixels, blur_options);
  report.sharpness = blur.result;
  report.oversharpening = halos.get();
  std::tie(report.compression, report.resolution) = side.get();

  if (!noise.map.empty()) report.maps.push_back({"noise", "8-bit", noise.map, 0});
  if (!blur.map.empty()) report.maps.push_back({"blur", "px", blur.map, 0});
  if (!block_map.empty()) report.maps.push_back({"blockiness", "8-bit", block_map, 4.0});
  if (!halo_map.empty()) report.maps.push_back({"halo", "score", halo_map, 20.0});
  return report;
}

}  // namespace acuity

#include "analysis/analyze.h"

namespace acuity {

AnalysisReport Analyze(const Image& image, const AnalyzeOptions& options) {
  AnalysisReport report;
  report.input = image.info;
  if (options.target) {
    report.target = FitTarget(*options.target, image.info.width, image.info.height);
    for (const Warning& w : report.target->warnings) report.warnings.push_back(w);
  }
  {  // noise (analysis/noise.h), then blur, which uses the luma noise σ
    NoiseOptions noise_options;
    noise_options.compute_map = options.compute_maps;
    NoiseMeasurement noise = MeasureNoise(image.pixels, noise_options);
    report.noise = noise.result;
    if (!noise.map.empty()) report.maps.push_back({"noise", "8-bit", noise.map, 0});
    BlurOptions blur_options;
    blur_options.noise_sigma = noise.result.luma_sigma;
    blur_options.compute_map = options.compute_maps;
    BlurMeasurement blur = MeasureBlur(image.pixels, blur_options);
    report.sharpness = blur.result;
    if (!blur.map.empty()) report.maps.push_back({"blur", "px", blur.map, 0});
  }
  {  // compression (analysis/compression.h): quant tables when a JPEG, else pixels
    cv::Mat map;
    report.compression = MeasureCompression(image.pixels, image.info.jpeg, options.compute_maps ? &map : nullptr);
    if (!map.empty()) report.maps.push_back({"blockiness", "8-bit", map, 4.0});
  }
  {  // over-sharpening halos (analysis/oversharpening.h)
    cv::Mat map;
    report.oversharpening =
        MeasureOversharpening(image.pixels, options.compute_maps ? &map : nullptr, report.noise.luma_sigma);
    if (!map.empty()) report.maps.push_back({"halo", "score", map, 20.0});
  }
  // prior upscaling (analysis/upscale_detect.h): a global reading, no map
  report.resolution = DetectUpscaling(image.pixels);
  return report;
}

}  // namespace acuity

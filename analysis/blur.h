// Blur measurement: the std-dev in px of the Gaussian blur that best explains
// an image's softness, robust to noise and JPEG artifacts, plus a local blur
// map.
//
// Method: edges are modelled as Gaussian-blurred steps. At each strong edge the
// gradient magnitude is read with derivative-of-Gaussian filters at two scales
// σa < σb (peak found to sub-pixel by a parabola on log-magnitudes, the noise
// contribution subtracted); for a step blurred by σ the peak ratio is
// R = √(σ² + σb²) / √(σ² + σa²), so σ² = (σb² − R² σa²) / (R² − 1) — the
// re-blur gradient-ratio idea of Hu & de Haan 2006 and Zhuo & Sim 2011. The
// image's σ is the median over the strongest edges; the per-edge values make
// the map.
//
//   acuity::BlurOptions options;
//   options.noise_sigma = noise.luma_sigma;   // optional; improves noisy images
//   acuity::BlurMeasurement m = acuity::MeasureBlur(image.pixels, options);
//   if (m.result.blur_sigma_px) fmt::print("blur σ = {:.2f} px\n", *m.result.blur_sigma_px);
//
// A sharp photo downsampled with area averaging reads about 0.5–0.8 px (its
// own optics and pixel aperture); after a further Gaussian blur of s px it
// reads about √(σ₀² + s²).
#ifndef ACUITY_ANALYSIS_BLUR_H_
#define ACUITY_ANALYSIS_BLUR_H_

#include <optional>

#include <opencv2/core.hpp>

namespace acuity {

struct SharpnessResult {
  // Std-dev (px) of the Gaussian blur that best explains the softness.
  std::optional<double> blur_sigma_px;
  // Number of edge points the estimate rests on (0 on a flat image).
  std::optional<int> edge_count;
  // Interquartile range (px) of the per-edge estimates: large when the image
  // is blurred unevenly (depth of field, motion) or the edges disagree.
  std::optional<double> blur_sigma_iqr_px;
};

struct BlurOptions {
  // Std-dev of the noise in luma (8-bit units), when known (NoiseResult::
  // luma_sigma). Unknown: estimated here.
  std::optional<double> noise_sigma;
  bool compute_map = false;
  int map_block_px = 32;  // side of one cell of the blur map, px
};

struct BlurMeasurement {
  SharpnessResult result;
  // When BlurOptions::compute_map: CV_32FC1, one cell per map_block_px ×
  // map_block_px block, the local blur σ in px (cells without edges are
  // filled in from their neighbours). Empty otherwise.
  cv::Mat map;
};

// `pixels`: 8- or 16-bit, gray, BGR or BGRA (as Image::pixels). Empty fields
// when the image is too small (under 16×16 px); blur_sigma_px stays empty
// when the image has no usable edge.
BlurMeasurement MeasureBlur(const cv::Mat& pixels, const BlurOptions& options = {});

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_BLUR_H_

// Blur measurement: the std-dev in px of the Gaussian blur that best explains
// an image's softness, robust to noise and JPEG artifacts, plus a local blur
// map.
//
// Method: two readings, blended.
//  - Spectrum (analysis/blur_spectrum.h): a Gaussian blur of s multiplies the
//    power spectrum by exp(−s² ω²), so fitting log P(ω) = c − α log ω − σ² ω²
//    (natural-image power law × Gaussian) above the noise floor gives a σ²
//    that grows by exactly s² under added blur, whatever the content —
//    textures (grass, gravel) included.
//  - Edges: each strong edge is read with derivative-of-Gaussian filters at
//    two scales σa < σb (peak found to sub-pixel by a parabola on
//    log-magnitudes, the noise contribution subtracted); a step blurred by σ
//    gives R = √(σ² + σb²) / √(σ² + σa²), so σ² = (σb² − R² σa²) / (R² − 1)
//    (the re-blur gradient-ratio idea of Hu & de Haan 2006, Zhuo & Sim 2011).
//    A third scale checks that the edge behaves like an isolated step.
//  The spectrum is trusted while its power law looks natural (α ≈ 2) and
//  most of its frequencies carry signal; edges are trusted by the share that
//  fit the step model (images of a few clean edges, flat areas with 8-bit
//  contouring). Per-edge values make the map.
//
//   acuity::BlurOptions options;
//   options.noise_luma_sigma = noise.luma_sigma;   // optional; improves noisy images
//   acuity::BlurMeasurement m = acuity::MeasureBlur(image.pixels, options);
//   if (m.result.blur_sigma_px) fmt::print("blur σ = {:.2f} px\n", *m.result.blur_sigma_px);
//
// A sharp photo downsampled 2× with area averaging reads about 0.3–0.6 px
// (its optics plus the pixel aperture, √(1/12) = 0.29 px for a perfect step);
// after a further Gaussian blur of s px it reads about √(σ₀² + s²).
//
// A photo sharp in one part only (a shallow depth of field) also gets the
// blur of that part (blur_focus.h): the advice acts on it.
//
// An enlarged picture (BlurOptions::px_per_native_px ≥ 1.5) is read in its
// own px by its edges alone, wide edges at the native picture's scales: its
// spectrum holds what the enlarging made (a network's texture, a later
// sharpen's boost of it) as well as the photo. Photos blurred 2 px at 256 px
// wide, enlarged 4× by acuity's esrgan-slim and sharpened (truth about
// 8 px): 0.00 px before, 7.6–8.9 px now.
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_BLUR_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_BLUR_H_

#include <array>
#include <optional>

#include <opencv2/core.hpp>

#include "analysis/measurements/measured.h"

namespace acuity {

struct SharpnessResult {
  // Std-dev (px) of the Gaussian blur that best explains the softness.
  std::optional<double> blur_sigma_px;
  // Number of edge points the estimate rests on (0 on a flat image).
  std::optional<int> edge_count;
  // Interquartile range (px) of the per-edge estimates: large when the image
  // is blurred unevenly (depth of field, motion) or the edges disagree.
  std::optional<double> blur_sigma_iqr_px;
  // The finest blur the reading resolves, px: where noise leaves the
  // spectrum signal only at low frequencies, a sharp photo can read up to
  // about this much blur, so a reading s stands for any σ with
  // |σ² − s²| ≤ blur_resolution_px² (blur_spectrum.h; the spectral share of
  // the reading). About 0.45 px on a clean photo, 1.1 px under strong noise
  // on a dark one. Empty when the edges alone made the reading.
  std::optional<double> blur_resolution_px;
  // When the photo is sharp in one part and much softer elsewhere (a shallow
  // depth of field, blur_focus.h): the blur σ of its sharpest part (px; at
  // most blur_sigma_px), the typical σ elsewhere (px) and the share of the
  // frame where detail in focus was seen (%; flat parts of the subject have
  // no edges to read). Empty when the photo is evenly sharp or soft, and
  // (Analyze) when motion blur is detected: a smear leaves the edges along
  // it crisp, not a part of the frame in focus.
  std::optional<double> in_focus_blur_sigma_px;
  std::optional<double> out_of_focus_blur_sigma_px;
  std::optional<double> in_focus_area_pct;
};

struct BlurOptions {
  // How much the picture was enlarged, px per native px (1 / the native
  // scale, native_scale.h; 1 when native or unknown): an enlarged picture
  // is read by its edges, wide ones at the native picture's scales (above),
  // and the part in focus is judged in native px (blur_focus.h ReadFocus).
  double px_per_native_px = 1.0;
  // Std-dev of the noise in luma (8-bit units), when known (NoiseResult::
  // luma_sigma). Unknown: estimated here.
  std::optional<double> noise_luma_sigma;
  // The luma noise σ at each 8-bit luma level (noise_levels.h
  // LumaNoiseByLevel), when it differs with brightness: each edge point is
  // read with the noise of its own level, and the spectrum's noise floor is
  // the mean noise power over the pixels read. Empty: noise_luma_sigma
  // everywhere.
  std::optional<std::array<float, 256>> noise_luma_sigma_by_level;
  // The map: CV_32FC1, one cell per map_block_px × map_block_px block, the
  // local blur σ in px (cells without edges are filled in from their
  // neighbours).
  bool compute_map = false;
  int map_block_px = 32;  // side of one cell of the blur map, px
};

// Figures plus the map when BlurOptions::compute_map (measured.h).
using BlurMeasurement = Measured<SharpnessResult>;

// `pixels`: 8- or 16-bit, gray, BGR or BGRA (as Image::pixels). Empty fields
// when the image is too small (under 16×16 px); blur_sigma_px stays empty
// when the image has no usable edge. Images above 1 MP are read on an evenly
// spread sample of 256-px blocks (with a map too: only the map reads every block).
BlurMeasurement MeasureBlur(const cv::Mat& pixels, const BlurOptions& options = {});

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_BLUR_H_

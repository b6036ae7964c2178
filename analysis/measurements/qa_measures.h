// The measurements behind `acuity qa` (analysis/qa.h): each compares an
// output's luma with the luma of a plain resize of the input to the output's
// size (area averaging down, Lanczos-4 up), so that only what the enhancer
// added or removed is counted. Planes are CV_32FC1 in 8-bit units.
//
//   cv::Mat plain = acuity::PlainResize(input_bgr, output_bgr.size());
//   acuity::EdgeMeasure edges = acuity::MeasureEdges(LumaF32(output), LumaF32(plain), 2.0);
//   acuity::TileSeamMeasure seams = acuity::DetectTileSeams(LumaF32(output));
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_QA_MEASURES_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_QA_MEASURES_H_

#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "analysis/measurements/noise.h"

#include "analysis/measurements/qa_tile_seams.h"  // DetectTileSeams, with the other QA measures

namespace acuity {

// The "plain" resize every QA comparison starts from: area averaging when
// `size` is smaller on both axes, Lanczos-4 otherwise (as enhance/resize.h).
cv::Mat PlainResize(const cv::Mat& pixels, cv::Size size);

// Edges: overshoot that the output adds beyond the local range of the plain
// enlargement near strong edges — at each pixel whose neighbourhood (radius
// max(2, ⌈1.5 · scale⌉) px) in the enlargement spans ≥ 20 levels (and 5
// noise σ, EdgeNoise), the amount
// by which the output leaves [local min, local max], as a share of that span.
// Legitimate sharpening steepens an edge but stays inside the range; halos
// and ringing leave it. And how much of the enlargement's edge sharpness the
// output keeps: RMS gradient (Sobel) of the output over that of the
// enlargement, in the same neighbourhoods (≈ 1 for a plain resize, > 1 when
// sharper, about 0.5 or less when visibly blurred).
// Per square block of the output (block_px a side: half a cell of 24 input
// px, at least 16 output px; the cells qa_local_detail.h reads are 2×2
// blocks at every block's step, half-overlapping), so that detail lost in
// one part of the picture shows though the whole keeps most of it: the
// pixels near an edge that stands out of the input's damage — spanning 40
// levels and 8 noise σ or more (a denoise or a deblock rightly takes the
// noise's and the blocking's own gradient away) — and there the curvature
// energy of each plane, the squared Laplacian after a Gaussian of σ 0.7 px
// (8-bit levels²; a blur by σ takes an edge's down as σ⁻³, its gradient's
// as σ⁻¹ only), and the curvature energy the input's noise has in the plain
// enlargement there (levels²), which a cell's reading takes off: the
// output's times output_noise_share (its noise over the input's, squared).
struct EdgeCells {
  int block_px = 0, cols = 0, rows = 0;
  // [row * cols + col]
  std::vector<double> edge_pixels, energy_output, energy_plain, noise_energy;
  double output_noise_share = 0;
};

struct EdgeMeasure {
  double overshoot_pct = 0;    // mean over the edge neighbourhoods, % of edge contrast
  double edge_area_pct = 0;    // share of the image that is near a strong edge, %
  double detail_retained = 1;  // RMS gradient ratio, output / enlargement
  cv::Mat map;                 // overshoot in 8-bit levels, 0 away from edges (with_map)
  EdgeCells cells;
};
// The noise in each plane, luma σ in 8-bit levels at the input's scale:
// the input's, which the plain enlargement carries, and what is left of it
// in the output (a denoising model leaves little). Each plane's edges are
// read less its noise's own energy, so that noise a model rightly took away
// is not counted as detail lost (detail_retained, and per cell), and edges
// must span 5 input noise σ (cells: 8) to count at all, so that a window of
// pure noise is not read as an edge; detail_retained's spans are read on the
// enlargement smoothed in proportion to the noise, so that the noise does not
// choose the pixels where it adds most (qa_measures.cc, kEdgeChoiceSmoothInputPx). 0 = no noise taken off.
struct EdgeNoise {
  double input_sigma_8bit = 0;
  double output_sigma_8bit = 0;
  // The σ above were read at the output's scale (a downscale, compared at
  // the output's size), where the resize already acted on them: their
  // energy is then white noise's at scale 1.
  bool at_output_scale = false;
  // The input's noise by brightness (noise.h's level function, read on its
  // luma; levels of the plain enlargement): where it reads higher than
  // input_sigma_8bit (a camera's shot noise in the highlights), that level's
  // σ is taken off instead, and the output's scaled alike. Empty: the one σ
  // everywhere.
  std::vector<NoiseLevelBin> input_by_level;
};
EdgeMeasure MeasureEdges(const cv::Mat& output_luma, const cv::Mat& plain_luma, double scale,
                         bool with_map = true, const EdgeNoise& noise = {});

// What white noise of σ 1 level in an input has, per pixel, once plainly
// resized by `scale` (PlainResize): its gradient energy (Sobel, gx² + gy²)
// and its curvature energy (the squared Laplacian after a Gaussian of σ
// 0.7 px), in levels². Noise of σ n has n² times these. Measured on a fixed
// 96-px field of Gaussian noise (the same figures every call).
struct NoiseEnergy {
  double gradient = 0;
  double curvature = 0;
};
NoiseEnergy NoiseEnergyPerSigma2(double scale);

// Structure that the output has and the plain enlargement has not, where the
// plain enlargement is flat (local σ below a limit that adapts to its noise
// floor: twice its 5th-percentile local σ, clamped to 2.5–6 levels): the SSIM
// contrast term c = (2 σx σy + C2) / (σx² + σy² + C2) below 0.85 with the
// output's σ above the enlargement's, cleaned by a morphological opening
// (5×5 ellipse).
struct FlatAreaMeasure {
  double flat_area_pct = 0;          // share of the image that is flat, %
  double flat_sigma_limit_8bit = 0;  // local σ below which a pixel is flat
  double fake_texture_pct = 0;       // share of the flat area with added structure, %
  cv::Mat map;  // 1 − c where the output adds structure in flat areas, else 0 (with_map)
};
FlatAreaMeasure MeasureFlatAreas(const cv::Mat& output_luma, const cv::Mat& plain_luma,
                                 bool with_map = true);

inline constexpr double kQaNoiseFloor8bit = 1.0;  // σ under which noise is invisible: both sides floored at it

// Noise of the output against the input's at the same size (the output
// brought back to the input's size, so that a noise-preserving upscale scores
// about 1): the local noise maps of analysis/noise.h (Immerkær's mask, median
// per 16-px block) of both luma planes, averaged over the input's quietest
// 30 % of blocks — where noise shows and texture does not. With
// `plain_luma` (a plain enlargement of the input to the output's size,
// brought back the same way), the reference is the plain enlargement's σ:
// the round trip itself changes what the mask reads — an interpolating
// kernel and the area averaging back take the noise's finest grain (a photo
// with σ 8.7 noise reads 5.3 after Lanczos ×3 and back, so that the input's
// σ made a plain enlargement read 0.6 and one with added noise 0.95), and
// the ringing any interpolation leaves beside hard edges (pixel art,
// drawings: 1.4–1.6 levels after ×2) reads as σ in blocks where the input
// reads none, not noise the output added.
struct NoiseChange {
  bool measured = false;     // false when the image is too small for a noise map
  double sigma_input_8bit = 0;
  double sigma_output_8bit = 0;
  std::optional<double> sigma_plain_8bit;  // the plain enlargement's, when given
  // What the output is compared with over the quiet blocks: the plain
  // enlargement's σ when `plain_luma` was given, else the input's.
  double sigma_reference_8bit = 0;
  bool reference_is_plain = false;
  double amplification = 1;  // max(output, 1 level) / max(reference, 1 level)
  // The input's luma noise σ over the whole image (noise.h's PCA estimate),
  // 8-bit units; empty when it could not be read.
  std::optional<double> input_noise_sigma_8bit;
  // The input's noise level function (noise.h; its luma, 6 bins).
  std::vector<NoiseLevelBin> input_level_function;
  // The same over the quiet blocks in the shadows (input block mean luma
  // below 85 levels), where noise shows most; empty when fewer than 8 such blocks.
  std::optional<double> shadow_amplification;
};
NoiseChange MeasureNoiseChange(const cv::Mat& input_luma, const cv::Mat& output_luma,
                               const cv::Mat& plain_luma = cv::Mat());

// The input's noise σ, 8-bit levels, under which it has no noise to paint
// over, and the least noise-dominated share of it, %, that is read.
inline constexpr double kPaintedFlatMinNoise8bit = 2.0;
inline constexpr double kPaintedFlatMinAreaPct = 1.0;

// The noise-dominated area of a picture (CV_8U, 255 there; `luma` CV_32FC1
// in 8-bit units): local σ (SSIM window) at most 1.5 × `noise_sigma_8bit`
// + 1 level and at least the plateau level (min(σ/4, 1.5 levels)). What
// MeasurePaintedFlats checks, and what analysis reports before any plan
// runs (noise.h NoiseResult::noisy_flat_pct).
cv::Mat NoisyFlatMask(const cv::Mat& luma, double noise_sigma_8bit);

// Its share of a picture, %: `pixels` 8- or 16-bit, 1, 3 or 4 channels (as
// image_ops.h LumaF32 reads them), read in strips of rows (the memory of a
// few rows, not of the picture's float planes).
double NoisyFlatPct(const cv::Mat& pixels, double noise_sigma_8bit);

// Real-ESRGAN's painted, plasticky look: where the input is noise and
// nothing else (a noisy sky, wall, table or lawn), the output smoothed it to
// a grainless plateau — the noise gone and with it whatever texture it hid.
// Both planes at the same size (the output brought back to the input's). The
// input's noise-dominated area: local σ (SSIM window, Gaussian σ 1.5 px) at
// most 1.5 × its luma noise σ + 1 level and not already a plateau in the
// input (at least the plateau level below); a pixel of it is painted when the
// output's local σ there is below a quarter of that noise σ and below 1.5
// levels (a plain enlargement keeps 0.6–1.2 of it, acuity's denoise
// 0.3–1.0; models/RESULTS.md, "Painted flats"). Measured only when the
// input's noise σ is at least 2 levels and 1 % of it is noise-dominated.
struct PaintedFlatMeasure {
  bool measured = false;
  double noisy_flat_area_pct = 0;  // share of the input that is noise-dominated, %
  double painted_pct = 0;          // share of that area smoothed to a plateau, %
  cv::Mat map;                     // 1 where painted, else 0 (CV_32FC1, the planes' size; with_map)
};
PaintedFlatMeasure MeasurePaintedFlats(const cv::Mat& input_luma, const cv::Mat& output_luma,
                                       double input_noise_sigma_8bit, bool with_map = true);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_QA_MEASURES_H_

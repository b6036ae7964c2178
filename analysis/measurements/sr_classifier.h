// A learned test for pictures enlarged by a super-resolution network: a small
// convolutional network, fitted on the outputs of every model acuity ships
// (ESRGAN slim/medium/thick, Real-ESRGAN general-x4v3 and x4plus at ×2–×4,
// as stored and saved as JPEGs since) against native photos (downscaled,
// blurred, sharpened, noisy, JPEG-coded) and classical enlargements, reads
// 64×64-px patches of luma and says how likely each is a network's output,
// and of which factor.
//
//   std::optional<acuity::SrClassifierReading> r = acuity::ClassifySrUpscale(image.pixels);
//   if (r && r->network_probability >= acuity::kSrClassifierFlagProbability &&
//       r->factor >= acuity::kSrClassifierMinFactor) native_scale = 1.0 / r->factor;
//
// Why learned: an SR network's invented detail leaves no trace a formula of
// ours reads on every model (sr_upscale_evidence.h reads the source grid
// that most of them image; realesrgan-x4plus images none, and a JPEG saved
// since quantises the grid away), but its texture has statistics a small
// network tells from a photograph's (Vonderfecht & Liu, "Fingerprints of
// Super Resolution Networks", 2024). Fitted by datasets/sr_classifier_train.py
// on datasets/sr_classifier_data.py's pictures (the weights are
// sr_classifier_weights.inc); run here in plain C++ (no LibTorch: the
// analyzer needs none).
//
// Only textured patches are read (mean |4-neighbour Laplacian| ≥ 2 levels):
// a flat sky holds no trace. The patches are a grid of the picture at 64-px
// steps from its corner, at most `max_patches` of them taken evenly.
//
// Limits (datasets/RESULTS.md, "AI-upscaled files" and "The learned SR test
// on its own held-out split"): fitted on 13 photos (scikit-image's and
// scipy's); photos of kinds it never saw (a microscope's cell, a page of
// text, a drawing) may read otherwise: scikit-image's text (dark handwriting
// on smooth paper, 448×172 px) reads as a ×4 output (0.61; turned by 2–5°,
// 0.72–0.75), its sharp strokes on a flat ground being what a network's
// output looks like. ×2 outputs are not named by this test
// alone (kSrClassifierMinFactor), nor pictures with fewer than 8 textured
// patches. Outputs saved as JPEGs read lower (x4plus ×4 of 48-px sources,
// held out: 59 % as PNG, 28 % as JPEG).
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_SR_CLASSIFIER_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_SR_CLASSIFIER_H_

#include <optional>

#include <opencv2/core.hpp>

namespace acuity {

// The side of the patches the network reads, px.
inline constexpr int kSrClassifierPatchPx = 64;
// A patch is read when its mean |4-neighbour Laplacian| is at least this
// (8-bit levels), as in training.
inline constexpr double kSrClassifierMinTexture = 2.0;
// Fewer textured patches than this: not measured.
inline constexpr int kSrClassifierMinPatches = 8;
// A picture whose network_probability is at least this reads as a network's
// output (native_scale.h: upscale_kind "ai"). Photos smeared by motion (10–20
// px) read up to 0.53, which the fit never saw, and realesrgan-x4plus's
// outputs of held-out photos 0.66–0.87 where it recognises them
// (datasets/RESULTS.md).
inline constexpr double kSrClassifierFlagProbability = 0.6;
// ... and only when its most likely factor is at least this. A network's ×2
// output is as smooth as a full-size photo blurred by about 1 px, and the
// network reads such photos as ×2 outputs as often as not (full-size
// scikit-image photos blurred by σ 1–1.3 px: network_probability 0.5–0.6,
// all of it ×2), while the ×3 and ×4 classes stay under 0.3 on them: ×2 is
// left to the source-grid test (sr_upscale_evidence.h).
inline constexpr int kSrClassifierMinFactor = 3;

struct SrClassifierReading {
  // The mean over the patches read of the network's probability that the
  // patch is an SR network's output (0–1, dimensionless).
  double network_probability = 0;
  // The most likely factor (2, 3 or 4) given that it is one.
  int factor = 0;
  int patches = 0;  // textured patches read
};

// `pixels`: 8- or 16-bit gray, BGR or BGRA, or a luma as CV_32FC1 (8-bit
// units, LumaF32); read as its BT.601 luma rounded to 8 bits. nullopt for
// any other type, and when it has fewer than kSrClassifierMinPatches
// textured patches (not measured).
// Costs about 3 ms a patch on one core, and one 8-bit luma of the picture.
std::optional<SrClassifierReading> ClassifySrUpscale(const cv::Mat& pixels, int max_patches = 64);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_SR_CLASSIFIER_H_

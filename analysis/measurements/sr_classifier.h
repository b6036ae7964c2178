// A learned test for pictures enlarged by a super-resolution network: a small
// convolutional network, fitted on the outputs of every model acuity ships
// (ESRGAN slim/medium/thick, Real-ESRGAN general-x4v3 and x4plus at ×2–×4,
// as stored and saved as JPEGs since) against native photos (downscaled,
// blurred, sharpened, noisy, JPEG-coded) and classical enlargements, reads
// 64×64-px patches of luma and says how likely each is a network's output,
// and of which factor.
//
//   std::optional<acuity::SrClassifierReading> r = acuity::ClassifySrUpscale(image.pixels);
//   if (r && acuity::SrClassifierFlags(*r)) native_scale = 1.0 / r->factor;
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
// a flat sky holds no trace. The patches are a grid spread evenly over the
// picture (SrClassifierPatchOrigins), at most `max_patches` of the textured
// ones taken evenly.
//
// Limits (datasets/RESULTS.md, "AI-upscaled files" and "The learned SR test
// on its own held-out split"): fitted on 16 photos (scikit-image's, scipy's
// and one camera portrait) and on drawings made from their edges; pictures
// of kinds it never saw may read otherwise (scikit-image's text and page
// are fitted photos: other handwriting is untested). Before the fit saw
// drawings and smeared photos, a scanned pencil sketch read 0.94 as a ×2
// output, and ai_upscale_evaluate's scanned drawings of 15 photos were
// flagged as ×3/×4 outputs at 47–87 % by storage. Pictures with fewer than
// 8 textured patches are not judged: a 192-px output whose frame is
// trimmed to 190 px holds 9 patches (4 before the grid was spread over the
// whole picture), and the ×2 outputs of scikit-image's cell (256 px,
// smooth) hold fewer than 8 textured ones. Outputs saved as JPEGs read lower, ×2 above all
// (13–42 % of the ×2 outputs saved as JPEG q90 are recognised by the whole
// detector, against 67–100 % as PNG, by model and photo set).
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_SR_CLASSIFIER_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_SR_CLASSIFIER_H_

#include <optional>
#include <vector>

#include <opencv2/core.hpp>

namespace acuity {

// The side of the patches the network reads, px.
inline constexpr int kSrClassifierPatchPx = 64;
// A patch is read when its mean |4-neighbour Laplacian| is at least this
// (8-bit levels), as in training.
inline constexpr double kSrClassifierMinTexture = 2.0;
// Fewer textured patches than this: not measured.
inline constexpr int kSrClassifierMinPatches = 8;
// A picture whose network_probability is at least this, with a most likely
// factor of 3 or 4, reads as a network's output (native_scale.h:
// upscale_kind "ai"). The suite's photos smeared by 10–20 px read up to
// 0.53 under the fit that never saw a smear (ai_upscale_evaluate's 15-px
// smears: 13–20 % over this line), up to 0.65 under this one (15 px, JPEG
// q75–85: 2 of 60 files flagged); realesrgan-x4plus's outputs of held-out
// photos read 0.38–0.80, 3 of 6 over the line (datasets/RESULTS.md).
inline constexpr double kSrClassifierFlagProbability = 0.6;
// ... and this higher line with a most likely factor of 2. A network's ×2
// output is as smooth as a full-size photo blurred by about 1 px: the first
// fit read such photos as ×2 outputs as often as not, and ×2 was left to the
// source-grid test; the fit since saw many of them, and they read up to 0.59
// (σ 0.7–1.5 px, PNG and JPEG q75–95, 15 photos). ai_upscale_evaluate's ×2
// outputs of esrgan-slim/medium/thick, where measured, read 0.65–0.99 as
// PNG (29 of 32 at least 0.8; median 0.90) and 0.39–0.92 saved as JPEG q90
// (8 of 32; median 0.67).
inline constexpr double kSrClassifierX2FlagProbability = 0.8;

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

// Where the patches of one side of a picture start, px: as many as cover
// `length_px` (ceil(length / 64)), the first at 0 and the last flush with the
// far edge, spread evenly between (adjacent patches overlap by under a
// patch in all). Empty when the side is shorter than a patch.
std::vector<int> SrClassifierPatchOrigins(int length_px);

// Whether `reading` names a network's output: network_probability at least
// the flag line of its most likely factor (kSrClassifierFlagProbability, or
// kSrClassifierX2FlagProbability for ×2). datasets/sr_classifier_train.py's
// flagged_by() is the same rule.
bool SrClassifierFlags(const SrClassifierReading& reading);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_SR_CLASSIFIER_H_

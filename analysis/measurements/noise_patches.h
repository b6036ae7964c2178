// The patch machinery of noise.h's estimator (Liu et al. 2013, "Single-image
// noise level estimation for blind denoising"; Chen et al. 2015 for the
// eigenvalue rule): every P×P patch of a plane on a grid, its texture
// strength and mean; the noise variance from the covariance of chosen
// patches; and the selections the iteration uses (weak texture, away from
// clipping, inside a block). Internal to noise.cc, split out to keep each
// file to one concern.
//
//   const noise_patches::PatchField f = noise_patches::MakePatchField(plane, /*patch=*/7);
//   std::vector<int> weak = noise_patches::WeakTextureAnchors(f, sigma, cv::Mat());
//   double variance = noise_patches::PatchNoiseVariance(plane, f, weak, /*max_patches=*/3000);
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_NOISE_PATCHES_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_NOISE_PATCHES_H_

#include <opencv2/core.hpp>
#include <vector>

namespace acuity::noise_patches {

// Patches whose mean lies within this many σ of a clipping level are skipped.
inline constexpr double kClipMarginSigmas = 3.0;
// The share of the clipped patches that noise of σ would make within that
// margin that must be there for the margin to apply (UnclippedAnchors).
inline constexpr double kClipEvidenceShare = 0.2;

// The anchors of P×P patches on a grid of stride `step`, with each patch's
// texture strength ξ (sum of squared horizontal and vertical differences) and mean.
struct PatchField {
  int patch = 7;
  int step = 1;
  int rows = 0, cols = 0;
  cv::Mat texture;     // CV_32F rows × cols: ξ
  cv::Mat mean;        // CV_32F rows × cols: mean value
  cv::Mat clipped;     // CV_32F rows × cols: pixels at 0 or 255 (empty: not counted)
  cv::Mat noise_like;  // CV_8U rows × cols: 255 where the patch could be noise (NoiseLikeAnchors)
};

// The field of P×P patches (`patch` px) of `plane` (CV_32F, 8-bit units);
// `count_clipped`: also count each patch's pixels at 0 or 255.
PatchField MakePatchField(const cv::Mat& plane, int patch, bool count_clipped = false);

// σ² (8-bit units²) from the covariance of the patches at `anchors` (flat
// indices into the field), on at most `max_patches` of them.
double PatchNoiseVariance(const cv::Mat& plane, const PatchField& f,
                          const std::vector<int>& anchors, int max_patches);

// The texture strength ξ below which a patch of `f` looks like pure noise of σ.
double WeakTextureThreshold(const PatchField& f, double sigma);

// Anchors of weak-texture, noise-like patches for a noise estimate σ,
// among those `valid` marks (CV_8U rows × cols; empty: all).
std::vector<int> WeakTextureAnchors(const PatchField& f, double sigma, const cv::Mat& valid);

// Σ (x[i+2] − x[i])² / Σ (x[i+1] − x[i])² per pair, along the rows and
// columns of the patches at `anchors` (dimensionless): 1 for white noise, up
// to 4 for smooth structure (a ramp doubles its step over two pixels).
double DifferenceRatio(const cv::Mat& plane, const PatchField& f, const std::vector<int>& anchors);

// The kurtosis of the pixels of the patches at `anchors` around their own
// patch means, pooled (dimensionless; 0 when they are all flat): ≈ 3 for
// Gaussian noise (2.9 in 7×7 patches), 1–2 for an edge, whose pixels split
// into the two levels it separates — which a sharp edge's differences, as
// white as noise's, cannot tell.
double SpreadKurtosis(const cv::Mat& plane, const PatchField& f, const std::vector<int>& anchors);

// Anchors (CV_8U mask) whose patch lies inside one block of a mosaic of `block`-px blocks.
cv::Mat WithinBlocks(const PatchField& f, int block);

// Anchors of `f` (CV_8U, 255) whose patch holds no pixel of `mask` (CV_8U,
// non-zero at the pixels to leave out; the plane's size).
cv::Mat AnchorsClearOf(const PatchField& f, const cv::Mat& mask);

// Anchors (CV_8U mask) whose patch mean keeps kClipMarginSigmas·σ away from
// the clip levels `low` and `high` — on a side where clipping shows as
// noise of σ would make it (with clipped pixels counted: kClipEvidenceShare)
// —, and exactly flat patches anywhere.
cv::Mat UnclippedAnchors(const PatchField& f, double sigma, double low, double high);

}  // namespace acuity::noise_patches

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_NOISE_PATCHES_H_

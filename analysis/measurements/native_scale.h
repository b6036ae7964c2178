// Prior upscaling: was this image enlarged from a smaller one, and by how much?
// `native_scale` tells a user that "your 2000-px image is really 1000 px"
// (0.5): 1.0 for a native image, about 1/f after an f× upscale.
//
//   acuity::ResolutionResult r = acuity::MeasureNativeScale(image.pixels);
//   if (r.native_scale && *r.native_scale < 0.9) Warn("really", width * *r.native_scale, "px");
//
// How: resampling makes the image cyclostationary — interpolated pixels sit at
// phases of the source grid that repeat with period f — so after whitening
// the spectrum of each row (or column), the variance and lag-1 correlation of
// the whitened signal oscillate along the axis at the cycle frequency
// fold(1/f) (Popescu & Farid, Kirchner; whitening makes the faint aliasing
// bands count as much as the strong low frequencies). The peaks of that
// cyclic spectrum give the candidate factors (a peak at 1/3 cycle/px means
// 3× or 1.5×); the per-axis power spectrum picks between them (an f× upscale
// has (almost) nothing above 1/f of Nyquist, so the spectrum drops at 0.5/f
// cycle/px by as much as the kernel's stopband), and duplicated rows/columns
// identify nearest-neighbour upscales exactly (and what remains without them
// is read in turn: a network's 4× output can repeat one column in four). Harmonics of the 8×8 / 16×16
// JPEG grid are only trusted when they clearly exceed the grid's other
// harmonics. Blur, noise and sharpening are not periodic, so a soft native
// photo stays at 1.0. A downscale can be periodic too (area ÷1.5 repeats its
// filter phases every 2 px, like a 2× upscale), and a JPEG's quantiser can
// empty the band above 1/8 cycle/px like a stopband: a stopband shallower
// than a kernel's (> −16 dB), and any stopband under a JPEG grid, counts only
// when the band above the cut-off is an image of the band below
// (SourceGridCoherence, sr_upscale_evidence.h), which every interpolation
// makes and a downscale or a quantiser does not.
//
// A uniform frame around the picture (a product on a white canvas, a
// letterbox, a pad step) is left out: it has no resampling history, and its
// straight borders with the picture image like a source grid. In a lossless
// file, so is a smooth gradient at its edges (a clear, noiseless sky): its
// 8-bit rounding steps come at a regular spacing, like a resampling's.
//
// A grid turned off the axes (an enlargement straightened by a few degrees
// since) averages away along rows and columns: tilted_grid.h looks for it,
// and the picture turned back onto its grid is read by the same
// interpolation test (grid_tilt_deg) — when the axes read nothing, or read
// a weaker periodicity than the turned-back picture (a grid turned 2°
// still shows a little on the axes, at a factor that can be wrong).
//
// An SR network's output has no stopband (the network invents the band above
// 0.5/f), so when no interpolation shows, sr_upscale_evidence.h looks for the
// source grid that the network's upsampling still images; it sets
// upscale_kind "ai" and native_scale 1/f — "unknown" in a JPEG file, where
// the missing stopband is no evidence of a network (a kernel's enlargement
// saved as a JPEG images its source grid alike). A learned test
// (sr_classifier.h) reads the invented texture itself: where it says
// "network", the kind is "ai" in a JPEG file too, and where no source grid
// shows (realesrgan-x4plus, or a grid the JPEG quantised away), its most
// likely factor gives native_scale.
//
// Factors up to 16 are read: a period of more than 6 px (cycle frequency
// under 0.16) counts when two of its harmonics show too, or one behind a
// strong fundamental, and a factor must carry the periodicity at its own
// cycle frequency (5× and 2.5× share theirs; a 5× upscale leaves 2/5 weak).
// In a lossless file a period of 8 px whose energy sits inside the 8×8
// blocks (a bicubic or bilinear 8× from the corner) is not a JPEG grid,
// whose energy sits at the blocks' edges.
//
// Limits: f and f/(f−1) share their cycle frequency (1.5× and 3×, 1.67× and
// 2.5×) and are told apart by the spectrum only, which smooth or strongly
// textured photos can fool; a period of 8 px (8/5×, 8/3×) looks like a JPEG
// grid, and in a JPEG file (NativeScaleOptions::coding_block_px) is not read;
// 8× and 16× in a JPEG file (or Lanczos 8× in a PNG) share the coding's
// period and are not read; a JPEG saved after the upscale hides weak
// periodicity (most enlargements of more than 6× saved as JPEGs), and a JPEG of
// quality ≤ 75 after a 2× upscale can hide its imaging (those read 1.0);
// JPEGs of quality ≤ 40 can still read as upscaled (their grid dominates);
// a JPEG downscaled 2× keeps a 4-px grid that can read as a 2× upscale.
#ifndef ACUITY_ANALYSIS_UPSCALE_DETECT_H_
#define ACUITY_ANALYSIS_UPSCALE_DETECT_H_

#include <optional>

#include <opencv2/core.hpp>

#include "analysis/io/image.h"
#include "analysis/measurements/content_kind.h"

namespace acuity {

// How the image was enlarged, by the evidence that read its native scale.
enum class UpscaleKind {
  kNone,          // no sign of upscaling (native_scale 1.0)
  kInterpolated,  // a classical kernel: nearest (also saved as a JPEG), bilinear, bicubic, Lanczos…
  kAi,            // a super-resolution network: detail above the source band is invented
  // Enlarged, but how cannot be told: in a JPEG file, only the source grid's
  // imaging shows, which a kernel and a network both leave (the JPEG saved
  // since hides the stopband that would name a kernel).
  kUnknown,
};

// "none", "interpolated", "ai", "unknown" (the JSON names).
const char* UpscaleKindName(UpscaleKind kind);

struct ResolutionResult {
  // 1.0 native; ≈ 1/f after an f× upscale (the geometric mean of both axes).
  std::optional<double> native_scale;
  // Strength of the resampling periodicity that decided it: the peak of the
  // whitened cyclic spectrum over its median (power ratio, dimensionless);
  // ≲ 30 on native photos, hundreds to thousands on upscales.
  std::optional<double> periodicity_score;
  // Which evidence decided native_scale; unset when not measured.
  std::optional<UpscaleKind> upscale_kind;
  // Spectral coherence at the source grid of a network's output
  // (sr_upscale_evidence.h; 0–1, dimensionless): ≈ 0.01 on native photos,
  // ≥ 0.1 where upscale_kind is "ai" or "unknown" (without a source grid:
  // the strongest coherence seen). Unset when that test did not run (an
  // interpolation was found, or the window is under 64 px).
  std::optional<double> source_grid_coherence;
  // The learned test's probability that the picture is an SR network's
  // output (sr_classifier.h; 0–1, dimensionless: the mean over its textured
  // 64-px patches). At least the flag line of its most likely factor
  // (SrClassifierFlags: kSrClassifierFlagProbability for ×3 and ×4, the
  // higher kSrClassifierX2FlagProbability for ×2) reads "ai" where no
  // interpolation shows. Unset when that test did not run: an interpolation
  // was found (also on a grid turned off the axes), drawn content or
  // pixel-exact edges, a window under 64 px, fewer than 8 textured patches.
  std::optional<double> network_probability;
  // The turn of the enlargement's grid, degrees counter-clockwise as shown,
  // when it was found turned off the axes (tilted_grid.h: enlarged, then
  // straightened) and read with the picture turned back; empty otherwise.
  std::optional<double> grid_tilt_deg;
  // True when native_scale is the enlargement acuity recorded in the file
  // (ImageInfo::acuity_record, UseAcuityRecord) rather than read from the
  // pixels, which a network's output makes look native.
  bool from_acuity_record = false;
  // The side, px, of the squares of one colour the picture is made of
  // (pixel_blocks.h: pixel art enlarged by repeating pixels), in lossless
  // pixels; empty otherwise. Its true picture is 1/side the size.
  std::optional<int> pixel_block_px;
};

// Where the file says acuity enlarged it more than the pixels show, the
// record's enlargement decides native_scale (1 / enlargement; the upscale
// kind, when the pixels read none, becomes kUnknown) and from_acuity_record
// is set. Records of under 1.05× change nothing.
void UseAcuityRecord(const ImageInfo& info, ResolutionResult& result);

struct NativeScaleOptions {
  // The lossy coding's block side, px (8 for a JPEG, 0 lossless): for the
  // content kind that keeps drawn content out of the network test
  // (content_kind.h ContentOptions::coding_block_px), and so that a JPEG
  // file's own 8-px period is not read as an 8/3× or 8/5× enlargement.
  int coding_block_px = 0;
  // Whether the pixels were stored without loss (ContentOptions::lossless):
  // the window's kind reads clipped highlights in lossless pixels without a
  // coding grid, as analyze's does (judged over the window, not the whole
  // picture).
  bool lossless = true;
  // The whole picture's content kind (content_kind.h), when it was read:
  // drawn content (kSynthetic) is kept out of the network test whatever the
  // window read shows (a window of dense text in a JPEG of a screenshot
  // rings and holds no exact flat: it reads "mixed", and its rows of text
  // imaged like a 3× source grid). Empty: the window's own kind decides.
  std::optional<ContentKind> content_kind;
};

// Pixels: 8/16-bit gray, BGR or BGRA (any size ≥ 8×8; tiny images read 1.0).
// The interpolation and source-grid tests read one window of at most
// 512×512, the most detailed one (a few ms whatever the image size); where
// they find nothing, the learned test (sr_classifier.h) reads the whole
// picture: an 8-bit luma of it, the texture of every 64-px patch and up to 64
// patches through its network (about 0.15 s on a 12 MP photo, one core). A
// global reading: it has no map, hence no Measured<> wrapper (measured.h).
ResolutionResult MeasureNativeScale(const cv::Mat& pixels, const NativeScaleOptions& options = {});

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_UPSCALE_DETECT_H_

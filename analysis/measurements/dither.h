// Dither: a picture reduced to a few colours (a GIF, a PNG8, a 1-bit scan)
// whose in-between tones are made of dots — error diffusion (Floyd–
// Steinberg, Atkinson, Jarvis, Stucki, Sierra) or an ordered (Bayer)
// matrix. The dots are the palette's, not the scene's detail: an upscaling
// network enlarges them into worms and a sharpen makes them louder, while a
// light low-pass where the dots are (enhance/undither.h) brings the picture
// back closer to the photo it was made from (datasets/RESULTS.md, "Dither":
// +0.1 to +7.8 dB PSNR, median +1.4 to +3.6, on error-diffused photos of
// 4–64 colours; +3.9 to +25.5 on ordered and two-level ones).
//
// Method, on pictures of at most kDitherMaxColours exact colours (a GIF's
// palette; gray: kDitherMaxGrayLevels levels, as an 8-bit gray photo has up
// to 256) — any other picture is not measured: a photo's grain is noise
// (noise.h) — the fine
// pattern r = luma − its Gaussian of σ 1 px, read where the picture is
// smooth at a coarser scale (the gradient of its σ 2 px Gaussian under
// kDitherSmoothGradient levels/px: no edge, no texture the eye sees). A
// dither alternates there — each dot is the error its neighbours pay back —
// so r's correlation between neighbouring pixels is negative (blue noise);
// the contour steps of a posterized picture and the texture of a palette
// photo without dither are correlated (+0.1 to +0.6). And a dither's dots
// are single pixels: a share of the pixels differ from three or four of
// their neighbours, which pixel art enlarged by blocks never does.
//
//   acuity::DitherOptions options;
//   options.compute_map = true;  // per pixel, 0–1: how dither-like the pattern is there
//   acuity::Measured<acuity::DitherResult> m = acuity::MeasureDither(image.pixels, options);
//   if (m.result.detected.value_or(false)) Undither(*m.result.undither_sigma_px);
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_DITHER_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_DITHER_H_

#include <optional>
#include <string>

#include <opencv2/core.hpp>

#include "analysis/measurements/measured.h"

namespace acuity {

// The rule (DitherResult::detected), calibrated on datasets/dither_evaluate.cc
// (datasets/RESULTS.md, "Dither"): the pattern's neighbour correlation under
// kDitherMaxCorrelation and at least kDitherMinIsolatedPct of the pixels
// differing from three or four of their four neighbours.
inline constexpr double kDitherMaxCorrelation = -0.05;
// The pictures read: at most this many exact colours, or gray levels.
inline constexpr int kDitherMaxColours = 256;
inline constexpr int kDitherMaxGrayLevels = 64;
inline constexpr double kDitherMinIsolatedPct = 5.0;
// Where the pattern is read: the σ 2 px Gaussian's gradient under this,
// 8-bit levels per px, over at least kDitherMinSmoothPct of the picture,
// and the pattern's RMS there at least kDitherMinPatternSigma8bit levels (a
// flat graphic has no pattern to read).
inline constexpr double kDitherSmoothGradient = 2.0;
inline constexpr double kDitherMinSmoothPct = 5.0;
inline constexpr double kDitherMinPatternSigma8bit = 1.0;

// The undither low-pass σ range, px, that the plan's undither step accepts
// (enhance/undither.h): up to 5 px for a halftone screen of 12 px.
inline constexpr double kMinUnditherSigmaPx = 0.3;
inline constexpr double kMaxUnditherSigmaPx = 5.0;

struct DitherResult {
  // True when the picture is dithered (the rule above), false when its
  // palette shows no dither (posterized, drawn, pixel art); empty when not
  // measured (not_measured_reason says why).
  std::optional<bool> detected;
  // The picture's exact colours (gray: levels), at most kDitherMaxColours
  // (gray: kDitherMaxGrayLevels).
  std::optional<int> colors;
  // The neighbour correlation of the fine pattern where the picture is
  // smooth (dimensionless, −1…1): error diffusion reads −0.05 to −0.5,
  // ordered and two-level dithers −0.3 to −0.7; posterized photos, drawn
  // graphics and scanned text +0.1 to +0.6. Empty when there is no pattern
  // to read (too little smooth area, or it is flat).
  std::optional<double> pattern_correlation;
  // The pattern's RMS where the picture is smooth, 8-bit levels: the dots'
  // strength (error diffusion to 8–64 colours 3–18, ordered 15–55, two
  // levels about 100).
  std::optional<double> pattern_sigma_8bit;
  // Share of the pixels whose colour differs from three or four of their
  // four neighbours, %.
  std::optional<double> isolated_pct;
  // When detected: the share of the picture the undither acts on (the
  // map's mean, DitherWeights), %.
  std::optional<double> dithered_pct;
  // When detected: the Gaussian σ, px, of the undither low-pass for these
  // dots (UnditherSigmaPx; a screen's: halftone.h DescreenSigmaPx).
  std::optional<double> undither_sigma_px;
  // A printed halftone screen (halftone.h), read on pictures of any number
  // of colours and either depth: its period, px, and angle, degrees in
  // [0, 90). Its dots are everywhere: `detected`, dithered_pct 100 and the
  // undither smooths the whole picture (DitherWeights). Empty otherwise.
  std::optional<double> screen_period_px;
  std::optional<double> screen_angle_deg;
  std::optional<double> screen_rms_8bit;  // its lattice's RMS amplitude, 8-bit levels
  // Why it was not measured ("more than 256 colours", "16-bit pixels",
  // "under 16 px a side"); empty when measured.
  std::optional<std::string> not_measured_reason;
};

struct DitherOptions {
  bool compute_map = false;  // per pixel, 0–1 (DitherWeights)
  // The picture's exact colours when already counted (content_kind.h
  // ContentResult::colors, of the shown pixels); empty: counted here, of
  // the shown pixels too (visible_part.h HiddenMask: the smooth fill under
  // a transparent edge adds colours no viewer shows), up to
  // kDitherMaxColours.
  std::optional<int> colors;
};

// 8-bit gray, BGR or BGRA pixels (alpha left out); others are not measured.
Measured<DitherResult> MeasureDither(const cv::Mat& pixels, const DitherOptions& options = {});

// How dither-like the fine pattern is around each pixel, 0–1 (CV_32FC1,
// the luma's size): the pattern's neighbour correlation over a Gaussian
// window of σ 3 px, 1 at −0.2 and below (dots), 0 at +0.2 and above
// (texture, edges), linear between; 0 where the window holds no pattern
// (its RMS under kDitherMinPatternSigma8bit: flat fills, smooth ramps); 1
// everywhere with `screen` (DitherResult::screen_period_px: a halftone's
// dots cover the picture; the caller passes the reading it acted on, so
// that the screen is decided once). What the undither blends by, and the
// dither map. `luma`: CV_32FC1 in 8-bit units (LumaF32).
cv::Mat DitherWeights(const cv::Mat& luma, bool screen = false);

// `plane` (CV_32FC1) with its dots smoothed: a Gaussian of σ `sigma_px`
// blended in by `weights` (DitherWeights: where the pattern alternates),
// the plane kept elsewhere. The undither step runs it on every colour
// channel (enhance/undither.h); QA on the input's luma, for the plain
// enlargement it compares a dithered input's output with (qa.h).
cv::Mat WithoutDots(const cv::Mat& plane, const cv::Mat& weights, double sigma_px);

// A whole picture with its dots smoothed: WithoutDots on every colour
// channel, weighted by the DitherWeights of its luma (`screen`: a halftone
// screen's, everywhere); alpha copied
// untouched. 8- or 16-bit, 1, 3 or 4 channels, the same type out; σ in px
// (kMinUnditherSigmaPx–kMaxUnditherSigmaPx). What the plan's undither step
// writes (enhance/undither.h checks its arguments and calls it), and what
// Analyze estimates an undithering plan's file from (output_size.h).
cv::Mat UnditheredPicture(const cv::Mat& pixels, double sigma_px, bool screen = false);

// The undither low-pass σ, px, for dots of RMS `pattern_sigma_8bit`: 0.6 px
// for error diffusion's fine dots (its best on the calibration photos), up
// to 1.0 px for ordered and two-level dithers (pattern RMS 40 and more).
double UnditherSigmaPx(double pattern_sigma_8bit);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_DITHER_H_

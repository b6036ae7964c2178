// Resolution versus a target: how many pixels the target needs (with the
// orientation following the image), how the image's aspect is reconciled
// with the target's (crop, pad or contain: TargetSpec::fit, else
// DefaultFit), which part of the image is kept, how much that part must
// grow, the DPI it prints at today, and a rough output file size.
//
//   auto spec = acuity::ParseTargetSpec("8x10in@300dpi");
//   acuity::TargetFit fit = acuity::FitTarget(*spec, 3000, 2000);
//   // fit.width_px == 3000, fit.height_px == 2400 (10×8: turned to follow the image);
//   // fit.fit == FitMode::kCrop, kept 2500×2000 px at (250, 0): 17 % of the width cut;
//   // fit.required_scale == 1.2 (for what is kept), *fit.effective_dpi == 250, fit.fits == false
//   acuity::PlaceCropOnDetail(image.pixels, fit);  // the kept window moves to where the detail is
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_TARGET_FIT_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_TARGET_FIT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "analysis/measurements/faces.h"
#include "analysis/measurements/target_spec.h"
#include "analysis/measurements/text_layout.h"
#include "analysis/measurements/warning.h"

namespace acuity {

// Upscaling a single AI pass can do credibly (the one constant: the
// advisor's AdvisorThresholds::max_pass_scale, SplitIntoPasses and the
// upscaler take it from here), and the most any chain can.
inline constexpr double kMaxSinglePassScale = 4.0;
inline constexpr double kMaxCredibleScale = 8.0;

// Rough bytes per output pixel of a typical photo, JPEG at quality 80 and
// PNG: FitTarget's estimate without the pixels (Analyze replaces it with
// the picture's own, output_size.h).
inline constexpr double kJpegQ80BytesPerPixel = 0.25;
inline constexpr double kPngBytesPerPixel = 1.8;

// A byte count in words: "2.4 MB", "830 kB", "512 B" (decimal units).
std::string FormatBytes(std::uint64_t bytes);

struct TargetFit {
  TargetSpec spec;
  int input_width_px = 0, input_height_px = 0;  // the image's, as given to FitTarget
  int width_px = 0;   // target size in px, oriented like the image
  int height_px = 0;
  // How the aspect is reconciled (kNone for long-edge targets), whether the
  // user chose it (--fit), the fill of kPad, and the reason in plain words
  // (what is cut or added, and how to get the other behaviour).
  FitMode fit = FitMode::kNone;
  bool fit_asked = false;
  Rgb8 pad_color;
  std::string fit_reason;
  // The part of the input that is kept, input px: all of it unless cropped.
  // FitTarget centres a crop; PlaceCropOnDetail moves it to the detail.
  int kept_x_px = 0, kept_y_px = 0, kept_width_px = 0, kept_height_px = 0;
  // kept_x/y_px moved off the centre by PlaceCropOnDetail, to where the
  // detail is (false when it found no side clearly more detailed).
  bool kept_on_detail = false;
  // What the kept part is scaled to, px: the target's size, except with pad
  // and contain where it fits inside it.
  int scaled_width_px = 0, scaled_height_px = 0;
  // The result's size, px: the target's, except with contain (the scaled size).
  int output_width_px = 0, output_height_px = 0;
  // Factor the kept part must grow by to reach the scaled size (covering
  // both axes; never counting pixels that are cut); > 1 means upscaling.
  double required_scale = 1.0;
  // Print targets only: dots per inch the kept part gives at that size today.
  std::optional<double> effective_dpi;
  double print_width_in = 0, print_height_in = 0;  // print targets, oriented
  bool fits = false;  // true when no upscaling is needed (required_scale ≤ 1)
  bool rotated = false;  // the target was turned to follow the image's orientation
  // The file at the output size, bytes: JPEG quality 80 and PNG (a typical
  // photo's rate here; Analyze measures the picture's, output_size.h).
  std::uint64_t estimated_jpeg_bytes = 0;
  std::uint64_t estimated_png_bytes = 0;
  // The same once the picture's noise is taken out first (a denoise step or
  // a model that repairs: output_size.h, EstimateDenoisedOutputBytes), which
  // is what such a plan writes; set by Analyze where the noise σ is at
  // least kDenoisedEstimateFromSigma8bit, else nullopt (not measured).
  std::optional<std::uint64_t> estimated_jpeg_bytes_denoised;
  std::optional<std::uint64_t> estimated_png_bytes_denoised;
  // The same once a dithered picture's dots are smoothed first (the plan's
  // undither step: output_size.h EstimateUnditheredOutputBytes), which is what such a plan
  // writes: dots cost a JPEG and a PNG most of their bytes. Set by Analyze
  // where a dither is detected, else nullopt (not measured).
  std::optional<std::uint64_t> estimated_jpeg_bytes_undithered;
  std::optional<std::uint64_t> estimated_png_bytes_undithered;
  std::vector<Warning> warnings;

  // Whether anything is cut, or a border added.
  bool cropped() const { return kept_width_px < input_width_px || kept_height_px < input_height_px; }
  bool padded() const { return scaled_width_px < output_width_px || scaled_height_px < output_height_px; }
  // The kept part, input px.
  cv::Rect kept_rect() const { return {kept_x_px, kept_y_px, kept_width_px, kept_height_px}; }
};

// `image_width_px` × `image_height_px` is the displayed (EXIF-oriented) size.
TargetFit FitTarget(const TargetSpec& spec, int image_width_px, int image_height_px);

// The top-left corner, px, of the `window`-sized region of `pixels` (any
// depth, 1–4 channels) with the most detail (gradient energy), when the
// window spans the image on one axis and slides on the other (when it is
// smaller on both, it slides across and is centred down). The centred
// window unless another holds clearly more detail (kDetailWinsAbove ×):
// evenly textured or flat images are cut symmetrically. A transparent
// picture is read as seen on white: the colour stored under its
// transparency, whatever it is, places no window.
cv::Point DetailWindow(const cv::Mat& pixels, cv::Size window);
inline constexpr double kDetailWinsAbove = 1.1;

// Moves a crop's kept window onto the detail of `pixels` (the image whose
// size `fit` was made for) and says so in fit_reason; nothing otherwise.
void PlaceCropOnDetail(const cv::Mat& pixels, TargetFit& fit);

// A crop's kept window may leave out at most this share of a found text
// line's or face's box and still keep it.
inline constexpr double kMostOfABoxCut = 0.1;

// The warning `crop_cuts_content` when a crop (fit.cropped(), input px)
// cuts a text line or a face found on the picture (more than
// kMostOfABoxCut of its box outside the kept window): how many of each, the
// first lines' words, and what --fit pad keeps instead. nullopt when
// nothing found is cut, or none was searched. A meme's two captions, or a
// quote card's, were cut away by the square crop an Instagram post makes,
// unsaid.
std::optional<Warning> CropCutsFoundContent(const TargetFit& fit, const FacesResult& faces, const TextResult& text);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_TARGET_FIT_H_

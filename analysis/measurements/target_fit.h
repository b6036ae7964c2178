// Resolution versus a target: how many pixels the target needs (with the
// orientation following the image), how much the image must grow to cover it,
// the DPI it prints at today, and a rough output file size.
//
//   auto spec = acuity::ParseTargetSpec("8x10in@300dpi");
//   acuity::TargetFit fit = acuity::FitTarget(*spec, 3000, 2000);
//   // fit.width_px == 3000, fit.height_px == 2400, fit.required_scale == 1.2,
//   // *fit.effective_dpi == 250, fit.fits == false
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_TARGET_FIT_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_TARGET_FIT_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "analysis/measurements/target_spec.h"
#include "analysis/measurements/warning.h"

namespace acuity {

// Upscaling a single AI pass can do credibly (the one constant: the
// advisor's AdvisorThresholds::max_pass_scale, SplitIntoPasses and the
// upscaler take it from here), and the most any chain can.
inline constexpr double kMaxSinglePassScale = 4.0;
inline constexpr double kMaxCredibleScale = 8.0;

// Rough bytes per output pixel for a photo: JPEG at quality 80 and PNG.
inline constexpr double kJpegQ80BytesPerPixel = 0.25;
inline constexpr double kPngBytesPerPixel = 1.8;

struct TargetFit {
  TargetSpec spec;
  int width_px = 0;   // target size in px, oriented like the image
  int height_px = 0;
  // Factor the image must grow by to cover the target on both axes (the
  // excess on one axis is cropped); > 1 means upscaling is needed.
  double required_scale = 1.0;
  // Print targets only: dots per inch the image gives at that size today.
  std::optional<double> effective_dpi;
  double print_width_in = 0, print_height_in = 0;  // print targets, oriented
  bool fits = false;  // true when no upscaling is needed (required_scale ≤ 1)
  bool rotated = false;  // the target was turned to follow the image's orientation
  std::uint64_t estimated_jpeg_bytes = 0;  // at the target size, JPEG quality 80
  std::uint64_t estimated_png_bytes = 0;   // at the target size, PNG
  std::vector<Warning> warnings;
};

// `image_width_px` × `image_height_px` is the displayed (EXIF-oriented) size.
TargetFit FitTarget(const TargetSpec& spec, int image_width_px, int image_height_px);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_TARGET_FIT_H_

#include "analysis/measurements/target_fit.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_format.h"

namespace acuity {

TargetFit FitTarget(const TargetSpec& spec, int image_width_px, int image_height_px) {
  TargetFit fit;
  fit.spec = spec;
  const double w = image_width_px, h = image_height_px;
  const bool landscape = w > h, portrait = h > w;

  double tw = 0, th = 0;  // target in px before orientation
  switch (spec.kind) {
    case TargetSpec::Kind::kPrint:
      tw = std::round(spec.width_in * spec.dpi);
      th = std::round(spec.height_in * spec.dpi);
      break;
    case TargetSpec::Kind::kPixels:
      tw = spec.width_px;
      th = spec.height_px;
      break;
    case TargetSpec::Kind::kLongEdge: {
      const double long_edge = spec.long_edge_px;
      const double short_edge = std::max(1.0, std::round(long_edge * std::min(w, h) / std::max(w, h)));
      tw = landscape || !portrait ? long_edge : short_edge;
      th = landscape || !portrait ? short_edge : long_edge;
      break;
    }
  }
  // Orientation follows the image: a landscape photo fits a 10×8 print.
  if ((landscape && th > tw) || (portrait && tw > th)) {
    std::swap(tw, th);
    fit.rotated = true;
  }
  fit.width_px = static_cast<int>(tw);
  fit.height_px = static_cast<int>(th);
  fit.required_scale = std::max(tw / w, th / h);
  fit.fits = fit.required_scale <= 1.0 + 1e-9;

  if (spec.kind == TargetSpec::Kind::kPrint) {
    fit.print_width_in = fit.rotated ? spec.height_in : spec.width_in;
    fit.print_height_in = fit.rotated ? spec.width_in : spec.height_in;
    fit.effective_dpi = std::min(w / fit.print_width_in, h / fit.print_height_in);
  }
  const double out_pixels = tw * th;
  fit.estimated_jpeg_bytes = static_cast<std::uint64_t>(out_pixels * kJpegQ80BytesPerPixel);
  fit.estimated_png_bytes = static_cast<std::uint64_t>(out_pixels * kPngBytesPerPixel);

  if (fit.required_scale > kMaxCredibleScale) {
    fit.warnings.push_back(
        {"scale_above_8x",
         absl::StrFormat("the target needs a %.1f× upscale, beyond the 8× that upscaling can "
                         "credibly deliver: the detail would be invented, not recovered",
                         fit.required_scale)});
  } else if (fit.required_scale > kMaxSinglePassScale) {
    fit.warnings.push_back(
        {"scale_above_4x",
         absl::StrFormat("the target needs a %.1f× upscale: more than one AI pass (at most 4× "
                         "each); expect softer results than a 2× job",
                         fit.required_scale)});
  }
  if (spec.kind == TargetSpec::Kind::kPrint && fit.effective_dpi && *fit.effective_dpi < 150 &&
      fit.required_scale <= kMaxSinglePassScale) {
    fit.warnings.push_back(
        {"low_print_dpi",
         absl::StrFormat("today the image prints at %.0f dpi at that size, below the 150 dpi "
                         "acceptable even for large prints seen from afar",
                         *fit.effective_dpi)});
  }
  return fit;
}

}  // namespace acuity

// Parses the size a user wants to reach ("print 8×10 in", "2000 px for the
// shop", "4K screen") into a TargetSpec.
//
// Accepted forms (case-insensitive; "x", "X", "×" or "*" between sizes):
//   8x10in@300dpi   8x10in (300 dpi implied)   8x10"@150   20x30cm@300dpi
//   210x297mm       A4@300dpi   A0 … A6   letter   legal   tabloid
//   3840x2160   3840x2160px   2000px (long edge)   720p 1080p 1440p 4k 5k 8k
//
//   absl::StatusOr<acuity::TargetSpec> t = acuity::ParseTargetSpec("A4@300dpi");
//   // t->width_in ≈ 8.27, t->height_in ≈ 11.69, t->dpi == 300
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_TARGET_SPEC_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_TARGET_SPEC_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace acuity {

struct TargetSpec {
  enum class Kind {
    kPrint,     // physical size in inches at a DPI
    kPixels,    // exact pixel size (a screen)
    kLongEdge,  // only the long edge in pixels ("2000px"); the other follows the image
  };
  Kind kind = Kind::kPixels;
  std::string text;         // as the user wrote it
  std::string description;  // normalised, e.g. "8×10 in at 300 dpi", "3840×2160 px (4K UHD)"
  double width_in = 0, height_in = 0;  // kPrint: size as written, inches
  double dpi = 0;                      // kPrint: dots per inch
  bool dpi_implied = false;            // kPrint: no @DPI given, 300 assumed
  int width_px = 0, height_px = 0;     // kPixels: as written
  int long_edge_px = 0;                // kLongEdge
};

inline constexpr double kDefaultPrintDpi = 300.0;

// InvalidArgument with a message that shows the accepted forms, and a
// suggestion when the text looks like a near miss ("8x10" → "8x10in").
absl::StatusOr<TargetSpec> ParseTargetSpec(std::string_view text);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_TARGET_SPEC_H_

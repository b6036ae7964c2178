// Parses the size a user wants to reach ("print 8×10 in", "2000 px for the
// shop", "4K screen") into a TargetSpec.
//
// Accepted forms (case-insensitive; "x", "X", "×" or "*" between sizes):
//   8x10in@300dpi   8x10in (300 dpi implied)   8x10"@150   20x30cm@300dpi
//   210x297mm       A4@300dpi   A0 … A6   letter   legal   tabloid
//   3840x2160   3840x2160px   2000px (long edge)   720p 1080p 1440p 4k 5k 8k
//   amazon etsy shopify ebay instagram instagram-portrait (marketplace.h)
//   8x10in@60cm   A3@2m   20x30cm@24in   (a viewing distance instead of a DPI:
//   the print gets the pixels per inch the eye resolves there, RequiredPpi)
//
//   absl::StatusOr<acuity::TargetSpec> t = acuity::ParseTargetSpec("A4@300dpi");
//   // t->width_in ≈ 8.27, t->height_in ≈ 11.69, t->dpi == 300
//   absl::StatusOr<acuity::TargetSpec> seen = acuity::ParseTargetSpec("8x10in@60cm");
//   // *seen->viewing_distance_cm == 60, seen->dpi ≈ 145.5 (1 arcminute per pixel)
//
// How an image whose aspect differs from a two-dimension target is made to
// fit (`--fit contain|crop|pad[:COLOR]`) is part of the spec:
//
//   absl::StatusOr<acuity::FitChoice> f = acuity::ParseFit("pad:#f0f0f0");
//   t->fit = *f;  // absent: DefaultFit(*t) (crop for prints and screens, pad on white for square canvases)
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_TARGET_SPEC_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_TARGET_SPEC_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace acuity {

// How the aspect of an image is reconciled with a target of another aspect.
enum class FitMode {
  kNone,     // nothing to reconcile: a long-edge target follows the image's aspect
  kCrop,     // cover the target and cut the excess (centred on the detail)
  kPad,      // fit inside the target and fill the rest with a colour
  kContain,  // fit inside the target; the output is smaller on one axis
};

// "crop", "pad", "contain", "none".
const char* FitModeName(FitMode mode);

// An 8-bit sRGB colour.
struct Rgb8 {
  std::uint8_t r = 255, g = 255, b = 255;
  bool operator==(const Rgb8& o) const { return r == o.r && g == o.g && b == o.b; }
};

// "white", "black", "gray"/"grey", "#RRGGBB" or "RRGGBB" (any case); nullopt otherwise.
std::optional<Rgb8> ParseColor(std::string_view text);
// "#rrggbb".
std::string ColorHex(const Rgb8& color);

// --fit as the user gave it.
struct FitChoice {
  FitMode mode = FitMode::kCrop;
  Rgb8 pad_color;  // kPad: the fill (white unless given)
};

// "contain", "crop", "pad", "pad:COLOR"; InvalidArgument naming the forms.
absl::StatusOr<FitChoice> ParseFit(std::string_view text);

// The one way of writing `fit` that ParseFit reads back: "crop", "contain",
// "none", "pad" (white), "pad:#rrggbb" (another colour) — so that "pad",
// "pad:white" and "PAD:#FFFFFF" are one choice.
std::string FitText(const FitChoice& fit);

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
  // kPixels: the orientation is part of the target (instagram-portrait), so
  // it is not turned to follow the image.
  bool keeps_orientation = false;
  int long_edge_px = 0;                // kLongEdge
  std::optional<FitChoice> fit;        // --fit; absent = DefaultFit
  // kPrint seen from a distance ("@60cm"): the distance, cm, and the eye's
  // acuity assumed, arcminutes per pixel; `dpi` is then RequiredPpi of both.
  std::optional<double> viewing_distance_cm;
  double eye_acuity_arcmin = 0;  // set with viewing_distance_cm
  // kPixels from a marketplace preset: its name ("amazon"; marketplace.h
  // holds its rules), "" otherwise.
  std::string marketplace;
};

// The fit a target gets when --fit is not given, and why in a few words:
//   print targets            crop (a print lab cuts the paper's aspect out of the photo)
//   square pixel targets     pad on white (a shop's product canvas: nothing of the product cut)
//   other pixel targets      crop (a screen is filled edge to edge)
//   long-edge targets        none (the other side follows the image)
//   marketplace presets      the preset's own (marketplace.h: pad on white for shops, crop for Instagram)
FitChoice DefaultFit(const TargetSpec& spec, std::string* why = nullptr);

inline constexpr double kDefaultPrintDpi = 300.0;

// The eye's resolving power assumed for viewing-distance targets: 1
// arcminute (normal 20/20 acuity: a letter of 5 arcminutes is read), and the
// range a user may set (--eye-acuity).
inline constexpr double kDefaultEyeAcuityArcmin = 1.0;
inline constexpr double kMinEyeAcuityArcmin = 0.3, kMaxEyeAcuityArcmin = 10.0;

// Pixels per inch the eye resolves on a print seen from `distance_cm` when
// it tells apart details `acuity_arcmin` apart: 1 / (distance in inches ×
// tan(acuity)), ≈ 3438 / inches at 1 arcminute (291 ppi at 30 cm, 146 at
// 60 cm, 29 at 3 m).
double RequiredPpi(double distance_cm, double acuity_arcmin = kDefaultEyeAcuityArcmin);

// InvalidArgument with a message that shows the accepted forms, and a
// suggestion when the text looks like a near miss ("8x10" → "8x10in").
// `eye_acuity_arcmin` is used by viewing-distance forms ("8x10in@60cm");
// outside [kMinEyeAcuityArcmin, kMaxEyeAcuityArcmin] it is InvalidArgument.
absl::StatusOr<TargetSpec> ParseTargetSpec(std::string_view text,
                                           double eye_acuity_arcmin = kDefaultEyeAcuityArcmin);

// The forms ParseTargetSpec accepts, one line for help and error messages:
// "8x10in@300dpi, 8x10in, 20x30cm@300dpi, ...".
const char* TargetSpecForms();

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_TARGET_SPEC_H_

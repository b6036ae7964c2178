#include "analysis/measurements/target_spec.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "analysis/measurements/marketplace.h"

namespace acuity {
namespace {

constexpr char kForms[] =
    "8x10in@300dpi, 8x10in, 20x30cm@300dpi, 210x297mm, A4@300dpi (A0-A6, "
    "letter, legal, tabloid), 8x10in@60cm (a viewing distance: cm, m, in, ft), 3840x2160, 2000px (long edge), "
    "720p, 1080p, 1440p, 4k, 5k, 8k";

// Debian's Abseil is built for C++14: its string_view is not std::string_view.
absl::string_view Absl(std::string_view s) { return absl::string_view(s.data(), s.size()); }

absl::Status Invalid(std::string_view text, std::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("invalid target \"", Absl(text), "\": ", Absl(why), " (accepted forms: ", kForms, ", marketplaces: ",
                   MarketplaceNames(), ")"));
}

struct Paper {
  double width_mm, height_mm;
  const char* name;
};
const std::map<std::string, Paper>& Papers() {
  static const auto* papers = new std::map<std::string, Paper>{
      {"a0", {841, 1189, "A0"}},   {"a1", {594, 841, "A1"}},     {"a2", {420, 594, "A2"}},
      {"a3", {297, 420, "A3"}},    {"a4", {210, 297, "A4"}},     {"a5", {148, 210, "A5"}},
      {"a6", {105, 148, "A6"}},    {"letter", {215.9, 279.4, "US Letter"}},
      {"legal", {215.9, 355.6, "US Legal"}}, {"tabloid", {279.4, 431.8, "Tabloid"}},
  };
  return *papers;
}

struct Screen {
  int width, height;
  const char* name;
};
const std::map<std::string, Screen>& Screens() {
  static const auto* screens = new std::map<std::string, Screen>{
      {"720p", {1280, 720, "HD 720p"}},      {"hd", {1280, 720, "HD 720p"}},
      {"1080p", {1920, 1080, "Full HD"}},    {"fhd", {1920, 1080, "Full HD"}},
      {"fullhd", {1920, 1080, "Full HD"}},   {"1440p", {2560, 1440, "QHD 1440p"}},
      {"qhd", {2560, 1440, "QHD 1440p"}},    {"4k", {3840, 2160, "4K UHD"}},
      {"uhd", {3840, 2160, "4K UHD"}},       {"2160p", {3840, 2160, "4K UHD"}},
      {"5k", {5120, 2880, "5K"}},            {"8k", {7680, 4320, "8K UHD"}},
      {"4320p", {7680, 4320, "8K UHD"}},
  };
  return *screens;
}

// Strictly parses a positive decimal number.
bool ParsePositive(std::string_view s, double* out) {
  if (s.empty() || s.size() > 12) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.') return false;
  return absl::SimpleAtod(Absl(s), out) && *out > 0 && std::isfinite(*out);
}

bool ParsePositiveInt(std::string_view s, int* out) {
  double v = 0;
  if (!ParsePositive(s, &v) || v != std::floor(v) || v > 1e6) return false;
  *out = static_cast<int>(v);
  return true;
}

std::string FormatNumber(double v) { return absl::StrFormat("%g", v); }

// Splits "AxB" at the separator; false when there is not exactly one.
bool SplitPair(std::string_view s, std::string_view* a, std::string_view* b) {
  const size_t at = s.find('x');
  if (at == std::string_view::npos || s.find('x', at + 1) != std::string_view::npos) return false;
  *a = s.substr(0, at);
  *b = s.substr(at + 1);
  return true;
}

bool ConsumeSuffix(std::string_view* s, std::string_view suffix) {
  if (s->size() >= suffix.size() && s->substr(s->size() - suffix.size()) == suffix) {
    s->remove_suffix(suffix.size());
    return true;
  }
  return false;
}

// Lengths, for print sizes ("8x10in", "1x1.5m") and viewing distances
// ("@60cm", "@2m", "@24in"): the suffix, inches per unit and the unit's name.
// Longest suffixes first ("inch" before "in", "mm" and "cm" before "m").
struct LengthUnit {
  const char* suffix;
  double to_inch;
  const char* name;
};
constexpr LengthUnit kLengthUnits[] = {
    {"inch", 1.0, "in"}, {"in", 1.0, "in"},       {"\"", 1.0, "in"}, {"mm", 1 / 25.4, "mm"},
    {"cm", 1 / 2.54, "cm"}, {"ft", 12.0, "ft"},   {"m", 100 / 2.54, "m"},
};

// Removes a length unit from the end of *s; nullopt (and *s untouched) without one.
std::optional<LengthUnit> ConsumeUnit(std::string_view* s) {
  for (const LengthUnit& unit : kLengthUnits)
    if (ConsumeSuffix(s, unit.suffix)) return unit;
  return std::nullopt;
}

// What follows '@': a DPI ("@300dpi", "@300ppi", "@300") or a viewing
// distance ("@60cm", "@2m", "@24in").
struct AtPart {
  std::optional<double> dpi;
  std::optional<double> distance_cm;
  std::string distance_text;  // as written, normalised ("60 cm")
};

constexpr double kMinDistanceCm = 5, kMaxDistanceCm = 10000;

// Splits the part after '@' off `text`: *body is the rest.
absl::Status SplitAt(std::string_view original, std::string_view text, std::string_view* body, AtPart* at_part) {
  *body = text;
  const size_t at = text.find('@');
  if (at == std::string_view::npos) return absl::OkStatus();
  std::string_view after = text.substr(at + 1);
  *body = text.substr(0, at);
  double value = 0;
  if (std::optional<LengthUnit> unit = ConsumeUnit(&after)) {
    if (!ParsePositive(after, &value))
      return Invalid(original, "the viewing distance after '@' must be a positive number, e.g. @60cm");
    const double cm = value * unit->to_inch * 2.54;
    if (cm < kMinDistanceCm || cm > kMaxDistanceCm)
      return Invalid(original, absl::StrCat("a viewing distance of ", FormatNumber(value), " ", unit->name,
                                            " is not plausible (5 cm to 100 m)"));
    at_part->distance_cm = cm;
    at_part->distance_text = absl::StrCat(FormatNumber(value), " ", unit->name);
    return absl::OkStatus();
  }
  if (!ConsumeSuffix(&after, "dpi")) ConsumeSuffix(&after, "ppi");
  if (!ParsePositive(after, &value))
    return Invalid(original, "the DPI after '@' must be a positive number (@300dpi), or give a viewing distance (@60cm, @2m, "
                   "@24in)");
  if (value < 10 || value > 10000)
    return Invalid(original, absl::StrCat("a DPI of ", FormatNumber(value), " is not plausible (10-10000)"));
  at_part->dpi = value;
  return absl::OkStatus();
}

// A print of w_in × h_in inches called `name`, at the DPI or viewing
// distance of `at` (300 dpi implied without either).
absl::StatusOr<TargetSpec> PrintSpec(TargetSpec spec, std::string_view original, double w_in, double h_in,
                                     const std::string& name, const AtPart& at, double eye_acuity_arcmin) {
  spec.kind = TargetSpec::Kind::kPrint;
  spec.width_in = w_in;
  spec.height_in = h_in;
  spec.dpi = at.dpi.value_or(kDefaultPrintDpi);
  spec.dpi_implied = !at.dpi && !at.distance_cm;
  if (at.distance_cm) {
    spec.viewing_distance_cm = *at.distance_cm;
    spec.eye_acuity_arcmin = eye_acuity_arcmin;
    spec.dpi = RequiredPpi(*at.distance_cm, eye_acuity_arcmin);
  }
  if (w_in > 1000 || h_in > 1000) return Invalid(original, "a print larger than 1000 in is not plausible");
  // FitTarget rounds each side to whole pixels: a side under half a pixel
  // would be 0 px (found by fuzz_target_spec: "29x.03003002027mm").
  if (std::round(w_in * spec.dpi) < 1 || std::round(h_in * spec.dpi) < 1)
    return Invalid(original, absl::StrCat("the print is smaller than one pixel at ", FormatNumber(spec.dpi), " dpi"));
  if (at.distance_cm) {
    spec.description = absl::StrFormat("%s seen from %s at %.0f ppi (what the eye resolves there at %g′ per pixel)",
                                       name, at.distance_text, spec.dpi, eye_acuity_arcmin);
  } else {
    spec.description =
        absl::StrCat(name, " at ", FormatNumber(spec.dpi), " dpi", spec.dpi_implied ? " (implied)" : "");
  }
  return spec;
}

// Named paper sizes and screens; nullopt when `body` names neither.
std::optional<absl::StatusOr<TargetSpec>> NamedSize(const TargetSpec& spec, std::string_view original,
                                                    std::string_view body, const AtPart& at,
                                                    double eye_acuity_arcmin) {
  if (auto it = Papers().find(std::string(body)); it != Papers().end()) {
    const Paper& p = it->second;
    return PrintSpec(spec, original, p.width_mm / 25.4, p.height_mm / 25.4,
                     absl::StrFormat("%s (%g×%g mm)", p.name, p.width_mm, p.height_mm), at, eye_acuity_arcmin);
  }
  if (const MarketplaceRules* market = FindMarketplace(body)) {
    if (at.dpi || at.distance_cm) return Invalid(original, "a marketplace preset takes no DPI or viewing distance");
    TargetSpec preset = spec;
    preset.kind = TargetSpec::Kind::kPixels;
    preset.width_px = market->width_px;
    preset.height_px = market->height_px;
    preset.marketplace = market->name;
    preset.keeps_orientation = market->keeps_orientation;
    preset.description = absl::StrFormat("%d×%d px (%s)", preset.width_px, preset.height_px, market->title);
    return preset;
  }
  if (auto it = Screens().find(std::string(body)); it != Screens().end()) {
    if (at.dpi || at.distance_cm) return Invalid(original, "a screen size takes no DPI or viewing distance");
    TargetSpec screen = spec;
    screen.kind = TargetSpec::Kind::kPixels;
    screen.width_px = it->second.width;
    screen.height_px = it->second.height;
    screen.description = absl::StrFormat("%d×%d px (%s)", screen.width_px, screen.height_px, it->second.name);
    return screen;
  }
  return std::nullopt;
}

// Physical sizes: WxH followed by a length unit (in, ", cm, mm, m, ft);
// nullopt without one.
std::optional<absl::StatusOr<TargetSpec>> PhysicalSize(const TargetSpec& spec, std::string_view original,
                                                       std::string_view body, const AtPart& at,
                                                       double eye_acuity_arcmin) {
  std::string_view sized = body;
  const std::optional<LengthUnit> unit = ConsumeUnit(&sized);
  if (!unit) return std::nullopt;
  std::string_view a, b;
  double w = 0, h = 0;
  if (!SplitPair(sized, &a, &b))
    return Invalid(original, absl::StrCat("a print size needs width and height, e.g. 8x10", unit->name));
  if (!ParsePositive(a, &w) || !ParsePositive(b, &h))
    return Invalid(original, "width and height must be positive numbers");
  return PrintSpec(spec, original, w * unit->to_inch, h * unit->to_inch,
                   absl::StrCat(FormatNumber(w), "×", FormatNumber(h), " ", unit->name), at, eye_acuity_arcmin);
}

// Pixel sizes: WxH, WxHpx, Npx.
absl::StatusOr<TargetSpec> PixelSize(TargetSpec spec, std::string_view original, std::string_view body,
                                     const AtPart& at) {
  std::string_view sized = body;
  const bool px_suffix = ConsumeSuffix(&sized, "px");
  if (at.distance_cm)
    return Invalid(original, "a viewing distance needs a print size, e.g. 8x10in@60cm or A3@2m");
  if (at.dpi) return Invalid(original, "a pixel size takes no DPI; use e.g. 8x10in@300dpi for prints");
  std::string_view a, b;
  if (SplitPair(sized, &a, &b)) {
    int w = 0, h = 0;
    // "2x", "x3": a factor (a walk's `--target 2x` was told "pixel sizes
    // must be positive whole numbers").
    // (Up to 16: "1920x" is a size with its height left out.)
    double factor = 0;
    if (a.empty() != b.empty() && !px_suffix && ParsePositive(a.empty() ? b : a, &factor) && factor <= 16.0)
      return Invalid(original,
                     "that reads as an enlargement factor; a target is the size to reach: pixels (e.g. "
                     "2000x2000 or 2000px), a screen (4k) or a print (8x10in@300dpi)");
    if (!ParsePositiveInt(a, &w) || !ParsePositiveInt(b, &h))
      return Invalid(original, "pixel sizes must be positive whole numbers");
    if (!px_suffix && w <= 100 && h <= 100) {
      return Invalid(original, absl::StrCat("a ", w, "×", h, " px target is implausible; did you mean ",
                                            w, "x", h, "in (a print in inches)?"));
    }
    spec.kind = TargetSpec::Kind::kPixels;
    spec.width_px = w;
    spec.height_px = h;
    spec.description = absl::StrFormat("%d×%d px", w, h);
    return spec;
  }
  int n = 0;
  if (px_suffix && ParsePositiveInt(sized, &n)) {
    spec.kind = TargetSpec::Kind::kLongEdge;
    spec.long_edge_px = n;
    spec.description = absl::StrFormat("%d px on the long edge", n);
    return spec;
  }
  if (ParsePositiveInt(sized, &n))
    return Invalid(original, absl::StrCat("a bare number is ambiguous; did you mean ", n, "px (long edge)?"));
  return Invalid(original, "not understood");
}

}  // namespace

const char* TargetSpecForms() { return kForms; }

const char* FitModeName(FitMode mode) {
  switch (mode) {
    case FitMode::kCrop: return "crop";
    case FitMode::kPad: return "pad";
    case FitMode::kContain: return "contain";
    case FitMode::kNone: break;
  }
  return "none";
}

std::optional<Rgb8> ParseColor(std::string_view text) {
  const std::string c = absl::AsciiStrToLower(absl::StripAsciiWhitespace(Absl(text)));
  static const auto* const kNamed = new std::map<std::string, Rgb8>{
      {"white", {255, 255, 255}}, {"black", {0, 0, 0}}, {"gray", {128, 128, 128}}, {"grey", {128, 128, 128}}};
  if (auto it = kNamed->find(c); it != kNamed->end()) return it->second;
  std::string_view hex = c;
  if (!hex.empty() && hex.front() == '#') hex.remove_prefix(1);
  if (hex.size() != 6) return std::nullopt;
  for (char ch : hex)
    if (!std::isxdigit(static_cast<unsigned char>(ch))) return std::nullopt;
  const unsigned long v = std::strtoul(std::string(hex).c_str(), nullptr, 16);
  return Rgb8{std::uint8_t(v >> 16), std::uint8_t((v >> 8) & 0xff), std::uint8_t(v & 0xff)};
}

std::string ColorHex(const Rgb8& color) { return absl::StrFormat("#%02x%02x%02x", color.r, color.g, color.b); }

std::string FitText(const FitChoice& fit) {
  if (fit.mode != FitMode::kPad || fit.pad_color == Rgb8{}) return FitModeName(fit.mode);
  return absl::StrCat("pad:", ColorHex(fit.pad_color));
}

absl::StatusOr<FitChoice> ParseFit(std::string_view text) {
  const std::string t = absl::AsciiStrToLower(absl::StripAsciiWhitespace(Absl(text)));
  const auto bad = [&](std::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("invalid --fit \"", Absl(text), "\": ", Absl(why),
                                                   " (contain, crop, pad, or pad:COLOR with COLOR white, "
                                                   "black, gray or #RRGGBB)"));
  };
  FitChoice fit;
  if (t == "crop") return fit;
  if (t == "contain") return fit.mode = FitMode::kContain, fit;
  if (t == "pad" || t.rfind("pad:", 0) == 0) {
    fit.mode = FitMode::kPad;
    if (t == "pad") return fit;
    const std::optional<Rgb8> color = ParseColor(std::string_view(t).substr(4));
    if (!color) return bad("not a colour");
    fit.pad_color = *color;
    return fit;
  }
  return bad("not understood");
}

FitChoice DefaultFit(const TargetSpec& spec, std::string* why) {
  FitChoice fit;
  std::string reason;
  if (const MarketplaceRules* market = FindMarketplace(spec.marketplace)) {
    if (why)
      *why = absl::StrCat(market->title, ": ",
                          market->fit.mode == FitMode::kPad ? "pad on white, nothing of the product cut"
                                                            : "crop, the post is filled edge to edge");
    return market->fit;
  }
  switch (spec.kind) {
    case TargetSpec::Kind::kPrint:
      reason = "a print is cut to the paper's aspect, so crop";
      break;
    case TargetSpec::Kind::kPixels:
      if (spec.width_px == spec.height_px) {
        fit.mode = FitMode::kPad;
        reason = "a square canvas is a shop's product image: pad on white, nothing of the product cut";
      } else {
        reason = "a screen is filled edge to edge, so crop";
      }
      break;
    case TargetSpec::Kind::kLongEdge:
      fit.mode = FitMode::kNone;
      reason = "the other side follows the image's aspect";
      break;
  }
  if (why) *why = reason;
  return fit;
}

double RequiredPpi(double distance_cm, double acuity_arcmin) {
  constexpr double kPi = 3.14159265358979323846;
  const double distance_in = distance_cm / 2.54;
  return 1.0 / (distance_in * std::tan(acuity_arcmin / 60.0 * kPi / 180.0));
}

absl::StatusOr<TargetSpec> ParseTargetSpec(std::string_view original, double eye_acuity_arcmin) {
  if (!(eye_acuity_arcmin >= kMinEyeAcuityArcmin && eye_acuity_arcmin <= kMaxEyeAcuityArcmin))
    return absl::InvalidArgumentError(absl::StrFormat("an eye acuity of %g arcminutes is not plausible (%g-%g)",
                                                      eye_acuity_arcmin, kMinEyeAcuityArcmin, kMaxEyeAcuityArcmin));
  std::string text = absl::AsciiStrToLower(absl::StripAsciiWhitespace(Absl(original)));
  text = absl::StrReplaceAll(text, {{"×", "x"}, {"*", "x"}, {" ", ""}, {"\u2033", "\""}});
  if (text.empty()) return Invalid(original, "it is empty");
  TargetSpec spec;
  spec.text = std::string(original);
  std::string_view body;
  AtPart at;
  if (absl::Status s = SplitAt(original, text, &body, &at); !s.ok()) return s;
  if (auto named = NamedSize(spec, original, body, at, eye_acuity_arcmin)) return *std::move(named);
  if (auto physical = PhysicalSize(spec, original, body, at, eye_acuity_arcmin)) return *std::move(physical);
  return PixelSize(spec, original, body, at);
}

}  // namespace acuity

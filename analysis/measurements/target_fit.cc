#include "analysis/measurements/target_fit.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "absl/strings/str_format.h"
#include "analysis/io/image_writer.h"

namespace acuity {
namespace {

// Target px before orientation.
void TargetPixels(const TargetSpec& spec, double w, double h, double* tw, double* th) {
  switch (spec.kind) {
    case TargetSpec::Kind::kPrint:
      *tw = std::round(spec.width_in * spec.dpi);
      *th = std::round(spec.height_in * spec.dpi);
      return;
    case TargetSpec::Kind::kPixels:
      *tw = spec.width_px;
      *th = spec.height_px;
      return;
    case TargetSpec::Kind::kLongEdge: {
      const double long_edge = spec.long_edge_px;
      const double short_edge = std::max(1.0, std::round(long_edge * std::min(w, h) / std::max(w, h)));
      *tw = w >= h ? long_edge : short_edge;
      *th = w >= h ? short_edge : long_edge;
      return;
    }
  }
}

// A default crop may cut up to this share of the picture unsaid (a 3:2
// photo to 16:9 or to a 5:4 print cuts 11–17 %, to a square 33 %).
constexpr double kMostCutUnsaid = 0.35;

// The share of the picture a crop cuts, 0–1.
double CutShare(const TargetFit& fit) {
  return 1.0 - double(fit.kept_width_px) * fit.kept_height_px /
                   (double(fit.input_width_px) * fit.input_height_px);
}

std::string Aspect(double w, double h) { return absl::StrFormat("%.2f:1", std::max(w, h) / std::min(w, h)); }

// The kept region, scaled and output sizes for fit.fit.
void Reconcile(TargetFit& fit) {
  const int w = fit.input_width_px, h = fit.input_height_px;
  const double tw = fit.width_px, th = fit.height_px;
  fit.kept_width_px = w, fit.kept_height_px = h;
  fit.scaled_width_px = fit.width_px, fit.scaled_height_px = fit.height_px;
  if (fit.fit == FitMode::kCrop) {
    // The largest window of the target's aspect; a cut under half a pixel is
    // none. A print's aspect is its paper's, not that of its size in whole
    // pixels (10×8 in at 3 m is 291×233 px, 1.249:1: an 800×640 photo lost
    // a column to it).
    const double aw = fit.print_width_in > 0 ? fit.print_width_in : tw;
    const double ah = fit.print_height_in > 0 ? fit.print_height_in : th;
    fit.kept_width_px = std::clamp(int(std::lround(h * aw / ah)), 1, w);
    fit.kept_height_px = std::clamp(int(std::lround(w * ah / aw)), 1, h);
    fit.kept_x_px = (w - fit.kept_width_px) / 2;
    fit.kept_y_px = (h - fit.kept_height_px) / 2;
  } else if (fit.fit == FitMode::kPad || fit.fit == FitMode::kContain) {
    const double s = std::min(tw / w, th / h);
    fit.scaled_width_px = std::clamp(int(std::lround(w * s)), 1, fit.width_px);
    fit.scaled_height_px = std::clamp(int(std::lround(h * s)), 1, fit.height_px);
  }
  const bool contain = fit.fit == FitMode::kContain;
  fit.output_width_px = contain ? fit.scaled_width_px : fit.width_px;
  fit.output_height_px = contain ? fit.scaled_height_px : fit.height_px;
  fit.required_scale = std::max(double(fit.scaled_width_px) / fit.kept_width_px,
                                double(fit.scaled_height_px) / fit.kept_height_px);
}

// What the fit does, in words, after the reason it was chosen.
std::string FitReason(const TargetFit& fit, const std::string& why) {
  const int w = fit.input_width_px, h = fit.input_height_px;
  const std::string target = absl::StrFormat("%d×%d px", fit.width_px, fit.height_px);
  if (fit.fit == FitMode::kNone) return why;
  if (!fit.cropped() && !fit.padded() && fit.output_width_px == fit.width_px &&
      fit.output_height_px == fit.height_px) {
    return absl::StrFormat("the image has the aspect of %s: nothing to crop or pad", target);
  }
  const std::string aspects =
      absl::StrFormat("%s is %s and the image %s", target, Aspect(fit.width_px, fit.height_px), Aspect(w, h));
  switch (fit.fit) {
    case FitMode::kCrop: {
      const bool cut_width = fit.kept_width_px < w;
      const double cut_pct = 100.0 * (1 - (cut_width ? double(fit.kept_width_px) / w : double(fit.kept_height_px) / h));
      return absl::StrFormat("%s: %s; keeps %d×%d px of %d×%d, cutting %.0f %% of the %s%s; --fit pad or "
                             "--fit contain keeps all of it",
                             aspects, why, fit.kept_width_px, fit.kept_height_px, w, h, cut_pct,
                             cut_width ? "width" : "height",
                             fit.spec.kind == TargetSpec::Kind::kPrint && CutShare(fit) <= kMostCutUnsaid
                                 ? " (the crop a print lab would make)"
                                 : "");
    }
    case FitMode::kPad:
      return absl::StrFormat("%s: %s; the image becomes %d×%d px on a %s %s canvas; --fit crop fills it instead",
                             aspects, why, fit.scaled_width_px, fit.scaled_height_px, target, ColorHex(fit.pad_color));
    case FitMode::kContain:
      return absl::StrFormat("%s: %s; the result is %d×%d px, inside %s", aspects, why, fit.output_width_px,
                             fit.output_height_px, target);
    case FitMode::kNone:
      break;
  }
  return why;
}

}  // namespace

TargetFit FitTarget(const TargetSpec& spec, int image_width_px, int image_height_px) {
  TargetFit fit;
  fit.spec = spec;
  fit.input_width_px = image_width_px;
  fit.input_height_px = image_height_px;
  const double w = image_width_px, h = image_height_px;
  const bool landscape = w > h, portrait = h > w;

  double tw = 0, th = 0;  // target in px before orientation
  TargetPixels(spec, w, h, &tw, &th);
  // Orientation follows the image: a landscape photo fits a 10×8 print;
  // not where the orientation is the target's point (a portrait post).
  if (!spec.keeps_orientation && ((landscape && th > tw) || (portrait && tw > th))) {
    std::swap(tw, th);
    fit.rotated = true;
  }
  fit.width_px = static_cast<int>(tw);
  fit.height_px = static_cast<int>(th);

  std::string why;
  const FitChoice chosen = DefaultFit(spec, &why);
  FitChoice choice = chosen;
  if (spec.fit && spec.kind != TargetSpec::Kind::kLongEdge) {
    choice = *spec.fit;
    fit.fit_asked = true;
    why = absl::StrFormat("%s, as asked (--fit)", FitModeName(choice.mode));
  }
  fit.fit = choice.mode;
  fit.pad_color = choice.pad_color;
  if (spec.kind == TargetSpec::Kind::kPrint) {
    fit.print_width_in = fit.rotated ? spec.height_in : spec.width_in;
    fit.print_height_in = fit.rotated ? spec.width_in : spec.height_in;
  }
  Reconcile(fit);
  fit.fit_reason = FitReason(fit, why);
  fit.fits = fit.required_scale <= 1.0 + 1e-9;
  if (spec.kind == TargetSpec::Kind::kPrint) fit.effective_dpi = spec.dpi / fit.required_scale;
  const double out_pixels = double(fit.output_width_px) * fit.output_height_px;
  fit.estimated_jpeg_bytes = static_cast<std::uint64_t>(out_pixels * kJpegQ80BytesPerPixel);
  fit.estimated_png_bytes = static_cast<std::uint64_t>(out_pixels * kPngBytesPerPixel);

  // A default crop that throws most of a wide picture away (a panorama to
  // a print's 5:4 kept a quarter of it, and the upscale the quarter then
  // needed made the verdict): said, with what keeping all of it needs.
  if (fit.fit == FitMode::kCrop && !fit.fit_asked && CutShare(fit) > kMostCutUnsaid) {
    TargetFit whole = fit;
    whole.fit = FitMode::kContain;
    Reconcile(whole);
    fit.warnings.push_back(
        {"crop_cuts_much",
         absl::StrFormat("the default crop to the target's aspect cuts %.0f %% of the picture (%s to %s); "
                         "--fit contain keeps all of it at %d×%d px%s",
                         100.0 * CutShare(fit), Aspect(w, h), Aspect(fit.width_px, fit.height_px),
                         whole.output_width_px, whole.output_height_px,
                         whole.required_scale > 1.0 + 1e-9
                             ? absl::StrFormat(", a %.2f× upscale instead of %.2f×", whole.required_scale,
                                               fit.required_scale)
                             : std::string(", with no upscale")),
         });
  }
  if (fit.required_scale > kMaxCredibleScale) {
    fit.warnings.push_back(
        {"scale_above_8x",
         absl::StrFormat("the target needs a %.1f× upscale, beyond the 8× that upscaling can "
                         "credibly deliver: the detail would be invented, not recovered",
                         fit.required_scale)});
  } else if (fit.required_scale > kMaxSinglePassScale) {
    fit.warnings.push_back(
        {"scale_above_4x",
         absl::StrFormat("the target needs a %.1f× upscale, beyond 4×: more of the detail is "
                         "guessed; expect softer results than a 2× job",
                         fit.required_scale)});
  }
  // A print seen from a distance needs what the eye resolves there, not 150
  // dpi. Given beside scale_above_4x/8x too: the poorest prints are the ones
  // whose dpi most needs saying.
  if (spec.kind == TargetSpec::Kind::kPrint && !spec.viewing_distance_cm && fit.effective_dpi &&
      *fit.effective_dpi < 150) {
    fit.warnings.push_back(
        {"low_print_dpi",
         absl::StrFormat("today the image prints at %.0f dpi at that size, below the 150 dpi "
                         "acceptable even for large prints seen from afar",
                         *fit.effective_dpi)});
  }
  return fit;
}

cv::Point DetailWindow(const cv::Mat& pixels, cv::Size window) {
  const cv::Size size = pixels.size();
  const bool slide_x = window.width < size.width;
  const int slack = slide_x ? size.width - window.width : size.height - window.height;
  if (slack <= 0 || pixels.empty()) return {std::max(0, (size.width - window.width) / 2), std::max(0, (size.height - window.height) / 2)};
  // Gradient energy on a copy at most 512 px on the long side.
  const double shrink = std::min(1.0, 512.0 / std::max(size.width, size.height));
  // The picture as it is seen: a transparent one on white, as a page shows
  // it (image_writer.h). The colour stored under transparency is seen
  // nowhere — a cut-out's leftover background drew the window off the
  // product, which then lost half its width — and the cut-out's outline
  // against the page is detail like any other.
  cv::Mat gray, small;
  if (pixels.channels() == 1) {
    gray = pixels;
  } else {
    cv::cvtColor(pixels.channels() == 4 ? FlattenOntoWhite(pixels) : pixels, gray, cv::COLOR_BGR2GRAY);
  }
  gray.convertTo(small, CV_32F, 1.0 / (gray.depth() == CV_16U ? 65535.0 : 255.0));
  if (shrink < 1.0) cv::resize(small, small, cv::Size(), shrink, shrink, cv::INTER_AREA);
  cv::Mat gx, gy, magnitude, profile;
  cv::Sobel(small, gx, CV_32F, 1, 0);
  cv::Sobel(small, gy, CV_32F, 0, 1);
  cv::magnitude(gx, gy, magnitude);
  cv::reduce(magnitude, profile, slide_x ? 0 : 1, cv::REDUCE_SUM, CV_64F);
  const int n = int(profile.total());
  std::vector<double> prefix(n + 1, 0.0);
  for (int i = 0; i < n; ++i) prefix[i + 1] = prefix[i] + profile.at<double>(i);
  // Window of the shrunk profile, and its energy at a full-size offset.
  const int full = slide_x ? size.width : size.height;
  const double span = double(slide_x ? window.width : window.height) * n / full;
  auto energy = [&](int offset) {
    const double a = double(offset) * n / full, b = a + span;
    auto at = [&](double x) {  // prefix sum, linearly interpolated
      const int i = std::clamp(int(x), 0, n - 1);
      return prefix[i] + (x - i) * (prefix[std::min(i + 1, n)] - prefix[i]);
    };
    return at(std::min(b, double(n))) - at(a);
  };
  const int centre = slack / 2;
  int best = centre;
  const int step = std::max(1, slack / 256);
  for (int offset = 0; offset <= slack; offset += step)
    if (energy(offset) > energy(best)) best = offset;
  if (!(energy(best) > kDetailWinsAbove * energy(centre))) best = centre;
  return slide_x ? cv::Point(best, (size.height - window.height) / 2) : cv::Point((size.width - window.width) / 2, best);
}

void PlaceCropOnDetail(const cv::Mat& pixels, TargetFit& fit) {
  if (!fit.cropped() || pixels.cols != fit.input_width_px || pixels.rows != fit.input_height_px) return;
  const cv::Point at = DetailWindow(pixels, cv::Size(fit.kept_width_px, fit.kept_height_px));
  fit.kept_x_px = at.x;
  fit.kept_y_px = at.y;
  const bool centred = at.x == (fit.input_width_px - fit.kept_width_px) / 2 &&
                       at.y == (fit.input_height_px - fit.kept_height_px) / 2;
  fit.kept_on_detail = !centred;
  fit.fit_reason += centred ? std::string("; centred (no side holds clearly more detail)")
                            : absl::StrFormat("; the window at (%d, %d) px, where the detail is", at.x, at.y);
}

// A found line's words are quoted up to this many bytes (UTF-8), as the
// HTML report's captions quote them.
constexpr size_t kMostQuotedBytes = 40;

std::optional<Warning> CropCutsFoundContent(const TargetFit& fit, const FacesResult& faces, const TextResult& text) {
  if (!fit.cropped()) return std::nullopt;
  const cv::Rect kept(fit.kept_x_px, fit.kept_y_px, fit.kept_width_px, fit.kept_height_px);
  auto cut = [&](int x, int y, int w, int h) {
    const cv::Rect box(x, y, std::max(1, w), std::max(1, h));
    return (box & kept).area() < (1.0 - kMostOfABoxCut) * box.area();
  };
  int lines = 0, lines_cut = 0, faces_found = 0, faces_cut = 0;
  std::vector<std::string> words;
  for (const TextLine& l : text.lines.value_or(std::vector<TextLine>{})) {
    ++lines;
    if (!cut(l.x, l.y, l.width_px, l.height_px)) continue;
    ++lines_cut;
    if (words.size() < 2 && !l.text.empty()) words.push_back("“" + ShortenedText(l.text, kMostQuotedBytes) + "”");
  }
  for (const Face& f : faces.faces.value_or(std::vector<Face>{})) {
    ++faces_found;
    faces_cut += cut(f.x, f.y, f.width_px, f.height_px);
  }
  if (lines_cut == 0 && faces_cut == 0) return std::nullopt;
  std::vector<std::string> parts;
  if (lines_cut > 0) {
    std::string quoted;
    for (const std::string& w : words) quoted += (quoted.empty() ? "" : ", ") + w;
    parts.push_back(absl::StrFormat("%d of the %d text line%s found%s", lines_cut, lines, lines == 1 ? "" : "s",
                                    quoted.empty() ? "" : " (" + quoted + ")"));
  }
  if (faces_cut > 0)
    parts.push_back(absl::StrFormat("%d of the %d face%s found", faces_cut, faces_found, faces_found == 1 ? "" : "s"));
  TargetFit whole = fit;
  whole.fit = FitMode::kPad;
  Reconcile(whole);
  return Warning{"crop_cuts_content",
                 absl::StrFormat("the crop to the target's aspect cuts %s; --fit pad keeps all of it, %d×%d px on "
                                 "the %d×%d px canvas",
                                 parts.size() == 2 ? parts[0] + " and " + parts[1] : parts[0],
                                 whole.scaled_width_px, whole.scaled_height_px, whole.width_px, whole.height_px)};
}

std::string FormatBytes(std::uint64_t bytes) {
  if (bytes >= 1000ull * 1000 * 1000) return absl::StrFormat("%.1f GB", bytes / 1e9);
  if (bytes >= 1000ull * 1000) return absl::StrFormat("%.1f MB", bytes / 1e6);
  if (bytes >= 1000ull) return absl::StrFormat("%.0f kB", bytes / 1e3);
  return absl::StrFormat("%d B", bytes);
}

}  // namespace acuity

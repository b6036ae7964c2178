#include "analysis/advice/content_advice.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace acuity {
namespace {

// The calibration (datasets/RESULTS.md, "Faces and text", made by
// datasets/content_ladder.py): faces and text shrunk, upscaled 4× back and
// compared with the real ones. The face width from which the upscaled face's
// SSIM against the real one stays at or above 0.80 (the worse of the
// astronaut and the cameraman in profile), and the x-height from which
// acuity's reader reads at least 90 % of the characters of the upscaled text
// right (the worse of a flat background and a photo). Every model acuity
// ships is measured; the ESRGANs score as bicubic (24 px, 8 px), Real-ESRGAN
// x4plus, which paints the most, needs the largest faces (32 px), and both
// Real-ESRGANs read text on a photo from smaller letters (5 and 6 px). A
// model not in the table takes the strictest limits.
struct ModelLimits {
  const char* model;
  double face_width_px;
  double x_height_px;
};
constexpr ModelLimits kMeasured[] = {
    {"esrgan-slim", 24, 8},          {"esrgan-medium", 24, 8},     {"esrgan-thick", 24, 8},
    {"realesr-general-x4v3", 24, 5}, {"realesrgan-x4plus", 32, 6},
};
constexpr char kSource[] = "datasets/RESULTS.md, \"Faces and text\"";

std::string Range(double lo, double hi) {
  const long a = std::lround(lo), b = std::lround(hi);
  return a == b ? fmt::format("{}", a) : fmt::format("{}–{}", a, b);
}

template <typename Item, typename Size>
std::optional<SmallContent> Under(const std::vector<Item>& items, Size size, double limit_px,
                                  const std::string& model, const cv::Rect& kept_px) {
  SmallContent out;
  out.limit_px = limit_px;
  out.model = model;
  for (const Item& item : items) {
    const double px = size(item);
    if (px >= limit_px || !InKeptWindow({item.x, item.y, item.width_px, item.height_px}, kept_px)) continue;
    out.smallest_px = out.count == 0 ? px : std::min(out.smallest_px, px);
    out.largest_px = out.count == 0 ? px : std::max(out.largest_px, px);
    ++out.count;
  }
  if (out.count == 0) return std::nullopt;
  return out;
}

}  // namespace

bool InKeptWindow(const cv::Rect& box_px, const cv::Rect& kept_px) {
  return kept_px.empty() || 2 * (box_px & kept_px).area() > box_px.area();
}

ContentLimits ContentLimitsFor(const std::string& model) {
  ContentLimits strictest{0, 0, kSource};
  for (const ModelLimits& m : kMeasured) {
    if (model == m.model) return {m.face_width_px, m.x_height_px, kSource};
    strictest.face_width_px = std::max(strictest.face_width_px, m.face_width_px);
    strictest.x_height_px = std::max(strictest.x_height_px, m.x_height_px);
  }
  return strictest;  // not measured for `model`: the measured models' strictest
}

std::optional<SmallContent> SmallFaces(const FacesResult& faces, double limit_px, const std::string& model,
                                       const cv::Rect& kept_px) {
  if (!faces.faces) return std::nullopt;
  return Under(*faces.faces, [](const Face& f) { return double(f.width_px); }, limit_px, model, kept_px);
}

std::optional<SmallContent> SmallText(const TextResult& text, double limit_px, const std::string& model,
                                      const cv::Rect& kept_px) {
  if (!text.lines) return std::nullopt;
  return Under(*text.lines, [](const TextLine& t) { return t.x_height_px; }, limit_px, model, kept_px);
}

std::optional<SmallContent> FacesNotSearched(const FacesResult& faces, double limit_px, const std::string& model) {
  if (!faces.faces || !faces.searched_from_width_px || *faces.searched_from_width_px < limit_px) return std::nullopt;
  SmallContent out;
  out.smallest_px = out.largest_px = *faces.searched_from_width_px;
  out.limit_px = limit_px;
  out.model = model;
  return out;
}

std::string SmallFacesWords(const SmallContent& f) {
  return fmt::format("{} face{} {} px wide", f.count, f.count == 1 ? "" : "s", Range(f.smallest_px, f.largest_px));
}

std::string SmallTextWords(const SmallContent& t) {
  return fmt::format("{} line{} of text with a {} px x-height", t.count, t.count == 1 ? "" : "s",
                     Range(t.smallest_px, t.largest_px));
}

Warning SmallFaceWarning(const SmallContent& f) {
  return {"small_face",
          fmt::format("{} (under {:.0f} px, where upscaled faces stop matching the real ones: {}): no upscaler "
                      "recovers who they are; {} will invent a face",
                      SmallFacesWords(f), f.limit_px, kSource, f.model)};
}

Warning SmallTextWarning(const SmallContent& t) {
  return {"small_text",
          fmt::format("{} (under {:.0f} px, where upscaled text stops reading right: {}): upscaling will not make "
                      "it legible, and {} may invent letters",
                      SmallTextWords(t), t.limit_px, kSource, t.model)};
}

Warning FacesNotSearchedWarning(const SmallContent& f) {
  return {"faces_not_searched",
          fmt::format("faces narrower than {:.0f} px were not looked for (this large picture is searched on a "
                      "reduced copy); {} invents any face under {:.0f} px ({})",
                      f.smallest_px, f.model, f.limit_px, kSource)};
}

}  // namespace acuity

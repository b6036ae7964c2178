#include "analysis/advice/content_advice.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace acuity {
namespace {

// The calibration (datasets/RESULTS.md, "Faces and text", made by
// datasets/content_ladder.py): for each model, the face width under which
// the upscaled face's SSIM against the real one falls below 0.80, and the
// x-height under which Tesseract reads fewer than 90 % of the characters of
// the upscaled text right.
struct ModelLimits {
  const char* model;
  double face_width_px;
  double x_height_px;
};
constexpr ModelLimits kMeasured[] = {
    {"esrgan-slim", 24, 5},
    {"esrgan-medium", 24, 5},
    {"esrgan-thick", 24, 5},
    {"realesr-general-x4v3", 24, 5},
    {"realesrgan-x4plus", 24, 5},
};
constexpr char kSource[] = "datasets/RESULTS.md, \"Faces and text\"";

std::string Range(double lo, double hi) {
  const long a = std::lround(lo), b = std::lround(hi);
  return a == b ? fmt::format("{}", a) : fmt::format("{}–{}", a, b);
}

template <typename Item, typename Size>
std::optional<SmallContent> Under(const std::vector<Item>& items, Size size, double limit_px,
                                  const std::string& model) {
  SmallContent out;
  out.limit_px = limit_px;
  out.model = model;
  for (const Item& item : items) {
    const double px = size(item);
    if (px >= limit_px) continue;
    out.smallest_px = out.count == 0 ? px : std::min(out.smallest_px, px);
    out.largest_px = out.count == 0 ? px : std::max(out.largest_px, px);
    ++out.count;
  }
  if (out.count == 0) return std::nullopt;
  return out;
}

}  // namespace

ContentLimits ContentLimitsFor(const std::string& model) {
  ContentLimits strictest{0, 0, kSource};
  for (const ModelLimits& m : kMeasured) {
    if (model == m.model) return {m.face_width_px, m.x_height_px, kSource};
    strictest.face_width_px = std::max(strictest.face_width_px, m.face_width_px);
    strictest.x_height_px = std::max(strictest.x_height_px, m.x_height_px);
  }
  return strictest;
}

std::optional<SmallContent> SmallFaces(const FacesResult& faces, double limit_px, const std::string& model) {
  if (!faces.faces) return std::nullopt;
  return Under(*faces.faces, [](const Face& f) { return double(f.width_px); }, limit_px, model);
}

std::optional<SmallContent> SmallText(const TextResult& text, double limit_px, const std::string& model) {
  if (!text.lines) return std::nullopt;
  return Under(*text.lines, [](const TextLine& t) { return t.x_height_px; }, limit_px, model);
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
          fmt::format("{} (under {:.0f} px, where {}'s upscale stops being the real face: {}): no upscaler "
                      "recovers who they are; the model will invent a face",
                      SmallFacesWords(f), f.limit_px, f.model, kSource)};
}

Warning SmallTextWarning(const SmallContent& t) {
  return {"small_text",
          fmt::format("{} (under {:.0f} px, where {}'s upscale stops reading right: {}): upscaling will not make "
                      "it legible, and the model may invent letters",
                      SmallTextWords(t), t.limit_px, t.model, kSource)};
}

}  // namespace acuity

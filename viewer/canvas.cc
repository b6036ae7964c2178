#include "viewer/canvas.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "viewer/content_regions.h"
#include "viewer/engine.h"

namespace acuity::viewer {
namespace {

constexpr double kDividerGrabPx = 8;
constexpr int kMaxHeatmapEdgePx = 2048;
constexpr int kLegendRampPx = 256;
constexpr ImU32 kBackground = IM_COL32(38, 40, 46, 255);
constexpr ImU32 kDivider = IM_COL32(255, 255, 255, 230);
constexpr ImU32 kLabelBack = IM_COL32(0, 0, 0, 170);

ImVec2 V(double x, double y) { return ImVec2(float(x), float(y)); }

Rect Intersect(const Rect& a, const Rect& b) {
  const double x0 = std::max(a.x, b.x), y0 = std::max(a.y, b.y);
  const double x1 = std::min(a.x + a.width, b.x + b.width), y1 = std::min(a.y + a.height, b.y + b.height);
  return {x0, y0, std::max(0.0, x1 - x0), std::max(0.0, y1 - y0)};
}

// Text on a dark box at `at` (top-left), or ending at `at` when `right_aligned`.
void Label(ImDrawList* draw, Vec2 at, const std::string& text, bool right_aligned = false) {
  const ImVec2 size = ImGui::CalcTextSize(text.c_str());
  const double x = right_aligned ? at.x - size.x - 8 : at.x;
  draw->AddRectFilled(V(x, at.y), V(x + size.x + 8, at.y + size.y + 4), kLabelBack, 3);
  draw->AddText(V(x + 4, at.y + 2), IM_COL32_WHITE, text.c_str());
}

// Largest finite value of a map (NaN = not measured there).
double MapMax(const cv::Mat& values) {
  double peak = 0;
  for (int y = 0; y < values.rows; ++y) {
    const float* row = values.ptr<float>(y);
    for (int x = 0; x < values.cols; ++x)
      if (std::isfinite(row[x])) peak = std::max(peak, double(row[x]));
  }
  return peak;
}

constexpr ImU32 kFaceBox = IM_COL32(255, 210, 40, 255);
constexpr ImU32 kTextBox = IM_COL32(60, 220, 255, 255);

// The faces and text lines of `analysis` (input px of a document `size` px)
// as boxes over `dest` (the document on screen), labelled with their number
// (`focus N`) and size.
void DrawContentBoxes(ImDrawList* draw, const AnalysisReport& analysis, cv::Size size, const Rect& dest) {
  if (size.width <= 0 || size.height <= 0) return;
  const double sx = dest.width / size.width, sy = dest.height / size.height;
  for (const ContentRegion& r : ContentRegionsOf(analysis)) {
    const ImVec2 a = V(dest.x + r.box.x * sx, dest.y + r.box.y * sy);
    const ImVec2 b = V(dest.x + (r.box.x + r.box.width) * sx, dest.y + (r.box.y + r.box.height) * sy);
    draw->AddRect(a, b, r.face ? kFaceBox : kTextBox, 0, 0, 2);
    Label(draw, {a.x, b.y + 2}, r.label);
  }
}

}  // namespace

int ShownDocument(const ViewState& view, bool flicker_held, int pane_index) {
  switch (view.mode) {
    case CompareMode::kA: return 0;
    case CompareMode::kB: return 1;
    case CompareMode::kSplit:
    case CompareMode::kSide: return pane_index;
    case CompareMode::kFlicker: return flicker_held ? 1 : 0;
    case CompareMode::kDiff: return -1;
  }
  return 0;
}

void Canvas::Draw(Session& session, TextureCache& textures) {
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const Rect canvas{origin.x, origin.y, std::max(64.0f, avail.x), std::max(64.0f, avail.y)};
  session.SetCanvas(canvas);
  ImGui::InvisibleButton("canvas", V(canvas.width, canvas.height));
  HandleInput(session);

  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(V(canvas.x, canvas.y), V(canvas.x + canvas.width, canvas.y + canvas.height), kBackground);
  const ViewState& view = session.view();
  if (view.mode == CompareMode::kDiff) {
    if (session.diff()) {
      const Rect dest = GridOnScreen(view, canvas, session.Grid());
      textures.Get(session.diff()).Draw(draw, dest, canvas, IM_COL32_WHITE);
    }
  } else if (view.mode == CompareMode::kSplit) {
    const double divider = DividerX(view, canvas);
    const Rect left{canvas.x, canvas.y, divider - canvas.x, canvas.height};
    const Rect right{divider, canvas.y, canvas.x + canvas.width - divider, canvas.height};
    DrawImage(session, textures, 0, canvas, left);
    DrawImage(session, textures, 1, canvas, right);
    DrawOverlay(session, textures, 0, canvas, left);
    DrawOverlay(session, textures, 1, canvas, right);
  } else {
    const int panes = view.mode == CompareMode::kSide ? 2 : 1;
    for (int i = 0; i < panes; ++i) {
      const Rect pane = Pane(canvas, view.mode, i);
      const int which = ShownDocument(view, flicker_held_, i);
      DrawImage(session, textures, which, pane, pane);
      DrawOverlay(session, textures, which, pane, pane);
    }
  }
  DrawLabels(session, canvas);
  DrawLegend(session, textures, canvas);
}

void Canvas::HandleInput(Session& session) {
  ImGuiIO& io = ImGui::GetIO();
  ViewState& view = session.view();
  const Rect& canvas = session.canvas();
  const Vec2 mouse{io.MousePos.x, io.MousePos.y};
  const Rect pane = Pane(canvas, view.mode, view.mode == CompareMode::kSide && mouse.x >= canvas.Center().x ? 1 : 0);
  const bool hovered = ImGui::IsItemHovered();
  hovered_grid_.reset();
  if (hovered) hovered_grid_ = ScreenToGrid(view, pane, mouse);
  if (hovered && io.MouseWheel != 0) view = ZoomAt(view, pane, mouse, ZoomStep(view.zoom, io.MouseWheel > 0 ? 1 : -1));
  const bool near_divider =
      view.mode == CompareMode::kSplit && std::abs(mouse.x - DividerX(view, canvas)) < kDividerGrabPx;
  if (ImGui::IsItemActivated()) dragging_divider_ = near_divider;
  if (!ImGui::IsItemActive()) dragging_divider_ = false;
  if (hovered && near_divider) ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeEW);
  if (ImGui::IsItemActive() && dragging_divider_) {
    view.split_fraction = SplitFractionAt(canvas, mouse.x);
  } else if (ImGui::IsItemActive() && (io.MouseDelta.x != 0 || io.MouseDelta.y != 0)) {
    view = PanBy(view, {io.MouseDelta.x, io.MouseDelta.y});
  }
  // A click (pressed and released on the canvas, not moved: a pan is a
  // drag) on a face or text box of the content overlay zooms to it (the
  // `focus` command). The press's own position counts too: a move and the
  // release may come in one frame.
  const float slop = io.MouseDragThreshold;
  const float dx = io.MousePos.x - io.MouseClickedPos[ImGuiMouseButton_Left].x;
  const float dy = io.MousePos.y - io.MouseClickedPos[ImGuiMouseButton_Left].y;
  const bool clicked = ImGui::IsItemDeactivated() && hovered && !near_divider && dx * dx + dy * dy < slop * slop &&
                       io.MouseDragMaxDistanceSqr[ImGuiMouseButton_Left] < slop * slop;
  if (clicked && view.overlay == kContentOverlay) {
    const bool right = view.mode == CompareMode::kSplit ? mouse.x >= DividerX(view, canvas)
                                                         : view.mode == CompareMode::kSide && mouse.x >= canvas.Center().x;
    const int side = right ? 1 : 0;
    const int which = ShownDocument(view, flicker_held_, side);
    const std::optional<int> n =
        which >= 0 ? session.ContentRegionUnder(which, ScreenToGrid(view, pane, mouse)) : std::nullopt;
    if (n) {
      const absl::Status focused = session.FocusContent(*n, which);
      if (!focused.ok()) session.Say(std::string(focused.message()));
    }
  }
}

void Canvas::DrawImage(const Session& session, TextureCache& textures, int which, const Rect& pane,
                       const Rect& clip) {
  const Document& doc = which == 0 ? session.a() : session.b();
  if (!doc.display || clip.width <= 0) return;
  const Rect dest = GridOnScreen(session.view(), pane, session.Grid());
  textures.Get(doc.display).Draw(ImGui::GetWindowDrawList(), dest, Intersect(clip, session.canvas()), IM_COL32_WHITE);
}

std::shared_ptr<const DisplayImage> Canvas::HeatmapFor(const MeasurementMap& map) {
  auto it = heatmaps_.find(map.values.data);
  if (it != heatmaps_.end()) return it->second.second;
  const double shrink = std::min(1.0, double(kMaxHeatmapEdgePx) / std::max(map.values.cols, map.values.rows));
  const cv::Size size(std::max(1, int(map.values.cols * shrink)), std::max(1, int(map.values.rows * shrink)));
  auto display = MakeDisplayImage(HeatmapForView(map, size));
  heatmaps_[map.values.data] = {map.values, display};
  return display;
}

void Canvas::DrawOverlay(const Session& session, TextureCache& textures, int which, const Rect& pane,
                         const Rect& clip) {
  const ViewState& view = session.view();
  if (view.overlay.empty() || which < 0 || clip.width <= 0) return;
  if (view.overlay == kContentOverlay) {  // faces and text: boxes, not a heatmap
    const Document& doc = which == 0 ? session.a() : session.b();
    if (!doc.analysis || !doc.image) return;
    const Rect visible = Intersect(clip, session.canvas());
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->PushClipRect(V(visible.x, visible.y), V(visible.x + visible.width, visible.y + visible.height), true);
    DrawContentBoxes(draw, *doc.analysis, doc.image->pixels.size(), GridOnScreen(view, pane, session.Grid()));
    draw->PopClipRect();
    return;
  }
  const MeasurementMap* map = session.OverlayMap(view.overlay, which);
  if (map == nullptr || map->values.empty()) return;
  const Rect dest = GridOnScreen(view, pane, session.Grid());
  const int alpha = std::clamp(int(std::lround(view.overlay_opacity * 255)), 0, 255);
  textures.Get(HeatmapFor(*map)).Draw(ImGui::GetWindowDrawList(), dest, Intersect(clip, session.canvas()),
                                      IM_COL32(255, 255, 255, alpha));
}

void Canvas::DrawLegend(const Session& session, TextureCache& textures, const Rect& canvas) {
  const ViewState& view = session.view();
  if (view.overlay.empty() || view.mode == CompareMode::kDiff) return;
  if (view.overlay == kContentOverlay) {
    Label(ImGui::GetWindowDrawList(), {canvas.x + 10, canvas.y + canvas.height - 30},
          "faces (yellow) and text lines (blue), sizes in the image's px");
    return;
  }
  const MeasurementMap* map = session.OverlayMap(view.overlay, std::max(0, ShownDocument(view, flicker_held_, 0)));
  if (map == nullptr) map = session.OverlayMap(view.overlay, 1);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const Vec2 at{canvas.x + 10, canvas.y + canvas.height - 58};
  if (map == nullptr) {
    Label(draw, at, fmt::format("overlay {}: not computed yet", view.overlay));
    return;
  }
  if (!legend_) legend_ = MakeDisplayImage(LegendRampForView(kLegendRampPx));
  const double top = map->display_max > 0 ? map->display_max : MapMax(map->values);
  draw->AddRectFilled(V(at.x, at.y), V(at.x + kLegendRampPx + 16, at.y + 50), kLabelBack, 4);
  draw->AddText(V(at.x + 8, at.y + 4), IM_COL32_WHITE,
                fmt::format("{} ({}), opacity {:.0f} %", view.overlay, map->unit, view.overlay_opacity * 100).c_str());
  const Rect ramp{at.x + 8, at.y + 22, double(kLegendRampPx), 10};
  textures.Get(legend_).Draw(draw, ramp, ramp, IM_COL32_WHITE);
  draw->AddText(V(ramp.x, ramp.y + 12), IM_COL32_WHITE, "0");
  const std::string top_text = fmt::format("{:.3g}{}", top, map->display_max > 0 ? "+" : "");
  draw->AddText(V(ramp.x + ramp.width - ImGui::CalcTextSize(top_text.c_str()).x, ramp.y + 12), IM_COL32_WHITE,
                top_text.c_str());
}

void Canvas::DrawLabels(const Session& session, const Rect& canvas) const {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ViewState& view = session.view();
  auto name = [&](int which) {
    const Document& d = which == 0 ? session.a() : session.b();
    return fmt::format("{} · {}{}", which == 0 ? "A" : "B", d.label, d.loading ? " (loading…)" : "");
  };
  const Vec2 top_left{canvas.x + 8, canvas.y + 8};
  const Vec2 top_right{canvas.x + canvas.width - 8, canvas.y + 8};
  if (session.a().path.empty() && !session.a().image) {
    Label(draw, top_left, "Open an image: Ctrl+O, drop a file here, or acuity-viewer A [B]. F1: keys.");
    return;
  }
  switch (view.mode) {
    case CompareMode::kSplit: {
      const double x = DividerX(view, canvas);
      draw->AddLine(V(x, canvas.y), V(x, canvas.y + canvas.height), kDivider, 2);
      draw->AddCircleFilled(V(x, canvas.Center().y), 9, kDivider);
      draw->AddText(V(x - 6, canvas.Center().y - 7), IM_COL32(0, 0, 0, 255), "<>");
      Label(draw, {x - 8, top_left.y}, name(0), true);
      Label(draw, {x + 8, top_left.y}, name(1));
      break;
    }
    case CompareMode::kSide:
      Label(draw, top_left, name(0));
      Label(draw, {Pane(canvas, view.mode, 1).x + 8, top_left.y}, name(1));
      draw->AddLine(V(canvas.Center().x, canvas.y), V(canvas.Center().x, canvas.y + canvas.height), kDivider, 1);
      break;
    case CompareMode::kDiff:
      Label(draw, top_left,
            session.diff() ? fmt::format("|A − B| × {:g}: black = identical, {:.0f} levels of difference = white",
                                         view.diff_gain, 255 / view.diff_gain)
                           : "computing the difference…");
      break;
    case CompareMode::kFlicker:
      Label(draw, top_left, name(flicker_held_ ? 1 : 0) + "   (hold Space for B)");
      break;
    default:
      Label(draw, top_left, name(view.mode == CompareMode::kB ? 1 : 0));
  }
  Label(draw, {top_right.x, canvas.y + canvas.height - 28}, fmt::format("{:.0f} %", view.zoom * 100), true);
}

}  // namespace acuity::viewer

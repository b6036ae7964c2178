#include "viewer/view_state.h"

#include <algorithm>
#include <cmath>

namespace acuity::viewer {
namespace {

struct ModeName {
  CompareMode mode;
  const char* name;
};
constexpr ModeName kModeNames[] = {
    {CompareMode::kA, "a"},       {CompareMode::kB, "b"},       {CompareMode::kSplit, "split"},
    {CompareMode::kSide, "side"}, {CompareMode::kDiff, "diff"}, {CompareMode::kFlicker, "flicker"},
};

double Area(Size2 s) { return s.width * s.height; }

}  // namespace

const char* CompareModeName(CompareMode mode) {
  for (const ModeName& m : kModeNames)
    if (m.mode == mode) return m.name;
  return "a";
}

std::optional<CompareMode> ParseCompareMode(std::string_view name) {
  for (const ModeName& m : kModeNames)
    if (name == m.name) return m.mode;
  return std::nullopt;
}

Size2 RegisteredGrid(Size2 a, Size2 b) { return Area(b) > Area(a) ? b : a; }

Vec2 GridToImage(Size2 grid, Size2 image, Vec2 g) {
  if (grid.width <= 0 || grid.height <= 0) return g;
  return {g.x * image.width / grid.width, g.y * image.height / grid.height};
}

Vec2 ImageToGrid(Size2 grid, Size2 image, Vec2 p) {
  if (image.width <= 0 || image.height <= 0) return p;
  return {p.x * grid.width / image.width, p.y * grid.height / image.height};
}

Vec2 ScreenToGrid(const ViewState& view, const Rect& pane, Vec2 s) {
  const Vec2 c = pane.Center();
  return {view.center.x + (s.x - c.x) / view.zoom, view.center.y + (s.y - c.y) / view.zoom};
}

Vec2 GridToScreen(const ViewState& view, const Rect& pane, Vec2 g) {
  const Vec2 c = pane.Center();
  return {c.x + (g.x - view.center.x) * view.zoom, c.y + (g.y - view.center.y) * view.zoom};
}

Vec2 ScreenToImage(const ViewState& view, const Rect& pane, Size2 grid, Size2 image, Vec2 screen) {
  return GridToImage(grid, image, ScreenToGrid(view, pane, screen));
}

Rect GridOnScreen(const ViewState& view, const Rect& pane, Size2 grid) {
  const Vec2 tl = GridToScreen(view, pane, {0, 0});
  return {tl.x, tl.y, grid.width * view.zoom, grid.height * view.zoom};
}

ViewState ZoomAt(const ViewState& view, const Rect& pane, Vec2 cursor, double new_zoom) {
  ViewState out = view;
  out.zoom = std::clamp(new_zoom, kMinZoom, kMaxZoom);
  const Vec2 g = ScreenToGrid(view, pane, cursor);
  const Vec2 c = pane.Center();
  out.center = {g.x - (cursor.x - c.x) / out.zoom, g.y - (cursor.y - c.y) / out.zoom};
  out.fit = false;
  return out;
}

ViewState PanBy(const ViewState& view, Vec2 delta) {
  ViewState out = view;
  out.center = {view.center.x - delta.x / view.zoom, view.center.y - delta.y / view.zoom};
  out.fit = false;
  return out;
}

double FitZoom(Size2 grid, const Rect& pane) {
  if (grid.width <= 0 || grid.height <= 0 || pane.width <= 0 || pane.height <= 0) return 1.0;
  return std::clamp(std::min(pane.width / grid.width, pane.height / grid.height), kMinZoom, kMaxZoom);
}

void FitView(ViewState& view, Size2 grid, const Rect& pane) {
  view.zoom = FitZoom(grid, pane);
  view.center = {grid.width / 2, grid.height / 2};
  view.fit = true;
}

Rect Pane(const Rect& canvas, CompareMode mode, int index) {
  if (mode != CompareMode::kSide) return canvas;
  const double half = std::floor(canvas.width / 2);
  return index == 0 ? Rect{canvas.x, canvas.y, half, canvas.height}
                    : Rect{canvas.x + half, canvas.y, canvas.width - half, canvas.height};
}

double DividerX(const ViewState& view, const Rect& canvas) {
  return canvas.x + std::clamp(view.split_fraction, 0.0, 1.0) * canvas.width;
}

double SplitFractionAt(const Rect& canvas, double screen_x) {
  if (canvas.width <= 0) return 0.5;
  return std::clamp((screen_x - canvas.x) / canvas.width, 0.0, 1.0);
}

double ZoomStep(double zoom, int steps) {
  constexpr double kStep = 1.25;
  double z = zoom;
  for (int i = 0; i < std::abs(steps); ++i) {
    const double next = steps > 0 ? z * kStep : z / kStep;
    const bool crosses_one = (z < 1 && next > 1) || (z > 1 && next < 1);
    z = crosses_one ? 1.0 : next;
  }
  return std::clamp(z, kMinZoom, kMaxZoom);
}

}  // namespace acuity::viewer

// The viewer's view state — what is shown and where — as a plain struct, and
// the coordinate transforms between the screen, the shared pixel grid and
// each image's own pixels, as pure functions (no window needed to test them).
//
// Two images of different sizes (an input and a 4× enlargement of it) are
// registered onto the pixel grid of the larger one: both cover the same
// extent, so one zoom and one pan serve both. Zoom is screen px per grid px.
//
//   acuity::viewer::ViewState view;
//   const acuity::viewer::Size2 grid = acuity::viewer::RegisteredGrid(a_size, b_size);
//   acuity::viewer::FitView(view, grid, canvas);
//   view = acuity::viewer::ZoomAt(view, canvas, cursor, view.zoom * 1.25);
//   acuity::viewer::Vec2 px = acuity::viewer::ScreenToImage(view, canvas, grid, a_size, cursor);
#ifndef ACUITY_VIEWER_VIEW_STATE_H_
#define ACUITY_VIEWER_VIEW_STATE_H_

#include <optional>
#include <string>
#include <string_view>

namespace acuity::viewer {

struct Vec2 {
  double x = 0, y = 0;
};

struct Size2 {
  double width = 0, height = 0;  // px
};

// A rectangle on the screen, in window px (origin top-left).
struct Rect {
  double x = 0, y = 0, width = 0, height = 0;
  Vec2 Center() const { return {x + width / 2, y + height / 2}; }
  bool Contains(Vec2 p) const { return p.x >= x && p.y >= y && p.x < x + width && p.y < y + height; }
};

// How the images are shown: A only, B only, split at a divider (A left, B
// right), side by side, the amplified difference |A−B|, or flicker (B while
// a key is held, else A).
enum class CompareMode { kA, kB, kSplit, kSide, kDiff, kFlicker };

// "a", "b", "split", "side", "diff", "flicker" (the script's words).
const char* CompareModeName(CompareMode mode);
std::optional<CompareMode> ParseCompareMode(std::string_view name);

struct ViewState {
  double zoom = 1.0;              // screen px per grid px (1 = 100 %)
  Vec2 center;                    // the grid px at the centre of the canvas (pane)
  bool fit = true;                // follow the canvas size (zoom fit) until the user zooms or pans
  CompareMode mode = CompareMode::kA;
  double split_fraction = 0.5;    // divider position, fraction of the canvas width from the left
  std::string overlay;            // map name shown over the image; "" = none
  double overlay_opacity = 0.6;   // 0–1
  bool flicker_b = false;         // flicker mode: B is shown while the key is held
  double diff_gain = 4.0;         // difference view: |A−B| multiplied by this
};

inline constexpr double kMinZoom = 1.0 / 64;
inline constexpr double kMaxZoom = 64.0;

// The shared grid: the size of the larger image (by area); `b` may be empty
// (0×0) when only one image is open.
Size2 RegisteredGrid(Size2 a, Size2 b);

// Grid px ↔ an image's own px (the image is stretched over the grid).
Vec2 GridToImage(Size2 grid, Size2 image, Vec2 grid_px);
Vec2 ImageToGrid(Size2 grid, Size2 image, Vec2 image_px);

// Screen ↔ grid px for a pane (the whole canvas, or one side in side mode).
Vec2 ScreenToGrid(const ViewState& view, const Rect& pane, Vec2 screen);
Vec2 GridToScreen(const ViewState& view, const Rect& pane, Vec2 grid_px);
Vec2 ScreenToImage(const ViewState& view, const Rect& pane, Size2 grid, Size2 image, Vec2 screen);

// Where the grid's rectangle lands on the screen.
Rect GridOnScreen(const ViewState& view, const Rect& pane, Size2 grid);

// Zoom clamped to [kMinZoom, kMaxZoom] keeping the grid point under `cursor`
// where it is; clears `fit`.
ViewState ZoomAt(const ViewState& view, const Rect& pane, Vec2 cursor, double new_zoom);

// Moves the view by a drag of `delta` screen px (the image follows the
// mouse); clears `fit`.
ViewState PanBy(const ViewState& view, Vec2 delta_screen_px);

// The zoom at which the whole grid fits the pane, and a view centred on it.
double FitZoom(Size2 grid, const Rect& pane);
void FitView(ViewState& view, Size2 grid, const Rect& pane);

// The panes of a mode: side by side halves the canvas; every other mode uses
// all of it. `index` 0 = left (A), 1 = right (B).
Rect Pane(const Rect& canvas, CompareMode mode, int index);

// The divider's screen x in split mode, and the split fraction for a
// divider dragged to `screen_x` (clamped to 0–1).
double DividerX(const ViewState& view, const Rect& canvas);
double SplitFractionAt(const Rect& canvas, double screen_x);

// The next zoom step up/down from `zoom` (×1.25 and ÷1.25, snapping to 100 %
// when crossing it).
double ZoomStep(double zoom, int steps);

}  // namespace acuity::viewer

#endif  // ACUITY_VIEWER_VIEW_STATE_H_

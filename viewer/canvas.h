// The canvas: draws A, B, their split / side-by-side / difference / flicker
// views on one shared zoom and pan, the overlay heatmap with its legend, and
// turns mouse input into view changes (wheel zooms at the cursor, drag pans,
// the divider drags). UI thread only (ImGui + GL).
//
//   acuity::viewer::Canvas canvas;
//   ... inside an ImGui window: canvas.Draw(session, textures);
//   if (auto px = canvas.hovered_grid()) ShowPixel(*px);
#ifndef ACUITY_VIEWER_CANVAS_H_
#define ACUITY_VIEWER_CANVAS_H_

#include <map>
#include <memory>
#include <optional>

#include <opencv2/core.hpp>

#include "viewer/session.h"
#include "viewer/textures.h"

namespace acuity::viewer {

class Canvas {
 public:
  // Fills the rest of the current ImGui window.
  void Draw(Session& session, TextureCache& textures);
  // The grid px under the mouse during the last Draw, if over the canvas.
  const std::optional<Vec2>& hovered_grid() const { return hovered_grid_; }
  void set_flicker_held(bool held) { flicker_held_ = held; }
  bool flicker_held() const { return flicker_held_; }

 private:
  void HandleInput(Session& session);
  void DrawImage(const Session& session, TextureCache& textures, int which, const Rect& pane, const Rect& clip);
  void DrawOverlay(const Session& session, TextureCache& textures, int which, const Rect& pane, const Rect& clip);
  void DrawLegend(const Session& session, TextureCache& textures, const Rect& canvas);
  void DrawLabels(const Session& session, const Rect& canvas) const;
  std::shared_ptr<const DisplayImage> HeatmapFor(const MeasurementMap& map);

  std::optional<Vec2> hovered_grid_;
  bool dragging_divider_ = false;
  bool flicker_held_ = false;
  // Heatmaps by the map's data (the Mat kept so the data stays alive).
  std::map<const uchar*, std::pair<cv::Mat, std::shared_ptr<const DisplayImage>>> heatmaps_;
  std::shared_ptr<const DisplayImage> legend_;
};

// Which document a pane shows (0 = A, 1 = B) in the current mode.
int ShownDocument(const ViewState& view, bool flicker_held, int pane_index);

}  // namespace acuity::viewer

#endif  // ACUITY_VIEWER_CANVAS_H_

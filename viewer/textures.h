// GPU textures of display images: a reduced level (one texture, uploaded
// first) for zoomed-out views, and full-resolution tiles (≤ kTilePx a side,
// so a 192 MP image works where one texture may not exceed 16384 px)
// uploaded when a view first needs them, within a time budget per frame, so
// the UI never stalls. Until a tile is up, the reduced level stands in.
// Magnification is nearest-neighbour (pixels stay pixels above 100 %),
// minification linear. Needs a current OpenGL context (UI thread only).
//
//   acuity::viewer::TextureCache cache;
//   each frame: cache.Upload(0.008); cache.BeginFrame();   // ≤ 8 ms of what the last frame wanted
//               cache.Get(display).Draw(draw_list, dest_rect, clip_rect, IM_COL32_WHITE);
//               if (cache.FrameComplete()) ...             // everything drawn at full detail
#ifndef ACUITY_VIEWER_TEXTURES_H_
#define ACUITY_VIEWER_TEXTURES_H_

#include <map>
#include <memory>
#include <vector>

#include <imgui.h>

#include "viewer/display_image.h"
#include "viewer/view_state.h"

namespace acuity::viewer {

inline constexpr int kTilePx = 1024;

class TiledTexture {
 public:
  explicit TiledTexture(std::shared_ptr<const DisplayImage> image);
  ~TiledTexture();
  TiledTexture(const TiledTexture&) = delete;
  TiledTexture& operator=(const TiledTexture&) = delete;

  // Uploads the reduced level, then the tiles the last Draw wanted, until
  // `budget_s` seconds are spent (at least one texture when budget_s > 0).
  void Upload(double budget_s);

  // Draws the image so that it covers `dest` (screen px), clipped to `clip`;
  // notes the full tiles the view needs and does not have yet.
  void Draw(ImDrawList* draw, const Rect& dest, const Rect& clip, ImU32 tint);

  void BeginFrame() {
    drawn_complete_ = true;
    wanted_.clear();  // what the view no longer shows is not uploaded
  }
  // The Draws since BeginFrame had every texture they needed.
  bool drawn_complete() const { return drawn_complete_; }

 private:
  struct Tile {
    int x, y, width, height;  // in full-image px
    unsigned texture = 0;
  };
  std::shared_ptr<const DisplayImage> image_;
  std::vector<Tile> tiles_;
  std::vector<int> wanted_;  // tile indices, in the order the view asked
  unsigned reduced_ = 0;
  bool drawn_complete_ = true;
};

// Textures by display image; an entry goes when nobody else holds its image.
class TextureCache {
 public:
  TiledTexture& Get(const std::shared_ptr<const DisplayImage>& image);
  // Drops textures whose images are gone; starts a frame's bookkeeping.
  void BeginFrame();
  // Uploads what the last frame wanted, within `budget_s` seconds.
  void Upload(double budget_s);
  // Every texture drawn this frame was drawn at the detail it needs.
  bool FrameComplete() const;

 private:
  std::map<const DisplayImage*, std::pair<std::shared_ptr<const DisplayImage>, std::unique_ptr<TiledTexture>>>
      entries_;
};

}  // namespace acuity::viewer

#endif  // ACUITY_VIEWER_TEXTURES_H_

// GPU textures of display images, uploaded in tiles (≤ kTilePx a side, so a
// 192 MP image works where one texture may not exceed 16384 px) a few per
// frame so the UI never stalls, with a reduced level (one texture) that is
// uploaded first and drawn for zoomed-out views. Magnification is
// nearest-neighbour (pixels stay pixels above 100 %), minification linear.
// Needs a current OpenGL context (UI thread only).
//
//   acuity::viewer::TextureCache cache;
//   cache.Upload(0.008);                                   // once a frame, ≤ 8 ms
//   cache.Get(display).Draw(draw_list, dest_rect, clip_rect, IM_COL32_WHITE);
#ifndef ACUITY_VIEWER_TEXTURES_H_
#define ACUITY_VIEWER_TEXTURES_H_

#include <map>
#include <memory>
#include <vector>

#include <imgui.h>

#include "viewer/display_image.h"
#include "viewer/view_state.h"

namespace acuity::viewer {

inline constexpr int kTilePx = 2048;

class TiledTexture {
 public:
  explicit TiledTexture(std::shared_ptr<const DisplayImage> image);
  ~TiledTexture();
  TiledTexture(const TiledTexture&) = delete;
  TiledTexture& operator=(const TiledTexture&) = delete;

  // Uploads the reduced level, then full tiles, until `budget_s` seconds
  // are spent (at least one texture per call). True when everything is up.
  bool Upload(double budget_s);
  bool complete() const { return next_tile_ >= int(tiles_.size()) && reduced_ != 0; }

  // Draws the image so that it covers `dest` (screen px), clipped to `clip`.
  void Draw(ImDrawList* draw, const Rect& dest, const Rect& clip, ImU32 tint) const;

 private:
  struct Tile {
    int x, y, width, height;  // in full-image px
    unsigned texture = 0;
  };
  std::shared_ptr<const DisplayImage> image_;
  std::vector<Tile> tiles_;
  int next_tile_ = 0;
  unsigned reduced_ = 0;
};

// Textures by display image; an entry goes when nobody else holds its image.
class TextureCache {
 public:
  TiledTexture& Get(const std::shared_ptr<const DisplayImage>& image);
  // Uploads pending tiles of the cached textures within `budget_s`; drops
  // textures whose images are gone. True when nothing is left to upload.
  bool Upload(double budget_s);

 private:
  std::map<const DisplayImage*, std::pair<std::shared_ptr<const DisplayImage>, std::unique_ptr<TiledTexture>>>
      entries_;
};

}  // namespace acuity::viewer

#endif  // ACUITY_VIEWER_TEXTURES_H_

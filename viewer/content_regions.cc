#include "viewer/content_regions.h"

#include <algorithm>

#include <fmt/format.h>

namespace acuity::viewer {

std::vector<ContentRegion> ContentRegionsOf(const AnalysisReport& analysis) {
  std::vector<ContentRegion> regions;
  const auto add = [&](bool face, int x, int y, int w, int h, const std::string& what) {
    regions.push_back({face, Rect{double(x), double(y), double(w), double(h)},
                       fmt::format("{} {}", regions.size() + 1, what)});
  };
  if (analysis.faces.faces)
    for (const Face& f : *analysis.faces.faces)
      add(true, f.x, f.y, f.width_px, f.height_px, fmt::format("face {} px", f.width_px));
  if (analysis.text.lines)
    for (const TextLine& t : *analysis.text.lines)
      add(false, t.x, t.y, t.width_px, t.height_px, fmt::format("text x-height {:.1f} px", t.x_height_px));
  return regions;
}

std::optional<int> ContentRegionAt(const std::vector<ContentRegion>& regions, Vec2 image_px) {
  std::optional<int> found;
  double smallest = 0;
  for (size_t i = 0; i < regions.size(); ++i) {
    const Rect& b = regions[i].box;
    const double area = b.width * b.height;
    if (b.Contains(image_px) && (!found || area < smallest)) found = int(i) + 1, smallest = area;
  }
  return found;
}

ViewState FocusedOn(const ViewState& view, const ContentRegion& region, Size2 image, Size2 grid, bool pair) {
  ViewState focused = view;
  // 100 % of the grid (the larger image: an enlargement at its own pixels,
  // its input stretched over it), as `zoom 1`; more if it was shown larger.
  focused.zoom = std::max(1.0, view.zoom);
  focused.center = ImageToGrid(grid, image, region.box.Center());
  focused.fit = false;
  if (pair) {
    focused.mode = CompareMode::kSplit;
    focused.split_fraction = 0.5;
  }
  return focused;
}

}  // namespace acuity::viewer

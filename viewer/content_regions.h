// The faces and text lines an analysis found, as the viewer's content
// overlay ("content", docs/content.md) numbers and labels them: faces first
// (largest first), then text lines (top to bottom). The boxes drawn, the
// script command `focus N` and a click on a box all read this one list, so
// that box 2 on the screen is `focus 2`.
//
//   std::vector<ContentRegion> regions = ContentRegionsOf(*doc.analysis);
//   if (std::optional<int> n = ContentRegionAt(regions, image_px))
//     view = FocusedOn(view, regions[*n - 1], image_size, grid, /*pair=*/true);
#ifndef ACUITY_VIEWER_CONTENT_REGIONS_H_
#define ACUITY_VIEWER_CONTENT_REGIONS_H_

#include <optional>
#include <string>
#include <vector>

#include "analysis/measurements/analyze.h"
#include "viewer/view_state.h"

namespace acuity::viewer {

struct ContentRegion {
  bool face = true;  // a face, else a text line
  Rect box;          // in the analysed image's px (upright)
  std::string label;  // "1 face 48 px", "2 text x-height 7.0 px"
};

// Every face and text line of `analysis`, numbered from 1 in this order.
std::vector<ContentRegion> ContentRegionsOf(const AnalysisReport& analysis);

// The number (1-based) of the region whose box holds `image_px` — the
// smallest when boxes overlap — or nullopt.
std::optional<int> ContentRegionAt(const std::vector<ContentRegion>& regions, Vec2 image_px);

// `view` at 100 % (one grid px to one screen px, as `zoom 1`) — or as it is
// when it shows more than that (a small image enlarged to fit: a click on
// a face never makes it smaller) — centred on
// `region` of an image of `image` px shown on the shared `grid`; in split
// mode, divider in the middle, when a second image is open (`pair`): the
// same region before and after, side against side.
ViewState FocusedOn(const ViewState& view, const ContentRegion& region, Size2 image, Size2 grid, bool pair);

}  // namespace acuity::viewer

#endif  // ACUITY_VIEWER_CONTENT_REGIONS_H_

#include "viewer/content_regions.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace acuity::viewer {
namespace {

// Two faces (largest first, as the analysis lists them) and a text line
// inside the first face's box.
AnalysisReport TwoFacesAndALine() {
  AnalysisReport r;
  r.faces.faces = std::vector<Face>{{100, 80, 60, 70, 5, false}, {300, 40, 20, 24, 3, true}};
  TextLine line;
  line.x = 110, line.y = 120, line.width_px = 30, line.height_px = 10, line.x_height_px = 6.5;
  r.text.lines = std::vector<TextLine>{line};
  return r;
}

TEST(ContentRegionsTest, FacesThenTextLinesNumberedFromOne) {
  const std::vector<ContentRegion> regions = ContentRegionsOf(TwoFacesAndALine());
  ASSERT_EQ(regions.size(), 3u);
  EXPECT_EQ(regions[0].label, "1 face 60 px");
  EXPECT_EQ(regions[1].label, "2 face 20 px");
  EXPECT_EQ(regions[2].label, "3 text x-height 6.5 px");
  EXPECT_TRUE(regions[1].face);
  EXPECT_FALSE(regions[2].face);
  EXPECT_EQ(regions[2].box.x, 110);
  EXPECT_EQ(regions[2].box.height, 10);
  EXPECT_TRUE(ContentRegionsOf(AnalysisReport{}).empty());  // not searched: nothing
}

TEST(ContentRegionsTest, TheSmallestBoxUnderAPointIsTheOneClicked) {
  const std::vector<ContentRegion> regions = ContentRegionsOf(TwoFacesAndALine());
  EXPECT_EQ(ContentRegionAt(regions, {105, 85}), 1);   // the first face only
  EXPECT_EQ(ContentRegionAt(regions, {115, 125}), 3);  // the line, inside the face
  EXPECT_EQ(ContentRegionAt(regions, {310, 50}), 2);
  EXPECT_EQ(ContentRegionAt(regions, {320, 64}), std::nullopt);  // just past the second face's box
  EXPECT_EQ(ContentRegionAt(regions, {0, 0}), std::nullopt);
}

TEST(ContentRegionsTest, FocusIsOneHundredPercentOnTheRegionsCentre) {
  const std::vector<ContentRegion> regions = ContentRegionsOf(TwoFacesAndALine());
  ViewState view;
  view.zoom = 0.25;
  view.mode = CompareMode::kSide;
  view.overlay = "blur";
  // The input (400×300) beside its 3× enlargement: the grid is 1200×900.
  const ViewState pair = FocusedOn(view, regions[0], {400, 300}, {1200, 900}, /*pair=*/true);
  EXPECT_EQ(pair.zoom, 1.0);
  EXPECT_FALSE(pair.fit);
  EXPECT_DOUBLE_EQ(pair.center.x, (100 + 30) * 3.0);
  EXPECT_DOUBLE_EQ(pair.center.y, (80 + 35) * 3.0);
  EXPECT_EQ(pair.mode, CompareMode::kSplit);
  EXPECT_EQ(pair.split_fraction, 0.5);
  EXPECT_EQ(pair.overlay, "blur");  // what is shown stays the caller's choice
  // One image alone: its mode is kept, the grid is the image.
  const ViewState alone = FocusedOn(view, regions[1], {400, 300}, {400, 300}, /*pair=*/false);
  EXPECT_EQ(alone.mode, CompareMode::kSide);
  EXPECT_DOUBLE_EQ(alone.center.x, 310);
  EXPECT_DOUBLE_EQ(alone.center.y, 52);
}

}  // namespace
}  // namespace acuity::viewer

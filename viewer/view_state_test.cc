#include "viewer/view_state.h"

#include <gtest/gtest.h>

namespace acuity::viewer {
namespace {

constexpr Rect kCanvas{100, 50, 800, 600};

TEST(ViewStateTest, ScreenAndGridRoundTrip) {
  ViewState view;
  view.zoom = 2.5;
  view.center = {321, 123};
  const Vec2 screen{437, 211};
  const Vec2 back = GridToScreen(view, kCanvas, ScreenToGrid(view, kCanvas, screen));
  EXPECT_NEAR(back.x, screen.x, 1e-9);
  EXPECT_NEAR(back.y, screen.y, 1e-9);
  // The canvas centre shows the view's centre.
  const Vec2 c = ScreenToGrid(view, kCanvas, kCanvas.Center());
  EXPECT_DOUBLE_EQ(c.x, 321);
  EXPECT_DOUBLE_EQ(c.y, 123);
}

TEST(ViewStateTest, ZoomAtCursorKeepsThePointUnderTheCursor) {
  ViewState view;
  view.zoom = 0.5;
  view.center = {1000, 700};
  for (const Vec2 cursor : {Vec2{130, 90}, Vec2{850, 600}, kCanvas.Center()}) {
    const Vec2 before = ScreenToGrid(view, kCanvas, cursor);
    for (const double z : {0.1, 1.0, 3.7, 40.0}) {
      const ViewState zoomed = ZoomAt(view, kCanvas, cursor, z);
      EXPECT_DOUBLE_EQ(zoomed.zoom, z);
      EXPECT_FALSE(zoomed.fit);
      const Vec2 after = ScreenToGrid(zoomed, kCanvas, cursor);
      EXPECT_NEAR(after.x, before.x, 1e-9) << z;
      EXPECT_NEAR(after.y, before.y, 1e-9) << z;
    }
  }
  EXPECT_DOUBLE_EQ(ZoomAt(view, kCanvas, {0, 0}, 1e6).zoom, kMaxZoom);
  EXPECT_DOUBLE_EQ(ZoomAt(view, kCanvas, {0, 0}, 1e-9).zoom, kMinZoom);
}

TEST(ViewStateTest, PanFollowsTheMouse) {
  ViewState view;
  view.zoom = 2;
  view.center = {50, 50};
  const Vec2 grabbed = ScreenToGrid(view, kCanvas, {400, 300});
  const ViewState panned = PanBy(view, {30, -10});
  const Vec2 now = ScreenToGrid(panned, kCanvas, {430, 290});
  EXPECT_NEAR(now.x, grabbed.x, 1e-9);
  EXPECT_NEAR(now.y, grabbed.y, 1e-9);
}

TEST(ViewStateTest, FitShowsTheWholeGridCentred) {
  ViewState view;
  const Size2 grid{4000, 3000};
  FitView(view, grid, kCanvas);
  EXPECT_DOUBLE_EQ(view.zoom, 0.2);  // 800/4000 = 0.2, 600/3000 = 0.2
  const Rect on_screen = GridOnScreen(view, kCanvas, grid);
  EXPECT_NEAR(on_screen.x, kCanvas.x, 1e-9);
  EXPECT_NEAR(on_screen.y, kCanvas.y, 1e-9);
  EXPECT_NEAR(on_screen.width, 800, 1e-9);
  EXPECT_NEAR(on_screen.height, 600, 1e-9);
  // A tall image is limited by the height and centred horizontally.
  FitView(view, {1000, 3000}, kCanvas);
  EXPECT_DOUBLE_EQ(view.zoom, 0.2);
  EXPECT_NEAR(GridOnScreen(view, kCanvas, {1000, 3000}).x, 100 + (800 - 200) / 2.0, 1e-9);
}

TEST(ViewStateTest, RegistrationPutsTheSmallerImageOnTheLargerGrid) {
  const Size2 a{500, 400}, b{2000, 1600};  // b is a 4× enlargement of a
  const Size2 grid = RegisteredGrid(a, b);
  EXPECT_DOUBLE_EQ(grid.width, 2000);
  EXPECT_DOUBLE_EQ(RegisteredGrid(b, a).width, 2000);
  EXPECT_DOUBLE_EQ(RegisteredGrid(a, {}).width, 500);  // one image: its own grid
  // Grid px (800, 400) is A px (200, 100) and B px (800, 400).
  const Vec2 in_a = GridToImage(grid, a, {800, 400});
  EXPECT_DOUBLE_EQ(in_a.x, 200);
  EXPECT_DOUBLE_EQ(in_a.y, 100);
  const Vec2 in_b = GridToImage(grid, b, {800, 400});
  EXPECT_DOUBLE_EQ(in_b.x, 800);
  const Vec2 back = ImageToGrid(grid, a, in_a);
  EXPECT_DOUBLE_EQ(back.x, 800);
  EXPECT_DOUBLE_EQ(back.y, 400);
  // Through the screen: the same screen point lands on corresponding pixels.
  ViewState view;
  FitView(view, grid, kCanvas);
  const Vec2 pa = ScreenToImage(view, kCanvas, grid, a, {500, 350});
  const Vec2 pb = ScreenToImage(view, kCanvas, grid, b, {500, 350});
  EXPECT_NEAR(pb.x, 4 * pa.x, 1e-9);
  EXPECT_NEAR(pb.y, 4 * pa.y, 1e-9);
}

TEST(ViewStateTest, SplitDividerAndPanes) {
  ViewState view;
  view.split_fraction = 0.25;
  EXPECT_DOUBLE_EQ(DividerX(view, kCanvas), 300);
  EXPECT_DOUBLE_EQ(SplitFractionAt(kCanvas, 500), 0.5);
  EXPECT_DOUBLE_EQ(SplitFractionAt(kCanvas, -50), 0.0);
  EXPECT_DOUBLE_EQ(SplitFractionAt(kCanvas, 5000), 1.0);
  const Rect left = Pane(kCanvas, CompareMode::kSide, 0), right = Pane(kCanvas, CompareMode::kSide, 1);
  EXPECT_DOUBLE_EQ(left.width + right.width, kCanvas.width);
  EXPECT_DOUBLE_EQ(right.x, left.x + left.width);
  EXPECT_DOUBLE_EQ(Pane(kCanvas, CompareMode::kSplit, 1).width, kCanvas.width);
}

TEST(ViewStateTest, ZoomStepsSnapTo100Percent) {
  EXPECT_DOUBLE_EQ(ZoomStep(1.0, 1), 1.25);
  EXPECT_DOUBLE_EQ(ZoomStep(1.25, -1), 1.0);
  EXPECT_DOUBLE_EQ(ZoomStep(0.9, 1), 1.0);  // crossing 100 % stops there
  EXPECT_DOUBLE_EQ(ZoomStep(1.1, -1), 1.0);
  EXPECT_DOUBLE_EQ(ZoomStep(kMaxZoom, 3), kMaxZoom);
}

TEST(ViewStateTest, ModeNamesRoundTrip) {
  for (const char* name : {"a", "b", "split", "side", "diff", "flicker"}) {
    const std::optional<CompareMode> mode = ParseCompareMode(name);
    ASSERT_TRUE(mode.has_value()) << name;
    EXPECT_STREQ(CompareModeName(*mode), name);
  }
  EXPECT_FALSE(ParseCompareMode("Split").has_value());
}

}  // namespace
}  // namespace acuity::viewer

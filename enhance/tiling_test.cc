#include "enhance/tiling.h"

#include <gtest/gtest.h>

namespace acuity {
namespace {

struct LayoutCase {
  int width, height, tile_px, overlap_px;
};

class LayoutTest : public ::testing::TestWithParam<LayoutCase> {};

TEST_P(LayoutTest, CoresCoverImageOnceAndPaddingStaysInside) {
  const LayoutCase c = GetParam();
  const std::vector<Tile> tiles = LayoutTiles(cv::Size(c.width, c.height), c.tile_px, c.overlap_px);
  cv::Mat coverage = cv::Mat::zeros(c.height, c.width, CV_32S);
  const cv::Rect bounds(0, 0, c.width, c.height);
  for (const Tile& t : tiles) {
    coverage(t.core) += 1;
    EXPECT_EQ(t.padded & bounds, t.padded) << "padded rect leaves the image";
    EXPECT_EQ(t.padded & t.core, t.core) << "padded rect does not hold its core";
    if (c.tile_px > 0) {
      EXPECT_LE(t.core.width, c.tile_px);
      EXPECT_LE(t.core.height, c.tile_px);
    }
    // The margin is the overlap wherever the image allows it.
    EXPECT_EQ(t.core.x - t.padded.x, std::min(c.overlap_px, t.core.x));
    EXPECT_EQ(t.padded.br().x - t.core.br().x, std::min(c.overlap_px, c.width - t.core.br().x));
  }
  double lo, hi;
  cv::minMaxLoc(coverage, &lo, &hi);
  EXPECT_EQ(lo, 1);
  EXPECT_EQ(hi, 1);
}

INSTANTIATE_TEST_SUITE_P(Sizes, LayoutTest,
                         ::testing::Values(LayoutCase{100, 60, 32, 8}, LayoutCase{1, 1, 16, 4},
                                           LayoutCase{257, 129, 128, 32}, LayoutCase{50, 40, 0, 10},
                                           LayoutCase{64, 64, 64, 0}));

TEST(TilingTest, BalancedCoresAvoidSlivers) {
  // 130 px in tiles of ≤ 128: two cores of 65, not 128 + 2.
  const std::vector<Tile> tiles = LayoutTiles(cv::Size(130, 10), 128, 4);
  ASSERT_EQ(tiles.size(), 2u);
  EXPECT_EQ(tiles[0].core.width, 65);
  EXPECT_EQ(tiles[1].core.width, 65);
}

TEST(TilingTest, OutputRectsScaleTheCore) {
  const std::vector<Tile> tiles = LayoutTiles(cv::Size(40, 20), 20, 6);
  ASSERT_EQ(tiles.size(), 2u);
  const Tile& right = tiles[1];  // core x 20..40, padded 14..40
  EXPECT_EQ(CoreInTileOutput(right, 3), cv::Rect(18, 0, 60, 60));
  EXPECT_EQ(CoreInOutput(right, 3), cv::Rect(60, 0, 60, 60));
}

TEST(TilingTest, OverlapFollowsReceptiveRadiusWithCap) {
  EXPECT_EQ(OverlapForReceptiveRadius(10), 10);
  EXPECT_GE(OverlapForReceptiveRadius(154), 16);
  EXPECT_LT(OverlapForReceptiveRadius(154), 154);
  EXPECT_GT(OverlapForReceptiveRadius(-1), 0);
}

}  // namespace
}  // namespace acuity

#include "analysis/measurements/coded_blocks.h"

#include <gtest/gtest.h>

#include <string>

#include <opencv2/imgproc.hpp>

#include "analysis/measurements/content_kind.h"
#include "tests/testing/test_images.h"
#include "tests/testing/wild_degradations.h"

namespace acuity {
namespace {

// Four 8×8 blocks of known content, the grid starting at the top left: a
// flat one, a drawn ramp (a plane: 2 levels a pixel), a ramp with a ±2-level
// checker on it (texture: its residual RMS is 2 levels), and the checker
// in a block marked not codable (as one a strong step crosses is). Only
// the third holds texture; means and ranges are the blocks' own.
TEST(CodedBlocksTest, TextureIsWhatNoPlaneExplainsInACodableBlock) {
  cv::Mat luma(8, 32, CV_8U, cv::Scalar(100));
  for (int y = 0; y < 8; ++y) {
    for (int x = 0; x < 8; ++x) {
      luma.at<uchar>(y, 8 + x) = uchar(90 + 2 * x);
      luma.at<uchar>(y, 16 + x) = uchar(90 + 2 * x + ((x + y) % 2 ? 2 : -2));
      luma.at<uchar>(y, 24 + x) = uchar(100 + ((x + y) % 2 ? 2 : -2));
    }
  }
  cv::Mat codable(luma.size(), CV_8U, cv::Scalar(255));
  codable(cv::Rect(24, 0, 8, 8)).setTo(0);
  const BlockGrid grid(luma.size(), 8, cv::Point(0, 0));
  const CodedBlocks blocks = ReadCodedBlocks(luma, codable, grid);
  ASSERT_EQ(blocks.texture.cols, grid.cols);
  const int row = grid.Row(0);
  EXPECT_EQ(blocks.texture.at<uchar>(row, grid.Col(0)), 0);   // flat
  EXPECT_EQ(blocks.texture.at<uchar>(row, grid.Col(8)), 0);   // a plane
  EXPECT_EQ(blocks.texture.at<uchar>(row, grid.Col(16)), 255);
  EXPECT_EQ(blocks.texture.at<uchar>(row, grid.Col(24)), 0);  // a strong step's block
  EXPECT_FLOAT_EQ(blocks.mean_8bit.at<float>(row, grid.Col(0)), 100.0f);
  EXPECT_FLOAT_EQ(blocks.mean_8bit.at<float>(row, grid.Col(8)), 97.0f);
  EXPECT_EQ(blocks.range_8bit.at<uchar>(row, grid.Col(8)), 14);
  EXPECT_EQ(blocks.range_8bit.at<uchar>(row, grid.Col(16)), 18);
}

// A grid that starts 3 px in (an EXIF turn of a picture whose stored size is
// not a multiple of 8), on a 21-px square: the partial blocks at both ends
// (3 px and 2 px) hold no texture (no whole block's plane to judge), the
// whole ones are read where they lie, and BlocksToPixels puts each block's
// flag on its own pixels.
TEST(CodedBlocksTest, BlocksFollowTheGridsOrigin) {
  cv::Mat luma(21, 21, CV_8U);
  cv::RNG rng(7);
  rng.fill(luma, cv::RNG::UNIFORM, 96, 105);  // texture everywhere
  const cv::Mat codable(luma.size(), CV_8U, cv::Scalar(255));
  const BlockGrid grid(luma.size(), 8, cv::Point(3, 3));
  const CodedBlocks blocks = ReadCodedBlocks(luma, codable, grid);
  const cv::Mat px = BlocksToPixels(blocks.texture, grid, luma.size());
  // Whole blocks: 3–10 and 11–18 on each axis.
  EXPECT_EQ(cv::countNonZero(px), 16 * 16);
  EXPECT_EQ(cv::countNonZero(px(cv::Rect(3, 3, 16, 16))), 16 * 16);
  EXPECT_EQ(grid.Block(grid.Row(0), grid.Col(0), luma.size()), cv::Rect(0, 0, 3, 3));
  EXPECT_EQ(grid.Block(grid.Row(3), grid.Col(3), luma.size()), cv::Rect(3, 3, 8, 8));
  EXPECT_EQ(grid.Block(grid.Row(20), grid.Col(20), luma.size()), cv::Rect(19, 19, 2, 2));
  double lo = 0, hi = 0;
  cv::minMaxLoc(luma(cv::Rect(19, 19, 2, 2)), &lo, &hi);
  EXPECT_EQ(blocks.range_8bit.at<uchar>(grid.Row(20), grid.Col(20)), uchar(hi - lo));  // its 4 pixels' own
}

// A walk (issue #25) found gray photos saved at JPEG q25–50 read as drawn
// content: a brick wall (q25–50), the moon (q25), hubble_deep_field (q25)
// `synthetic` — so no noise, no halos, no motion blur were measured ("drawn
// content") and PNG was advised — and rocket (q25–50) `mixed`. At such a
// quality the coding keeps a textured photo's blocks by their means: a
// third of the wall's pixels are flat, in areas that run across blocks, and
// almost no 32-px block kept under 5 % of them, so next to nothing looked
// photographed (photo_pct 0.8–7.3) and the areas were not read as fills or
// not. The flat
// areas that run on into the texture around them, or step as a gradation,
// are now no fills, and a block with coded texture and no fill in it looks
// photographed. (A drawn gradient's blocks hold no texture: its slide is
// still no photo, ContentKindTest.AJpegSlidesGradientIsNoPhotoAndAPageAroundAPhotoStaysMixed.)
TEST(ContentKindTest, LowQualityJpegsOfPhotosAreNoDrawings) {
  for (const char* name : {"brick", "moon", "rocket", "hubble_deep_field", "camera", "grass"}) {
    cv::Mat gray = testing::LoadPhoto(name, /*keep_gray=*/true);
    ASSERT_FALSE(gray.empty()) << name;
    if (gray.channels() == 3) cv::cvtColor(gray, gray, cv::COLOR_BGR2GRAY);
    for (int quality : {25, 40, 50}) {
      ContentOptions options;
      options.coding_block_px = 8;
      const ContentResult c = MeasureContent(testing::JpegRoundTrip(gray, quality), options).result;
      ASSERT_TRUE(c.kind && c.photo_pct);
      const std::string why = std::string(name) + " q" + std::to_string(quality) + ": flat " +
                              std::to_string(*c.flat_pct) + " % photo " + std::to_string(*c.photo_pct) + " %";
      EXPECT_NE(*c.kind, ContentKind::kSynthetic) << why;
      if (*c.flat_pct >= 5.0) {  // (grass keeps no flat pixel: a photo by its plain shares)
        EXPECT_GE(*c.photo_pct, 10.0) << why;
      }
      if (std::string(name) != "brick" && std::string(name) != "hubble_deep_field") {
        EXPECT_EQ(*c.kind, ContentKind::kPhoto) << why;  // (the wall and the black sky read mixed at q25–40)
      }
    }
  }
}

}  // namespace
}  // namespace acuity

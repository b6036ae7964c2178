#include "analysis/measurements/pixel_blocks.h"

#include <gtest/gtest.h>

#include <vector>

#include <opencv2/imgproc.hpp>

#include "tests/testing/dithered_images.h"
#include "tests/testing/synthetic_images.h"
#include "tests/testing/test_images.h"
#include "tests/testing/wild_degradations.h"

namespace acuity {
namespace {

// Pixel art of 1–3-px cells enlarged 2–8× by repeating pixels: squares of
// cell × factor px; cropped at any offset, with a flat band of the art
// spanning many squares, in gray or with alpha, still the same side.
TEST(PixelBlocksTest, PixelArtEnlargedByRepeatingPixelsReadsItsSquares) {
  for (int factor : {2, 3, 4, 8}) {
    const cv::Mat art = testing::PixelArt(40, 30, 8, 1, factor, uint64_t(factor));
    EXPECT_EQ(PixelBlockSide(art), factor) << factor;
    EXPECT_EQ(PixelBlockSide(art(cv::Rect(factor / 2 + 1, 1, art.cols - factor - 3, art.rows - 5)).clone()), factor)
        << factor << ", cropped";
  }
  cv::Mat banded = testing::PixelArt(40, 30, 6, 1, 4, 9);
  banded(cv::Rect(0, 40, banded.cols, 24)).setTo(cv::Scalar(30, 60, 90));  // a flat band 6 squares high
  EXPECT_EQ(PixelBlockSide(banded), 4);
  cv::Mat gray, bgra;
  cv::cvtColor(testing::PixelArt(40, 30, 8, 1, 3, 4), gray, cv::COLOR_BGR2GRAY);
  EXPECT_EQ(PixelBlockSide(gray), 3);
  cv::cvtColor(testing::PixelArt(40, 30, 8, 1, 3, 4), bgra, cv::COLOR_BGR2BGRA);
  EXPECT_EQ(PixelBlockSide(bgra), 3);
}

// Not squares: a photo, drawn pictures at their own size, pixel art at its
// own size (1-px cells), a fractional enlargement (squares of two sides),
// a JPEG of squares (its decode differs inside them), squares of another
// side across than down.
TEST(PixelBlocksTest, AnythingElseHasNone) {
  EXPECT_FALSE(PixelBlockSide(testing::LoadPhoto("coffee")));
  EXPECT_FALSE(PixelBlockSide(testing::UiScreenshot(testing::UiStyle::kLight, 1)));
  EXPECT_FALSE(PixelBlockSide(testing::BarChart(2)));
  EXPECT_FALSE(PixelBlockSide(testing::PixelArt(80, 60, 8, 1, 1, 3)));
  const cv::Mat art = testing::PixelArt(40, 30, 8, 1, 1, 5);
  cv::Mat fractional, jpeg, stretched;
  cv::resize(art, fractional, cv::Size(), 2.5, 2.5, cv::INTER_NEAREST_EXACT);
  EXPECT_FALSE(PixelBlockSide(fractional));
  jpeg = testing::JpegRoundTrip(testing::PixelArt(40, 30, 8, 1, 4, 5), 90);
  EXPECT_FALSE(PixelBlockSide(jpeg));
  cv::resize(art, stretched, cv::Size(), 4, 2, cv::INTER_NEAREST_EXACT);
  EXPECT_FALSE(PixelBlockSide(stretched));
  EXPECT_FALSE(PixelBlockSide(cv::Mat()));
}

}  // namespace
}  // namespace acuity

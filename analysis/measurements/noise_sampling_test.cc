#include "analysis/measurements/noise_sampling.h"

#include <gtest/gtest.h>

namespace acuity {
namespace {

double Area(const std::vector<cv::Rect>& blocks) {
  double area = 0;
  for (const cv::Rect& b : blocks) area += b.area();
  return area;
}

// About max_pixels of whole blocks inside the image, whatever its shape, and
// the whole image when it is small enough.
TEST(SampleBlocksTest, AboutTheBudgetInsideTheImageForAnyShape) {
  const double budget = 1e6;
  for (cv::Size size : {cv::Size(4000, 3000), cv::Size(3000, 4000), cv::Size(20000, 300), cv::Size(300, 20000),
                        cv::Size(100000, 256), cv::Size(1100, 1000)}) {
    const std::vector<cv::Rect> blocks = SampleBlocks(size, 256, budget, 16);
    EXPECT_GT(Area(blocks), 0.5 * budget) << size;
    EXPECT_LE(Area(blocks), 1.05 * budget) << size;
    for (const cv::Rect& b : blocks) {
      EXPECT_EQ(b & cv::Rect(cv::Point(0, 0), size), b) << size;
      EXPECT_EQ(b.x % 16, 0);
      EXPECT_EQ(b.y % 16, 0);
    }
  }
  EXPECT_EQ(SampleBlocks(cv::Size(900, 1000), 256, budget).size(), 1u);
  EXPECT_EQ(SampleBlocks(cv::Size(900, 1000), 256, budget)[0], cv::Rect(0, 0, 900, 1000));
}

// Every pixel in exactly one tile, whatever the size (a multiple of the tile
// or not, smaller than one tile).
TEST(TileBlocksTest, EveryPixelOnce) {
  for (cv::Size size : {cv::Size(4000, 3000), cv::Size(1000, 257), cv::Size(100, 60), cv::Size(512, 512)}) {
    cv::Mat count = cv::Mat::zeros(size, CV_32S);
    for (const cv::Rect& t : TileBlocks(size, 256)) {
      EXPECT_LE(t.width, 256);
      EXPECT_LE(t.height, 256);
      ASSERT_EQ(t & cv::Rect(cv::Point(0, 0), size), t) << size;
      count(t) += 1;
    }
    double lo = 0, hi = 0;
    cv::minMaxLoc(count, &lo, &hi);
    EXPECT_EQ(lo, 1) << size;
    EXPECT_EQ(hi, 1) << size;
  }
  EXPECT_EQ(TileBlocks(cv::Size(1000, 257), 256).size(), 4u * 2u);
}

TEST(StackBlocksTest, BlocksTopToBottom) {
  cv::Mat image(64, 64, CV_8UC1);
  for (int y = 0; y < 64; ++y)
    for (int x = 0; x < 64; ++x) image.at<uint8_t>(y, x) = uint8_t(y * 2 + x);
  const std::vector<cv::Rect> blocks = {cv::Rect(0, 0, 16, 16), cv::Rect(32, 16, 16, 16)};
  const cv::Mat stacked = StackBlocks(image, blocks);
  ASSERT_EQ(stacked.size(), cv::Size(16, 32));
  EXPECT_EQ(cv::norm(stacked.rowRange(0, 16), image(blocks[0]), cv::NORM_INF), 0.0);
  EXPECT_EQ(cv::norm(stacked.rowRange(16, 32), image(blocks[1]), cv::NORM_INF), 0.0);
}

}  // namespace
}  // namespace acuity

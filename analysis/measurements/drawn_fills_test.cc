#include "analysis/measurements/drawn_fills.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "analysis/measurements/content_kind.h"
#include "tests/testing/synthetic_images.h"
#include "tests/testing/wild_degradations.h"

namespace acuity {
namespace {

cv::Mat Luma(const cv::Mat& bgr) {
  cv::Mat luma;
  cv::cvtColor(bgr, luma, cv::COLOR_BGR2GRAY);
  return luma;
}

// A smooth 8-bit ramp is flat over plateaus of one level, each 1 level from
// the next, every one large: a gradation, no fill. The same plateaus with
// steps of 10 levels (a chart's bands, drawn) are fills.
TEST(DrawnFillsTest, ARampIsAGradationAndBandsAreFills) {
  cv::Mat ramp(256, 256, CV_8U), bands(256, 114, CV_8U);
  for (int x = 0; x < ramp.cols; ++x) ramp.col(x).setTo(60 + x / 6);  // 1 level every 6 px
  for (int x = 0; x < bands.cols; ++x) bands.col(x).setTo(60 + 10 * (x / 6));  // 10 levels every 6 px, to 240
  const cv::Mat ramp_flat = ExactlyFlatMask(ramp), bands_flat = ExactlyFlatMask(bands);
  ASSERT_GT(cv::countNonZero(ramp_flat), int(ramp.total() / 2));
  EXPECT_EQ(cv::countNonZero(DrawnFillMask(ramp, ramp_flat)), 0);
  EXPECT_EQ(cv::countNonZero(DrawnFillMask(bands, bands_flat)), cv::countNonZero(bands_flat));
}

// A mosaic of single blocks of one mean each, far apart in level (no
// gradation), is no fill; a run of 4×4 such blocks of one level is.
TEST(DrawnFillsTest, SingleBlocksOfOneMeanAreNoFillAndARunOfThemIs) {
  cv::Mat mosaic(128, 128, CV_8U);
  for (int by = 0; by < 16; ++by)
    for (int bx = 0; bx < 16; ++bx) mosaic(cv::Rect(8 * bx, 8 * by, 8, 8)).setTo(20 * ((bx + 3 * by) % 12));
  const cv::Mat flat = ExactlyFlatMask(mosaic);
  ASSERT_GT(cv::countNonZero(flat), 0);
  EXPECT_EQ(cv::countNonZero(DrawnFillMask(mosaic, flat)), 0);
  mosaic(cv::Rect(32, 32, 32, 32)).setTo(250);
  const cv::Mat fills = DrawnFillMask(mosaic, ExactlyFlatMask(mosaic));
  EXPECT_EQ(cv::countNonZero(fills), 30 * 30);  // the run's inside (its outer pixels see other blocks)
  EXPECT_EQ(cv::countNonZero(fills(cv::Rect(33, 33, 30, 30))), 30 * 30);
}

// A UI window through a JPEG: its ringing leaves patches a level or two off
// beside every glyph, and its subsampled chroma a level off in one channel
// across a panel; too small, or no step in luma, they leave the panels
// fills.
TEST(DrawnFillsTest, AJpegWindowsPanelsStayFills) {
  for (int quality : {60, 75, 90}) {
    const cv::Mat ui = testing::JpegRoundTrip(testing::UiScreenshot(testing::UiStyle::kLight, 1), quality);
    const cv::Mat flat = ExactlyFlatMask(ui);
    const cv::Mat fills = DrawnFillMask(Luma(ui), flat);
    EXPECT_GT(cv::countNonZero(fills), 0.8 * cv::countNonZero(flat)) << "q" << quality;
  }
}

// A photo's block coded by its mean alone beside blocks that kept texture
// (a JPEG at q25–50 of a wall or the moon): the flat area runs on into
// texture at its own level, and is no fill. Beside texture 30 levels above
// (a drawn panel beside a photo), or read without the coding's blocks, it
// stays one.
TEST(DrawnFillsTest, AnAreaThatRunsOnIntoTextureAtItsLevelIsNoFill) {
  for (int level : {101, 130}) {
    cv::Mat luma(128, 128, CV_8U, cv::Scalar(100));
    cv::Mat right = luma(cv::Rect(64, 0, 64, 128));
    cv::RNG rng(11);
    rng.fill(right, cv::RNG::UNIFORM, level, level + 5);  // never 100: the flat area ends at column 62
    const cv::Mat flat = ExactlyFlatMask(luma);
    const cv::Mat codable(luma.size(), CV_8U, cv::Scalar(255));
    const BlockGrid grid(luma.size(), 8, cv::Point(0, 0));
    const CodedBlocks blocks = ReadCodedBlocks(luma, codable, grid);
    ASSERT_EQ(cv::countNonZero(blocks.texture), 8 * 16);
    const int flat_px = cv::countNonZero(flat);
    ASSERT_EQ(flat_px, 63 * 128);
    EXPECT_EQ(cv::countNonZero(DrawnFillMask(luma, flat, codable)), flat_px) << "level " << level;
    EXPECT_EQ(cv::countNonZero(DrawnFillMask(luma, flat, codable, &blocks)), level == 101 ? 0 : flat_px)
        << "level " << level;
  }
}

}  // namespace
}  // namespace acuity

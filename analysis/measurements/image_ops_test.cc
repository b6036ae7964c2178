#include "analysis/measurements/image_ops.h"

#include <cmath>
#include <optional>
#include <vector>

#include <gtest/gtest.h>

namespace acuity {
namespace {

TEST(ImageOpsTest, SixteenBitMapsToEightBitUnits) {
  cv::Mat wide(4, 4, CV_16UC3, cv::Scalar(65535, 0, 32896));  // B, G, R
  cv::Mat y = LumaF32(wide);
  ASSERT_EQ(y.type(), CV_32FC1);
  EXPECT_NEAR(y.at<float>(0, 0), 0.114 * 255 + 0.299 * 128, 1e-3);
  cv::Mat narrow(4, 4, CV_8UC3, cv::Scalar(255, 0, 128));
  EXPECT_NEAR(cv::norm(LumaF32(narrow), y, cv::NORM_INF), 0.0, 1e-3);
  EXPECT_EQ(BgrF32(cv::Mat(2, 2, CV_8UC4)).channels(), 3);
  EXPECT_EQ(BgrF32(cv::Mat(2, 2, CV_8UC1, cv::Scalar(7))).at<cv::Vec3f>(0, 0)[2], 7.0f);
  EXPECT_EQ(To8Bit(wide).type(), CV_8UC3);
  EXPECT_EQ(To8Bit(wide).at<cv::Vec3b>(0, 0)[2], 128);
}

// An opaque picture is 0 % transparent, never −0 % (an opaque 800×500
// chart's alpha had a mean a rounding above 255: JSON "-0.0").
TEST(ImageOpsTest, AnOpaquePictureIsNoneTransparent) {
  for (const cv::Size size : {cv::Size(800, 500), cv::Size(2000, 1500), cv::Size(17, 3)}) {
    for (int type : {CV_8UC4, CV_16UC4}) {
      const double white = CV_MAT_DEPTH(type) == CV_16U ? 65535 : 255;
      const std::optional<double> pct = TransparentPct(cv::Mat(size, type, cv::Scalar(10, 20, 30, white)));
      ASSERT_TRUE(pct.has_value());
      EXPECT_EQ(*pct, 0.0) << size << " type " << type;
      EXPECT_FALSE(std::signbit(*pct)) << size << " type " << type;
    }
  }
  EXPECT_NEAR(*TransparentPct(cv::Mat(8, 8, CV_8UC4, cv::Scalar(0, 0, 0, 0))), 100.0, 1e-9);
  EXPECT_FALSE(TransparentPct(cv::Mat(8, 8, CV_8UC3)).has_value());
}

// A row computed alone is the same row of the whole luma, for every layout
// (the content kind reads luma a few rows at a time).
TEST(ImageOpsTest, OneLumaRowIsThatRowOfTheWholeLuma) {
  cv::RNG rng(7);
  for (int type : {CV_8UC1, CV_8UC3, CV_8UC4, CV_16UC1, CV_16UC3, CV_16UC4}) {
    cv::Mat pixels(5, 37, type);
    rng.fill(pixels, cv::RNG::UNIFORM, 0, CV_MAT_DEPTH(type) == CV_16U ? 65536 : 256);
    const cv::Mat whole = LumaF32(pixels);
    std::vector<float> row(pixels.cols);
    for (int y = 0; y < pixels.rows; ++y) {
      LumaRowF32(pixels, y, row.data());
      for (int x = 0; x < pixels.cols; ++x)
        EXPECT_NEAR(row[x], whole.at<float>(y, x), 1e-3) << "type " << type << " at (" << x << ", " << y << ")";
    }
  }
  cv::Mat bgr(1, 1, CV_8UC3, cv::Scalar(10, 20, 30));
  float one = 0;
  LumaRowF32(bgr, 0, &one);
  EXPECT_NEAR(one, 0.114 * 10 + 0.587 * 20 + 0.299 * 30, 1e-4);
}

}  // namespace
}  // namespace acuity

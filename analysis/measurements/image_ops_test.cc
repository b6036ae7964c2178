#include "analysis/measurements/image_ops.h"

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

}  // namespace
}  // namespace acuity

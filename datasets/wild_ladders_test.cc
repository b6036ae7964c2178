#include "datasets/wild_ladders.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include <opencv2/core.hpp>

namespace acuity::datasets {
namespace {

TEST(WildLaddersTest, WildBlockIsReplacedOrAppendedAndKept) {
  const std::string block = std::string(kWildBlockBegin) + "\nnew\n" + kWildBlockEnd + "\n";
  EXPECT_EQ(WithWildBlock("# R\n", block), "# R\n\n" + block);
  const std::string with_old = "# R\n\n" + std::string(kWildBlockBegin) + "\nold\n" + kWildBlockEnd + "\ntail\n";
  EXPECT_EQ(WithWildBlock(with_old, block), "# R\n\n" + block + "tail\n");
  EXPECT_EQ(WildBlockOf(WithWildBlock("# R\n", block)), block);
  EXPECT_EQ(WildBlockOf("# R without one\n"), "");
}

TEST(WildLaddersTest, TrueNoiseSigmaFollowsTheModel) {
  cv::Mat clean(64, 64, CV_8UC1, cv::Scalar(100));
  clean.rowRange(0, 32).setTo(200);
  const CameraNoise noise{0.5, 4.0};
  EXPECT_NEAR(*TrueNoiseSigma(clean, noise, 85, 170), std::sqrt(0.5 * 100 + 4), 1e-9);
  EXPECT_NEAR(*TrueNoiseSigma(clean, noise, 170, 255), std::sqrt(0.5 * 200 + 4), 1e-9);
  EXPECT_FALSE(TrueNoiseSigma(clean, noise, 0, 85).has_value());
  // The demosaic-like correlation lowers the per-pixel σ of white noise by
  // its kernel's gain (0.64 at mix 0.5): checked on noise itself.
  const CameraNoise correlated{0.0, 100.0, 0.5, 0};
  const cv::Mat flat(256, 256, CV_8UC1, cv::Scalar(128));
  cv::Mat noisy, diff;
  AddCameraNoise(flat, correlated, 1).convertTo(noisy, CV_32F);
  cv::Scalar mean, sd;
  cv::meanStdDev(noisy, mean, sd);
  EXPECT_NEAR(sd[0], *TrueNoiseSigma(flat, correlated, 0, 256), 0.05 * sd[0]);
}

}  // namespace
}  // namespace acuity::datasets

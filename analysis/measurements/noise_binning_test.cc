#include "analysis/measurements/noise_binning.h"

#include <optional>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "tests/testing/test_images.h"

namespace acuity {
namespace {

// White noise of σ 1 (CV_32F), blurred by a Gaussian of `blur_px` and
// scaled back to σ 1.
cv::Mat UnitNoise(cv::Size size, double blur_px, uint64_t seed) {
  cv::Mat n(size, CV_32F);
  cv::RNG rng(seed);
  rng.fill(n, cv::RNG::NORMAL, 0.0, 1.0);
  if (blur_px > 0) cv::GaussianBlur(n, n, cv::Size(), blur_px, blur_px, cv::BORDER_REFLECT);
  cv::Scalar mean, stddev;
  cv::meanStdDev(n, mean, stddev);
  return n / stddev[0];
}

cv::Mat To8Bit(const cv::Mat& f) {
  cv::Mat out;
  f.convertTo(out, CV_8U);
  return out;
}

// The variance of the b×b means of `noise` (its own, not estimated).
double VarianceOfMeans(const cv::Mat& noise, int b) {
  cv::Mat means;
  cv::resize(noise, means, cv::Size(noise.cols / b, noise.rows / b), 0, 0, cv::INTER_AREA);
  cv::Scalar mean, stddev;
  cv::meanStdDev(means, mean, stddev);
  return stddev[0] * stddev[0];
}

// White noise of σ 10 on flat grey: σ²(1 − 1/b²) (75 binned 2×2, 93.75
// binned 4×4), within the 8-bit rounding and the median's spread.
TEST(FlatWithinBlockVarianceTest, WhiteNoiseOnGrey) {
  const cv::Mat grey = To8Bit(128 + 10 * UnitNoise({512, 512}, 0, 1));
  const std::optional<double> two = FlatWithinBlockVariance(grey, 2, 5.0);
  const std::optional<double> four = FlatWithinBlockVariance(grey, 4, 2.5);
  ASSERT_TRUE(two && four);
  EXPECT_NEAR(*two, 75.0, 6.0);
  EXPECT_NEAR(*four, 93.75, 7.5);
  // Its 2×2 means have σ 5: the factor back to the pixels' σ is 2.
  EXPECT_NEAR(PixelSigmaFactor(grey, 2, 5.0).value_or(-1), 2.0, 0.1);
  EXPECT_FALSE(PixelSigmaFactor(grey, 2, 0.0).has_value());
}

// Read in 8-bit units whatever the depth and channels; an odd remainder is
// left out; a picture over a megapixel is read on a sample of its blocks.
TEST(FlatWithinBlockVarianceTest, DepthsChannelsSizesAndSamples) {
  const cv::Mat noise = 10 * UnitNoise({1601, 1201}, 0, 3);
  const cv::Mat grey8 = To8Bit(128 + noise);
  const std::optional<double> whole = FlatWithinBlockVariance(grey8, 2, 5.0);  // 1.9 MP: sampled
  ASSERT_TRUE(whole);
  EXPECT_NEAR(*whole, 75.0, 6.0);
  cv::Mat grey16, bgra;
  cv::Mat(128 + noise).convertTo(grey16, CV_16U, 257.0);
  cv::cvtColor(grey8, bgra, cv::COLOR_GRAY2BGRA);
  const cv::Rect odd(0, 0, 511, 509);
  const std::optional<double> sixteen = FlatWithinBlockVariance(grey16(odd), 2, 5.0);
  const std::optional<double> four_channels = FlatWithinBlockVariance(bgra(odd), 2, 5.0);
  ASSERT_TRUE(sixteen && four_channels);
  EXPECT_NEAR(*sixteen, 75.0, 6.0);
  EXPECT_NEAR(*four_channels, 75.0, 6.0);
}

// Correlated noise (σ 10 per pixel, blurred by 0.7 and 1 px), on a smooth
// ramp: the block means' own variance plus this is the pixels' σ² (the law
// of total variance), to within 8 %.
TEST(FlatWithinBlockVarianceTest, GivesThePixelsVarianceWithTheMeans) {
  cv::Mat ramp(512, 512, CV_32F);
  for (int y = 0; y < ramp.rows; ++y)
    for (int x = 0; x < ramp.cols; ++x) ramp.at<float>(y, x) = 80.0f + 0.15f * x;
  uint64_t seed = 2;
  for (double blur : {0.7, 1.0}) {
    for (int b : {2, 4}) {
      const cv::Mat noise = 10 * UnitNoise(ramp.size(), blur, seed++);
      const double means = VarianceOfMeans(noise, b);
      const std::optional<double> within = FlatWithinBlockVariance(To8Bit(ramp + noise), b, std::sqrt(means));
      ASSERT_TRUE(within) << blur << " px, " << b;
      EXPECT_NEAR(means + *within, 100.0, 8.0) << blur << " px, " << b;
      EXPECT_LT(*within, 100.0 * (1 - 1.0 / (b * b))) << "correlated noise keeps less within a bin than white";
    }
  }
}

// Not measured where nothing is flat: texture everywhere (gravel, clean,
// read against a binned σ of 1), or a picture nine tenths black.
TEST(FlatWithinBlockVarianceTest, NotMeasuredWithoutFlatMidTones) {
  const cv::Mat gravel = testing::LoadPhoto("gravel");
  ASSERT_FALSE(gravel.empty());
  EXPECT_FALSE(FlatWithinBlockVariance(gravel, 2, 1.0).has_value());
  cv::Mat dark = To8Bit(128 + 10 * UnitNoise({400, 400}, 0, 9));
  dark.rowRange(0, 370).setTo(0);
  EXPECT_FALSE(FlatWithinBlockVariance(dark, 2, 5.0).has_value());
  EXPECT_FALSE(FlatWithinBlockVariance(cv::Mat(8, 8, CV_8U, cv::Scalar(128)), 2, 1.0).has_value());  // under 5×5 blocks
}

}  // namespace
}  // namespace acuity

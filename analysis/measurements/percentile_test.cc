#include "analysis/measurements/percentile.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

namespace acuity {
namespace {

TEST(PercentileTest, InterpolatesBetweenRanksLikeNumpy) {
  // numpy.percentile([4, 1, 3, 2, 10], [0, 25, 50, 90, 100]) = 1, 2, 3, 7.6, 10
  const std::vector<double> v = {4, 1, 3, 2, 10};
  EXPECT_DOUBLE_EQ(Percentile(v, 0), 1.0);
  EXPECT_DOUBLE_EQ(Percentile(v, 25), 2.0);
  EXPECT_DOUBLE_EQ(Percentile(v, 50), 3.0);
  EXPECT_DOUBLE_EQ(Percentile(v, 90), 7.6);
  EXPECT_DOUBLE_EQ(Percentile(v, 100), 10.0);
  EXPECT_DOUBLE_EQ(Percentile(v, 150), 10.0);  // clamped
}

TEST(PercentileTest, MedianAveragesTheTwoMiddleValues) {
  EXPECT_DOUBLE_EQ(Median({10, 1, 3, 2}), 2.5);
  EXPECT_DOUBLE_EQ(Median({5, 1, 3}), 3.0);
}

TEST(PercentileTest, SkipsNonFiniteValuesAndIsNanWhenNoneAreLeft) {
  EXPECT_DOUBLE_EQ(Percentile(std::vector<double>{1.0, NAN, 3.0, INFINITY}, 50), 2.0);
  EXPECT_TRUE(std::isnan(Percentile(std::vector<double>{}, 50)));
  EXPECT_TRUE(std::isnan(Median({NAN})));
}

TEST(PercentileTest, MatOfAnyDepthGivesTheSameAsTheVector) {
  const cv::Mat bytes = (cv::Mat_<uint8_t>(2, 3) << 9, 1, 7, 3, 5, 2);
  EXPECT_DOUBLE_EQ(Percentile(bytes, 40), Percentile(std::vector<double>{9, 1, 7, 3, 5, 2}, 40));
  const cv::Mat floats = (cv::Mat_<float>(1, 4) << 4.f, 1.f, 3.f, 2.f);
  EXPECT_DOUBLE_EQ(Percentile(floats, 50), 2.5);
}

TEST(PercentileTest, NearestRankRoundsPercentilesPosition) {
  std::vector<float> v = {50, 10, 40, 20, 30, 60};  // sorted: 10 20 30 40 50 60
  EXPECT_EQ(NearestRank(v, 0.5), 40.f);   // position 2.5 → rank 3, the upper median v[n/2]
  EXPECT_EQ(NearestRank(v, 0.25), 20.f);  // position 1.25 → rank 1
  EXPECT_EQ(NearestRank(v, 0.0), 10.f);
  EXPECT_EQ(NearestRank(v, 1.0), 60.f);
  std::vector<float> odd = {3, 1, 2};
  EXPECT_EQ(NearestRank(odd, 0.5), 2.f);
  std::vector<float> empty;
  EXPECT_EQ(NearestRank(empty, 0.5), 0.f);
}

TEST(PercentileTest, KthSmallestSelectsAndClamps) {
  std::vector<int> v = {5, 3, 9, 1};
  EXPECT_EQ(KthSmallest(v, 0), 1);
  EXPECT_EQ(KthSmallest(v, 2), 5);
  EXPECT_EQ(KthSmallest(v, 99), 9);
}

}  // namespace
}  // namespace acuity

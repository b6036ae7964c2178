#include "datasets/stats.h"

#include <cmath>

#include <gtest/gtest.h>

namespace acuity::datasets {
namespace {

constexpr double kTolerance = 1e-12;

TEST(StatsTest, MeanAbsoluteError) {
  EXPECT_NEAR(MeanAbsoluteError({1, 2, 3}, {1, 4, 0}), 5.0 / 3.0, kTolerance);
  EXPECT_TRUE(std::isnan(MeanAbsoluteError({}, {})));
}

TEST(StatsTest, RanksAverageTies) {
  const std::vector<double> r = Ranks({10, 30, 20, 30});
  EXPECT_EQ(r, (std::vector<double>{1, 3.5, 2, 3.5}));
}

TEST(StatsTest, SpearmanFollowsOrderNotValues) {
  EXPECT_NEAR(Spearman({1, 2, 3, 4}, {1, 10, 100, 1000}), 1.0, kTolerance);
  EXPECT_NEAR(Spearman({1, 2, 3, 4}, {4, 3, 2, 1}), -1.0, kTolerance);
  EXPECT_LT(Spearman({1, 2, 3, 4}, {1, 3, 2, 4}), 0.9);
  EXPECT_TRUE(std::isnan(Spearman({1, 2, 3}, {5, 5, 5})));  // a constant estimator has no ranking
}

TEST(StatsTest, RocAuc) {
  EXPECT_NEAR(RocAuc({3, 4}, {1, 2}), 1.0, kTolerance);
  EXPECT_NEAR(RocAuc({1, 2}, {3, 4}), 0.0, kTolerance);
  EXPECT_NEAR(RocAuc({1, 1}, {1, 1}), 0.5, kTolerance);
  EXPECT_NEAR(RocAuc({2, 4}, {1, 3}), 0.75, kTolerance);
}

}  // namespace
}  // namespace acuity::datasets

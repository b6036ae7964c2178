#include "analysis/measurements/equivalent_quality.h"

#include <cmath>

#include <gtest/gtest.h>

#include "analysis/measurements/compression_tables.h"
#include "tests/testing/non_ijg_tables.h"

namespace acuity {
namespace {

using QuantTables = std::vector<std::array<uint16_t, 64>>;

// The equivalent quality of tables a few entries off IJG's: within this of
// the IJG quality they came from.
constexpr double kNearIjgTolerance = 1.0;

TEST(EquivalentQualityTest, IjgTablesAreTheirOwnQuality) {
  for (int q = 1; q <= 100; ++q) {
    const QuantTables color = {IjgQuantTable(q, false), IjgQuantTable(q, true)};
    const EquivalentQuality c = EquivalentIjgQuality(color);
    EXPECT_NEAR(c.quality, q, 1e-9) << q;
    EXPECT_NEAR(c.rms_log_deviation, 0.0, 1e-12) << q;
    EXPECT_NEAR(EquivalentIjgQuality({IjgQuantTable(q, false)}).quality, q, 1e-9) << "gray " << q;
    EXPECT_NEAR(IjgQualityOfMeanLogStep(IjgMeanLogStep(q, 1.0), 1.0), q, 1e-9) << q;
  }
}

// The definition: the weighted mean log step, luma 2/3 and chroma 1/3.
TEST(EquivalentQualityTest, MeanLogStepIsWeightedTwoThirdsLuma) {
  std::array<uint16_t, 64> luma{}, chroma{};
  luma.fill(10);
  chroma.fill(40);
  const EquivalentQuality eq = EquivalentIjgQuality({luma, chroma});
  EXPECT_NEAR(eq.mean_log_step, (2 * std::log(10.0) + std::log(40.0)) / 3, 1e-12);
  EXPECT_LE(IjgMeanLogStep(int(std::ceil(eq.quality))), eq.mean_log_step);
  EXPECT_GE(IjgMeanLogStep(int(std::floor(eq.quality))), eq.mean_log_step);
}

// Issue 17's examples, which ImageMagick's %Q (QualityFromQuantTables)
// reads as 92.
TEST(EquivalentQualityTest, IssueExamplesReadAsTheirCoarseness) {
  for (int q : {10, 25, 50, 75}) {
    const QuantTables perturbed = testing::PerturbedIjgTables(q);
    EXPECT_NEAR(EquivalentIjgQuality(perturbed).quality, q, kNearIjgTolerance) << q;
    EXPECT_LT(EquivalentIjgQuality(perturbed).rms_log_deviation, 0.3) << q;
  }
  EXPECT_EQ(QualityFromQuantTables(testing::PerturbedIjgTables(25)).quality, 92);
  const EquivalentQuality smooth = EquivalentIjgQuality(testing::SmoothCoarseTables());
  EXPECT_NEAR(smooth.quality, 27.1, 0.1);  // /usr/bin/python3 with the definition above
  EXPECT_EQ(QualityFromQuantTables(testing::SmoothCoarseTables()).quality, 92);
}

TEST(EquivalentQualityTest, CoarserTablesReadLower) {
  QuantTables t = testing::SmoothCoarseTables();
  const double before = EquivalentIjgQuality(t).quality;
  for (auto& table : t)
    for (uint16_t& v : table) v = uint16_t(std::min(255, v * 3 / 2));
  EXPECT_LT(EquivalentIjgQuality(t).quality, before - 5);
}

// Chroma quantized like luma (IJG's luma table in every slot a component
// uses) is finer than IJG's chroma: a higher equivalent quality than the
// luma table's own.
TEST(EquivalentQualityTest, ChromaLikeLumaReadsHigher) {
  const QuantTables one = {IjgQuantTable(50, false)};
  EXPECT_NEAR(EquivalentIjgQuality(one, {0}).quality, 50, 1e-9);  // gray
  const EquivalentQuality shared = EquivalentIjgQuality(one, {0, 0, 0});
  EXPECT_GT(shared.quality, 55);
  EXPECT_LT(shared.quality, 62);
  EXPECT_FALSE(IjgQualityOfTables(one, {0, 0, 0}).has_value());
  EXPECT_EQ(IjgQualityOfTables(one, {0}), 50);
}

TEST(EquivalentQualityTest, ExtremesClampToTheScale) {
  std::array<uint16_t, 64> coarse{}, fine{};
  coarse.fill(255);
  fine.fill(1);
  EXPECT_EQ(EquivalentIjgQuality({coarse, coarse}).quality, 1.0);
  EXPECT_EQ(EquivalentIjgQuality({fine, fine}).quality, 100.0);
  EXPECT_EQ(EquivalentIjgQuality({}).quality, 0.0);
}

}  // namespace
}  // namespace acuity

#include "batch/stage_times.h"

#include <chrono>
#include <regex>
#include <thread>

#include <gtest/gtest.h>

namespace acuity::batch {
namespace {

TEST(StageTimesTest, StagesAddUpToTheWholeAndAreSaidInOrder) {
  StageTimes times;
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  times.Mark("read");
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  times.Mark("plan and steps");
  times.SplitLast("plan", 0.02);
  ASSERT_EQ(times.stages().size(), 3u);
  EXPECT_EQ(times.stages()[0].first, "read");
  EXPECT_EQ(times.stages()[1].first, "plan");
  EXPECT_EQ(times.stages()[2].first, "plan and steps");
  EXPECT_GE(times.stages()[0].second, 0.029);
  EXPECT_DOUBLE_EQ(times.stages()[1].second, 0.02);
  EXPECT_GE(times.stages()[2].second, 0.039);
  double sum = 0;
  for (const auto& [name, s] : times.stages()) sum += s;
  EXPECT_NEAR(sum, times.TotalSeconds(), 1e-9);
  EXPECT_TRUE(std::regex_match(times.Text(), std::regex(R"(time: read \d+\.\d\d s, plan 0\.02 s, plan and steps \d+\.\d\d s; \d+\.\d\d s in all)")))
      << times.Text();
  // The same stages and the total last (a batch record's "seconds").
  const auto all = times.StagesAndTotal();
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[1], times.stages()[1]);
  EXPECT_EQ(all[3].first, "total");
  EXPECT_DOUBLE_EQ(all[3].second, times.TotalSeconds());
}

// A part larger than its stage (clocks read apart) takes the whole stage,
// never a negative one.
TEST(StageTimesTest, APartNeverExceedsItsStage) {
  StageTimes times;
  times.Mark("steps");
  times.SplitLast("plan", 1000);
  EXPECT_GE(times.stages()[1].second, 0);
  EXPECT_EQ(times.stages()[1].second, 0);
}

}  // namespace
}  // namespace acuity::batch

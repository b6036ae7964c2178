#include "batch/device_turns.h"

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace acuity::batch {
namespace {

TEST(DeviceTurnsTest, AFileTakesTheLeastBusyGpu) {
  DeviceTurns turns(2);
  const int a = turns.Take(), b = turns.Take();
  EXPECT_EQ(a, 0);
  EXPECT_EQ(b, 1);
  // GPU 1 finishes first: the next file goes there, not to busy GPU 0 by turn.
  turns.Give(b);
  EXPECT_EQ(turns.Take(), 1);
  EXPECT_EQ(turns.InFlight(0), 1);
  EXPECT_EQ(turns.InFlight(1), 1);
  // Both busy: ties go to the lowest index.
  EXPECT_EQ(turns.Take(), 0);
  EXPECT_EQ(turns.InFlight(0), 2);
}

TEST(DeviceTurnsTest, OneOrNoGpuIsNotSpread) {
  for (int devices : {0, 1}) {
    DeviceTurns turns(devices);
    EXPECT_EQ(turns.Take(), -1) << devices;
    turns.Give(-1);  // nothing to give back
    EXPECT_EQ(turns.InFlight(0), 0);
  }
}

TEST(DeviceTurnsTest, TurnsFromManyThreadsBalanceAndAllReturn) {
  DeviceTurns turns(3);
  std::atomic<int> most{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 6; ++w) {
    workers.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        DeviceTurn turn(turns);
        ASSERT_GE(turn.device(), 0);
        ASSERT_LT(turn.device(), 3);
        // Six workers over three GPUs: never more than their fair share of two on one.
        const int now = turns.InFlight(turn.device());
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
      }
    });
  }
  for (std::thread& t : workers) t.join();
  EXPECT_LE(most.load(), 2);
  for (int d = 0; d < 3; ++d) EXPECT_EQ(turns.InFlight(d), 0) << d;
}

}  // namespace
}  // namespace acuity::batch

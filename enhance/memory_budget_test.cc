#include "enhance/memory_budget.h"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "analysis/io/isolated_call.h"
#include "tests/testing/address_space.h"
#include "tests/testing/limited_cgroup.h"

namespace acuity {
namespace {

constexpr int64_t kMb = int64_t{1} << 20;

TEST(MemoryBudgetTest, ParsesTheKernelsFiles) {
  EXPECT_EQ(ParseMemAvailable("MemTotal:       24000000 kB\nMemFree: 1 kB\nMemAvailable:   23000000 kB\n"),
            int64_t{23000000} * 1024);
  EXPECT_EQ(ParseMemAvailable("MemTotal: 1 kB\n"), std::nullopt);
  const char* hybrid = "9:name=systemd:/\n4:memory:/slurm/uid_0/job_12\n1:cpu,cpuacct:/\n0::/user.slice\n";
  EXPECT_EQ(CgroupV1MemoryPath(hybrid), "/slurm/uid_0/job_12");
  EXPECT_EQ(CgroupV2Path(hybrid), "/user.slice");
  EXPECT_EQ(CgroupV1MemoryPath("0::/system.slice/x.scope\n"), std::nullopt);
  EXPECT_EQ(CgroupV1MemoryPath("5:cpu,memory:/a\n"), "/a");
  EXPECT_EQ(ParseCgroupLimit("max\n"), std::nullopt);
  EXPECT_EQ(ParseCgroupLimit("9223372036854771712\n"), std::nullopt);  // v1's "no limit"
  EXPECT_EQ(ParseCgroupLimit("629145600\n"), 629145600);
}

TEST(MemoryBudgetTest, TheSmallestBoundWinsAndNamesItself) {
  MemoryBounds bounds;
  EXPECT_EQ(SmallestBound(bounds).binding, MemoryBound::kNone);
  EXPECT_STREQ(SmallestBound(bounds).Binding(), "unknown");
  bounds.available_bytes = 20000 * kMb;
  bounds.address_space_bytes = 900 * kMb;
  bounds.cgroup_bytes = 600 * kMb;
  MemoryBudget budget = SmallestBound(bounds);
  EXPECT_EQ(budget.bytes, 600 * kMb);
  EXPECT_EQ(budget.binding, MemoryBound::kCgroup);
  EXPECT_STREQ(budget.Binding(), "the cgroup's memory limit");
  bounds.data_bytes = -5;  // already over its limit: nothing left, not a negative budget
  budget = SmallestBound(bounds);
  EXPECT_EQ(budget.bytes, 0);
  EXPECT_EQ(budget.binding, MemoryBound::kData);
}

TEST(MemoryBudgetTest, ThisMachineHasABudget) {
  const MemoryBudget budget = ReadMemoryBudget();
  EXPECT_GT(budget.bytes, 64 * kMb);  // any machine that runs the tests has 64 MB
  ASSERT_TRUE(budget.bounds.available_bytes.has_value());
  EXPECT_LE(budget.bytes, *budget.bounds.available_bytes);
}

// A real `ulimit -v` (in an expendable child): the budget is what is left
// under it, not the machine's free memory.
TEST(MemoryBudgetTest, AnAddressSpaceLimitBoundsTheBudget) {
#if defined(ACUITY_UNDER_ASAN)
  GTEST_SKIP() << "an address-space limit cannot apply to an AddressSanitizer build";
#endif
  absl::StatusOr<std::string> reply = RunIsolated({"the test", 30}, []() -> absl::StatusOr<std::string> {
    const rlim_t limit = rlim_t(testing::MappedBytes()) + rlim_t(300 * kMb);
    rlimit r{limit, RLIM_INFINITY};
    if (setrlimit(RLIMIT_AS, &r) != 0) return absl::InternalError("setrlimit");
    const MemoryBudget budget = ReadMemoryBudget();
    return std::to_string(budget.bytes / kMb) + " " + budget.Binding();
  });
  ASSERT_TRUE(reply.ok()) << reply.status();
  const int left_mb = std::stoi(*reply);
  EXPECT_GT(left_mb, 250) << *reply;  // what the reads above mapped meanwhile is small
  EXPECT_LE(left_mb, 300) << *reply;
  EXPECT_THAT(*reply, ::testing::HasSubstr("ulimit -v"));
}

// A real cgroup memory limit (v2, else v1's memory controller; as root):
// the process moves itself into a child cgroup of its own limited to
// 400 MB, and the budget follows. What Slurm's --mem and Kubernetes'
// limits set.
TEST(MemoryBudgetTest, ACgroupMemoryLimitBoundsTheBudget) {
  const testing::LimitedCgroup group("budget-test", 400);
  if (!group.ok()) GTEST_SKIP() << "needs root and a cgroup memory controller";
  absl::StatusOr<std::string> reply = RunIsolated({"the test", 30}, [&]() -> absl::StatusOr<std::string> {
    if (!group.EnterThisProcess()) return absl::UnavailableError("could not enter the cgroup");
    const MemoryBudget budget = ReadMemoryBudget();
    return std::to_string(budget.bytes / kMb) + " " + budget.Binding();
  });
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_LE(std::stoi(*reply), 400) << *reply;
  EXPECT_GT(std::stoi(*reply), 100) << *reply;
  EXPECT_THAT(*reply, ::testing::HasSubstr("cgroup"));
}

// A command checks its work against the cgroup after it has loaded the
// image, whose bytes the cgroup's usage then counts already: the estimate,
// which includes them, must not count them a second time. Measured with the
// kernel: work that fits the limit as a whole (image included) fits after
// the load, and was refused before.
TEST(MemoryBudgetTest, MemoryAlreadyLoadedIsNotCountedTwice) {
  EXPECT_EQ(StillNeededBytes(500, 200), 300);
  EXPECT_EQ(StillNeededBytes(100, 200), 0);
  EXPECT_EQ(StillNeededBytes(100, -5), 100);
  const testing::LimitedCgroup group("loaded-test", 600);
  if (!group.ok()) GTEST_SKIP() << "needs root and a cgroup memory controller";
  constexpr int64_t kImageBytes = 120 * kMb;
  absl::StatusOr<std::string> reply = RunIsolated({"the test", 30}, [&]() -> absl::StatusOr<std::string> {
    if (!group.EnterThisProcess()) return absl::UnavailableError("could not enter the cgroup");
    const std::optional<int64_t> before = ReadMemoryBudget().bounds.cgroup_bytes;
    if (!before) return absl::UnavailableError("no cgroup limit read");
    if (*before < 500 * kMb) return "not ours: " + std::to_string(*before / kMb) + " MB left";
    std::vector<uint8_t> image(kImageBytes, 7);  // the loaded pixels, touched
    asm volatile("" : : "r"(image.data()) : "memory");  // filled now, and kept
    const std::optional<int64_t> after = ReadMemoryBudget().bounds.cgroup_bytes;
    if (!after) return absl::UnavailableError("no cgroup limit read");
    // Work whose peak, the image included, fits what the limit left before the load.
    const int64_t estimate = *before - 20 * kMb;
    return std::to_string((*before - *after) / kMb) + " " + std::to_string(estimate > *after) + " " +
           std::to_string(StillNeededBytes(estimate, int64_t(image.size())) <= *after) + " " +
           std::to_string(int(image[image.size() / 2]));  // the image is used: it stays allocated
  });
  ASSERT_TRUE(reply.ok()) << reply.status();
  // A tighter limit above this cgroup (a container's, a Slurm job's) binds
  // instead, and its usage moves with everything else under it.
  if (reply->rfind("not ours", 0) == 0) GTEST_SKIP() << "a tighter cgroup limit above the test's: " << *reply;
  std::istringstream words(*reply);
  int64_t dropped_mb = 0;
  int counted_twice_refuses = 0, counted_once_fits = 0;
  words >> dropped_mb >> counted_twice_refuses >> counted_once_fits;
  EXPECT_NEAR(double(dropped_mb), 120.0, 25.0) << "the cgroup's usage counts the loaded image: " << *reply;
  EXPECT_EQ(counted_twice_refuses, 1) << *reply;
  EXPECT_EQ(counted_once_fits, 1) << *reply;
}

}  // namespace
}  // namespace acuity

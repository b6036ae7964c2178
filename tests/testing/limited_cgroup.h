// A memory-limited cgroup for the tests (as root, cgroup v2 or v1's memory
// controller): a child of this process's own cgroup with a memory limit,
// for a command (Enter, a shell prefix) or a forked child
// (EnterThisProcess) to run in — what Slurm's --mem, Kubernetes' limits
// and systemd's MemoryMax= set. Removed when it goes (once empty).
//
//   acuity::testing::LimitedCgroup group("ladder-700", 700);
//   if (!group.ok()) GTEST_SKIP() << "needs root and a cgroup memory controller";
//   RunProgram(ACUITY_BINARY, dir, {"analyze", "x.jpg"}, group.Enter());
#ifndef ACUITY_TESTS_TESTING_LIMITED_CGROUP_H_
#define ACUITY_TESTS_TESTING_LIMITED_CGROUP_H_

#include <cstdint>
#include <string>

namespace acuity::testing {

class LimitedCgroup {
 public:
  // The cgroup "acuity-<tag>-<pid>" limited to `limit_mb` MiB; not ok()
  // without root, a memory controller or the right to make it.
  LimitedCgroup(const std::string& tag, int64_t limit_mb);
  ~LimitedCgroup();
  LimitedCgroup(const LimitedCgroup&) = delete;
  LimitedCgroup& operator=(const LimitedCgroup&) = delete;

  bool ok() const { return !path_.empty(); }
  // A shell prefix that moves the command into the cgroup.
  std::string Enter() const;
  // Moves the calling process into the cgroup (a forked child, which then
  // leaves it empty for removal when it exits); false when it cannot.
  bool EnterThisProcess() const;

 private:
  std::string path_;  // "" when not made
};

}  // namespace acuity::testing

#endif  // ACUITY_TESTS_TESTING_LIMITED_CGROUP_H_

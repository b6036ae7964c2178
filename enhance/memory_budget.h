// The memory this process may really use for new work: the smallest of the
// machine's available memory and every limit the process runs under — its
// address-space and data limits (`ulimit -v`, `ulimit -d`: RLIMIT_AS,
// RLIMIT_DATA) and its cgroup's memory limit (v2 memory.max, v1
// memory.limit_in_bytes; what Slurm's --mem, Kubernetes' resources.limits
// and `systemd-run -p MemoryMax=` set), each less what is already used
// under it. `batch --jobs` and `enhance --max-memory` plan with it, so that
// a run under a limit plans for that limit, not for the machine's free
// memory.
//
//   acuity::MemoryBudget budget = acuity::ReadMemoryBudget();
//   std::cout << budget.bytes / 1e6 << " MB (" << budget.Binding() << ")\n";
//   // 612 MB (the cgroup's memory limit)
#ifndef ACUITY_ENHANCE_MEMORY_BUDGET_H_
#define ACUITY_ENHANCE_MEMORY_BUDGET_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace acuity {

// Each bound, bytes left for new work under it; nullopt where there is no
// such limit or it cannot be read.
struct MemoryBounds {
  std::optional<int64_t> available_bytes;      // MemAvailable of /proc/meminfo
  std::optional<int64_t> address_space_bytes;  // RLIMIT_AS less the mapped size (VmSize)
  std::optional<int64_t> data_bytes;           // RLIMIT_DATA less the data size (VmData)
  std::optional<int64_t> cgroup_bytes;         // the tightest cgroup limit less its usage
};

enum class MemoryBound { kNone, kAvailable, kAddressSpace, kData, kCgroup };

struct MemoryBudget {
  int64_t bytes = 0;  // the smallest bound, ≥ 0; 0 when none could be read
  MemoryBound binding = MemoryBound::kNone;  // which bound it is
  MemoryBounds bounds;
  // In words, for messages: "the machine's available memory", "the
  // address-space limit (ulimit -v)", "the data limit (ulimit -d)", "the
  // cgroup's memory limit", "unknown".
  const char* Binding() const;
};

// The smallest of `bounds` (negative bounds count as 0).
MemoryBudget SmallestBound(const MemoryBounds& bounds);

// Reads the bounds of this process now.
MemoryBudget ReadMemoryBudget();

// The memory work still needs beyond what is already in use, bytes:
// `estimate_bytes` (its peak, memory_estimate.h) less `resident_bytes` of
// it already allocated — the images a command has loaded before it checks,
// which a bound read now (a cgroup's usage, the mapped size) already counts
// against it. At least 0.
int64_t StillNeededBytes(int64_t estimate_bytes, int64_t resident_bytes);

// Parsers of the kernel's files, for the reader above and for tests.
// "MemAvailable:" of /proc/meminfo, bytes.
std::optional<int64_t> ParseMemAvailable(std::string_view meminfo);
// The cgroup v2 path ("0::/a/b") and the v1 memory controller's path
// ("4:memory:/a/b") of /proc/self/cgroup.
std::optional<std::string> CgroupV2Path(std::string_view proc_self_cgroup);
std::optional<std::string> CgroupV1MemoryPath(std::string_view proc_self_cgroup);
// A limit file's value: a number of bytes; nullopt for "max", for v1's
// "no limit" (≥ 2^62) and for anything unreadable.
std::optional<int64_t> ParseCgroupLimit(std::string_view text);

}  // namespace acuity

#endif  // ACUITY_ENHANCE_MEMORY_BUDGET_H_

#include "enhance/memory_budget.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>
#include <vector>

namespace acuity {
namespace {

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<int64_t> ParseInt(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end == text.data()) return std::nullopt;
  return value;
}

// The value after `key` at the start of a line of `text` ("key value").
std::optional<int64_t> FieldAfter(std::string_view text, std::string_view key) {
  size_t at = 0;
  while (at < text.size()) {
    const size_t end = std::min(text.find('\n', at), text.size());
    const std::string_view line = text.substr(at, end - at);
    if (line.substr(0, key.size()) == key) return ParseInt(line.substr(key.size()));
    at = end + 1;
  }
  return std::nullopt;
}

// The path after "ID:CONTROLLERS:" on the line whose controllers match.
std::optional<std::string> CgroupPath(std::string_view text, bool (*matches)(std::string_view controllers)) {
  size_t at = 0;
  while (at < text.size()) {
    const size_t end = std::min(text.find('\n', at), text.size());
    const std::string_view line = text.substr(at, end - at);
    const size_t first = line.find(':');
    const size_t second = first == std::string_view::npos ? first : line.find(':', first + 1);
    if (second != std::string_view::npos && matches(line.substr(first + 1, second - first - 1)))
      return std::string(line.substr(second + 1));
    at = end + 1;
  }
  return std::nullopt;
}

// The process's VmSize and VmData (the first and sixth fields of
// /proc/self/statm), bytes.
struct Mapped {
  std::optional<int64_t> size_bytes, data_bytes;
};
Mapped ReadMapped() {
  std::istringstream statm(ReadText("/proc/self/statm"));
  int64_t size = 0, resident = 0, shared = 0, text = 0, lib = 0, data = 0;
  if (!(statm >> size >> resident >> shared >> text >> lib >> data)) return {};
  const int64_t page = sysconf(_SC_PAGESIZE);
  return {size * page, data * page};
}

// A soft rlimit less what already counts against it.
std::optional<int64_t> LeftUnder(int resource, std::optional<int64_t> used) {
  rlimit limit{};
  if (getrlimit(resource, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY || !used) return std::nullopt;
  return int64_t(limit.rlim_cur) - *used;
}

// Bytes left under the cgroup limits of `path` and every ancestor (the
// tightest counts), in a hierarchy mounted at `root`, with the file names
// of v2 or v1. Usage leaves out inactive page cache, which the kernel
// reclaims before it refuses memory (as the kubelet's working set does).
std::optional<int64_t> CgroupLeft(const std::string& root, std::string path, const char* limit_file,
                                  const char* usage_file, std::string_view inactive_key) {
  std::optional<int64_t> tightest;
  while (true) {
    const std::string dir = root + (path == "/" ? "" : path);
    const std::optional<int64_t> limit = ParseCgroupLimit(ReadText(dir + "/" + limit_file));
    const std::optional<int64_t> usage = ParseInt(ReadText(dir + "/" + usage_file));
    if (limit && usage) {
      const int64_t inactive = FieldAfter(ReadText(dir + "/memory.stat"), inactive_key).value_or(0);
      const int64_t left = *limit - std::max<int64_t>(0, *usage - inactive);
      tightest = tightest ? std::min(*tightest, left) : left;
    }
    if (path.empty() || path == "/") break;
    const size_t slash = path.rfind('/');
    path = slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
  }
  return tightest;
}

std::optional<int64_t> ReadCgroupLeft() {
  const std::string self = ReadText("/proc/self/cgroup");
  std::optional<int64_t> left;
  const auto keep = [&left](std::optional<int64_t> bound) {
    if (bound) left = left ? std::min(*left, *bound) : *bound;
  };
  if (std::optional<std::string> v2 = CgroupV2Path(self)) {
    // Pure v2 at /sys/fs/cgroup, or the hybrid layout's unified tree.
    for (const char* root : {"/sys/fs/cgroup", "/sys/fs/cgroup/unified"})
      if (std::ifstream(std::string(root) + "/cgroup.controllers"))
        keep(CgroupLeft(root, *v2, "memory.max", "memory.current", "inactive_file "));
  }
  if (std::optional<std::string> v1 = CgroupV1MemoryPath(self))
    keep(CgroupLeft("/sys/fs/cgroup/memory", *v1, "memory.limit_in_bytes", "memory.usage_in_bytes",
                    "total_inactive_file "));
  return left;
}

}  // namespace

const char* MemoryBudget::Binding() const {
  switch (binding) {
    case MemoryBound::kAvailable: return "the machine's available memory";
    case MemoryBound::kAddressSpace: return "the address-space limit (ulimit -v)";
    case MemoryBound::kData: return "the data limit (ulimit -d)";
    case MemoryBound::kCgroup: return "the cgroup's memory limit";
    case MemoryBound::kNone: break;
  }
  return "unknown";
}

int64_t StillNeededBytes(int64_t estimate_bytes, int64_t resident_bytes) {
  return std::max<int64_t>(0, estimate_bytes - std::max<int64_t>(0, resident_bytes));
}

MemoryBudget SmallestBound(const MemoryBounds& bounds) {
  MemoryBudget budget;
  budget.bounds = bounds;
  const std::pair<const std::optional<int64_t>*, MemoryBound> all[] = {
      {&bounds.available_bytes, MemoryBound::kAvailable},
      {&bounds.address_space_bytes, MemoryBound::kAddressSpace},
      {&bounds.data_bytes, MemoryBound::kData},
      {&bounds.cgroup_bytes, MemoryBound::kCgroup}};
  for (const auto& [value, which] : all) {
    if (!*value) continue;
    const int64_t bytes = std::max<int64_t>(0, **value);
    if (budget.binding == MemoryBound::kNone || bytes < budget.bytes) {
      budget.bytes = bytes;
      budget.binding = which;
    }
  }
  return budget;
}

MemoryBudget ReadMemoryBudget() {
  MemoryBounds bounds;
  bounds.available_bytes = ParseMemAvailable(ReadText("/proc/meminfo"));
  const Mapped mapped = ReadMapped();
  bounds.address_space_bytes = LeftUnder(RLIMIT_AS, mapped.size_bytes);
  bounds.data_bytes = LeftUnder(RLIMIT_DATA, mapped.data_bytes);
  bounds.cgroup_bytes = ReadCgroupLeft();
  return SmallestBound(bounds);
}

std::optional<int64_t> ParseMemAvailable(std::string_view meminfo) {
  const std::optional<int64_t> kib = FieldAfter(meminfo, "MemAvailable:");
  return kib ? std::optional<int64_t>(*kib * 1024) : std::nullopt;
}

std::optional<std::string> CgroupV2Path(std::string_view text) {
  return CgroupPath(text, [](std::string_view controllers) { return controllers.empty(); });
}

std::optional<std::string> CgroupV1MemoryPath(std::string_view text) {
  return CgroupPath(text, [](std::string_view controllers) {
    size_t at = 0;
    while (at <= controllers.size()) {
      const size_t end = std::min(controllers.find(',', at), controllers.size());
      if (controllers.substr(at, end - at) == "memory") return true;
      at = end + 1;
    }
    return false;
  });
}

std::optional<int64_t> ParseCgroupLimit(std::string_view text) {
  const std::optional<int64_t> value = ParseInt(text);
  // cgroup v1 writes "no limit" as the largest page-aligned 63-bit number.
  if (!value || *value < 0 || *value >= (int64_t{1} << 62)) return std::nullopt;
  return value;
}

}  // namespace acuity

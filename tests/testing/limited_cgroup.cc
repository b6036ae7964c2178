#include "tests/testing/limited_cgroup.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

#include "enhance/memory_budget.h"
#include "tests/testing/run_program.h"

namespace acuity::testing {

LimitedCgroup::LimitedCgroup(const std::string& tag, int64_t limit_mb) {
  namespace fs = std::filesystem;
  if (geteuid() != 0) return;
  std::ifstream self_file("/proc/self/cgroup");
  const std::string self((std::istreambuf_iterator<char>(self_file)), std::istreambuf_iterator<char>());
  std::string parent, limit_file;
  if (auto v2 = CgroupV2Path(self); v2 && fs::exists("/sys/fs/cgroup/cgroup.controllers")) {
    parent = "/sys/fs/cgroup" + (*v2 == "/" ? "" : *v2);
    limit_file = "memory.max";
  } else if (auto v1 = CgroupV1MemoryPath(self); v1 && fs::exists("/sys/fs/cgroup/memory")) {
    parent = "/sys/fs/cgroup/memory" + (*v1 == "/" ? "" : *v1);
    limit_file = "memory.limit_in_bytes";
  }
  if (parent.empty()) return;
  const std::string group = parent + "/acuity-" + tag + "-" + std::to_string(getpid());
  std::error_code ec;
  if (!fs::create_directory(group, ec) || !fs::exists(group + "/" + limit_file)) {
    fs::remove(group, ec);
    return;
  }
  std::ofstream(group + "/" + limit_file) << (limit_mb << 20) << "\n";
  path_ = group;
}

LimitedCgroup::~LimitedCgroup() {
  std::error_code ec;
  if (ok()) std::filesystem::remove(path_, ec);
}

std::string LimitedCgroup::Enter() const { return "echo $$ > " + ShellQuote(path_ + "/cgroup.procs") + " && "; }

bool LimitedCgroup::EnterThisProcess() const {
  if (!ok()) return false;
  std::ofstream procs(path_ + "/cgroup.procs");
  procs << getpid() << "\n";
  procs.flush();
  return bool(procs);
}

}  // namespace acuity::testing

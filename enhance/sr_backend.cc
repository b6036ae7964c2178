#include "enhance/sr_backend.h"

#include <dlfcn.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>
#include <system_error>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

#ifndef ACUITY_TORCH_MODULE_BUILD_PATH
#define ACUITY_TORCH_MODULE_BUILD_PATH ""
#endif

namespace acuity {
namespace {

constexpr char kModuleFile[] = "libacuity_torch.so";

// The directory of the running program ("" when /proc is unavailable).
std::filesystem::path ProgramDir() {
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path() : exe.parent_path();
}

// Where the module is looked for, in order (see GetSrBackend).
std::vector<std::string> Candidates() {
  if (const char* env = std::getenv("ACUITY_TORCH_MODULE"); env != nullptr && *env != '\0') {
    return {env};
  }
  std::vector<std::string> out;
  const std::filesystem::path dir = ProgramDir();
  if (!dir.empty()) {
    out.push_back((dir / kModuleFile).string());
    out.push_back((dir / ".." / "lib" / "acuity" / kModuleFile).string());
  }
  if (*ACUITY_TORCH_MODULE_BUILD_PATH != '\0') out.push_back(ACUITY_TORCH_MODULE_BUILD_PATH);
  return out;
}

// Tries each candidate; the first that exists is the one (a file that
// exists but does not load is an error, not a reason to try the next one).
absl::StatusOr<const SrBackend*> LoadModule() {
  std::vector<std::string> tried;
  for (const std::string& path : Candidates()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
      tried.push_back(path);
      continue;
    }
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      const char* why = dlerror();
      return absl::FailedPreconditionError(absl::StrCat(
          "the super-resolution module ", path, " does not load: ", why ? why : "unknown reason"));
    }
    auto entry = reinterpret_cast<SrBackendEntryPoint>(dlsym(handle, kSrBackendEntryPoint));
    if (entry == nullptr || entry() == nullptr) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the super-resolution module ", path, " has no ", kSrBackendEntryPoint,
          " (a module from another acuity version?)"));
    }
    return entry();
  }
  return absl::FailedPreconditionError(
      absl::StrCat("the super-resolution module ", kModuleFile,
                   " was not found (looked in: ", absl::StrJoin(tried, ", "),
                   "); reinstall acuity or set ACUITY_TORCH_MODULE to its path"));
}

// The process's one module, loaded once. A dlopen'ed library is
// process-wide by nature; this is the only state behind GetSrBackend.
struct ModuleState {
  std::once_flag once;
  std::atomic<bool> loaded{false};
  absl::StatusOr<const SrBackend*> backend = absl::UnknownError("not loaded");
};

ModuleState& State() {
  static ModuleState state;
  return state;
}

}  // namespace

absl::StatusOr<const SrBackend*> GetSrBackend() {
  ModuleState& state = State();
  std::call_once(state.once, [&state] {
    state.backend = LoadModule();
    state.loaded = state.backend.ok();
  });
  return state.backend;
}

bool SrBackendLoaded() { return State().loaded; }

}  // namespace acuity

#include "analysis/io/lazy_module.h"

#include <dlfcn.h>
#include <link.h>

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "analysis/io/guard.h"

namespace acuity {

namespace {

struct CodeFile {
  std::filesystem::path dir;
  bool shared_object = false;  // a library another program loaded (the Python module)
};

// The file this function's code lies in. The main program's link map is
// the first of the process's (for a PIE and a non-PIE program alike), and
// its file is read from /proc: dladdr names it as it was invoked (argv[0]).
CodeFile WhereTheCodeIs() {
  Dl_info info{};
  link_map* map = nullptr;
  void* main_program = dlopen(nullptr, RTLD_LAZY | RTLD_NOLOAD);
  link_map* main_map = nullptr;
  if (main_program != nullptr) dlinfo(main_program, RTLD_DI_LINKMAP, &main_map);
  if (dladdr1(reinterpret_cast<void*>(&WhereTheCodeIs), &info, reinterpret_cast<void**>(&map), RTLD_DL_LINKMAP) != 0 &&
      map != nullptr && main_map != nullptr && map != main_map && info.dli_fname != nullptr &&
      info.dli_fname[0] == '/') {
    std::error_code ec;
    const std::filesystem::path file = std::filesystem::weakly_canonical(info.dli_fname, ec);
    if (!ec) return {file.parent_path(), true};
  }
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return {ec ? std::filesystem::path() : exe.parent_path(), false};
}

}  // namespace

std::filesystem::path ProgramDir() { return WhereTheCodeIs().dir; }

std::vector<std::filesystem::path> InstallPrefixes() {
  const CodeFile code = WhereTheCodeIs();
  if (code.dir.empty()) return {};
  // A program in <prefix>/bin; the Python module in
  // <prefix>/lib/python3/dist-packages (python/CMakeLists.txt).
  if (code.shared_object) return {code.dir / ".." / ".." / ".."};
  return {code.dir / ".."};
}

std::filesystem::path BuildTreeDir() {
  std::filesystem::path dir = ProgramDir();
  for (int up = 0; up <= 3 && !dir.empty(); ++up, dir = dir.parent_path()) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(dir / kBuildTreeMarker, ec)) return dir;
    if (dir == dir.root_path()) break;
  }
  return {};
}

std::vector<std::string> ModuleCandidates(const ModuleLocation& location) {
  if (const char* env = std::getenv(location.env_var); env != nullptr && *env != '\0') return {env};
  std::vector<std::string> out;
  const std::filesystem::path dir = ProgramDir();
  if (!dir.empty()) out.push_back((dir / location.file).string());
  for (const std::filesystem::path& prefix : InstallPrefixes())
    out.push_back((prefix / "lib" / "acuity" / location.file).string());
  if (const std::filesystem::path build = BuildTreeDir(); !build.empty())
    out.push_back((build / location.file).string());
  return out;
}

absl::StatusOr<void*> LoadModuleEntry(const ModuleLocation& location) {
  const std::vector<std::string> candidates = ModuleCandidates(location);
  for (const std::string& path : candidates) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) continue;
    // The first file that exists is the one: a broken module is an error,
    // not a reason to pick up another copy.
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      const std::string why = dlerror() ?: "unknown reason";
      // The loader cannot map the libraries when the address space is
      // exhausted (ulimit -v, a full machine): the machine's fault, not
      // the module's.
      if (absl::StrContains(why, "failed to map segment") || absl::StrContains(why, "Cannot allocate memory")) {
        return OutOfMemoryError(absl::StrCat("loading ", location.file));
      }
      return absl::FailedPreconditionError(absl::StrCat("the module ", path, " does not load: ", why));
    }
    void* entry = dlsym(handle, location.entry_point);
    if (entry == nullptr) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the module ", path, " has no ", location.entry_point, " (from another acuity version?)"));
    }
    return entry;
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "the module ", location.file, " was not found (looked in: ", absl::StrJoin(candidates, ", "),
      "); reinstall acuity or set ", location.env_var, " to its path"));
}

}  // namespace acuity

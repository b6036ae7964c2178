// Loading one of acuity's own shared modules on first use. The heavy
// dependencies — LibTorch (enhance/torch/) and OpenCV's imgcodecs with its
// 140 libraries (analysis/io/opencv_module/) — live in modules that the
// programs dlopen only when a job needs them, so that `acuity analyze` of a
// PNG or `acuity --help` starts in milliseconds instead of 0.6 s
// (models/RESULTS.md, "Start-up").
//
//   constexpr acuity::ModuleLocation kTorch = {"libacuity_torch.so", "acuity_sr_module",
//                                             "ACUITY_TORCH_MODULE"};
//   absl::StatusOr<void*> entry = acuity::LoadModuleEntry(kTorch);
//   auto get = reinterpret_cast<const Backend* (*)()>(*entry);
//
// A caller loads each module once (std::call_once) and keeps what the entry
// point returns; a module is never unloaded.
#ifndef ACUITY_ANALYSIS_IO_LAZY_MODULE_H_
#define ACUITY_ANALYSIS_IO_LAZY_MODULE_H_

#include <filesystem>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace acuity {

struct ModuleLocation {
  const char* file;         // e.g. "libacuity_torch.so"
  const char* entry_point;  // the extern "C" function looked up with dlsym
  const char* env_var;      // a variable naming the file's full path, overriding the search
};

// The directory of the file that holds acuity's code ("" when it cannot be
// told): the running program (`acuity`, the viewer: /proc/self/exe), or the
// Python module (<prefix>/lib/python3/dist-packages/acuity….so) when Python
// loaded it — then the program is python3, whose directory says nothing of
// where acuity is installed. The modules and the converted models are
// looked for from here first.
std::filesystem::path ProgramDir();

// The install prefix ProgramDir() sits in, as a path not resolved: <dir>/..
// for a program (in <prefix>/bin), <dir>/../../.. for the Python module (in
// <prefix>/lib/python3/dist-packages). Empty when ProgramDir() is.
std::vector<std::filesystem::path> InstallPrefixes();

// The file CMake writes at the top of every build tree (and no install
// carries): it marks the directory where a program run from its build tree
// finds the modules and the converted models.
inline constexpr char kBuildTreeMarker[] = "acuity-build-tree.txt";

// The build tree the running code lies in: the first of ProgramDir() and
// its parents, up to 3 levels up (build/enhance/gpu/ holds a test program,
// build/python/ the Python module), that holds kBuildTreeMarker. Empty for
// an installed acuity. Nothing of the build machine's paths is compiled in:
// an installed program never looks into the tree it was built in.
std::filesystem::path BuildTreeDir();

// Where `location` is looked for, in order: $env_var if set (then only
// there), next to ProgramDir(), in <prefix>/lib/acuity of each
// InstallPrefixes(), then in BuildTreeDir() (when there is one).
std::vector<std::string> ModuleCandidates(const ModuleLocation& location);

// dlopens the first candidate that exists and returns its entry point.
// FailedPrecondition naming the places tried (none exists), or the file and
// dlopen's reason (it exists but does not load, or lacks the entry point).
absl::StatusOr<void*> LoadModuleEntry(const ModuleLocation& location);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_IO_LAZY_MODULE_H_

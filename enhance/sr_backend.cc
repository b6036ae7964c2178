#include "enhance/sr_backend.h"

#include <atomic>
#include <mutex>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "analysis/io/guard.h"
#include "analysis/io/lazy_module.h"

#ifndef ACUITY_TORCH_MODULE_BUILD_PATH
#define ACUITY_TORCH_MODULE_BUILD_PATH ""
#endif

namespace acuity {
namespace {

constexpr ModuleLocation kTorchModule = {"libacuity_torch.so", kSrBackendEntryPoint,
                                         "ACUITY_TORCH_MODULE", ACUITY_TORCH_MODULE_BUILD_PATH};

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

absl::StatusOr<const SrBackend*> Load() {
  absl::StatusOr<void*> entry = LoadModuleEntry(kTorchModule);
  if (absl::IsResourceExhausted(entry.status())) {  // out of memory: the machine's fault
    return OutOfMemoryError("upscaling (loading the LibTorch module)");
  }
  if (!entry.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("super-resolution is unavailable: ", entry.status().message()));
  }
  const SrBackend* backend = reinterpret_cast<SrBackendEntryPoint>(*entry)();
  if (backend == nullptr) return absl::FailedPreconditionError("the LibTorch module returned no backend");
  return backend;
}

}  // namespace

absl::StatusOr<const SrBackend*> GetSrBackend() {
  ModuleState& state = State();
  std::call_once(state.once, [&state] {
    state.backend = Load();
    state.loaded = state.backend.ok();
  });
  return state.backend;
}

bool SrBackendLoaded() { return State().loaded; }

}  // namespace acuity

#include "enhance/sr_backend.h"

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
  // Loaded once per process (a dlopen'ed library is process-wide by nature).
  static const absl::StatusOr<const SrBackend*> backend = Load();
  return backend;
}

}  // namespace acuity

// Which device the super-resolution networks run on: the --device words
// (auto, cpu, cuda, cuda:N) and their resolution against the CUDA devices
// the LibTorch module sees. `auto` is the first CUDA device when there is
// one (batch: the files spread over all of them, DeviceRequest::spread),
// else the CPU; asking for a CUDA device that is not there is an error
// (the CLI's exit 2), never a silent fall-back to the CPU. PlanDeviceKind
// says which kind a plan's AI passes will run on, to price them.
//
//   absl::StatusOr<acuity::DeviceRequest> r = acuity::ParseDeviceRequest("cuda:1");
//   absl::StatusOr<acuity::SrDevice> d = acuity::ResolveDevice(*r, /*cuda_device_count=*/2);
//   // d->Name() == "cuda:1"; with one device: FailedPrecondition "no CUDA device 1 ..."
#ifndef ACUITY_ENHANCE_DEVICE_H_
#define ACUITY_ENHANCE_DEVICE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "analysis/advice/plan.h"
#include "analysis/advice/sr_model_facts.h"
#include "enhance/sr_backend.h"

namespace acuity {

struct DeviceRequest {
  enum class Kind { kAuto, kCpu, kCuda };
  Kind kind = Kind::kAuto;
  int cuda_index = 0;  // for kCuda
  // For kAuto with several CUDA devices: device `spread` mod their count
  // (batch gives each file the least busy GPU's index, batch/device_turns.h);
  // < 0: the first.
  int spread = -1;

  std::string Text() const;  // "auto", "cpu", "cuda:0"
};

// The --device words: "auto", "cpu", "cuda" (= cuda:0), "cuda:N" (N ≥ 0).
// InvalidArgument naming the accepted forms otherwise.
absl::StatusOr<DeviceRequest> ParseDeviceRequest(absl::string_view text);

// The device for `request` when the module sees `cuda_device_count` CUDA
// devices (auto: cuda:0, or cuda:(spread mod count)). FailedPrecondition
// (one line) for a CUDA device that is not there.
absl::StatusOr<SrDevice> ResolveDevice(const DeviceRequest& request, int cuda_device_count);

// ResolveDevice against the LibTorch module (loaded for auto and cuda, not
// for cpu). For auto, a module that does not load means the CPU (loading a
// model then reports why); for cuda, its error.
absl::StatusOr<SrDevice> ResolveDevice(const DeviceRequest& request);

// CUDA devices the LibTorch module sees (loading it); 0 when it does not load.
int CudaDeviceCount();

// The kind of device `plan`'s AI passes will run on when it asks for
// `request`, to price them (plan_time.h): kCuda when the plan upscales and
// the request resolves to a CUDA device, else kCpu (a request that does
// not resolve fails at the upscale, which says why). Loads the LibTorch
// module only for a plan that upscales.
SrDeviceKind PlanDeviceKind(const Plan& plan, const DeviceRequest& request);

}  // namespace acuity

#endif  // ACUITY_ENHANCE_DEVICE_H_

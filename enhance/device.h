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

#include <future>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "analysis/advice/plan.h"
#include "analysis/advice/sr_model_facts.h"
#include "analysis/measurements/target_spec.h"
#include "enhance/sr_backend.h"

namespace acuity {

struct AnalysisReport;  // analysis/measurements/analyze.h

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

// The kind of device an upscale asked for by `request` runs on, for the
// advisor's time budget (AnalysisReport::upscale_device): kCpu for --device
// cpu, and where no NVIDIA driver is installed (no libcuda.so.1: no CUDA
// device can be seen, and nothing is loaded to find that out); else as
// ResolveDevice finds it, loading the LibTorch module (a request that does
// not resolve is kCpu here and fails at the upscale, which says why).
SrDeviceKind UpscaleDeviceKind(const DeviceRequest& request);

// Prices `report`'s advice for the device: sets report.upscale_device to
// UpscaleDeviceKind(device) where the report's target needs an upscale
// (advisor.h TargetNeedsUpscale); leaves it (the CPU) otherwise, loading
// nothing. What advise, report, analyze, batch and the Python module call
// between the analysis and Advise.
void PriceForDevice(const DeviceRequest& device, AnalysisReport& report);

// UpscaleDeviceKind found on a thread of its own while the caller does other
// work: on a GPU's host, loading the LibTorch module and starting the CUDA
// driver take 0.5–0.7 s (models/RESULTS.md, "GPU"), as long as the analysis
// of a 1024×768 photo there; the advised plan needs the answer only after
// the analysis.
//
//   acuity::UpscaleDeviceQuery device(options.upscale.device, target, image.info.width, image.info.height);
//   absl::StatusOr<acuity::AnalysisReport> report = acuity::TryAnalyze(image, analyze);
//   report->upscale_device = device.Get();
//
// Nothing is started when `wanted` is false (the plan will not upscale: the
// answer is kCpu) or for --device cpu; without a thread to be had, Get finds
// it on the caller's. The destructor waits for the thread (a module's load).
class UpscaleDeviceQuery {
 public:
  UpscaleDeviceQuery(const DeviceRequest& request, bool wanted);
  // Wanted when `target` fitted to a width_px × height_px picture needs an
  // upscale (as PriceForDevice decides after the analysis).
  UpscaleDeviceQuery(const DeviceRequest& request, const std::optional<TargetSpec>& target, int width_px,
                     int height_px);
  ~UpscaleDeviceQuery();
  UpscaleDeviceQuery(const UpscaleDeviceQuery&) = delete;
  UpscaleDeviceQuery& operator=(const UpscaleDeviceQuery&) = delete;

  // Waits for the thread; later calls return the same answer.
  SrDeviceKind Get();

 private:
  DeviceRequest request_;
  bool wanted_ = false;
  std::future<SrDeviceKind> pending_;
  std::optional<SrDeviceKind> kind_;
};

}  // namespace acuity

#endif  // ACUITY_ENHANCE_DEVICE_H_

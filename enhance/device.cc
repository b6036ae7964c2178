#include "enhance/device.h"

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "analysis/advice/advisor.h"
#include "analysis/advice/plan_ops.h"
#include "analysis/measurements/analyze.h"
#include "analysis/measurements/target_fit.h"
#include "enhance/cuda_prestart.h"

namespace acuity {

std::string DeviceRequest::Text() const {
  switch (kind) {
    case Kind::kCpu: return "cpu";
    case Kind::kCuda: return absl::StrCat("cuda:", cuda_index);
    case Kind::kAuto: break;
  }
  return "auto";
}

absl::StatusOr<DeviceRequest> ParseDeviceRequest(absl::string_view text) {
  DeviceRequest request;
  if (text == "auto") return request;
  if (text == "cpu") {
    request.kind = DeviceRequest::Kind::kCpu;
    return request;
  }
  if (text == "cuda") {
    request.kind = DeviceRequest::Kind::kCuda;
    return request;
  }
  int index = -1;
  if (absl::ConsumePrefix(&text, "cuda:") && absl::SimpleAtoi(text, &index) && index >= 0 &&
      text.find_first_not_of("0123456789") == absl::string_view::npos) {
    request.kind = DeviceRequest::Kind::kCuda;
    request.cuda_index = index;
    return request;
  }
  return absl::InvalidArgumentError("--device takes auto, cpu, cuda or cuda:N");
}

absl::StatusOr<SrDevice> ResolveDevice(const DeviceRequest& request, int cuda_device_count) {
  switch (request.kind) {
    case DeviceRequest::Kind::kCpu: return SrDevice::Cpu();
    case DeviceRequest::Kind::kAuto:
      if (cuda_device_count <= 0) return SrDevice::Cpu();
      return SrDevice::Cuda(request.spread > 0 ? request.spread % cuda_device_count : 0);
    case DeviceRequest::Kind::kCuda: break;
  }
  if (request.cuda_index < cuda_device_count) return SrDevice::Cuda(request.cuda_index);
  return absl::FailedPreconditionError(
      cuda_device_count == 0
          ? absl::StrCat("no CUDA device: the LibTorch module sees none (acuity --version says which "
                         "module and LibTorch; docs/gpu.md builds one with CUDA); use --device cpu")
          : absl::StrCat("no CUDA device ", request.cuda_index, ": the LibTorch module sees ",
                         cuda_device_count, " (cuda:0 to cuda:", cuda_device_count - 1, ")"));
}

absl::StatusOr<SrDevice> ResolveDevice(const DeviceRequest& request) {
  if (request.kind == DeviceRequest::Kind::kCpu) return SrDevice::Cpu();
  absl::StatusOr<const SrBackend*> backend = GetSrBackend();
  if (!backend.ok()) {
    if (request.kind == DeviceRequest::Kind::kAuto) return SrDevice::Cpu();
    return backend.status();
  }
  return ResolveDevice(request, static_cast<int>((*backend)->CudaDevices().size()));
}

int CudaDeviceCount() {
  absl::StatusOr<const SrBackend*> backend = GetSrBackend();
  return backend.ok() ? static_cast<int>((*backend)->CudaDevices().size()) : 0;
}

SrDeviceKind PlanDeviceKind(const Plan& plan, const DeviceRequest& request) {
  if (!PlanUpscales(plan)) return SrDeviceKind::kCpu;
  const absl::StatusOr<SrDevice> device = ResolveDevice(request);
  return device.ok() && device->is_cuda() ? SrDeviceKind::kCuda : SrDeviceKind::kCpu;
}

SrDeviceKind UpscaleDeviceKind(const DeviceRequest& request) {
  if (request.kind == DeviceRequest::Kind::kCpu || !CudaDriverPresent()) return SrDeviceKind::kCpu;
  const absl::StatusOr<SrDevice> device = ResolveDevice(request);
  return device.ok() && device->is_cuda() ? SrDeviceKind::kCuda : SrDeviceKind::kCpu;
}

void PriceForDevice(const DeviceRequest& device, AnalysisReport& report) {
  if (report.target && TargetNeedsUpscale(*report.target)) report.upscale_device = UpscaleDeviceKind(device);
}

namespace {

// On the query's thread: nothing may escape it.
SrDeviceKind UpscaleDeviceKindOnThread(const DeviceRequest& request) noexcept {
  try {
    return UpscaleDeviceKind(request);
  } catch (...) {  // out of memory loading the module: the upscale meets it again and says so
    return SrDeviceKind::kCpu;
  }
}

}  // namespace

UpscaleDeviceQuery::UpscaleDeviceQuery(const DeviceRequest& request, bool wanted)
    : request_(request), wanted_(wanted && request.kind != DeviceRequest::Kind::kCpu) {
  if (!wanted_) {
    kind_ = SrDeviceKind::kCpu;
    return;
  }
  try {
    pending_ = std::async(std::launch::async, [request] { return UpscaleDeviceKindOnThread(request); });
  } catch (const std::exception&) {  // no thread to be had: Get finds it on the caller's
  }
}

UpscaleDeviceQuery::UpscaleDeviceQuery(const DeviceRequest& request, const std::optional<TargetSpec>& target,
                                       int width_px, int height_px)
    : UpscaleDeviceQuery(request, target && TargetNeedsUpscale(FitTarget(*target, width_px, height_px))) {}

UpscaleDeviceQuery::~UpscaleDeviceQuery() {
  if (pending_.valid()) pending_.wait();
}

SrDeviceKind UpscaleDeviceQuery::Get() {
  if (!kind_) kind_ = pending_.valid() ? pending_.get() : UpscaleDeviceKindOnThread(request_);
  return *kind_;
}

}  // namespace acuity

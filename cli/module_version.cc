#include "cli/module_version.h"

#include <fmt/format.h>

#include "absl/strings/str_join.h"
#include "enhance/torch/sr_module_abi.h"

namespace acuity::cli {
namespace {

constexpr double kBytesPerGiB = 1024.0 * 1024.0 * 1024.0;

}  // namespace

std::string DescribeDevice(const SrDeviceInfo& device) {
  std::string text = fmt::format("{} {}", device.device.Name(), device.name);
  if (device.total_bytes >= 0 && device.free_bytes >= 0) {
    text += fmt::format(" ({:.1f} GiB, {:.1f} GiB free)", device.total_bytes / kBytesPerGiB,
                        device.free_bytes / kBytesPerGiB);
  } else if (device.total_bytes >= 0) {
    text += fmt::format(" ({:.1f} GiB)", device.total_bytes / kBytesPerGiB);
  }
  return text;
}

void PrintModuleVersion(std::ostream& out) {
  absl::StatusOr<const SrBackend*> backend = GetSrBackend();
  if (!backend.ok()) {
    out << "LibTorch module: not loaded: " << backend.status().message() << "\n"
        << "devices: cpu (no LibTorch module: no upscaling)\n";
    return;
  }
  out << fmt::format("LibTorch module: {} (LibTorch {}, model interface {})\n", (*backend)->ModulePath(),
                     (*backend)->TorchVersion(), ACUITY_SR_ABI_VERSION);
  std::vector<std::string> devices = {"cpu"};
  for (const SrDeviceInfo& d : (*backend)->CudaDevices()) devices.push_back(DescribeDevice(d));
  out << "devices: " << absl::StrJoin(devices, "; ") << (devices.size() == 1 ? "; no CUDA device" : "") << "\n";
}

}  // namespace acuity::cli

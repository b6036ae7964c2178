#include "enhance/sr_backend.h"

#include <dlfcn.h>

#include <cstdint>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "analysis/io/guard.h"
#include "analysis/io/lazy_module.h"
#include "enhance/memory_budget.h"
#include "enhance/torch/sr_module_abi.h"


namespace acuity {
namespace {

// The payload that marks an out-of-memory status as the device's.
constexpr char kDeviceMemoryPayload[] = "type.acuity/device-memory";

constexpr ModuleLocation kTorchModule = {"libacuity_torch.so", ACUITY_SR_ENTRY_POINT,
                                         "ACUITY_TORCH_MODULE"};

// A status from the module: its code by meaning, its message as written.
absl::Status FromModule(AcuitySrStatus code, const char* message, const SrDevice& device) {
  switch (code) {
    case ACUITY_SR_OK: return absl::OkStatus();
    case ACUITY_SR_INVALID_ARGUMENT: return absl::InvalidArgumentError(message);
    case ACUITY_SR_HOST_OUT_OF_MEMORY: return absl::ResourceExhaustedError("out of memory");
    case ACUITY_SR_DEVICE_OUT_OF_MEMORY: return DeviceOutOfMemoryError(device, "upscaling");
    case ACUITY_SR_FAILED:
    case ACUITY_SR_NO_DEVICE:
    case ACUITY_SR_UNSUPPORTED: break;
  }
  return absl::FailedPreconditionError(message);
}

AcuitySrPrecision ToModule(SrPrecision precision) {
  switch (precision) {
    case SrPrecision::kBf16: return ACUITY_SR_BF16;
    case SrPrecision::kFp16: return ACUITY_SR_FP16;
    case SrPrecision::kFp32: break;
  }
  return ACUITY_SR_FP32;
}

// The output buffer the module fills: a cv::Mat the module sizes through
// this callback once it knows the output's size. Nothing may escape into
// the module.
float* AllocateOutput(void* context, int32_t height, int32_t width) {
  try {
    cv::Mat& out = *static_cast<cv::Mat*>(context);
    out.create(height, width, CV_32FC3);
    return out.ptr<float>();
  } catch (...) {
    return nullptr;
  }
}

class ModuleNetwork : public SrNetwork {
 public:
  ModuleNetwork(const AcuitySrModule& module, AcuitySrNetwork* network, SrDevice device)
      : module_(module), network_(network), device_(device) {}
  ~ModuleNetwork() override { module_.release(network_); }
  ModuleNetwork(const ModuleNetwork&) = delete;
  ModuleNetwork& operator=(const ModuleNetwork&) = delete;

  absl::StatusOr<cv::Mat> Forward(const cv::Mat& rgb, int threads) const override {
    if (rgb.type() != CV_32FC3 || rgb.empty() || !rgb.isContinuous()) {
      return absl::InvalidArgumentError("Forward needs a non-empty continuous CV_32FC3 tile");
    }
    char message[ACUITY_SR_MESSAGE_BYTES] = "";
    cv::Mat out;
    const AcuitySrStatus code = module_.forward(network_, rgb.ptr<float>(), rgb.rows, rgb.cols, threads,
                                                AllocateOutput, &out, message, sizeof message);
    if (code != ACUITY_SR_OK) return FromModule(code, message, device_);
    return out;
  }

 private:
  const AcuitySrModule& module_;
  AcuitySrNetwork* const network_;
  const SrDevice device_;
};

class ModuleBackend : public SrBackend {
 public:
  ModuleBackend(const AcuitySrModule& module, std::string path) : module_(module), path_(std::move(path)) {}

  absl::StatusOr<std::unique_ptr<SrNetwork>> Load(const std::string& pt_path, SrDevice device,
                                                 SrPrecision precision) const override {
    char message[ACUITY_SR_MESSAGE_BYTES] = "";
    AcuitySrNetwork* network = nullptr;
    const AcuitySrStatus code = module_.load(pt_path.c_str(), device.cuda_index, ToModule(precision),
                                             &network, message, sizeof message);
    if (code != ACUITY_SR_OK) return FromModule(code, message, device);
    return std::make_unique<ModuleNetwork>(module_, network, device);
  }

  int ProcessThreads() const override { return module_.process_threads(); }

  std::vector<SrDeviceInfo> CudaDevices() const override {
    std::vector<SrDeviceInfo> devices;
    const int count = module_.cuda_device_count();
    for (int i = 0; i < count; ++i) {
      AcuitySrDeviceInfo info{};
      char message[ACUITY_SR_MESSAGE_BYTES] = "";
      SrDeviceInfo d;
      d.device = SrDevice::Cuda(i);
      if (module_.device_info(i, &info, message, sizeof message) == ACUITY_SR_OK) {
        d.name = info.name;
        d.total_bytes = info.total_bytes;
        d.free_bytes = info.free_bytes;
      } else {
        d.name = absl::StrCat("(", message, ")");
      }
      devices.push_back(std::move(d));
    }
    return devices;
  }

  absl::Status LimitDeviceMemory(SrDevice device, int64_t bytes) const override {
    char message[ACUITY_SR_MESSAGE_BYTES] = "";
    const AcuitySrStatus code = module_.limit_device_memory(device.cuda_index, bytes, message, sizeof message);
    if (code != ACUITY_SR_OK) return FromModule(code, message, device);
    return absl::OkStatus();
  }

  std::string ModulePath() const override { return path_; }
  std::string TorchVersion() const override { return module_.torch_version; }

 private:
  const AcuitySrModule& module_;
  const std::string path_;
};

// The file the entry point was loaded from ("" when dladdr cannot say).
std::string FileOf(void* entry) {
  Dl_info info{};
  if (dladdr(entry, &info) == 0 || info.dli_fname == nullptr) return "";
  return info.dli_fname;
}

// Address space that loading the module takes: LibTorch, oneDNN and what
// their static initialisers allocate (measured: 536 MB by dlopen of Debian's
// LibTorch 1.13 build), with a margin.
constexpr int64_t kModuleAddressSpaceBytes = int64_t{600} << 20;

absl::StatusOr<const SrBackend*> Load() {
  // LibTorch's static initialisers throw std::bad_alloc when they find no
  // address space, inside dlopen, where nothing can catch it (the program
  // aborted under `ulimit -v` 550 MB): not loaded when it cannot fit.
  const std::optional<int64_t> address_space = ReadMemoryBudget().bounds.address_space_bytes;
  if (address_space && *address_space < kModuleAddressSpaceBytes) {
    return OutOfMemoryError("upscaling (loading the LibTorch module)", kModuleAddressSpaceBytes / 1048576.0);
  }
  absl::StatusOr<void*> entry = LoadModuleEntry(kTorchModule);
  if (absl::IsResourceExhausted(entry.status())) {  // out of memory: the machine's fault
    return OutOfMemoryError("upscaling (loading the LibTorch module)");
  }
  if (!entry.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("super-resolution is unavailable: ", entry.status().message()));
  }
  const std::string path = FileOf(*entry);
  char message[ACUITY_SR_MESSAGE_BYTES] = "";
  const AcuitySrModule* module =
      reinterpret_cast<AcuitySrEntryPoint>(*entry)(ACUITY_SR_ABI_VERSION, message, sizeof message);
  if (module == nullptr || module->abi_version != ACUITY_SR_ABI_VERSION) {
    return absl::FailedPreconditionError(absl::StrCat(
        "super-resolution is unavailable: ", path, ": ",
        module == nullptr ? message : "the module answered with another interface version"));
  }
  static const ModuleBackend* const backend = new ModuleBackend(*module, path);
  return backend;
}

}  // namespace

const char* PrecisionName(SrPrecision precision) {
  switch (precision) {
    case SrPrecision::kBf16: return "bf16";
    case SrPrecision::kFp16: return "fp16";
    case SrPrecision::kFp32: break;
  }
  return "fp32";
}

std::string SrDevice::Name() const { return is_cuda() ? absl::StrCat("cuda:", cuda_index) : "cpu"; }

absl::Status DeviceOutOfMemoryError(const SrDevice& device, absl::string_view doing) {
  absl::Status status = OutOfMemoryError(absl::StrCat(doing, " on ", device.Name()));
  status.SetPayload(kDeviceMemoryPayload, absl::Cord(device.Name()));
  return status;
}

bool IsDeviceOutOfMemory(const absl::Status& status) {
  return status.GetPayload(kDeviceMemoryPayload).has_value();
}

absl::StatusOr<const SrBackend*> GetSrBackend() {
  // Loaded once per process (a dlopen'ed library is process-wide by nature).
  static const absl::StatusOr<const SrBackend*> backend = Load();
  return backend;
}

}  // namespace acuity

// The boundary between acuity and LibTorch, on acuity's side. Everything
// that touches LibTorch lives in the shared module libacuity_torch.so
// (enhance/torch/), which the programs load with dlopen the first time a
// model is needed (GetSrBackend), so that commands that never upscale —
// analyze, advise, qa, --help — do not pay LibTorch's start-up (about 0.6 s
// of library loading and operator registration; models/RESULTS.md,
// "Start-up"). Only plain C crosses to the module (enhance/torch/
// sr_module_abi.h, versioned); this header wraps it in acuity's types.
//
// Nothing here includes LibTorch. SrModel (sr_model.h) is the interface the
// rest of acuity uses; sr_model.cc, the upscaler's device choice and
// `acuity --version` call this one. Tests implement SrNetwork themselves
// (a fake network that refuses large tiles: tiled_pass_test.cc).
//
//   absl::StatusOr<const acuity::SrBackend*> backend = acuity::GetSrBackend();
//   if (!backend.ok()) return backend.status();   // the module is missing or broken
//   absl::StatusOr<std::unique_ptr<acuity::SrNetwork>> net =
//       (*backend)->Load("/path/model.pt", acuity::SrDevice::Cpu(), acuity::SrPrecision::kFp32);
//   absl::StatusOr<cv::Mat> out = (*net)->Forward(rgb_f32, /*threads=*/2);
#ifndef ACUITY_ENHANCE_SR_BACKEND_H_
#define ACUITY_ENHANCE_SR_BACKEND_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace acuity {

// The arithmetic a network runs in.
enum class SrPrecision {
  kFp32,  // float32 throughout (the reference; goldens are checked in it)
  kBf16,  // bfloat16 weights and activations, float32 in and out; on the
          // CPU only fast where FastBf16 (sr_model_facts.h: AMD with AVX-512 BF16)
  kFp16,  // float16 weights and activations, float32 in and out (CUDA only)
};

// "fp32", "bf16", "fp16" (the --precision words).
const char* PrecisionName(SrPrecision precision);

// Where a network runs: the CPU or one CUDA device.
struct SrDevice {
  int cuda_index = -1;  // -1: the CPU; 0..n-1: a CUDA device

  static SrDevice Cpu() { return SrDevice{}; }
  static SrDevice Cuda(int index) { return SrDevice{index}; }
  bool is_cuda() const { return cuda_index >= 0; }
  std::string Name() const;  // "cpu", "cuda:0"
  bool operator==(const SrDevice& other) const { return cuda_index == other.cuda_index; }
};

// A CUDA device as the module sees it.
struct SrDeviceInfo {
  SrDevice device;
  std::string name;          // e.g. "NVIDIA H100 80GB HBM3"
  int64_t total_bytes = -1;  // device memory, bytes; -1 = not known
  int64_t free_bytes = -1;   // free now, bytes; -1 = not known
};

// ResourceExhausted "out of memory on <device> while <doing>", marked as
// the machine's fault (IsMachineResourceError, exit 4) and as the device's
// memory (IsDeviceOutOfMemory): a smaller tile may fit.
absl::Status DeviceOutOfMemoryError(const SrDevice& device, absl::string_view doing);
bool IsDeviceOutOfMemory(const absl::Status& status);

// One loaded network. Forward may be called from several threads at once.
class SrNetwork {
 public:
  virtual ~SrNetwork() = default;
  // Runs the network on `rgb` (CV_32FC3, continuous, RGB, HWC). Returns the
  // network's output as CV_32FC3 RGB (HWC), unclamped, any size. `threads`
  // (≥ 1) is the OpenMP team size of this call only (CPU): it is set for the
  // calling thread and restored before returning, so concurrent callers and
  // the process-wide setting are not touched. FailedPrecondition with the
  // first line of LibTorch's message when the network fails or returns
  // something else than a float 1×3×H×W tensor; ResourceExhausted when it
  // ran out of memory (IsDeviceOutOfMemory when it was the device's).
  virtual absl::StatusOr<cv::Mat> Forward(const cv::Mat& rgb, int threads) const = 0;
};

class SrBackend {
 public:
  virtual ~SrBackend() = default;
  // Loads a TorchScript file onto `device` in `precision`; on the CPU also
  // freezes and optimises it for inference (CUDA runs it as loaded). InvalidArgument when the file is not a
  // loadable TorchScript module (the message says how to save one);
  // FailedPrecondition when the device is not there or cannot run
  // `precision` (fp16 on the CPU).
  virtual absl::StatusOr<std::unique_ptr<SrNetwork>> Load(const std::string& pt_path, SrDevice device,
                                                         SrPrecision precision) const = 0;
  // LibTorch's process-wide intra-op thread count (at::get_num_threads as
  // seen from the calling thread); acuity never changes it.
  virtual int ProcessThreads() const = 0;
  // The CUDA devices the module's LibTorch sees (none for Debian's).
  virtual std::vector<SrDeviceInfo> CudaDevices() const = 0;
  // Caps what LibTorch may hold on CUDA device `device` in this process at
  // `bytes` (<= 0 lifts the cap); tiles that no longer fit fail as device
  // out of memory (IsDeviceOutOfMemory), which the tiler answers by halving
  // them. FailedPrecondition when there is no such device.
  virtual absl::Status LimitDeviceMemory(SrDevice device, int64_t bytes) const = 0;
  // The module file loaded and the LibTorch version it was built against.
  virtual std::string ModulePath() const = 0;
  virtual std::string TorchVersion() const = 0;
};

// The backend, loading libacuity_torch.so on the first call (thread-safe;
// the module stays loaded until the process ends). It is looked for in
// $ACUITY_TORCH_MODULE (a file path) if set, next to the running program,
// in <program dir>/../lib/acuity, then in the build tree the program runs
// from (analysis/io/lazy_module.h BuildTreeDir). FailedPrecondition naming the places tried,
// dlopen's reason, or the interface version mismatch when it does not load.
absl::StatusOr<const SrBackend*> GetSrBackend();

}  // namespace acuity

#endif  // ACUITY_ENHANCE_SR_BACKEND_H_

// The boundary between acuity and LibTorch. Everything that touches LibTorch
// lives in the shared module libacuity_torch.so (enhance/torch/), which
// implements SrBackend; the programs load it with dlopen the first time a
// model is needed (GetSrBackend), so that commands that never upscale —
// analyze, advise, qa, --help — do not pay LibTorch's start-up (about 0.6 s
// of library loading and operator registration; models/RESULTS.md,
// "Start-up").
//
// Nothing here includes LibTorch; no exception crosses this boundary (the
// module catches every one and returns a status). SrModel (sr_model.h) is
// the interface the rest of acuity uses; only sr_model.cc calls this one.
//
//   absl::StatusOr<const acuity::SrBackend*> backend = acuity::GetSrBackend();
//   if (!backend.ok()) return backend.status();   // the module is missing or broken
//   absl::StatusOr<std::unique_ptr<acuity::SrNetwork>> net =
//       (*backend)->Load("/path/model.pt", acuity::SrPrecision::kFp32);
//   absl::StatusOr<cv::Mat> out = (*net)->Forward(rgb_f32, /*threads=*/2);
#ifndef ACUITY_ENHANCE_SR_BACKEND_H_
#define ACUITY_ENHANCE_SR_BACKEND_H_

#include <memory>
#include <string>

#include <opencv2/core.hpp>

#include "absl/status/statusor.h"

namespace acuity {

// The arithmetic a network runs in.
enum class SrPrecision {
  kFp32,  // float32 throughout (the reference; goldens are checked in it)
  kBf16,  // bfloat16 weights and activations through oneDNN, float32 in and
          // out; only fast where the CPU has AVX-512 BF16 instructions
};

// One loaded network. Forward may be called from several threads at once.
class SrNetwork {
 public:
  virtual ~SrNetwork() = default;
  // Runs the network on `rgb` (CV_32FC3, continuous, RGB, HWC). Returns the
  // network's output as CV_32FC3 RGB (HWC), unclamped, any size. `threads`
  // (≥ 1) is the OpenMP team size of this call only: it is set for the
  // calling thread and restored before returning, so concurrent callers and
  // the process-wide setting are not touched. FailedPrecondition with the
  // first line of LibTorch's message when the network fails or returns
  // something else than a float 1×3×H×W tensor; ResourceExhausted when it
  // ran out of memory.
  virtual absl::StatusOr<cv::Mat> Forward(const cv::Mat& rgb, int threads) const = 0;
};

class SrBackend {
 public:
  virtual ~SrBackend() = default;
  // Loads a TorchScript file, freezes and optimises it for inference in
  // `precision`. InvalidArgument when the file is not a loadable
  // TorchScript module (the message says how to save one).
  virtual absl::StatusOr<std::unique_ptr<SrNetwork>> Load(const std::string& pt_path,
                                                         SrPrecision precision) const = 0;
  // LibTorch's process-wide intra-op thread count (at::get_num_threads as
  // seen from the calling thread); acuity never changes it.
  virtual int ProcessThreads() const = 0;
};

// The module's entry point, looked up by name with dlsym; the version in the
// name changes whenever SrBackend does.
inline constexpr char kSrBackendEntryPoint[] = "acuity_sr_backend_v1";
using SrBackendEntryPoint = const SrBackend* (*)();

// The backend, loading libacuity_torch.so on the first call (thread-safe;
// the module stays loaded until the process ends). It is looked for in
// $ACUITY_TORCH_MODULE (a file path) if set, next to the running program,
// in <program dir>/../lib/acuity, then in the build tree it was built in
// (analysis/io/lazy_module.h). FailedPrecondition naming the places tried
// or dlopen's reason when it does not load.
absl::StatusOr<const SrBackend*> GetSrBackend();

}  // namespace acuity

#endif  // ACUITY_ENHANCE_SR_BACKEND_H_

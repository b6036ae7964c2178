// The LibTorch implementation of SrBackend (enhance/sr_backend.h), built as
// the shared module libacuity_torch.so and loaded on first use. Every
// exception LibTorch throws is caught here and becomes a status.
#include <omp.h>

#include <cstring>
#include <memory>
#include <string>
#include <utility>

#include <ATen/Parallel.h>
#include <torch/script.h>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "enhance/sr_backend.h"

namespace acuity {
namespace {

// First line of a LibTorch exception message (the rest is a C++ backtrace
// that means nothing to a user).
std::string FirstLine(const char* what) {
  std::string s(what == nullptr ? "" : what);
  const size_t nl = s.find('\n');
  if (nl != std::string::npos) s.resize(nl);
  return s;
}

// True when a LibTorch error says the CPU allocator ran out of memory. It
// comes as a c10::Error, or as the std::runtime_error the TorchScript
// interpreter rethrows from inside a module ("The following operation
// failed in the TorchScript interpreter. ... DefaultCPUAllocator: can't
// allocate memory ..."); LibTorch has no error type for it on the CPU, so
// its text is all there is to tell by.
bool IsOutOfMemory(const std::exception& e) {
  if (dynamic_cast<const std::bad_alloc*>(&e) != nullptr) return true;
  const std::string what(e.what() == nullptr ? "" : e.what());
  return absl::StrContains(what, "DefaultCPUAllocator: can't allocate memory") ||
         absl::StrContains(what, "DefaultCPUAllocator: not enough memory");
}

// An exception from LibTorch as a status: ResourceExhausted when the CPU
// allocator failed, `otherwise` with the message's first line if not.
absl::Status TorchError(const std::exception& e, absl::StatusCode otherwise, const std::string& prefix) {
  if (IsOutOfMemory(e)) return absl::ResourceExhaustedError("out of memory");
  return absl::Status(otherwise, absl::StrCat(prefix, FirstLine(e.what())));
}

// Sets the calling thread's OpenMP team size (the nthreads ICV, which
// ATen's and oneDNN's parallel regions read) for one scope, then restores it.
class ScopedOmpThreads {
 public:
  explicit ScopedOmpThreads(int threads) : saved_(omp_get_max_threads()) {
    omp_set_num_threads(threads < 1 ? 1 : threads);
  }
  ~ScopedOmpThreads() { omp_set_num_threads(saved_); }
  ScopedOmpThreads(const ScopedOmpThreads&) = delete;
  ScopedOmpThreads& operator=(const ScopedOmpThreads&) = delete;

 private:
  int saved_;
};

class TorchNetwork : public SrNetwork {
 public:
  TorchNetwork(torch::jit::Module module, SrPrecision precision)
      : module_(std::move(module)), precision_(precision) {}

  absl::StatusOr<cv::Mat> Forward(const cv::Mat& rgb, int threads) const override {
    if (rgb.type() != CV_32FC3 || rgb.empty() || !rgb.isContinuous()) {
      return absl::InvalidArgumentError("Forward needs a non-empty continuous CV_32FC3 tile");
    }
    try {
      ScopedOmpThreads scoped(threads);
      c10::InferenceMode inference_mode;
      torch::Tensor x = torch::from_blob(const_cast<uchar*>(rgb.data), {1, rgb.rows, rgb.cols, 3},
                                         torch::kFloat32)
                            .permute({0, 3, 1, 2})
                            .contiguous();
      if (precision_ == SrPrecision::kBf16) x = x.to(torch::kBFloat16);
      torch::jit::IValue result = module_.forward({x});
      if (!result.isTensor()) return absl::FailedPreconditionError("the network did not return a tensor");
      torch::Tensor y = result.toTensor();
      if (y.dim() != 4 || y.size(0) != 1 || y.size(1) != 3 || !y.is_floating_point()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "the network returned a tensor of shape ", FirstLine(c10::str(y.sizes()).c_str()), " (",
            c10::toString(y.scalar_type()), "); expected float 1x3xHxW"));
      }
      if (precision_ == SrPrecision::kBf16 && y.scalar_type() != torch::kFloat32) {
        y = y.to(torch::kFloat32);
      } else if (y.scalar_type() != torch::kFloat32) {
        return absl::FailedPreconditionError(absl::StrCat(
            "the network returned ", c10::toString(y.scalar_type()), "; expected float32"));
      }
      y = y.squeeze(0).permute({1, 2, 0}).contiguous();
      cv::Mat out(static_cast<int>(y.size(0)), static_cast<int>(y.size(1)), CV_32FC3);
      std::memcpy(out.data, y.data_ptr<float>(), sizeof(float) * y.numel());
      return out;
    } catch (const std::exception& e) {
      return TorchError(e, absl::StatusCode::kFailedPrecondition, "");
    }
  }

 private:
  // forward() is not const in LibTorch's API but does not change a frozen
  // module; concurrent calls are safe.
  mutable torch::jit::Module module_;
  SrPrecision precision_;
};

// Freezes and optimises for inference: weights become constants,
// convolutions run through oneDNN with pre-packed weights (also the 1×1
// ones, which otherwise take the slow im2col path). Measured
// (models/RESULTS.md, "Freezing"): 2.0× faster for slim and 2.7× for medium
// on one thread, outputs equal within 3e-4 on the 0–255 scale. A module that
// cannot be frozen (a user's, with unusual attributes) runs as loaded.
torch::jit::Module Optimised(torch::jit::Module module) {
  try {
    torch::jit::Module frozen = torch::jit::freeze(module);
    return torch::jit::optimize_for_inference(frozen);
  } catch (const std::exception&) {
    return module;
  }
}

class TorchBackend : public SrBackend {
 public:
  absl::StatusOr<std::unique_ptr<SrNetwork>> Load(const std::string& pt_path,
                                                 SrPrecision precision) const override {
    torch::jit::Module module;
    try {
      module = torch::jit::load(pt_path, torch::kCPU);
      module.eval();
      if (precision == SrPrecision::kBf16) module.to(torch::kBFloat16);
    } catch (const std::exception& e) {
      return TorchError(e, absl::StatusCode::kInvalidArgument,
                        absl::StrCat(pt_path, " is not a loadable TorchScript model (save it with "
                                              "torch.jit.trace or torch.jit.script, then torch.jit.save): "));
    }
    return std::make_unique<TorchNetwork>(Optimised(std::move(module)), precision);
  }

  int ProcessThreads() const override { return at::get_num_threads(); }
};

}  // namespace
}  // namespace acuity

extern "C" __attribute__((visibility("default"))) const acuity::SrBackend* acuity_sr_backend_v1() {
  static const acuity::TorchBackend backend;
  return &backend;
}

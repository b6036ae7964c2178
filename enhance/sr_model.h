// One loaded TorchScript super-resolution model and a call that runs it on
// one image tile. LibTorch stays in the shared module behind sr_backend.h,
// loaded on the first SrModel::Load, so that this header is cheap to
// include and programs that never upscale never load LibTorch.
//
// Tensor contract (models/README.md): input float32 1×3×H×W RGB in
// [0, input_range]; output 1×3×(H·scale)×(W·scale) in [0, output_range], not
// clamped. Here tiles are cv::Mat CV_32FC3 in RGB order (HWC).
//
//   absl::StatusOr<acuity::ModelSpec> spec = acuity::FindModel("esrgan-slim", 2, "");
//   absl::StatusOr<std::unique_ptr<acuity::SrModel>> model = acuity::SrModel::Load(*spec);
//   absl::StatusOr<cv::Mat> out = (*model)->Run(rgb_f32_tile, /*threads=*/1);   // 2× larger, unclamped
#ifndef ACUITY_ENHANCE_SR_MODEL_H_
#define ACUITY_ENHANCE_SR_MODEL_H_

#include <memory>
#include <mutex>

#include <opencv2/core.hpp>

#include "absl/status/statusor.h"
#include "analysis/advice/sr_model_facts.h"  // CpuHasFastBf16
#include "enhance/model_registry.h"
#include "enhance/sr_backend.h"

namespace acuity {

class SrModel {
 public:
  // Loads spec.pt_path with torch::jit::load and checks it with a small probe
  // input: the output must have 3 channels and be exactly scale× the input
  // (when spec.scale is 0 the scale is taken from the probe and must be an
  // integer 1..16). NotFound for a missing file; InvalidArgument for a file
  // that is not a TorchScript module; FailedPrecondition for a module that
  // does not behave like an SR model; FailedPrecondition also when the
  // LibTorch module cannot be loaded (GetSrBackend). `precision`: the
  // arithmetic (sr_backend.h); ChoosePrecision picks it. `device`: where
  // it runs (FailedPrecondition when the module does not see it); on a CUDA
  // device the spec's CUDA form is loaded where it has one (ModelOnDevice).
  static absl::StatusOr<std::unique_ptr<SrModel>> Load(const ModelSpec& spec,
                                                       SrPrecision precision = SrPrecision::kFp32,
                                                       SrDevice device = SrDevice::Cpu());

  // An SrModel around a network loaded elsewhere (another backend, or a
  // test's fake network), checked with the same probe as Load.
  static absl::StatusOr<std::unique_ptr<SrModel>> FromNetwork(const ModelSpec& spec, SrPrecision precision,
                                                              SrDevice device,
                                                              std::unique_ptr<SrNetwork> network);

  ~SrModel();
  SrModel(const SrModel&) = delete;
  SrModel& operator=(const SrModel&) = delete;

  const ModelSpec& spec() const { return spec_; }
  int scale() const { return spec_.scale; }
  SrPrecision precision() const { return precision_; }
  SrDevice device() const { return device_; }

  // Runs the model on `rgb` (CV_32FC3, RGB, values in [0, input_range]).
  // Returns CV_32FC3 RGB of size scale× in [0, output_range], unclamped.
  // FailedPrecondition when the model fails or returns a wrong shape;
  // ResourceExhausted when it ran out of memory (IsDeviceOutOfMemory when
  // the device's memory: a smaller tile may fit). `threads` (≥ 1): LibTorch
  // intra-op threads for this call only (the calling thread's OpenMP team;
  // nothing process-wide changes). May be called from several threads at
  // once (tile workers); on a CUDA device the calls take turns, copies to
  // and from the device included (one working set of this network on the
  // device at a time: two tiles in flight overlap one's host conversions
  // with the other's turn, never their device memory). The model is shared
  // (model_cache.h): a batch's files on one GPU take turns in it too, and
  // two different models on one GPU do not. On the CPU the calls run
  // together.
  absl::StatusOr<cv::Mat> Run(const cv::Mat& rgb, int threads = 1) const;

 private:
  SrModel(ModelSpec spec, SrPrecision precision, SrDevice device, std::unique_ptr<SrNetwork> network);
  ModelSpec spec_;
  SrPrecision precision_;
  SrDevice device_;
  std::unique_ptr<SrNetwork> network_;
  mutable std::mutex device_turn_;  // held by a CUDA call (Run)
};

// The precision to run `spec` in on the CPU: bf16 when the caller allows it
// (allow_bf16), the CPU runs it faster (CpuHasFastBf16: AMD with AVX-512
// BF16; an Intel Xeon with it and no AMX ran it slower) and the model was measured to
// gain from it at no visible cost (ModelSpec::bf16_ok: ≥ 1.5× faster and
// ≥ 45 dB PSNR from its float32 output; models/RESULTS.md, "bfloat16");
// float32 otherwise. On a CUDA device: float16 (the tensor cores' native
// arithmetic; its distance from float32 is a `gpu` test).
SrPrecision ChoosePrecision(const ModelSpec& spec, bool allow_bf16, SrDevice device = SrDevice::Cpu());

// LibTorch's process-wide intra-op thread count (Debian's LibTorch: 1).
// acuity never changes it: each SrModel::Run sets its own thread's team.
// Loads the LibTorch module; -1 when it cannot be loaded.
int InferenceThreads();

// The measured default thread budget (models/RESULTS.md, "Threads"): all
// online cores.
int DefaultInferenceThreads();

}  // namespace acuity

#endif  // ACUITY_ENHANCE_SR_MODEL_H_

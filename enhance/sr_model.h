// One loaded TorchScript super-resolution model and a call that runs it on
// one image tile. LibTorch stays inside sr_model.cc (pimpl) so that this
// header is cheap to include.
//
// Tensor contract (models/README.md): input float32 1×3×H×W RGB in
// [0, input_range]; output 1×3×(H·scale)×(W·scale) in [0, output_range], not
// clamped. Here tiles are cv::Mat CV_32FC3 in RGB order (HWC).
//
//   absl::StatusOr<acuity::ModelSpec> spec = acuity::FindModel("esrgan-slim", 2, "");
//   absl::StatusOr<std::unique_ptr<acuity::SrModel>> model = acuity::SrModel::Load(*spec);
//   absl::StatusOr<cv::Mat> out = (*model)->Run(rgb_f32_tile);   // 2× larger, unclamped
#ifndef ACUITY_ENHANCE_SR_MODEL_H_
#define ACUITY_ENHANCE_SR_MODEL_H_

#include <memory>

#include <opencv2/core.hpp>

#include "absl/status/statusor.h"
#include "enhance/model_registry.h"

namespace acuity {

class SrModel {
 public:
  // Loads spec.pt_path with torch::jit::load and checks it with a small probe
  // input: the output must have 3 channels and be exactly scale× the input
  // (when spec.scale is 0 the scale is taken from the probe and must be an
  // integer 1..16). NotFound for a missing file; InvalidArgument for a file
  // that is not a TorchScript module; FailedPrecondition for a module that
  // does not behave like an SR model.
  static absl::StatusOr<std::unique_ptr<SrModel>> Load(const ModelSpec& spec);

  ~SrModel();
  SrModel(const SrModel&) = delete;
  SrModel& operator=(const SrModel&) = delete;

  const ModelSpec& spec() const { return spec_; }
  int scale() const { return spec_.scale; }

  // Runs the model on `rgb` (CV_32FC3, RGB, values in [0, input_range]).
  // Returns CV_32FC3 RGB of size scale× in [0, output_range], unclamped.
  // FailedPrecondition when the model fails or returns a wrong shape.
  // May be called from several threads at once (tile workers).
  absl::StatusOr<cv::Mat> Run(const cv::Mat& rgb) const;

 private:
  struct Impl;
  SrModel(ModelSpec spec, std::unique_ptr<Impl> impl);
  ModelSpec spec_;
  std::unique_ptr<Impl> impl_;
};

// LibTorch's intra-op thread count. It is process-wide (LibTorch has one
// pool): set by the program at start-up (SetComputeThreads in
// compute_threads.h sets it to 1 for Upscale's tile workers; a benchmark of
// ThreadMode::kIntraOp sets more), never per call. 0 =
// DefaultInferenceThreads().
void SetInferenceThreads(int threads);
int InferenceThreads();

// The measured default thread budget (models/RESULTS.md, "Threads"): all
// online cores.
int DefaultInferenceThreads();

}  // namespace acuity

#endif  // ACUITY_ENHANCE_SR_MODEL_H_

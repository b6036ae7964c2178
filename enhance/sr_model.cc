#include "enhance/sr_model.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>

#include <ATen/Parallel.h>
#include <torch/script.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "analysis/io/guard.h"

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

// True when a LibTorch error (a c10::Error, or what the TorchScript
// interpreter rethrows from inside a module as a std::runtime_error: "The
// following operation failed in the TorchScript interpreter. ... RuntimeError:
// DefaultCPUAllocator: can't allocate memory ...") says that the CPU
// allocator ran out of memory. LibTorch gives no error type for it on the
// CPU, so its text is all there is to tell by.
bool IsTorchOutOfMemory(const std::exception& e) {
  if (dynamic_cast<const std::bad_alloc*>(&e) != nullptr) return true;
  const std::string_view what(e.what() == nullptr ? "" : e.what());
  return what.find("DefaultCPUAllocator: can't allocate memory") != std::string_view::npos ||
         what.find("DefaultCPUAllocator: not enough memory") != std::string_view::npos;
}

// Probe input edge in px: big enough for any stride-1 SR network.
constexpr int kProbePx = 8;

}  // namespace

struct SrModel::Impl {
  mutable torch::jit::script::Module module;
};

SrModel::SrModel(ModelSpec spec, std::unique_ptr<Impl> impl)
    : spec_(std::move(spec)), impl_(std::move(impl)) {}

SrModel::~SrModel() = default;

absl::StatusOr<std::unique_ptr<SrModel>> SrModel::Load(const ModelSpec& spec) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(spec.pt_path, ec)) {
    return absl::NotFoundError(absl::StrCat("model file ", spec.pt_path, " not found"));
  }
  if (spec.input_range <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("model ", spec.pt_path, ": input range unknown (give 1 or 255)"));
  }
  auto impl = std::make_unique<Impl>();
  try {
    impl->module = torch::jit::load(spec.pt_path, torch::kCPU);
    impl->module.eval();
  } catch (const std::exception& e) {
    if (IsTorchOutOfMemory(e)) return OutOfMemoryError(absl::StrCat("loading the model ", spec.pt_path));
    return absl::InvalidArgumentError(absl::StrCat(
        spec.pt_path, " is not a loadable TorchScript model (save it with torch.jit.trace or "
        "torch.jit.script, then torch.jit.save): ", FirstLine(e.what())));
  }
  // Freeze and optimise for inference: weights become constants, convolutions
  // run through oneDNN with pre-packed weights (also the 1×1 ones, which
  // otherwise take the slow im2col path). Measured (models/RESULTS.md,
  // "Freezing"): 2.0× faster for slim and 2.7× for medium on one thread,
  // outputs equal within 3e-4 on the 0–255 scale. A module that cannot be frozen (a
  // user's, with unusual attributes) runs as loaded.
  try {
    torch::jit::Module frozen = torch::jit::freeze(impl->module);
    impl->module = torch::jit::optimize_for_inference(frozen);
  } catch (const std::exception&) {
  }
  ModelSpec checked = spec;
  if (checked.output_range <= 0) checked.output_range = checked.input_range;
  std::unique_ptr<SrModel> model(new SrModel(checked, std::move(impl)));

  // Probe: a small mid-grey input must come out as 3 channels, scale× larger.
  cv::Mat probe(kProbePx, kProbePx, CV_32FC3,
                cv::Scalar::all(static_cast<float>(0.5 * checked.input_range)));
  const int expected = checked.scale;
  model->spec_.scale = 0;  // Run() skips the shape check while probing
  absl::StatusOr<cv::Mat> out = model->Run(probe);
  if (!out.ok()) return out.status();
  if (out->cols % kProbePx != 0 || out->rows % kProbePx != 0 ||
      out->cols / kProbePx != out->rows / kProbePx) {
    return absl::FailedPreconditionError(absl::StrCat(
        "model ", spec.pt_path, " turned a ", kProbePx, "x", kProbePx, " input into ", out->cols,
        "x", out->rows, ": not a whole-number upscaler"));
  }
  const int probed = out->cols / kProbePx;
  if (probed < 1 || probed > 16) {
    return absl::FailedPreconditionError(
        absl::StrCat("model ", spec.pt_path, " has scale ", probed, ", expected 1..16"));
  }
  if (expected != 0 && probed != expected) {
    return absl::FailedPreconditionError(absl::StrCat(
        "model ", spec.pt_path, " upscales ", probed, "x but its sidecar/options say ", expected,
        "x"));
  }
  model->spec_.scale = probed;
  return model;
}

absl::StatusOr<cv::Mat> SrModel::Run(const cv::Mat& rgb) const {
  if (rgb.type() != CV_32FC3 || rgb.empty()) {
    return absl::InvalidArgumentError("SrModel::Run needs a non-empty CV_32FC3 tile");
  }
  cv::Mat in = rgb.isContinuous() ? rgb : rgb.clone();
  try {
    // A tile worker thread starts with OpenMP's default team size; give it
    // LibTorch's process-wide setting (SetInferenceThreads).
    at::init_num_threads();
    c10::InferenceMode inference_mode;
    torch::NoGradGuard no_grad;
    torch::Tensor x = torch::from_blob(in.data, {1, in.rows, in.cols, 3}, torch::kFloat32)
                          .permute({0, 3, 1, 2})
                          .contiguous();
    torch::jit::IValue result = impl_->module.forward({x});
    if (!result.isTensor()) {
      return absl::FailedPreconditionError(
          absl::StrCat("model ", spec_.pt_path, " did not return a tensor"));
    }
    torch::Tensor y = result.toTensor();
    if (y.dim() != 4 || y.size(0) != 1 || y.size(1) != 3 || y.scalar_type() != torch::kFloat32) {
      return absl::FailedPreconditionError(absl::StrCat(
          "model ", spec_.pt_path, " returned a tensor of shape ", FirstLine(c10::str(y.sizes()).c_str()),
          " (", c10::toString(y.scalar_type()), "); expected float32 1x3xHxW"));
    }
    const int64_t out_h = y.size(2), out_w = y.size(3);
    if (spec_.scale != 0 && (out_h != int64_t{in.rows} * spec_.scale ||
                             out_w != int64_t{in.cols} * spec_.scale)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "model ", spec_.pt_path, " turned ", in.cols, "x", in.rows, " into ", out_w, "x", out_h,
          ", not ", spec_.scale, "x"));
    }
    y = y.squeeze(0).permute({1, 2, 0}).contiguous();
    cv::Mat out(static_cast<int>(out_h), static_cast<int>(out_w), CV_32FC3);
    std::memcpy(out.data, y.data_ptr<float>(), sizeof(float) * 3 * out_h * out_w);
    return out;
  } catch (const std::exception& e) {
    if (IsTorchOutOfMemory(e)) return OutOfMemoryError("upscaling");
    return absl::FailedPreconditionError(absl::StrCat(
        "model ", spec_.pt_path, " failed on a ", in.cols, "x", in.rows,
        " RGB input: ", FirstLine(e.what())));
  }
}

void SetInferenceThreads(int threads) {
  const int n = threads > 0 ? threads : DefaultInferenceThreads();
  if (at::get_num_threads() != n) at::set_num_threads(n);
}

int InferenceThreads() { return at::get_num_threads(); }

int DefaultInferenceThreads() {
  return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace acuity

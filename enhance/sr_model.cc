#include "enhance/sr_model.h"

#include <algorithm>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "analysis/io/guard.h"
#include "analysis/io/thread_pool.h"

namespace acuity {
namespace {

// Probe input edge in px: big enough for any stride-1 SR network.
constexpr int kProbePx = 8;

// `status` from the backend with the model's path in front of its message.
absl::Status AboutModel(const ModelSpec& spec, const absl::Status& status, const std::string& what) {
  return Reworded(status, absl::StrCat("model ", spec.pt_path, " failed on ", what, ": ", status.message()));
}

// The probe's scale: a mid-grey kProbePx² input must come out as 3
// channels, a whole number of times larger (1..16), and match `expected`
// when that is known.
absl::StatusOr<int> ProbedScale(const ModelSpec& spec, const SrNetwork& network, int expected) {
  const cv::Mat probe(kProbePx, kProbePx, CV_32FC3,
                      cv::Scalar::all(static_cast<float>(0.5 * spec.input_range)));
  absl::StatusOr<cv::Mat> out = network.Forward(probe, 1);
  if (!out.ok()) return AboutModel(spec, out.status(), "a small RGB probe");
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
  return probed;
}

}  // namespace

SrModel::SrModel(ModelSpec spec, SrPrecision precision, SrDevice device, std::unique_ptr<SrNetwork> network)
    : spec_(std::move(spec)), precision_(precision), device_(device), network_(std::move(network)) {}

SrModel::~SrModel() = default;

absl::StatusOr<std::unique_ptr<SrModel>> SrModel::Load(const ModelSpec& given, SrPrecision precision,
                                                       SrDevice device) {
  const ModelSpec spec = ModelOnDevice(given, device.is_cuda());
  std::error_code ec;
  if (!std::filesystem::is_regular_file(spec.pt_path, ec)) {
    return absl::NotFoundError(absl::StrCat("model file ", spec.pt_path, " not found"));
  }
  if (spec.input_range <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("model ", spec.pt_path, ": input range unknown (give 1 or 255)"));
  }
  absl::StatusOr<const SrBackend*> backend = GetSrBackend();
  if (!backend.ok()) return backend.status();
  absl::StatusOr<std::unique_ptr<SrNetwork>> network = (*backend)->Load(spec.pt_path, device, precision);
  if (IsDeviceOutOfMemory(network.status())) {
    return DeviceOutOfMemoryError(device, absl::StrCat("loading the model ", spec.pt_path));
  }
  if (absl::IsResourceExhausted(network.status())) {
    return OutOfMemoryError(absl::StrCat("loading the model ", spec.pt_path));
  }
  if (!network.ok()) return network.status();
  return FromNetwork(spec, precision, device, std::move(*network));
}

absl::StatusOr<std::unique_ptr<SrModel>> SrModel::FromNetwork(const ModelSpec& spec, SrPrecision precision,
                                                              SrDevice device,
                                                              std::unique_ptr<SrNetwork> network) {
  if (network == nullptr) return absl::InvalidArgumentError("SrModel::FromNetwork needs a network");
  absl::StatusOr<int> scale = ProbedScale(spec, *network, spec.scale);
  if (!scale.ok()) return scale.status();
  ModelSpec checked = spec;
  if (checked.output_range <= 0) checked.output_range = checked.input_range;
  checked.scale = *scale;
  return std::unique_ptr<SrModel>(new SrModel(checked, precision, device, std::move(network)));
}

absl::StatusOr<cv::Mat> SrModel::Run(const cv::Mat& rgb, int threads) const {
  if (rgb.type() != CV_32FC3 || rgb.empty()) {
    return absl::InvalidArgumentError("SrModel::Run needs a non-empty CV_32FC3 tile");
  }
  const cv::Mat in = rgb.isContinuous() ? rgb : rgb.clone();
  // Two tiles' forwards enqueued together on a CUDA device both held their
  // working sets: x4plus's two 1160-px tiles peaked at 16.9-22.3 GB of an
  // H100 where one needs about 12 (models/RESULTS.md, "GPU").
  std::unique_lock<std::mutex> turn(device_turn_, std::defer_lock);
  if (device_.is_cuda()) turn.lock();
  absl::StatusOr<cv::Mat> out = network_->Forward(in, std::max(1, threads));
  if (turn.owns_lock()) turn.unlock();
  if (IsDeviceOutOfMemory(out.status())) return out.status();
  if (absl::IsResourceExhausted(out.status())) return OutOfMemoryError("upscaling");
  if (!out.ok()) {
    return AboutModel(spec_, out.status(), absl::StrCat("a ", in.cols, "x", in.rows, " RGB input"));
  }
  if (out->cols != in.cols * spec_.scale || out->rows != in.rows * spec_.scale) {
    return absl::FailedPreconditionError(absl::StrCat(
        "model ", spec_.pt_path, " turned ", in.cols, "x", in.rows, " into ", out->cols, "x",
        out->rows, ", not ", spec_.scale, "x"));
  }
  return out;
}


SrPrecision ChoosePrecision(const ModelSpec& spec, bool allow_bf16, SrDevice device) {
  if (device.is_cuda()) return SrPrecision::kFp16;
  return allow_bf16 && spec.bf16_ok && CpuHasFastBf16() ? SrPrecision::kBf16 : SrPrecision::kFp32;
}

int InferenceThreads() {
  absl::StatusOr<const SrBackend*> backend = GetSrBackend();
  return backend.ok() ? (*backend)->ProcessThreads() : -1;
}

int DefaultInferenceThreads() {
  return UsableCpus();
}

}  // namespace acuity

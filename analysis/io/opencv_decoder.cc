#include "analysis/io/opencv_decoder.h"

#include <mutex>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "analysis/io/lazy_module.h"


namespace acuity {
namespace {

constexpr ModuleLocation kOpenCvModule = {"libacuity_opencv.so", kOpenCvDecoderEntryPoint,
                                          "ACUITY_OPENCV_MODULE"};

absl::StatusOr<const OpenCvDecoder*> Load() {
  absl::StatusOr<void*> entry = LoadModuleEntry(kOpenCvModule);
  if (!entry.ok()) return entry.status();
  const OpenCvDecoder* decoder = reinterpret_cast<OpenCvDecoderEntryPoint>(*entry)();
  if (decoder == nullptr) return absl::FailedPreconditionError("the OpenCV module returned no decoder");
  return decoder;
}

// The module, loaded once per process (a dlopen'ed library is process-wide
// by nature).
const absl::StatusOr<const OpenCvDecoder*>& Decoder() {
  static const absl::StatusOr<const OpenCvDecoder*> decoder = Load();
  return decoder;
}

}  // namespace

absl::StatusOr<cv::Mat> DecodeWithOpenCvModule(std::string_view bytes) {
  const absl::StatusOr<const OpenCvDecoder*>& decoder = Decoder();
  if (!decoder.ok()) return decoder.status();
  return (*decoder)->Decode(bytes);
}

}  // namespace acuity

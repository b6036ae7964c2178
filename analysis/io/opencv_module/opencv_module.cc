// OpenCV's imgcodecs behind OpenCvDecoder (analysis/io/opencv_decoder.h),
// built as the shared module libacuity_opencv.so and loaded on first use.
#include <opencv2/imgcodecs.hpp>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "analysis/io/opencv_decoder.h"

namespace acuity {
namespace {

class ImgcodecsDecoder : public OpenCvDecoder {
 public:
  absl::StatusOr<cv::Mat> Decode(std::string_view bytes) const override {
    const cv::Mat buffer(1, static_cast<int>(bytes.size()), CV_8U, const_cast<char*>(bytes.data()));
    try {
      cv::Mat decoded = cv::imdecode(buffer, cv::IMREAD_UNCHANGED);
      if (decoded.empty()) return absl::DataLossError("OpenCV could not decode it (corrupt or truncated file)");
      return decoded;
    } catch (const cv::Exception& e) {
      return absl::DataLossError(absl::StrCat("OpenCV could not decode it: ", e.msg));
    } catch (const std::exception& e) {
      return absl::DataLossError(absl::StrCat("OpenCV could not decode it: ", e.what()));
    }
  }
};

}  // namespace
}  // namespace acuity

extern "C" __attribute__((visibility("default"))) const acuity::OpenCvDecoder* acuity_opencv_decoder_v1() {
  static const acuity::ImgcodecsDecoder decoder;
  return &decoder;
}

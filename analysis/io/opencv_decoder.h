// Decoding through OpenCV's imgcodecs, for the files acuity has no decoder
// of its own for (TIFF layouts libtiff's scanline path does not cover, and
// any format only OpenCV reads). imgcodecs pulls in about 140 libraries
// (GDAL, GDCM, OpenEXR, ...) whose loading was most of every command's
// start-up, so it lives in the shared module libacuity_opencv.so
// (analysis/io/opencv_module/), loaded the first time such a file comes.
//
//   absl::StatusOr<cv::Mat> m = acuity::DecodeWithOpenCvModule(bytes);   // as cv::imdecode(IMREAD_UNCHANGED)
#ifndef ACUITY_ANALYSIS_IO_OPENCV_DECODER_H_
#define ACUITY_ANALYSIS_IO_OPENCV_DECODER_H_

#include <string_view>

#include <opencv2/core.hpp>

#include "absl/status/statusor.h"

namespace acuity {

// What the module implements; no exception crosses it.
class OpenCvDecoder {
 public:
  virtual ~OpenCvDecoder() = default;
  // cv::imdecode(bytes, IMREAD_UNCHANGED). DataLoss when OpenCV cannot
  // decode the bytes (with OpenCV's reason when it gave one).
  virtual absl::StatusOr<cv::Mat> Decode(std::string_view bytes) const = 0;
};

inline constexpr char kOpenCvDecoderEntryPoint[] = "acuity_opencv_decoder_v1";
using OpenCvDecoderEntryPoint = const OpenCvDecoder* (*)();

// Loads the module on the first call (thread-safe) and decodes. The
// module's own FailedPrecondition when it cannot be loaded.
absl::StatusOr<cv::Mat> DecodeWithOpenCvModule(std::string_view bytes);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_IO_OPENCV_DECODER_H_

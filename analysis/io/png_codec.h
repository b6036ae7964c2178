// PNG decoding through libpng directly (not OpenCV) so that a truncated or
// corrupt file becomes one clear status instead of libpng's own stderr
// chatter, and 16-bit, gray+alpha and palette files come out exactly.
//
//   absl::StatusOr<cv::Mat> pixels = acuity::DecodePng(bytes);  // BGR(A)/gray, 8/16-bit
#ifndef ACUITY_ANALYSIS_IO_PNG_CODEC_H_
#define ACUITY_ANALYSIS_IO_PNG_CODEC_H_

#include <string_view>

#include <opencv2/core.hpp>

#include "absl/status/statusor.h"

namespace acuity {

// Returns CV_8U or CV_16U pixels: 1 channel (gray), 3 (BGR) or 4 (BGRA; gray
// with alpha is expanded to BGRA). Palette images expand to BGR(A).
// DataLoss for truncated or corrupt data.
absl::StatusOr<cv::Mat> DecodePng(std::string_view bytes);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_IO_PNG_CODEC_H_

// GIF decoding through giflib (OpenCV 4.6 has no GIF reader): the first frame
// of the file, composed onto the logical screen as a viewer shows it before
// any animation runs. Later frames of an animated GIF are not read.
//
//   absl::StatusOr<cv::Mat> first = acuity::DecodeGifFirstFrame(bytes);
//
// Pixels: CV_8UC3 BGR, or CV_8UC4 BGRA when the frame has a transparent
// colour (screen outside the frame is then transparent too). Status codes:
// InvalidArgument (not a GIF), DataLoss (truncated or corrupt, no image).
#ifndef ACUITY_ANALYSIS_IO_GIF_CODEC_H_
#define ACUITY_ANALYSIS_IO_GIF_CODEC_H_

#include <string_view>

#include <opencv2/core.hpp>

#include "absl/status/statusor.h"

namespace acuity {

absl::StatusOr<cv::Mat> DecodeGifFirstFrame(std::string_view bytes);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_IO_GIF_CODEC_H_

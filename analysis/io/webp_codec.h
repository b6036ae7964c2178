// WebP decoding and encoding through libwebp directly (not OpenCV's
// imgcodecs, which would make every program load its 140 libraries at
// start-up; models/RESULTS.md, "Start-up"). Lossy encoding, 8-bit BGR or
// BGRA. Of an animated WebP the first frame is read, as of an animated GIF
// (gif_codec.h); later frames are not.
//
//   absl::StatusOr<cv::Mat> pixels = acuity::DecodeWebp(bytes);   // BGR or BGRA, 8-bit
//   absl::StatusOr<std::string> webp = acuity::EncodeWebp(*pixels, /*quality=*/90);
#ifndef ACUITY_ANALYSIS_IO_WEBP_CODEC_H_
#define ACUITY_ANALYSIS_IO_WEBP_CODEC_H_

#include <string>
#include <string_view>

#include <opencv2/core.hpp>

#include "absl/status/statusor.h"

namespace acuity {

// CV_8UC3 (BGR) or CV_8UC4 (BGRA when the file has alpha). DataLoss for
// corrupt or truncated data; ResourceExhausted (guard.h: out of memory)
// when libwebp could not allocate.
absl::StatusOr<cv::Mat> DecodeWebp(std::string_view bytes);

// Whether a WebP's bitstream is lossy (VP8), as libwebp reads it — for an
// animation, that of its first frame, the one DecodeWebp reads (libwebp
// calls every animation "mixed"); false for a lossless (VP8L) one and for
// data libwebp cannot parse.
bool WebpIsLossy(std::string_view bytes);

// Lossy WebP of `pixels` (CV_8UC3 BGR or CV_8UC4 BGRA; gray is expanded to
// BGR) at `quality` 1–100, without metadata chunks. InvalidArgument for
// another type.
absl::StatusOr<std::string> EncodeWebp(const cv::Mat& pixels, int quality);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_IO_WEBP_CODEC_H_

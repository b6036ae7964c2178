// PNG decoding through libpng directly (not OpenCV), and encoding by
// acuity's own parallel deflate (png_encoder.cc), so that a
// truncated or corrupt file becomes one clear status instead of libpng's own
// stderr chatter, 16-bit, gray+alpha and palette files come out exactly, and
// the programs need not load OpenCV's imgcodecs (with its 140 libraries, the
// bulk of a start-up; models/RESULTS.md, "Start-up").
//
//   absl::StatusOr<cv::Mat> pixels = acuity::DecodePng(bytes);  // BGR(A)/gray, 8/16-bit
//   absl::StatusOr<std::string> png = acuity::EncodePng(*pixels);
#ifndef ACUITY_ANALYSIS_IO_PNG_CODEC_H_
#define ACUITY_ANALYSIS_IO_PNG_CODEC_H_

#include <string>
#include <string_view>

#include <opencv2/core.hpp>

#include "absl/status/statusor.h"

namespace acuity {

// Returns CV_8U or CV_16U pixels: 1 channel (gray), 3 (BGR) or 4 (BGRA; gray
// with alpha is expanded to BGRA). Palette images expand to BGR(A).
// DataLoss for truncated or corrupt data.
absl::StatusOr<cv::Mat> DecodePng(std::string_view bytes);

// PNG bytes of `pixels` (CV_8U or CV_16U; 1 channel = gray, 3 = BGR, 4 =
// BGRA), no metadata chunks; IHDR comes first. `compression_level` is zlib's
// 0–9. Deflated in blocks on acuity's thread pool (png_encoder.cc), filters
// chosen per row as libpng does. InvalidArgument for another type;
// ResourceExhausted (the machine's, guard.h) when memory runs out.
// The default, 6, is for acuity's own small pictures (report thumbnails,
// maps, screenshots); results are written at image_writer.h's
// kDefaultPngLevel.
absl::StatusOr<std::string> EncodePng(const cv::Mat& pixels, int compression_level = 6);

// One PNG chunk: the data's length, `type` (4 letters), the data and the
// CRC-32 of type and data.
std::string MakePngChunk(std::string_view type, std::string_view data);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_IO_PNG_CODEC_H_

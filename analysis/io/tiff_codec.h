// TIFF decoding through libtiff directly, for the layouts photos use
// (contiguous 8/16-bit gray, gray+alpha, RGB, RGBA; strips or tiles). OpenCV
// reads 8-bit RGBA TIFFs through libtiff's RGBA interface, which
// premultiplies the colour by an unassociated alpha; this keeps the stored
// samples exactly, and un-premultiplies an associated alpha so that colour
// means the same in every format acuity reads.
//
//   absl::StatusOr<cv::Mat> pixels = acuity::DecodeTiff(bytes);
//   if (absl::IsUnimplemented(pixels.status())) { /* another decoder */ }
#ifndef ACUITY_ANALYSIS_IO_TIFF_CODEC_H_
#define ACUITY_ANALYSIS_IO_TIFF_CODEC_H_

#include <string_view>

#include <opencv2/core.hpp>

#include "absl/status/statusor.h"

namespace acuity {

// Returns CV_8U or CV_16U pixels: 1 channel (gray), 3 (BGR) or 4 (BGRA; gray
// with alpha is expanded to BGRA) of the first image in the file.
// Unimplemented for layouts it does not read (palette, YCbCr, CMYK, 1-bit,
// float, separate planes); DataLoss for truncated or corrupt data, with
// libtiff's first error message.
absl::StatusOr<cv::Mat> DecodeTiff(std::string_view bytes);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_IO_TIFF_CODEC_H_

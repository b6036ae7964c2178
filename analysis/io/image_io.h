// Loads an image file into acuity's plain image data: reads the file once,
// checks the header (format by content, size limits) before decoding any
// pixel, decodes JPEG/PNG/WebP/TIFF, HEIC/HEIF/AVIF, camera RAW, BMP and GIF
// at 8 or 16 bits, applies the EXIF orientation (HEIF and RAW decoders apply
// the file's own) and collects DPI, ICC and JPEG quantization tables.
//
//   acuity::LoadOptions options;
//   options.max_megapixels = 400;
//   absl::StatusOr<acuity::Image> image = acuity::LoadImage("scan.tif", options);
//   if (!image.ok()) std::cerr << "scan.tif: " << image.status().message();
//
// Status codes: NotFound (no such file), FailedPrecondition (a directory or
// other non-file), PermissionDenied, InvalidArgument (empty, not an image, too
// small), Unimplemented (an unsupported variant such as float TIFF),
// ResourceExhausted (above the pixel limit; or, marked as the machine's by
// guard.h's OutOfMemoryError, LoadImage running out of memory), DataLoss
// (truncated or corrupt). Messages are one line and name the reason but not
// the file; callers add the path.
#ifndef ACUITY_ANALYSIS_IO_IMAGE_IO_H_
#define ACUITY_ANALYSIS_IO_IMAGE_IO_H_

#include <string>

#include "absl/status/statusor.h"
#include "analysis/io/image.h"

namespace acuity {

struct LoadOptions {
  // Refuse images whose header claims more than this many megapixels
  // (decompression-bomb guard; checked before decoding).
  double max_megapixels = 200.0;
  // Refuse images smaller than this on either side, in px: too small to measure.
  int min_side_px = 8;
};

absl::StatusOr<Image> LoadImage(const std::string& path, const LoadOptions& options = {});

// The same, from bytes already in memory; `path` is only recorded in info.
absl::StatusOr<Image> DecodeImage(std::string_view bytes, const std::string& path,
                                  const LoadOptions& options = {});

// Pixels handed over in memory (the Python module's arrays), checked against
// `options` as a file's header is: gray, BGR or BGRA; 8-bit, 16-bit, or
// floating point 0–1 (kept as 16-bit, as a float TIFF is). `path` names them
// in messages and JSON; info.format is kUnknown and info.file_bytes unset.
// InvalidArgument for another channel count or too small; ResourceExhausted
// over options.max_megapixels.
absl::StatusOr<Image> ImageFromPixels(const cv::Mat& pixels, const std::string& path, const LoadOptions& options = {});

// Reads a whole file. NotFound / FailedPrecondition / PermissionDenied with a
// message a person understands.
absl::StatusOr<std::string> ReadFileBytes(const std::string& path);

// Mutes exiv2's and OpenCV's own logging for the whole process: they would
// print a second, less clear message for problems LoadImage already reports
// as a status. Process-wide, so a program calls it once at start-up
// (cli/main.cc, the evaluation tools); LoadImage and DecodeImage do not.
void QuietLibraryLogging();

// Rotates/flips pixels stored with EXIF orientation `orientation` (1–8) so
// that they display upright. Values outside 1–8 leave the image unchanged.
cv::Mat ApplyExifOrientation(const cv::Mat& pixels, int orientation);

// The EXIF orientation (1–8) of a file held in memory; 1 when it has none
// or its metadata cannot be read (a decoder that reads only the pixels,
// e.g. a reduced JPEG decode for a thumbnail, then rotates them itself).
int ExifOrientation(std::string_view bytes);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_IO_IMAGE_IO_H_

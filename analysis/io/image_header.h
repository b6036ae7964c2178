// Reads an image file's format, size, channels and bit depth from its header
// bytes alone, before any pixel is decoded, so that a decompression bomb (a
// tiny file claiming 65535×65535 px) can be refused cheaply.
//
//   absl::StatusOr<acuity::ImageHeader> h = acuity::ReadImageHeader(bytes);
//   if (h.ok() && h->megapixels() > 200) Refuse();
#ifndef ACUITY_ANALYSIS_IO_IMAGE_HEADER_H_
#define ACUITY_ANALYSIS_IO_IMAGE_HEADER_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "analysis/io/image.h"

namespace acuity {

struct ImageHeader {
  ImageFormat format = ImageFormat::kUnknown;
  int width = 0;   // px, as stored (before EXIF orientation)
  int height = 0;  // px, as stored
  int channels = 0;
  int bit_depth = 0;
  bool has_alpha = false;
  bool cmyk = false;  // 4 channels of ink: a JPEG's CMYK/YCCK, a TIFF's separated (photometric 5)
  // PNG pHYs chunk, converted to pixels per inch (only when its unit is metre).
  std::optional<double> png_dpi_x, png_dpi_y;
  // A HEIF/AVIF file's pictures (HeifHeader::top_level_images); empty for
  // other formats, whose images animation.h counts from the bytes.
  std::optional<int> heif_images;
  // A TIFF's Compression tag (259: 1 none, 5 LZW, 7 JPEG, 6 old-style JPEG,
  // 50001 WebP, …); empty for other formats or when the tag is missing.
  std::optional<int> tiff_compression;

  double megapixels() const { return double(width) * double(height) / 1e6; }
};

// Identifies the format from magic bytes (never from the file name).
ImageFormat SniffImageFormat(std::string_view bytes);

// Parses the header of a JPEG, PNG, WebP or TIFF file held in memory.
// InvalidArgument when the bytes are not a recognised image, DataLoss when the
// header is cut short or inconsistent.
absl::StatusOr<ImageHeader> ReadImageHeader(std::string_view bytes);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_IO_IMAGE_HEADER_H_

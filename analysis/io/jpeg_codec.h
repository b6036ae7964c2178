// JPEG decoding and encoding through libjpeg(-turbo) directly, rather than
// through OpenCV, so that acuity sees what OpenCV hides: the quantization
// tables (for an exact IJG quality), chroma subsampling, the JFIF density,
// the embedded ICC profile, and a truncated file reported as an error instead
// of a grey-filled picture.
//
//   absl::StatusOr<acuity::JpegDecoded> d = acuity::DecodeJpeg(bytes);
//   if (d.ok()) Use(d->pixels, d->info.quant_tables[0]);
#ifndef ACUITY_ANALYSIS_IO_JPEG_CODEC_H_
#define ACUITY_ANALYSIS_IO_JPEG_CODEC_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>

#include "absl/status/statusor.h"
#include "analysis/io/image.h"

namespace acuity {

// The JPEG standard's example quantization tables (ITU-T T.81 Annex K),
// luminance and chrominance, in natural (row-major) order: what IJG quality
// 50 writes; libjpeg scales them for the other qualities (IjgQuantTable in
// analysis/measurements/compression_tables.h).
inline constexpr std::array<uint16_t, 64> kAnnexKLumaTable = {
    16, 11, 10, 16, 24,  40,  51,  61,  12, 12, 14, 19, 26,  58,  60,  55,
    14, 13, 16, 24, 40,  57,  69,  56,  14, 17, 22, 29, 51,  87,  80,  62,
    18, 22, 37, 56, 68,  109, 103, 77,  24, 35, 55, 64, 81,  104, 113, 92,
    49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99};
inline constexpr std::array<uint16_t, 64> kAnnexKChromaTable = {
    17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99,
    24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
    99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
    99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99};

struct JpegDecoded {
  // CV_8UC1 (gray) or CV_8UC3 (BGR). A CMYK file's ink is converted to sRGB
  // through its CMYK ICC profile, else by 255 − ink (ImageInfo::cmyk).
  cv::Mat pixels;
  JpegInfo info;
  std::vector<uint8_t> icc_profile;         // empty when none is embedded
  std::optional<double> jfif_dpi_x, jfif_dpi_y;  // pixels per inch from the JFIF header
};

// Decodes a whole JPEG file held in memory. DataLoss for a truncated or
// corrupt file; InvalidArgument when it is not a JPEG at all.
// `min_long_edge_px` > 0 asks for a smaller picture (thumbnails): libjpeg's
// DCT scaling by 1/2, 1/4 or 1/8, the most that keeps the long edge at
// least this many px (decoding 1/8 costs a fraction of the full decode).
absl::StatusOr<JpegDecoded> DecodeJpeg(std::string_view bytes, int min_long_edge_px = 0);

struct JpegEncodeOptions {
  int quality = 90;                 // IJG quality 1–100
  bool chroma_subsampling = true;   // 4:2:0 when true, 4:4:4 when false
  std::optional<double> dpi;        // written as JFIF density (dots per inch)
  std::vector<uint8_t> icc_profile; // embedded as APP2 when non-empty
  // When non-empty: these quantization tables (natural order, slot 0 for
  // luma, slot 1 for chroma, at most 4 slots, entries 1–255) instead of
  // IJG's tables for `quality` — as a camera or Photoshop writes its own.
  std::vector<std::array<uint16_t, 64>> quant_tables;
};

// Encodes an 8-bit gray or BGR image as a baseline JPEG file.
absl::StatusOr<std::string> EncodeJpeg(const cv::Mat& pixels, const JpegEncodeOptions& options);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_IO_JPEG_CODEC_H_

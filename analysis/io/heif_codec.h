// HEIC/HEIF and AVIF decoding through libheif (HEVC via libde265, AV1 via
// dav1d): the primary image only, with the transformations the file stores
// itself (irot rotation, imir mirror, clap crop) applied by libheif — so EXIF
// orientation must NOT be applied again — plus its ICC profile. 8-bit files
// decode to CV_8U, 10- and 12-bit ones to CV_16U scaled to the full 16-bit
// range; alpha gives BGRA.
//
//   if (acuity::LooksLikeHeif(bytes)) {
//     absl::StatusOr<acuity::HeifHeader> h = acuity::ReadHeifHeader(bytes);  // no pixel decoded
//     absl::StatusOr<acuity::HeifDecoded> d = acuity::DecodeHeif(bytes);
//   }
//
// Status codes: InvalidArgument (not HEIF), DataLoss (truncated or corrupt),
// Unimplemented (a HEIF libheif cannot decode, e.g. no decoder for its
// codec), ResourceExhausted (out of memory).
#ifndef ACUITY_ANALYSIS_IO_HEIF_CODEC_H_
#define ACUITY_ANALYSIS_IO_HEIF_CODEC_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>

#include "absl/status/statusor.h"

namespace acuity {

// True when `bytes` start with an ISO-BMFF 'ftyp' box whose brands name a
// HEIF still image (heic, heix, mif1, …) or AVIF (avif, avis).
bool LooksLikeHeif(std::string_view bytes);
// True when that 'ftyp' box's major brand is AVIF (avif/avis).
bool IsAvifBrand(std::string_view bytes);

struct HeifHeader {
  int width = 0;      // px, displayed (after irot/imir/clap)
  int height = 0;     // px, displayed
  int bit_depth = 0;  // luma bits per sample in the file: 8, 10 or 12
  bool has_alpha = false;
  // Pictures of the file (libheif's top-level images: a collection's burst
  // shots or brackets; thumbnails, alpha and depth maps and the tiles of a
  // grid image are not counted); 1 for a still. An image sequence's frames
  // are not items: CountHeifSequenceFrames (animation.h) counts them.
  int top_level_images = 1;
};

// Parses the box structure only (no pixel is decoded).
absl::StatusOr<HeifHeader> ReadHeifHeader(std::string_view bytes);

struct HeifDecoded {
  cv::Mat pixels;  // CV_8UC3/CV_8UC4 or CV_16UC3/CV_16UC4, BGR(A), displayed orientation
  std::vector<uint8_t> icc_profile;  // empty when the file has none (or only nclx)
  bool has_exif = false;             // an Exif metadata item belongs to the primary image
};

absl::StatusOr<HeifDecoded> DecodeHeif(std::string_view bytes);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_IO_HEIF_CODEC_H_

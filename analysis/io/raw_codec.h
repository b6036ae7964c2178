// Camera RAW decoding through LibRaw: DNG and the vendor formats LibRaw 0.20
// reads (CR2, NEF, ARW, RAF, ORF, RW2, …), demosaiced (AHD) with the camera's
// white balance into 16-bit sRGB, with the camera's own orientation applied.
// The result is one rendering of the sensor data, not the data itself: what
// acuity measures on it describes that rendering (see RawRendering).
//
//   if (acuity::LooksLikeCameraRaw(bytes)) {
//     absl::StatusOr<acuity::RawHeader> h = acuity::ReadRawHeader(bytes);  // no pixel decoded
//     absl::StatusOr<acuity::RawDecoded> d = acuity::DecodeRaw(bytes);
//   }
//
// Status codes: InvalidArgument (not a camera RAW), Unimplemented (a RAW
// variant LibRaw cannot read), DataLoss (truncated or corrupt),
// ResourceExhausted (out of memory or above LibRaw's size limit).
#ifndef ACUITY_ANALYSIS_IO_RAW_CODEC_H_
#define ACUITY_ANALYSIS_IO_RAW_CODEC_H_

#include <string>
#include <string_view>

#include <opencv2/core.hpp>

#include "absl/status/statusor.h"

namespace acuity {

// True for the signatures of camera RAW files: CR2, ORF, RW2, RAF, and
// TIFF-structured files that are a DNG (DNGVersion tag) or a camera's raw
// layout (a Make tag with the full image in a sub-IFD or CFA samples, as in
// NEF and ARW). A TIFF written by an editor or scanner is not a RAW.
bool LooksLikeCameraRaw(std::string_view bytes);

// True when `path` ends in a camera RAW extension (.dng .cr2 .cr3 .nef .nrw
// .arw .srf .sr2 .raf .orf .rw2 .pef .srw .raw .rwl .3fr .iiq .erf .mrw .x3f
// .kdc .dcr), any case. Used only to word messages, never to choose a decoder.
bool HasCameraRawExtension(std::string_view path);

struct RawHeader {
  int width = 0;   // px of the demosaiced output, camera orientation applied
  int height = 0;  // px
  std::string camera;  // "Make Model" as LibRaw names it
};

// Reads the RAW's metadata only (no sensor data is unpacked).
absl::StatusOr<RawHeader> ReadRawHeader(std::string_view bytes);

struct RawDecoded {
  cv::Mat pixels;      // CV_16UC3 BGR (CV_16UC1 for a monochrome sensor), sRGB
  std::string camera;  // "Make Model"
};

absl::StatusOr<RawDecoded> DecodeRaw(std::string_view bytes);

// One sentence naming how DecodeRaw renders the sensor data; reports carry it
// so that a reader knows the measurements describe this rendering.
inline constexpr char kRawRendering[] =
    "demosaiced by LibRaw (AHD), camera white balance, sRGB primaries and tone curve, 16-bit, "
    "LibRaw's default exposure; no sharpening or noise reduction";

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_IO_RAW_CODEC_H_

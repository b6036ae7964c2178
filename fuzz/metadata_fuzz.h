// Shared by the metadata fuzz targets (exif_fuzzer, icc_fuzzer): fuzzed
// metadata wrapped in a small valid JPEG, so that every input reaches the
// metadata readers (exiv2, lcms2) and the writer's metadata copy instead of
// stopping at a decoder error.
//
//   std::string jpeg = acuity::fuzz::WithExif(acuity::fuzz::TinyJpeg({}), fuzzed_bytes);
//   acuity::fuzz::CheckDecodeAndRewrite(jpeg, kTinyWidthPx, kTinyHeightPx);
#ifndef ACUITY_FUZZ_METADATA_FUZZ_H_
#define ACUITY_FUZZ_METADATA_FUZZ_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace acuity::fuzz {

// The picture under the fuzzed metadata: not square, so that an EXIF
// orientation that swaps the sides shows in the decoded size.
inline constexpr int kTinyWidthPx = 16;
inline constexpr int kTinyHeightPx = 8;

// A baseline colour JPEG of kTinyWidthPx × kTinyHeightPx with `icc` embedded
// as APP2 chunks when not empty.
std::string TinyJpeg(const std::vector<uint8_t>& icc);

// `jpeg` with an APP1 "Exif" segment holding `exif` (a TIFF structure, cut
// to what one segment can hold) right after SOI.
std::string WithExif(const std::string& jpeg, std::string_view exif);

// Decodes `jpeg` (CheckDecoded; the picture must decode whatever the
// metadata says, with the sides swapped for EXIF orientations 5–8), then
// writes it as JPEG, PNG, TIFF and WebP with the source's metadata as
// `acuity enhance` does (image_writer.h) and checks that each output decodes
// upright (orientation 1) with the source's ICC profile byte for byte when
// the profile is well formed (its header gives its size) and the writer's
// report has no note (metadata exiv2 refuses is left out, with a note).
// Returns the source's ICC profile as decoded.
std::vector<uint8_t> CheckDecodeAndRewrite(const std::string& jpeg);

}  // namespace acuity::fuzz

#endif  // ACUITY_FUZZ_METADATA_FUZZ_H_

#include "fuzz/metadata_fuzz.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "analysis/io/color_space.h"
#include "analysis/io/image_io.h"
#include "analysis/io/image_writer.h"
#include "analysis/io/jpeg_codec.h"
#include "fuzz/fuzz_checks.h"

namespace acuity::fuzz {
namespace {

// The writer re-reads EXIF/IPTC/XMP from the source's path, so the fuzzed
// file is put on disk: one file per process, removed at exit.
const std::string& SourcePath() {
  static const std::string* path = [] {
    auto* p = new std::string((std::filesystem::temp_directory_path() /
                               absl::StrCat("acuity-fuzz-", getpid(), ".jpg")).string());
    std::atexit([] { std::remove(SourcePath().c_str()); });
    return p;
  }();
  return *path;
}

// True when there is no profile, or its header's size (bytes 0–3, big-endian)
// is its length.
bool IccSizeIsConsistent(const std::vector<uint8_t>& icc) {
  if (icc.empty()) return true;
  if (icc.size() < 4) return false;
  const uint32_t declared = uint32_t(icc[0]) << 24 | uint32_t(icc[1]) << 16 | uint32_t(icc[2]) << 8 | icc[3];
  return declared == icc.size();
}

}  // namespace

std::string TinyJpeg(const std::vector<uint8_t>& icc) {
  cv::Mat pixels(kTinyHeightPx, kTinyWidthPx, CV_8UC3);
  for (int y = 0; y < pixels.rows; ++y)
    for (int x = 0; x < pixels.cols; ++x) pixels.at<cv::Vec3b>(y, x) = cv::Vec3b(x * 16, y * 32, 128);
  JpegEncodeOptions options;
  options.icc_profile = icc;
  absl::StatusOr<std::string> jpeg = EncodeJpeg(pixels, options);
  FUZZ_CHECK(jpeg.ok());
  return *std::move(jpeg);
}

std::string WithExif(const std::string& jpeg, std::string_view exif) {
  constexpr std::string_view kExifHeader("Exif\0\0", 6);
  const size_t payload = std::min(exif.size(), size_t{0xFFFF} - 2 - kExifHeader.size());
  const size_t length = 2 + kExifHeader.size() + payload;
  std::string out = jpeg.substr(0, 2);  // SOI
  out += "\xFF\xE1";
  out += char(length >> 8);
  out += char(length & 0xFF);
  out += kExifHeader;
  out += exif.substr(0, payload);
  out += jpeg.substr(2);
  return out;
}

std::vector<uint8_t> CheckDecodeAndRewrite(const std::string& jpeg) {
  const LoadOptions options = FuzzLoadOptions();
  absl::StatusOr<Image> image = DecodeImage(jpeg, SourcePath(), options);
  CheckDecoded(image, options);
  FUZZ_CHECK(image.ok());
  const bool swapped = image->info.exif_orientation >= 5;
  FUZZ_CHECK(image->info.width == (swapped ? kTinyHeightPx : kTinyWidthPx));
  FUZZ_CHECK(image->info.height == (swapped ? kTinyWidthPx : kTinyHeightPx));

  {
    std::ofstream file(SourcePath(), std::ios::binary | std::ios::trunc);
    file.write(jpeg.data(), std::streamsize(jpeg.size()));
    FUZZ_CHECK(file.good());
  }
  for (ImageFormat format : {ImageFormat::kJpeg, ImageFormat::kPng, ImageFormat::kTiff, ImageFormat::kWebp}) {
    WriteOptions write;
    write.format = format;
    write.source = &image->info;
    const char* const name = ImageFormatName(format);
    WriteReport report;
    absl::StatusOr<std::string> encoded = EncodeImage(image->pixels, format, write, &report);
    FUZZ_CHECK_FOR(encoded.ok(), name);
    absl::StatusOr<Image> again = DecodeImage(*encoded, "", options);
    CheckDecoded(again, options);
    FUZZ_CHECK_FOR(again.ok(), name);
    FUZZ_CHECK_FOR(again->info.exif_orientation == 1, name);
    FUZZ_CHECK_FOR(again->info.width == image->info.width && again->info.height == image->info.height, name);
    // A profile whose header gives another size than it has is malformed:
    // exiv2 cuts it to that size (JPEG) or refuses the source's metadata,
    // which the writer leaves out with a note (PNG). Well-formed ones come
    // back byte for byte, except a gray profile on these colour samples,
    // which becomes its RGB form (color_space.h ProfileForSamples).
    if (report.notes.empty() && IccSizeIsConsistent(image->info.icc_profile))
      FUZZ_CHECK_FOR(again->info.icc_profile == ProfileForSamples(image->info.icc_profile, /*colour=*/true), name);
  }
  return image->info.icc_profile;
}

}  // namespace acuity::fuzz

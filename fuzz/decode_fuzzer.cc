// Fuzz target: DecodeImage on the bytes of one format, as `acuity` decodes a
// file it has read — the header check, that format's decoder (libjpeg,
// libpng, libtiff, libwebp, libheif for HEIC/AVIF, LibRaw, giflib, acuity's
// BMP header reader and OpenCV's BMP decoder), the EXIF/ICC metadata and the
// orientation. fuzz/CMakeLists.txt builds it once per format, with
// ACUITY_FUZZ_FORMAT naming the ImageFormat; inputs of another format are
// rejected so that each target's corpus stays its own.
//
//   build-asan/fuzz/decode_jpeg_fuzzer -dict=fuzz/dict/jpeg.dict NEW_DIR fuzz/corpus/decode_jpeg
#include <cstddef>
#include <cstdint>

#include "analysis/io/image_header.h"
#include "analysis/io/image_io.h"
#include "fuzz/fuzz_checks.h"

#ifndef ACUITY_FUZZ_FORMAT
#error "ACUITY_FUZZ_FORMAT (an ImageFormat enumerator such as kJpeg) must be defined"
#endif

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  acuity::QuietLibraryLogging();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes = acuity::fuzz::Bytes(data, size);
  if (acuity::SniffImageFormat(bytes) != acuity::ImageFormat::ACUITY_FUZZ_FORMAT) return -1;
  const acuity::LoadOptions options = acuity::fuzz::FuzzLoadOptions();
  acuity::fuzz::CheckDecoded(acuity::DecodeImage(bytes, "fuzz", options), options);
  return 0;
}

// Fuzz target: ReadImageHeader, the parser that runs on every file before any
// decoder (the decompression-bomb guard), on bytes of any format.
//
//   build-asan/fuzz/image_header_fuzzer NEW_DIR fuzz/corpus/image_header
#include <cstddef>
#include <cstdint>

#include "analysis/io/image_header.h"
#include "fuzz/fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes = acuity::fuzz::Bytes(data, size);
  const acuity::ImageFormat sniffed = acuity::SniffImageFormat(bytes);
  absl::StatusOr<acuity::ImageHeader> header = acuity::ReadImageHeader(bytes);
  if (!header.ok()) {
    // Not an image: InvalidArgument; a known format's problem: another code.
    FUZZ_CHECK(absl::IsInvalidArgument(header.status()) == (sniffed == acuity::ImageFormat::kUnknown));
    return 0;
  }
  FUZZ_CHECK(header->format == sniffed && sniffed != acuity::ImageFormat::kUnknown);
  FUZZ_CHECK(header->megapixels() >= 0);
  return 0;
}

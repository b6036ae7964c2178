// Fuzz target: EXIF metadata (a TIFF structure, as a camera writes it in
// APP1) read by exiv2 when acuity decodes a file — orientation, resolution —
// and copied by the writer when `acuity enhance` writes the result.
//
//   build-asan/fuzz/exif_fuzzer -dict=fuzz/dict/tiff.dict NEW_DIR fuzz/corpus/exif
#include <cstddef>
#include <cstdint>

#include "analysis/io/image_io.h"
#include "fuzz/fuzz_checks.h"
#include "fuzz/metadata_fuzz.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  acuity::QuietLibraryLogging();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string* const kJpeg = new std::string(acuity::fuzz::TinyJpeg({}));
  acuity::fuzz::CheckDecodeAndRewrite(acuity::fuzz::WithExif(*kJpeg, acuity::fuzz::Bytes(data, size)));
  return 0;
}

// Fuzz target: an embedded ICC profile — read from JPEG APP2 chunks, its
// description read by lcms2, and carried byte for byte into every output
// format by the writer.
//
//   build-asan/fuzz/icc_fuzzer -dict=fuzz/dict/icc.dict NEW_DIR fuzz/corpus/icc
#include <cstddef>
#include <cstdint>
#include <vector>

#include "analysis/io/image_io.h"
#include "fuzz/fuzz_checks.h"
#include "fuzz/metadata_fuzz.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  acuity::QuietLibraryLogging();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<uint8_t> icc(data, data + size);
  FUZZ_CHECK(acuity::fuzz::CheckDecodeAndRewrite(acuity::fuzz::TinyJpeg(icc)) == icc);
  return 0;
}

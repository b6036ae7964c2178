// What every acuity fuzz target checks beyond "no crash, no sanitizer
// finding": the documented contract of what it calls. A broken promise is a
// finding like a crash: FUZZ_CHECK prints it and aborts, and libFuzzer saves
// the input.
//
//   extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
//     absl::StatusOr<acuity::Image> image = acuity::DecodeImage(acuity::fuzz::Bytes(data, size), "fuzz");
//     acuity::fuzz::CheckDecoded(image, options);
//     return 0;
//   }
#ifndef ACUITY_FUZZ_FUZZ_CHECKS_H_
#define ACUITY_FUZZ_FUZZ_CHECKS_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"
#include "analysis/io/image.h"
#include "analysis/io/image_io.h"

namespace acuity::fuzz {

// The largest image the fuzz targets let a header claim: decoding stays fast
// and the fuzzers look for bad memory use, not for big allocations.
inline constexpr double kMaxDecodeMegapixels = 0.25;  // 512×512 px
inline constexpr double kMaxAnalyzeMegapixels = 256.0 * 256.0 / 1e6;

inline std::string_view Bytes(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

// Prints "acuity fuzz: contract broken: WHAT [CONTEXT] (FILE:LINE)" and aborts.
[[noreturn]] void Fail(const char* what, const char* context, const char* file, int line);

#define FUZZ_CHECK(condition) \
  ((condition) ? (void)0 : ::acuity::fuzz::Fail(#condition, "", __FILE__, __LINE__))
// The same, naming what was being checked (e.g. the output format).
#define FUZZ_CHECK_FOR(condition, context) \
  ((condition) ? (void)0 : ::acuity::fuzz::Fail(#condition, (context), __FILE__, __LINE__))

// Load options for decoding fuzzed bytes: every size from 1×1 px (so that the
// decoders see tiny images too) up to `max_megapixels`.
LoadOptions FuzzLoadOptions(double max_megapixels = kMaxDecodeMegapixels);

// The contract of DecodeImage (image_io.h): an error has a documented code
// for bytes in memory (InvalidArgument, Unimplemented, ResourceExhausted,
// DataLoss) and a message; an image has pixels of a documented type
// (CV_8U/CV_16U; 1, 3 or 4 channels) whose size is the info's size and
// within the options' limits.
void CheckDecoded(const absl::StatusOr<Image>& image, const LoadOptions& options);

}  // namespace acuity::fuzz

#endif  // ACUITY_FUZZ_FUZZ_CHECKS_H_

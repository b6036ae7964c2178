// Writes a file so that it is either complete or absent: the bytes go to a
// temporary name in the same directory, are flushed, then renamed over the
// destination. Never leaves a partial file behind.
//
//   absl::Status s = acuity::WriteFileAtomically("out/blur.png", png_bytes);
#ifndef ACUITY_ANALYSIS_IO_ATOMIC_FILE_H_
#define ACUITY_ANALYSIS_IO_ATOMIC_FILE_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace acuity {

absl::Status WriteFileAtomically(const std::string& path, std::string_view bytes);

// True when both paths name the same existing file (same device and inode).
bool SameFile(const std::string& a, const std::string& b);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_IO_ATOMIC_FILE_H_

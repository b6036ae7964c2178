// Writes a file so that it is either complete or absent: the bytes go to a
// temporary name in the same directory, are flushed, then renamed over the
// destination. Never leaves a partial or temporary file behind, also when the
// disk is full.
//
//   absl::Status s = acuity::WriteFileAtomically("out/blur.png", png_bytes);
//   if (acuity::IsMachineResourceError(s)) ...  // "disk full while writing out/blur.png"
#ifndef ACUITY_ANALYSIS_IO_ATOMIC_FILE_H_
#define ACUITY_ANALYSIS_IO_ATOMIC_FILE_H_

#include <functional>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace acuity {

// Status codes: PermissionDenied (the directory cannot take a new file),
// ResourceExhausted marked as the machine's (guard.h DiskFullError: ENOSPC or
// EDQUOT from creating, writing, flushing, closing or renaming), DataLoss
// (another write or flush error), Cancelled (below). On any error the
// destination is left as it was and the temporary file is removed.
//
// `cancelled`, when set, is asked once the bytes are on disk, just before the
// rename: true gives Cancelled with the destination untouched (an
// interrupted program then leaves no trace).
absl::Status WriteFileAtomically(const std::string& path, std::string_view bytes,
                                 const std::function<bool()>& cancelled = {});

// True when both paths name the same existing file (same device and inode).
bool SameFile(const std::string& a, const std::string& b);

// Creates the output directory `dir` (--maps DIR, batch --out DIR) and its
// parents; PermissionDenied "cannot create the directory DIR: <the OS's
// reason>" when it cannot (a part of it is a file, no permission, ...).
absl::Status MakeOutputDir(const std::string& dir);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_IO_ATOMIC_FILE_H_

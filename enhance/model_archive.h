// Checks that a TorchScript file (a zip archive) is whole before LibTorch
// loads it: every stored entry's CRC-32 against the one the archive
// records. LibTorch's zip reader is built without those checks, so a model
// whose weights were damaged on disk or in transfer loaded, ran and wrote
// garbage with exit 0.
//
//   absl::Status whole = acuity::VerifyModelArchive("models/esrgan-thick-x4.pt");
//   // InvalidArgument "… is damaged: entry 'esrgan/data/7' fails its CRC-32 check"
#ifndef ACUITY_ENHANCE_MODEL_ARCHIVE_H_
#define ACUITY_ENHANCE_MODEL_ARCHIVE_H_

#include <string>

#include "absl/status/status.h"

namespace acuity {

// OK when every entry stored without compression (all of TorchScript's)
// matches its CRC-32; compressed entries, and a file that is no zip archive
// at all (cut before its directory, or not a model), are left to the
// loader, which refuses those. InvalidArgument (as SrModel::Load for a file
// that is no model) naming the file and the first bad entry; NotFound /
// Unavailable when the file cannot be read.
absl::Status VerifyModelArchive(const std::string& path);

}  // namespace acuity

#endif  // ACUITY_ENHANCE_MODEL_ARCHIVE_H_

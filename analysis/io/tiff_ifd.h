// The first image file directory (IFD0) of a TIFF-structured file, read from
// its bytes without libtiff: enough to size a TIFF before decoding it and to
// tell a camera RAW (DNG, NEF, ARW, …) from an ordinary TIFF.
//
//   absl::StatusOr<acuity::TiffIfd> ifd = acuity::ReadFirstTiffIfd(bytes);
//   if (ifd.ok() && ifd->Find(256)) width = ifd->Find(256)->value;
#ifndef ACUITY_ANALYSIS_IO_TIFF_IFD_H_
#define ACUITY_ANALYSIS_IO_TIFF_IFD_H_

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace acuity {

struct TiffEntry {
  uint32_t tag = 0;
  uint32_t type = 0;   // 3 SHORT, 4 LONG, 2 ASCII, …
  uint32_t count = 0;
  uint32_t value = 0;  // the first value when it fits inline (SHORT or LONG), else the offset
  uint32_t offset_field = 0;  // the raw 4-byte value/offset field as a LONG
};

struct TiffIfd {
  bool little_endian = true;
  std::vector<TiffEntry> entries;

  const TiffEntry* Find(uint32_t tag) const;
  // A SHORT at `offset` in `bytes` in this file's byte order; nullopt past the end.
  std::optional<uint32_t> Short(std::string_view bytes, uint32_t offset) const;
};

// Reads IFD0 of "II*\0"/"MM\0*"-style data (any TIFF variant magic is
// accepted: the caller has checked the signature). DataLoss when the
// directory lies outside the data.
absl::StatusOr<TiffIfd> ReadFirstTiffIfd(std::string_view bytes);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_IO_TIFF_IFD_H_

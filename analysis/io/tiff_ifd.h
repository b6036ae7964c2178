// The image file directories (IFDs) of a TIFF-structured file, read from its
// bytes without libtiff: the first one is enough to size a TIFF before
// decoding it and to tell a camera RAW (DNG, NEF, ARW, …) from an ordinary
// TIFF; the chain of them counts a multi-page TIFF's pages.
//
//   absl::StatusOr<acuity::TiffIfd> ifd = acuity::ReadFirstTiffIfd(bytes);
//   if (ifd.ok() && ifd->Find(256)) width = ifd->Find(256)->value;
//   int pages = acuity::CountTiffPages(bytes);  // 1 for a single image
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
  uint32_t next_offset = 0;  // where the next IFD of the chain is, in bytes; 0 for the last

  const TiffEntry* Find(uint32_t tag) const;
  // A SHORT at `offset` in `bytes` in this file's byte order; nullopt past the end.
  std::optional<uint32_t> Short(std::string_view bytes, uint32_t offset) const;
};

// Reads IFD0 of "II*\0"/"MM\0*"-style data (any TIFF variant magic is
// accepted: the caller has checked the signature). DataLoss when the
// directory lies outside the data.
absl::StatusOr<TiffIfd> ReadFirstTiffIfd(std::string_view bytes);

// The IFD at byte `offset` of the same data; DataLoss as above.
absl::StatusOr<TiffIfd> ReadTiffIfdAt(std::string_view bytes, uint32_t offset, bool little_endian);

// The pages of a TIFF: the full-resolution images of its IFD chain. An IFD
// whose NewSubfileType (tag 254) marks a reduced-resolution image (a
// preview) or a transparency mask is not a page, nor are SubIFDs (outside
// the chain). The walk stops at the chain's end, at damage, at a loop, when
// the directories walked would not fit in the file together (overlapping
// ones: crafted) and after 100 000 IFDs; at least 1.
int CountTiffPages(std::string_view bytes);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_IO_TIFF_IFD_H_

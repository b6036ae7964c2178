#include "analysis/io/tiff_ifd.h"

#include <algorithm>
#include <unordered_set>

#include "absl/status/status.h"
#include "analysis/io/byte_order.h"

namespace acuity {

const TiffEntry* TiffIfd::Find(uint32_t tag) const {
  for (const TiffEntry& e : entries)
    if (e.tag == tag) return &e;
  return nullptr;
}

std::optional<uint32_t> TiffIfd::Short(std::string_view bytes, uint32_t offset) const {
  if (size_t(offset) + 2 > bytes.size()) return std::nullopt;
  return ReadU16(bytes, offset, little_endian);
}

absl::StatusOr<TiffIfd> ReadFirstTiffIfd(std::string_view b) {
  if (b.size() < 8) return absl::DataLossError("TIFF header is cut short (file truncated)");
  const bool little_endian = b[0] == 'I';
  return ReadTiffIfdAt(b, ReadU32(b, 4, little_endian), little_endian);
}

absl::StatusOr<TiffIfd> ReadTiffIfdAt(std::string_view b, uint32_t at, bool little_endian) {
  const absl::Status truncated = absl::DataLossError("TIFF header is cut short (file truncated)");
  TiffIfd ifd;
  ifd.little_endian = little_endian;
  if (size_t(at) + 2 > b.size()) return truncated;
  const uint32_t count = ReadU16(b, at, ifd.little_endian);
  if (size_t(at) + 2 + size_t(count) * 12 > b.size()) return truncated;
  ifd.entries.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    const size_t e = size_t(at) + 2 + size_t(i) * 12;
    TiffEntry entry;
    entry.tag = ReadU16(b, e, ifd.little_endian);
    entry.type = ReadU16(b, e + 2, ifd.little_endian);
    entry.count = ReadU32(b, e + 4, ifd.little_endian);
    entry.offset_field = ReadU32(b, e + 8, ifd.little_endian);
    // SHORT values sit in the first two bytes of the value field; LONG in all four.
    entry.value = entry.type == 3 ? ReadU16(b, e + 8, ifd.little_endian) : entry.offset_field;
    ifd.entries.push_back(entry);
  }
  // The offset of the next IFD follows the entries; a file cut just there
  // has no next one.
  const size_t next = size_t(at) + 2 + size_t(count) * 12;
  if (next + 4 <= b.size()) ifd.next_offset = ReadU32(b, next, ifd.little_endian);
  return ifd;
}

int CountTiffPages(std::string_view b) {
  if (b.size() < 8) return 1;
  const bool little_endian = b[0] == 'I';
  constexpr uint32_t kNewSubfileType = 254;
  constexpr uint32_t kReducedResolution = 1, kTransparencyMask = 4;  // its bits
  constexpr int kMaxDirectories = 100000;
  std::unordered_set<uint32_t> seen;
  int pages = 0;
  // Directories of a file do not overlap: their bytes together fit in it.
  // A crafted chain of overlapping ones (each claiming 65 535 entries) ends
  // there, so the walk reads at most the file's size.
  uint64_t directory_bytes = 0;
  uint32_t at = ReadU32(b, 4, little_endian);
  for (int walked = 0; at != 0 && walked < kMaxDirectories && seen.insert(at).second; ++walked) {
    if (size_t(at) + 2 > b.size()) break;
    directory_bytes += 2 + 12 * uint64_t(ReadU16(b, at, little_endian)) + 4;
    if (directory_bytes > b.size()) break;
    absl::StatusOr<TiffIfd> ifd = ReadTiffIfdAt(b, at, little_endian);
    if (!ifd.ok()) break;
    const TiffEntry* kind = ifd->Find(kNewSubfileType);
    if (kind == nullptr || (kind->value & (kReducedResolution | kTransparencyMask)) == 0) ++pages;
    at = ifd->next_offset;
  }
  return std::max(pages, 1);
}

}  // namespace acuity

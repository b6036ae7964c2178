#include "analysis/io/tiff_ifd.h"

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
  const absl::Status truncated = absl::DataLossError("TIFF header is cut short (file truncated)");
  if (b.size() < 8) return truncated;
  TiffIfd ifd;
  ifd.little_endian = b[0] == 'I';
  const uint32_t at = ReadU32(b, 4, ifd.little_endian);
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
  return ifd;
}

}  // namespace acuity

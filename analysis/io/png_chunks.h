// Walks the chunks of a PNG file in memory without decoding anything: the
// one loop over "length, type, data, CRC" that the header reader (pHYs,
// tRNS before the image data) and the decoder's sanity check (no chunk
// longer than the file) share.
//
//   acuity::ForEachPngChunk(bytes, [&](const acuity::PngChunk& c) {
//     if (c.type == "IDAT") return false;  // stop
//     if (c.type == "pHYs" && c.length == 9 && c.data_at + 9 <= bytes.size()) ReadDpi(bytes.substr(c.data_at, 9));
//     return true;                         // next chunk
//   });
#ifndef ACUITY_ANALYSIS_IO_PNG_CHUNKS_H_
#define ACUITY_ANALYSIS_IO_PNG_CHUNKS_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "analysis/io/byte_order.h"

namespace acuity {

struct PngChunk {
  size_t at = 0;            // offset of the chunk's length field in the file
  uint32_t length = 0;      // the data length the chunk declares, bytes
  std::string_view type;    // four bytes, e.g. "IHDR" (not checked to be letters)
  size_t data_at = 0;       // offset of its data: at + 8
  // Bytes of the file after the chunk's 8-byte head (its data may be cut short).
  size_t bytes_left = 0;
};

// Calls visit(chunk) for each chunk after the 8-byte signature whose 8-byte
// head lies within `png`, in file order, until visit returns false or the
// file ends. The next chunk is the declared length + 12 bytes further.
template <typename Visit>
void ForEachPngChunk(std::string_view png, Visit visit) {
  constexpr size_t kSignatureBytes = 8, kHeadBytes = 8, kOverheadBytes = 12;  // length + type (+ CRC)
  for (size_t at = kSignatureBytes; at + kHeadBytes <= png.size();) {
    PngChunk c;
    c.at = at;
    c.length = ReadBe32(png, at);
    c.type = png.substr(at + 4, 4);
    c.data_at = at + kHeadBytes;
    c.bytes_left = png.size() - c.data_at;
    if (!visit(static_cast<const PngChunk&>(c))) return;
    if (uint64_t(c.length) + kOverheadBytes >= png.size() - at) return;  // the next head would lie past the end
    at += size_t(c.length) + kOverheadBytes;
  }
}

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_IO_PNG_CHUNKS_H_

// Reading and writing fixed-width unsigned integers in file byte order: the
// one set of helpers for the header readers (PNG chunks, HEIF boxes, TIFF
// directories, BMP/GIF/WebP headers) and the writers that patch headers.
// Bounds are the caller's business: every read takes `at` + width <= size.
//
//   const uint32_t length = acuity::ReadBe32(png, 8);   // a PNG chunk length
//   const uint32_t width = acuity::ReadLe32(bmp, 18);   // a BMP header field
//   out += acuity::Be32Bytes(9);                        // write one
#ifndef ACUITY_ANALYSIS_IO_BYTE_ORDER_H_
#define ACUITY_ANALYSIS_IO_BYTE_ORDER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace acuity {

inline uint32_t ReadByte(std::string_view b, size_t at) { return uint8_t(b[at]); }

inline uint32_t ReadBe16(std::string_view b, size_t at) { return (ReadByte(b, at) << 8) | ReadByte(b, at + 1); }
inline uint32_t ReadBe32(std::string_view b, size_t at) { return (ReadBe16(b, at) << 16) | ReadBe16(b, at + 2); }
inline uint64_t ReadBe64(std::string_view b, size_t at) { return (uint64_t(ReadBe32(b, at)) << 32) | ReadBe32(b, at + 4); }
inline uint32_t ReadLe16(std::string_view b, size_t at) { return ReadByte(b, at) | (ReadByte(b, at + 1) << 8); }
inline uint32_t ReadLe24(std::string_view b, size_t at) { return ReadLe16(b, at) | (ReadByte(b, at + 2) << 16); }
inline uint32_t ReadLe32(std::string_view b, size_t at) { return ReadLe16(b, at) | (ReadLe16(b, at + 2) << 16); }
inline uint64_t ReadLe64(std::string_view b, size_t at) { return ReadLe32(b, at) | (uint64_t(ReadLe32(b, at + 4)) << 32); }
// Either order, as a TIFF's "II" / "MM" says.
inline uint32_t ReadU16(std::string_view b, size_t at, bool little_endian) {
  return little_endian ? ReadLe16(b, at) : ReadBe16(b, at);
}
inline uint32_t ReadU32(std::string_view b, size_t at, bool little_endian) {
  return little_endian ? ReadLe32(b, at) : ReadBe32(b, at);
}

// `v` as 4 big-endian bytes (PNG chunk lengths and CRCs).
inline std::string Be32Bytes(uint32_t v) {
  return {char((v >> 24) & 0xFF), char((v >> 16) & 0xFF), char((v >> 8) & 0xFF), char(v & 0xFF)};
}
// The low `count` bytes of `v`, little-endian (1 to 4).
inline std::string LeBytes(uint32_t v, int count) {
  std::string s;
  for (int i = 0; i < count; ++i) s += char((v >> (8 * i)) & 0xFF);
  return s;
}

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_IO_BYTE_ORDER_H_

#include "analysis/io/image_header.h"

#include <algorithm>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "analysis/io/byte_order.h"
#include "analysis/io/heif_codec.h"
#include "analysis/io/png_chunks.h"
#include "analysis/io/raw_codec.h"
#include "analysis/io/tiff_ifd.h"

namespace acuity {
namespace {

bool StartsWith(std::string_view b, std::string_view magic) {
  return b.size() >= magic.size() && b.substr(0, magic.size()) == magic;
}

absl::Status Truncated(const char* format) {
  return absl::DataLossError(absl::StrFormat("%s header is cut short (file truncated)", format));
}

absl::StatusOr<ImageHeader> ReadPng(std::string_view b) {
  // Signature (8) + IHDR length (4) + "IHDR" (4) + 13 bytes of data.
  if (b.size() < 33) return Truncated("PNG");
  if (b.substr(12, 4) != "IHDR") return absl::DataLossError("PNG does not start with an IHDR chunk");
  ImageHeader h;
  h.format = ImageFormat::kPng;
  h.width = int(std::min<uint32_t>(ReadBe32(b, 16), 0x7fffffff));
  h.height = int(std::min<uint32_t>(ReadBe32(b, 20), 0x7fffffff));
  h.bit_depth = uint8_t(b[24]);
  const int color_type = uint8_t(b[25]);
  switch (color_type) {
    case 0: h.channels = 1; break;                       // gray
    case 2: h.channels = 3; break;                       // RGB
    case 3: h.channels = 3; h.bit_depth = 8; break;      // palette, expands to RGB
    case 4: h.channels = 2; h.has_alpha = true; break;   // gray + alpha
    case 6: h.channels = 4; h.has_alpha = true; break;   // RGBA
    default: return absl::DataLossError(absl::StrFormat("PNG has invalid colour type %d", color_type));
  }
  // Walk the chunks before IDAT looking for pHYs (and tRNS, which adds alpha).
  ForEachPngChunk(b, [&](const PngChunk& c) {
    if (c.at + 12 > b.size() || c.type == "IDAT" || c.type == "IEND" || c.length > b.size()) return false;
    if (c.type == "pHYs" && c.length == 9 && c.data_at + 9 <= b.size()) {
      const uint32_t px = ReadBe32(b, c.data_at), py = ReadBe32(b, c.data_at + 4);
      if (uint8_t(b[c.data_at + 8]) == 1 && px > 0 && py > 0) {  // unit: metre
        h.png_dpi_x = px * 0.0254;
        h.png_dpi_y = py * 0.0254;
      }
    }
    if (c.type == "tRNS") {
      h.has_alpha = true;
      if (color_type == 3 || color_type == 2) h.channels = 4;
      if (color_type == 0) h.channels = 2;
    }
    return true;
  });
  return h;
}

absl::StatusOr<ImageHeader> ReadJpeg(std::string_view b) {
  size_t at = 2;
  while (true) {
    // Skip fill bytes up to the next marker.
    while (at < b.size() && uint8_t(b[at]) != 0xFF) ++at;
    while (at < b.size() && uint8_t(b[at]) == 0xFF) ++at;
    if (at >= b.size()) return Truncated("JPEG");
    const uint8_t marker = uint8_t(b[at++]);
    if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) continue;
    if (marker == 0xD9 || marker == 0xDA)
      return absl::DataLossError("JPEG has no frame header before its image data");
    if (at + 2 > b.size()) return Truncated("JPEG");
    const uint32_t length = ReadBe16(b, at);
    if (length < 2) return absl::DataLossError("JPEG has a malformed marker segment");
    const bool is_sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 &&
                        marker != 0xCC;
    if (is_sof) {
      if (at + 8 > b.size()) return Truncated("JPEG");
      ImageHeader h;
      h.format = ImageFormat::kJpeg;
      h.bit_depth = uint8_t(b[at + 2]);
      h.height = int(ReadBe16(b, at + 3));
      h.width = int(ReadBe16(b, at + 5));
      h.channels = uint8_t(b[at + 7]);
      h.cmyk = h.channels == 4;  // a JPEG has no alpha: 4 components are CMYK or YCCK
      if (h.width == 0 || h.height == 0)
        return absl::DataLossError("JPEG frame header gives a zero size");
      if (h.bit_depth != 8)  // libjpeg-turbo here is built for 8-bit samples only
        return absl::UnimplementedError(
            absl::StrFormat("%d-bit JPEG is not supported (8-bit JPEG only)", h.bit_depth));
      return h;
    }
    at += length;
  }
}

absl::StatusOr<ImageHeader> ReadWebp(std::string_view b) {
  if (b.size() < 30) return Truncated("WebP");
  ImageHeader h;
  h.format = ImageFormat::kWebp;
  h.bit_depth = 8;
  std::string_view chunk = b.substr(12, 4);
  if (chunk == "VP8 ") {
    // Key frame: 3-byte frame tag, start code 9D 01 2A, 14-bit width/height.
    if (uint8_t(b[23]) != 0x9D || uint8_t(b[24]) != 0x01 || uint8_t(b[25]) != 0x2A)
      return absl::DataLossError("WebP (lossy) has no key-frame start code");
    h.width = int(ReadLe16(b, 26) & 0x3FFF);
    h.height = int(ReadLe16(b, 28) & 0x3FFF);
    h.channels = 3;
  } else if (chunk == "VP8L") {
    if (uint8_t(b[20]) != 0x2F) return absl::DataLossError("WebP (lossless) has a bad signature");
    const uint32_t bits = ReadLe32(b, 21);
    h.width = int((bits & 0x3FFF) + 1);
    h.height = int(((bits >> 14) & 0x3FFF) + 1);
    h.has_alpha = (bits >> 28) & 1;
    h.channels = h.has_alpha ? 4 : 3;
  } else if (chunk == "VP8X") {
    h.has_alpha = (uint8_t(b[20]) & 0x10) != 0;
    h.width = int(ReadLe24(b, 24) + 1);
    h.height = int(ReadLe24(b, 27) + 1);
    h.channels = h.has_alpha ? 4 : 3;
  } else {
    return absl::DataLossError("WebP has an unknown first chunk");
  }
  return h;
}

absl::StatusOr<ImageHeader> ReadTiff(std::string_view b) {
  absl::StatusOr<TiffIfd> ifd = ReadFirstTiffIfd(b);
  if (!ifd.ok()) return ifd.status();
  ImageHeader h;
  h.format = ImageFormat::kTiff;
  h.channels = 1;
  h.bit_depth = 1;
  int photometric = 2;
  for (const TiffEntry& e : ifd->entries) {
    switch (e.tag) {
      case 256: h.width = int(e.value); break;
      case 257: h.height = int(e.value); break;
      case 258:  // BitsPerSample: inline when it fits, else read the first entry.
        if (e.count * 2 <= 4) h.bit_depth = int(e.offset_field >> (ifd->little_endian ? 0 : 16) & 0xFFFF);
        else if (std::optional<uint32_t> first = ifd->Short(b, e.offset_field)) h.bit_depth = int(*first);
        break;
      case 277: h.channels = int(e.value); break;
      case 262: photometric = int(e.value); break;
      case 259: h.tiff_compression = int(e.value); break;
    }
  }
  if (ifd->Find(256) == nullptr || ifd->Find(257) == nullptr)
    return absl::DataLossError("TIFF has no image size tags");
  if (h.width <= 0 || h.height <= 0) return absl::DataLossError("TIFF header gives a zero or negative size");
  if (h.bit_depth > 16)
    return absl::UnimplementedError(absl::StrFormat(
        "%d-bit TIFF samples are not supported (8- and 16-bit integer only)", h.bit_depth));
  // A 2nd sample after gray or a 4th after RGB is alpha (ExtraSamples is
  // often missing); 4 samples with photometric 5 (separated) is CMYK.
  h.has_alpha = h.channels == 2 || (h.channels == 4 && photometric != 5) || h.channels > 4;
  h.cmyk = h.channels == 4 && photometric == 5;
  return h;
}

absl::StatusOr<ImageHeader> ReadHeif(std::string_view b, ImageFormat format) {
  absl::StatusOr<HeifHeader> heif = ReadHeifHeader(b);
  if (!heif.ok()) return heif.status();
  ImageHeader h;
  h.format = format;
  h.width = heif->width;
  h.height = heif->height;
  h.bit_depth = heif->bit_depth;
  h.has_alpha = heif->has_alpha;
  h.channels = h.has_alpha ? 4 : 3;
  h.heif_images = heif->top_level_images;
  return h;
}

absl::StatusOr<ImageHeader> ReadRaw(std::string_view b) {
  absl::StatusOr<RawHeader> raw = ReadRawHeader(b);
  if (!raw.ok()) return raw.status();
  ImageHeader h;
  h.format = ImageFormat::kRaw;
  h.width = raw->width;
  h.height = raw->height;
  h.bit_depth = 16;  // the rendering's; the sensor's own depth (12, 14 bits) is not reported
  h.channels = 3;
  return h;
}

absl::StatusOr<ImageHeader> ReadBmp(std::string_view b) {
  if (b.size() < 30) return Truncated("BMP");
  ImageHeader h;
  h.format = ImageFormat::kBmp;
  const uint32_t dib = ReadLe32(b, 14);
  int64_t width = 0, height = 0;
  int bits = 0;
  if (dib == 12) {  // BITMAPCOREHEADER: 16-bit sizes
    width = ReadLe16(b, 18), height = ReadLe16(b, 20), bits = int(ReadLe16(b, 24));
  } else if (dib >= 40) {
    if (b.size() < 34) return Truncated("BMP");  // the compression field ends at byte 34
    width = int32_t(ReadLe32(b, 18)), height = int32_t(ReadLe32(b, 22)), bits = int(ReadLe16(b, 28));
  } else {
    return absl::DataLossError(absl::StrFormat("BMP has an unknown header size (%u bytes)", dib));
  }
  if (height < 0) height = -height;  // top-down rows
  if (width <= 0 || height == 0) return absl::DataLossError("BMP header gives a zero or negative size");
  // Uncompressed rows (BI_RGB, BI_BITFIELDS) must all be there: OpenCV's
  // reader would print its own message for a truncated file.
  const uint32_t compression = dib >= 40 ? ReadLe32(b, 30) : 0;
  const uint64_t row_bytes = (uint64_t(std::max(bits, 1)) * uint64_t(width) + 31) / 32 * 4;
  if ((compression == 0 || compression == 3) && ReadLe32(b, 10) + row_bytes * uint64_t(height) > b.size())
    return absl::DataLossError("BMP pixel data is cut short (file truncated)");
  h.width = int(std::min<int64_t>(width, 0x7fffffff));
  h.height = int(std::min<int64_t>(height, 0x7fffffff));
  h.bit_depth = 8;
  h.has_alpha = bits == 32;
  h.channels = h.has_alpha ? 4 : 3;
  return h;
}

absl::StatusOr<ImageHeader> ReadGif(std::string_view b) {
  if (b.size() < 13) return Truncated("GIF");
  ImageHeader h;
  h.format = ImageFormat::kGif;
  h.width = int(ReadLe16(b, 6));   // the logical screen, which the first frame is painted on
  h.height = int(ReadLe16(b, 8));
  h.bit_depth = 8;
  h.channels = 3;  // 4 when the first frame turns out to have a transparent colour
  if (h.width == 0 || h.height == 0) return absl::DataLossError("GIF header gives a zero size");
  return h;
}

}  // namespace

const char* ImageFormatName(ImageFormat format) {
  switch (format) {
    case ImageFormat::kJpeg: return "jpeg";
    case ImageFormat::kPng: return "png";
    case ImageFormat::kWebp: return "webp";
    case ImageFormat::kTiff: return "tiff";
    case ImageFormat::kHeif: return "heif";
    case ImageFormat::kAvif: return "avif";
    case ImageFormat::kRaw: return "raw";
    case ImageFormat::kBmp: return "bmp";
    case ImageFormat::kGif: return "gif";
    case ImageFormat::kUnknown: break;
  }
  return "unknown";
}

ImageFormat SniffImageFormat(std::string_view b) {
  if (StartsWith(b, "\xFF\xD8\xFF")) return ImageFormat::kJpeg;
  if (StartsWith(b, "\x89PNG\r\n\x1A\n")) return ImageFormat::kPng;
  if (b.size() >= 16 && StartsWith(b, "RIFF") && b.substr(8, 4) == "WEBP") return ImageFormat::kWebp;
  if (LooksLikeCameraRaw(b)) return ImageFormat::kRaw;  // before TIFF: most RAWs are TIFF-structured
  if (StartsWith(b, std::string_view("II*\0", 4)) || StartsWith(b, std::string_view("MM\0*", 4)))
    return ImageFormat::kTiff;
  if (LooksLikeHeif(b)) return IsAvifBrand(b) ? ImageFormat::kAvif : ImageFormat::kHeif;
  if (b.size() >= 18 && StartsWith(b, "BM")) return ImageFormat::kBmp;
  if (StartsWith(b, "GIF87a") || StartsWith(b, "GIF89a")) return ImageFormat::kGif;
  return ImageFormat::kUnknown;
}

absl::StatusOr<ImageHeader> ReadImageHeader(std::string_view bytes) {
  if (bytes.empty()) return absl::InvalidArgumentError("file is empty (0 bytes)");
  const ImageFormat format = SniffImageFormat(bytes);
  switch (format) {
    case ImageFormat::kJpeg: return ReadJpeg(bytes);
    case ImageFormat::kPng: return ReadPng(bytes);
    case ImageFormat::kWebp: return ReadWebp(bytes);
    case ImageFormat::kTiff: return ReadTiff(bytes);
    case ImageFormat::kHeif:
    case ImageFormat::kAvif: return ReadHeif(bytes, format);
    case ImageFormat::kRaw: return ReadRaw(bytes);
    case ImageFormat::kBmp: return ReadBmp(bytes);
    case ImageFormat::kGif: return ReadGif(bytes);
    case ImageFormat::kUnknown: break;
  }
  return absl::InvalidArgumentError(
      "not a recognised image (expected JPEG, PNG, WebP, TIFF, HEIC/HEIF, AVIF, camera RAW, BMP or GIF data, "
      "whatever the file name says)");
}

}  // namespace acuity

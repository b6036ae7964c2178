#include "analysis/io/animation.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <fmt/format.h>

#include "analysis/io/byte_order.h"
#include "analysis/io/png_chunks.h"
#include "analysis/io/tiff_ifd.h"

namespace acuity {
namespace {

uint8_t At(std::string_view b, size_t i) { return static_cast<uint8_t>(b[i]); }

// Bytes of a GIF colour table announced by a packed field (bit 7: present;
// bits 0–2: 2^(n+1) entries of 3 bytes).
size_t ColorTableBytes(uint8_t packed) { return (packed & 0x80) ? 3u * (2u << (packed & 7)) : 0u; }

// Past a chain of GIF data sub-blocks (length byte, data; 0 ends it);
// npos when the file ends first.
size_t SkipSubBlocks(std::string_view b, size_t at) {
  while (at < b.size()) {
    const size_t length = At(b, at);
    ++at;
    if (length == 0) return at;
    at += length;
  }
  return std::string_view::npos;
}

uint32_t Le32(std::string_view b, size_t i) {
  return uint32_t(At(b, i)) | uint32_t(At(b, i + 1)) << 8 | uint32_t(At(b, i + 2)) << 16 | uint32_t(At(b, i + 3)) << 24;
}

// One ISO-BMFF box: its type and its payload (after the header).
struct Box {
  std::string_view type;
  std::string_view payload;
};

// The boxes laid end to end in `b` (a file, or a container box's payload);
// a box cut short by the end ends the list (counted up to there).
std::vector<Box> Boxes(std::string_view b) {
  std::vector<Box> boxes;
  size_t at = 0;
  while (at + 8 <= b.size()) {
    uint64_t size = ReadBe32(b, at), header = 8;
    if (size == 1) {  // a 64-bit size follows the type
      if (at + 16 > b.size()) break;
      size = ReadBe64(b, at + 8);
      header = 16;
    } else if (size == 0) {  // to the end
      size = b.size() - at;
    }
    if (size < header || size > b.size() - at) break;
    boxes.push_back({b.substr(at + 4, 4), b.substr(at + header, size - header)});
    at += size;
  }
  return boxes;
}

std::string_view Child(std::string_view payload, std::string_view type) {
  for (const Box& box : Boxes(payload))
    if (box.type == type) return box.payload;
  return {};
}

// Samples of one 'trak' of a picture or video track, else 0: its sample
// size box's count (stsz or the compact stz2, after their version, flags
// and one 4-byte field).
int64_t TrackSamples(std::string_view trak) {
  const std::string_view mdia = Child(trak, "mdia");
  const std::string_view hdlr = Child(mdia, "hdlr");
  if (hdlr.size() < 12 || (hdlr.substr(8, 4) != "pict" && hdlr.substr(8, 4) != "vide")) return 0;
  const std::string_view stbl = Child(Child(mdia, "minf"), "stbl");
  for (const char* sizes : {"stsz", "stz2"}) {
    const std::string_view box = Child(stbl, sizes);
    if (box.size() >= 12) return ReadBe32(box, 8);
  }
  return 0;
}

}  // namespace

int CountHeifSequenceFrames(std::string_view bytes) {
  int64_t frames = 0;
  for (const Box& box : Boxes(bytes)) {
    if (box.type != "moov") continue;
    for (const Box& trak : Boxes(box.payload))
      if (trak.type == "trak") frames = std::max(frames, TrackSamples(trak.payload));
  }
  return int(std::min<int64_t>(frames, 1 << 30));
}

int CountGifFrames(std::string_view b) {
  // Header (6) + logical screen descriptor (7) + its colour table, then
  // blocks: 0x2C an image, 0x21 an extension, 0x3B the end.
  if (b.size() < 13) return 1;
  size_t at = 13 + ColorTableBytes(At(b, 10));
  int frames = 0;
  while (at < b.size()) {
    const uint8_t block = At(b, at++);
    if (block == 0x2C) {
      if (at + 9 > b.size()) break;
      ++frames;
      at += 9 + ColorTableBytes(At(b, at + 8)) + 1;  // descriptor, local table, LZW code size
      at = SkipSubBlocks(b, at);
    } else if (block == 0x21) {
      at = SkipSubBlocks(b, at + 1);  // past the label
    } else {
      break;  // 0x3B, or damage
    }
  }
  return std::max(frames, 1);
}

int CountWebpFrames(std::string_view b) {
  // RIFF container: "RIFF" size "WEBP", then chunks (FourCC, little-endian
  // size, data padded to an even length); each frame of an animation is
  // one ANMF chunk.
  if (b.size() < 12 || b.substr(0, 4) != "RIFF" || b.substr(8, 4) != "WEBP") return 1;
  int frames = 0;
  size_t at = 12;
  const size_t end = std::min<uint64_t>(b.size(), 8 + uint64_t(Le32(b, 4)));  // the RIFF's own length
  while (at + 8 <= end) {
    const std::string_view fourcc = b.substr(at, 4);
    const uint64_t size = Le32(b, at + 4);
    if (fourcc == "ANMF") ++frames;
    at += 8 + size + (size & 1);
  }
  return std::max(frames, 1);
}

int CountPngFrames(std::string_view bytes) {
  // APNG: an acTL chunk before IDAT marks an animation; each frame has its
  // fcTL chunk (counted, rather than acTL's own figure, which a file may
  // state as anything).
  bool animated = false, image_data_seen = false;
  int frame_controls = 0;
  ForEachPngChunk(bytes, [&](const PngChunk& c) {
    if (c.type == "IDAT") image_data_seen = true;
    if (c.type == "acTL" && !image_data_seen) animated = true;
    if (c.type == "fcTL") ++frame_controls;
    return true;
  });
  return animated ? std::max(frame_controls, 1) : 1;
}

std::optional<int> CountStoredFrames(std::string_view bytes, ImageFormat format) {
  switch (format) {
    case ImageFormat::kGif: return CountGifFrames(bytes);
    case ImageFormat::kWebp: return CountWebpFrames(bytes);
    case ImageFormat::kPng: return CountPngFrames(bytes);
    case ImageFormat::kTiff: return CountTiffPages(bytes);
    case ImageFormat::kHeif:
    case ImageFormat::kAvif: return std::max(CountHeifSequenceFrames(bytes), 1);
    case ImageFormat::kJpeg:
    case ImageFormat::kBmp:
    case ImageFormat::kRaw: return 1;
    default: return std::nullopt;
  }
}

std::optional<StoredImagesWords> SeveralStoredImages(const ImageInfo& info) {
  if (!info.frames || *info.frames <= 1) return std::nullopt;
  StoredImagesWords words;
  if (info.heif_collection) {
    words.warning_code = "multi_image_input";
    words.one = "image";
    words.read = "primary image";
    words.whole = fmt::format("{} file of {} images", info.format == ImageFormat::kAvif ? "an AVIF" : "a HEIF",
                              *info.frames);
    words.animation = false;
  } else if (info.format == ImageFormat::kTiff) {
    words.warning_code = "multi_page_input";
    words.one = "page";
    words.read = "first page";
    words.whole = fmt::format("a TIFF of {} pages", *info.frames);
    words.animation = false;
  } else {
    words.warning_code = "animated_input";
    words.one = "frame";
    // Of a HEIF/AVIF sequence libheif reads the still image stored beside it.
    const bool heif = info.format == ImageFormat::kHeif || info.format == ImageFormat::kAvif;
    words.read = heif ? "primary image" : "first frame";
    words.whole = fmt::format("an animation of {} frames", *info.frames);
  }
  return words;
}

}  // namespace acuity

#include "analysis/io/png_codec.h"

#include <algorithm>
#include <csetjmp>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <png.h>
#include <opencv2/imgproc.hpp>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "analysis/io/guard.h"
#include "analysis/io/png_chunks.h"

namespace acuity {
namespace {

struct Reader {
  std::string_view bytes;
  size_t at = 0;
  std::string error;
  bool out_of_memory = false;  // an allocation of libpng's was refused
};

// libpng's allocations, through us so that a refused one is known as such
// (libpng reports it only in words, or not at all for png_malloc_warn).
png_voidp Allocate(png_structp png, png_alloc_size_t size) {
  void* p = std::malloc(size);
  if (p == nullptr) static_cast<Reader*>(png_get_mem_ptr(png))->out_of_memory = true;
  return p;
}
void Free(png_structp, png_voidp p) { std::free(p); }

void OnError(png_structp png, png_const_charp message) {
  auto* reader = static_cast<Reader*>(png_get_error_ptr(png));
  reader->error = message;
  png_longjmp(png, 1);
}

void OnWarning(png_structp, png_const_charp) {}  // e.g. "known incorrect sRGB profile"

// The largest ancillary chunk (text, ICC profile, EXIF, ...) libpng may
// allocate, in bytes. ICC profiles and EXIF blocks are well under this.
constexpr png_alloc_size_t kPngMaxChunkBytes = png_alloc_size_t{16} << 20;
// The most ancillary chunks of a kind libpng keeps (text, sPLT, unknown).
constexpr png_uint_32 kPngMaxCachedChunks = 1000;

// Every chunk but image data must fit in what is left of the file: libpng
// allocates a text chunk's declared length before reading it, and Debian's
// libpng 1.6.39 does so even above png_set_chunk_malloc_max — an 829-byte PNG
// whose tEXt declared 1.9 GB made acuity allocate all of it (CI fuzzing,
// docs/fuzzing.md finding 12). Image data (IDAT) is streamed, and a file cut
// inside it is reported by libpng as truncated.
absl::Status CheckChunkLengths(std::string_view b) {
  absl::Status status;
  ForEachPngChunk(b, [&](const PngChunk& c) {
    if (c.type != "IDAT" && c.length > c.bytes_left) {
      const bool letters = std::all_of(c.type.begin(), c.type.end(), [](char ch) {
        return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
      });
      status = absl::DataLossError(absl::StrCat("corrupt PNG data: ", letters ? "the " + std::string(c.type) : "a",
                                                " chunk declares ", c.length, " bytes, the file has ", c.bytes_left,
                                                " left"));
    }
    return status.ok() && c.type != "IEND";
  });
  return status;
}

void OnRead(png_structp png, png_bytep out, png_size_t length) {
  auto* reader = static_cast<Reader*>(png_get_io_ptr(png));
  if (reader->at + length > reader->bytes.size()) {
    png_error(png, "the file ends in the middle of the image data (truncated)");
  }
  std::memcpy(out, reader->bytes.data() + reader->at, length);
  reader->at += length;
}

}  // namespace

absl::StatusOr<cv::Mat> DecodePng(std::string_view bytes) {
  if (absl::Status s = CheckChunkLengths(bytes); !s.ok()) return s;
  Reader reader{bytes, 0, {}};
  png_structp png = png_create_read_struct_2(PNG_LIBPNG_VER_STRING, &reader, OnError, OnWarning, &reader,
                                             Allocate, Free);
  if (png == nullptr) return OutOfMemoryError("creating a PNG reader");
  png_infop info = png_create_info_struct(png);
  // Objects with destructors live above setjmp so that a longjmp skips none.
  cv::Mat pixels;
  std::vector<png_bytep> rows;
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, nullptr);
    if (reader.out_of_memory) return OutOfMemoryError("decoding the PNG");
    return absl::DataLossError(absl::StrCat("corrupt PNG data: ", reader.error));
  }
  png_set_read_fn(png, &reader, OnRead);
  png_set_chunk_malloc_max(png, kPngMaxChunkBytes);
  png_set_chunk_cache_max(png, kPngMaxCachedChunks);
  png_read_info(png, info);
  const int color_type = png_get_color_type(png, info);
  const int bit_depth = png_get_bit_depth(png, info);
  if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
  if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
  if (bit_depth == 16) png_set_swap(png);  // big-endian in the file, native in memory
  png_set_bgr(png);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);

  const int width = int(png_get_image_width(png, info));
  const int height = int(png_get_image_height(png, info));
  const int channels = png_get_channels(png, info);
  const int depth = png_get_bit_depth(png, info) == 16 ? CV_16U : CV_8U;
  try {
    pixels.create(height, width, CV_MAKETYPE(depth, channels));
    rows.resize(height);
  } catch (...) {
    png_destroy_read_struct(&png, &info, nullptr);
    return CurrentExceptionToStatus("decoding the PNG");
  }
  for (int y = 0; y < height; ++y) rows[y] = pixels.ptr<png_byte>(y);
  png_read_image(png, rows.data());
  png_read_end(png, nullptr);
  png_destroy_read_struct(&png, &info, nullptr);

  if (channels == 2) {  // gray + alpha -> BGRA
    cv::Mat planes[2];
    cv::split(pixels, planes);
    cv::Mat bgra;
    cv::merge(std::vector<cv::Mat>{planes[0], planes[0], planes[0], planes[1]}, bgra);
    return bgra;
  }
  return pixels;
}

}  // namespace acuity

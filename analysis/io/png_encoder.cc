// EncodePng (png_codec.h): PNG encoding on acuity's thread pool. libpng
// deflates a picture on one thread, which made writing a large result the
// longest step of an upscale on a GPU (a 4096×3072 PNG: seconds, the network
// a fraction of one; issue #22). Here the rows are cut into blocks of about
// kBlockRawBytes; each block is filtered and deflated on its own, primed
// with the 32 KB of filtered rows before it (as pigz does), and ends on a
// byte boundary (Z_SYNC_FLUSH), so that the blocks' outputs laid end to end
// are one zlib stream: a 2-byte header, the blocks, then the Adler-32 of
// the whole, combined from the blocks' own. Each block's output is one IDAT
// chunk (the header and the checksum are two small ones of their own).
// Filters are chosen per row as libpng chooses them by default: of None,
// Sub, Up, Average and Paeth, the one whose bytes, read as signed, have the
// smallest sum of magnitudes.
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "analysis/io/byte_order.h"
#include "analysis/io/guard.h"
#include "analysis/io/png_codec.h"
#include "analysis/io/thread_pool.h"

namespace acuity {
namespace {

// Filtered bytes deflated as one block: about 70 blocks for a 4096×3072 RGB
// picture, enough to keep 16 threads busy; the 32 KB dictionary each block
// is primed with keeps the file within 0.1 % of a single stream's size.
constexpr size_t kBlockRawBytes = size_t{512} << 10;
// Deflate's window: the dictionary a block is primed with.
constexpr size_t kWindowBytes = 32768;
// The longest row encoded, bytes: a block (one row at least) stays well
// within zlib's 32-bit input count and PNG's 2 GB chunk length.
constexpr size_t kMaxRowBytes = size_t{1} << 30;

enum PngFilter : uint8_t { kNone = 0, kSub = 1, kUp = 2, kAverage = 3, kPaeth = 4 };

// The picture's geometry as the file stores it.
struct Layout {
  const cv::Mat* pixels;
  int channels;
  int sample_bytes;  // 1 or 2
  size_t row_bytes;  // width × channels × sample_bytes
  size_t bpp;        // bytes per pixel: the distance of Sub's and Paeth's left neighbour
};

// Row y's bytes as the file stores them: RGB(A) rather than BGR(A), 16-bit
// samples big-endian.
void FileRow(const Layout& l, int y, uint8_t* out) {
  const int width = l.pixels->cols, c = l.channels;
  if (l.sample_bytes == 1) {
    const uint8_t* in = l.pixels->ptr<uint8_t>(y);
    if (c == 1) {
      std::memcpy(out, in, size_t(width));
      return;
    }
    for (int x = 0; x < width; ++x, in += c, out += c) {
      out[0] = in[2];
      out[1] = in[1];
      out[2] = in[0];
      if (c == 4) out[3] = in[3];
    }
    return;
  }
  const uint16_t* in = l.pixels->ptr<uint16_t>(y);
  for (int x = 0; x < width; ++x, in += c) {
    for (int k = 0; k < c; ++k) {
      const uint16_t v = in[(c >= 3 && k < 3) ? 2 - k : k];  // B,G,R → R,G,B; alpha and gray stay
      *out++ = uint8_t(v >> 8);
      *out++ = uint8_t(v & 0xff);
    }
  }
}

// The sum of `n` filtered bytes' magnitudes read as signed: libpng's cost
// of a filter. As unsigned bytes, |int8(v)| is min(v, 256 − v), which
// vectorises (this file is built at -O3).
uint64_t FilterCost(const uint8_t* __restrict v, size_t n) {
  uint64_t cost = 0;
  size_t i = 0;
  while (i < n) {
    // Partial sums in 32 bits, at most 2^24 bytes of at most 128 each.
    const size_t end = std::min(n, i + (size_t{1} << 24));
    uint32_t partial = 0;
    for (; i < end; ++i) partial += std::min<uint8_t>(v[i], uint8_t(-v[i]));
    cost += partial;
  }
  return cost;
}

// The four predicting filters of one row at once: `cur` the row, `prev` the
// one above (zeros for the first row); out[k] gets Sub, Up, Average, Paeth.
// Bytes before the first pixel predict from zeros, as the format says.
void ApplyFilters(size_t n, size_t bpp, const uint8_t* __restrict prev, const uint8_t* __restrict cur,
                  uint8_t* __restrict sub, uint8_t* __restrict up, uint8_t* __restrict avg,
                  uint8_t* __restrict paeth) {
  const size_t head = std::min(n, bpp);
  for (size_t i = 0; i < head; ++i) {  // left and up-left are 0: Paeth predicts up
    sub[i] = cur[i];
    up[i] = uint8_t(cur[i] - prev[i]);
    avg[i] = uint8_t(cur[i] - (prev[i] >> 1));
    paeth[i] = uint8_t(cur[i] - prev[i]);
  }
  for (size_t i = head; i < n; ++i) {
    const int a = cur[i - bpp], b = prev[i], c = prev[i - bpp];
    sub[i] = uint8_t(cur[i] - a);
    up[i] = uint8_t(cur[i] - b);
    avg[i] = uint8_t(cur[i] - ((a + b) >> 1));
    // Paeth's predictor without branches: p = a + b − c, and the nearest of
    // a, b, c to p, ties to a then b.
    const int pa = std::abs(b - c), pb = std::abs(a - c), pc = std::abs(a + b - 2 * c);
    const int predicted = (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c);
    paeth[i] = uint8_t(cur[i] - predicted);
  }
}

// Scratch for one row's four filtered candidates.
struct FilterScratch {
  explicit FilterScratch(size_t n) : bytes(4 * n), n(n) {}
  uint8_t* candidate(int k) { return bytes.data() + size_t(k) * n; }
  std::vector<uint8_t> bytes;
  size_t n;
};

// Writes the filter byte and the filtered row `cur` (above it `prev`, zeros
// for the first row) into `out` (1 + row_bytes), choosing the filter as
// libpng does: the smallest cost, ties to the earlier of None, Sub, Up,
// Average, Paeth.
void FilterRow(const Layout& l, const uint8_t* prev, const uint8_t* cur, uint8_t* out, FilterScratch& scratch) {
  const size_t n = l.row_bytes;
  ApplyFilters(n, l.bpp, prev, cur, scratch.candidate(0), scratch.candidate(1), scratch.candidate(2),
               scratch.candidate(3));
  const uint8_t* best = cur;
  uint8_t best_filter = kNone;
  uint64_t best_cost = FilterCost(cur, n);
  constexpr PngFilter kPredicting[] = {kSub, kUp, kAverage, kPaeth};
  for (int k = 0; k < 4; ++k) {
    const uint64_t cost = FilterCost(scratch.candidate(k), n);
    if (cost < best_cost) {
      best_cost = cost;
      best_filter = kPredicting[k];
      best = scratch.candidate(k);
    }
  }
  out[0] = best_filter;
  std::memcpy(out + 1, best, n);
}

// Rows [first, end) filtered, one filter byte and row_bytes each.
std::vector<uint8_t> FilteredRows(const Layout& l, int first, int end) {
  const size_t stride = l.row_bytes + 1;
  std::vector<uint8_t> out(stride * size_t(end - first));
  std::vector<uint8_t> prev(l.row_bytes, 0), cur(l.row_bytes);
  FilterScratch scratch(l.row_bytes);
  if (first > 0) FileRow(l, first - 1, prev.data());
  for (int y = first; y < end; ++y) {
    FileRow(l, y, cur.data());
    FilterRow(l, prev.data(), cur.data(), out.data() + stride * size_t(y - first), scratch);
    std::swap(prev, cur);
  }
  return out;
}

// One block of rows deflated: its IDAT chunk, and the Adler-32 and length
// of its filtered bytes (for the stream's checksum).
struct Block {
  int first_row = 0, end_row = 0;
  std::string idat;
  uLong adler = 1;
  size_t raw_bytes = 0;
};

// Deflates `block`'s rows as a raw deflate stream primed with the filtered
// rows before it; the last block finishes the stream, the others end on a
// byte boundary. Throws std::bad_alloc when zlib or a buffer gets no memory.
void DeflateBlock(const Layout& l, int level, bool last, Block& block) {
  const size_t stride = l.row_bytes + 1;
  const int context_rows = std::min(block.first_row, int((kWindowBytes + stride - 1) / stride));
  const std::vector<uint8_t> context = FilteredRows(l, block.first_row - context_rows, block.first_row);
  const std::vector<uint8_t> rows = FilteredRows(l, block.first_row, block.end_row);
  block.raw_bytes = rows.size();
  block.adler = adler32(1, rows.data(), uInt(rows.size()));

  z_stream z{};
  // Raw deflate (no zlib header: the file has one for all blocks), the
  // window and memory libpng uses, and its strategy for filtered rows.
  if (deflateInit2(&z, level, Z_DEFLATED, -15, 8, Z_FILTERED) != Z_OK) throw std::bad_alloc();
  struct End {
    z_stream* z;
    ~End() { deflateEnd(z); }
  } end{&z};
  if (!context.empty()) {
    const size_t dict = std::min(context.size(), kWindowBytes);
    deflateSetDictionary(&z, context.data() + context.size() - dict, uInt(dict));
  }
  std::string out(deflateBound(&z, uLong(rows.size())) + 16, '\0');  // + the sync flush's empty block
  z.next_in = const_cast<Bytef*>(rows.data());
  z.avail_in = uInt(rows.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = uInt(out.size());
  const int result = deflate(&z, last ? Z_FINISH : Z_SYNC_FLUSH);
  if (result == Z_MEM_ERROR || (last ? result != Z_STREAM_END : result != Z_OK) || z.avail_in != 0)
    throw std::bad_alloc();  // the output bound held: only memory can be short
  out.resize(out.size() - z.avail_out);
  block.idat = MakePngChunk("IDAT", out);
}

// The zlib stream header for `level` (deflate, 32 KB window), as zlib writes it.
std::string ZlibHeader(int level) {
  const unsigned flevel = level < 2 ? 0 : level < 6 ? 1 : level == 6 ? 2 : 3;
  unsigned header = (0x78u << 8) | (flevel << 6);
  header += 31 - header % 31;
  return std::string{char(header >> 8), char(header & 0xff)};
}

}  // namespace

std::string MakePngChunk(std::string_view type, std::string_view data) {
  std::string body(type);
  body += data;
  const uint32_t crc = uint32_t(crc32(0, reinterpret_cast<const Bytef*>(body.data()), uInt(body.size())));
  return Be32Bytes(uint32_t(data.size())) + body + Be32Bytes(crc);
}

absl::StatusOr<std::string> EncodePng(const cv::Mat& pixels, int compression_level) {
  const int channels = pixels.channels();
  if (pixels.empty() || pixels.dims != 2 || (pixels.depth() != CV_8U && pixels.depth() != CV_16U) ||
      (channels != 1 && channels != 3 && channels != 4)) {
    return absl::InvalidArgumentError("PNG encoding needs 8/16-bit gray, BGR or BGRA pixels");
  }
  // zlib's default (-1) is 6, as libpng takes it.
  const int level = compression_level < 0 ? 6 : std::min(compression_level, 9);
  Layout l{&pixels, channels, pixels.depth() == CV_16U ? 2 : 1, 0, 0};
  l.bpp = size_t(channels) * size_t(l.sample_bytes);
  l.row_bytes = size_t(pixels.cols) * l.bpp;
  // zlib counts a call's input in 32 bits and a chunk holds under 2 GB: a
  // block is at least one row.
  if (l.row_bytes >= kMaxRowBytes) return absl::InvalidArgumentError("PNG encoding: a row over 1 GB");
  try {
    const int rows_per_block = int(std::max<size_t>(1, kBlockRawBytes / (l.row_bytes + 1)));
    std::vector<Block> blocks;
    for (int y = 0; y < pixels.rows; y += rows_per_block) {
      Block b;
      b.first_row = y;
      b.end_row = std::min(pixels.rows, y + rows_per_block);
      blocks.push_back(b);
    }
    {
      TaskGroup group;
      for (size_t i = 0; i < blocks.size(); ++i)
        group.Run([&, i] { DeflateBlock(l, level, i + 1 == blocks.size(), blocks[i]); });
      group.Wait();
    }
    uLong adler = 1;
    size_t bytes = 0;
    for (const Block& b : blocks) {
      adler = adler32_combine(adler, b.adler, z_off_t(b.raw_bytes));
      bytes += b.idat.size();
    }
    std::string ihdr = Be32Bytes(uint32_t(pixels.cols)) + Be32Bytes(uint32_t(pixels.rows));
    const uint8_t color_type = channels == 1 ? 0 : channels == 3 ? 2 : 6;  // gray, RGB, RGBA
    ihdr += std::string{char(8 * l.sample_bytes), char(color_type), 0, 0, 0};  // no interlace
    std::string out;
    out.reserve(bytes + 128);
    out += "\x89PNG\r\n\x1a\n";
    out += MakePngChunk("IHDR", ihdr);
    out += MakePngChunk("IDAT", ZlibHeader(level));
    for (Block& b : blocks) {
      out += b.idat;
      std::string().swap(b.idat);  // freed as it is copied: the output is held once
    }
    out += MakePngChunk("IDAT", Be32Bytes(uint32_t(adler)));
    out += MakePngChunk("IEND", "");
    return out;
  } catch (const std::bad_alloc&) {
    return OutOfMemoryError("encoding the PNG");
  }
}

}  // namespace acuity

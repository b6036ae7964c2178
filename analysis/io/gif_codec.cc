#include "analysis/io/gif_codec.h"

#include <gif_lib.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "analysis/io/guard.h"

namespace acuity {
namespace {

struct Reader {
  std::string_view bytes;
  size_t at = 0;
};

int Read(GifFileType* gif, GifByteType* out, int length) {
  auto* reader = static_cast<Reader*>(gif->UserData);
  const size_t n = std::min(size_t(std::max(length, 0)), reader->bytes.size() - reader->at);
  std::memcpy(out, reader->bytes.data() + reader->at, n);
  reader->at += n;
  return int(n);
}

struct GifCloser {
  void operator()(GifFileType* gif) const { DGifCloseFile(gif, nullptr); }
};
using GifFile = std::unique_ptr<GifFileType, GifCloser>;

absl::Status Corrupt(const GifFileType* gif, const char* what) {
  // giflib says when an allocation of its own was refused: the machine's fault.
  if (gif != nullptr && gif->Error == D_GIF_ERR_NOT_ENOUGH_MEM) return OutOfMemoryError("decoding the GIF");
  const char* reason = gif != nullptr ? GifErrorString(gif->Error) : nullptr;
  return absl::DataLossError(absl::StrCat("could not decode the GIF data (", what, ")",
                                          reason != nullptr ? ": " : "", reason != nullptr ? reason : ""));
}

// Reads graphics-control extensions up to the first image; returns the
// transparent colour index they set (NO_TRANSPARENT_COLOR when none).
absl::StatusOr<int> SkipToFirstImage(GifFileType* gif) {
  int transparent = NO_TRANSPARENT_COLOR;
  while (true) {
    GifRecordType record;
    if (DGifGetRecordType(gif, &record) == GIF_ERROR) return Corrupt(gif, "truncated before the first image");
    if (record == IMAGE_DESC_RECORD_TYPE) return transparent;
    if (record == TERMINATE_RECORD_TYPE) return Corrupt(gif, "no image in the file");
    if (record != EXTENSION_RECORD_TYPE) continue;
    int code = 0;
    GifByteType* block = nullptr;
    if (DGifGetExtension(gif, &code, &block) == GIF_ERROR) return Corrupt(gif, "bad extension block");
    if (code == GRAPHICS_EXT_FUNC_CODE && block != nullptr && block[0] >= 4) {
      GraphicsControlBlock gcb;
      if (DGifExtensionToGCB(block[0], block + 1, &gcb) == GIF_OK) transparent = gcb.TransparentColor;
    }
    while (block != nullptr)
      if (DGifGetExtensionNext(gif, &block) == GIF_ERROR) return Corrupt(gif, "bad extension block");
  }
}

// Paints one row of colour indices (row `y` of the frame) through the colour
// map onto the screen canvas, clipped to it.
void PaintRow(const std::vector<GifPixelType>& row, int y, const GifImageDesc& d, const ColorMapObject& map,
              int transparent, cv::Mat& canvas) {
  const int cy = d.Top + y;
  if (cy < 0 || cy >= canvas.rows) return;
  const int channels = canvas.channels();
  uint8_t* out = canvas.ptr<uint8_t>(cy);
  for (int x = 0; x < int(row.size()); ++x) {
    const int cx = d.Left + x;
    if (cx >= canvas.cols) break;
    if (row[x] == transparent) continue;
    const GifColorType& c = map.Colors[row[x] < map.ColorCount ? row[x] : 0];
    uint8_t* p = out + size_t(cx) * channels;
    p[0] = c.Blue, p[1] = c.Green, p[2] = c.Red;
    if (channels == 4) p[3] = 255;
  }
}

// Reads the frame row by row (de-interlaced) and paints it; one row of
// memory whatever size the frame claims.
absl::Status PaintFrame(GifFileType* gif, const ColorMapObject& map, int transparent, cv::Mat& canvas) {
  const GifImageDesc d = gif->Image;
  std::vector<GifPixelType> row(size_t(std::max(d.Width, 0)));
  static constexpr int kStart[] = {0, 4, 2, 1}, kStep[] = {8, 8, 4, 2};
  const int passes = d.Interlace ? 4 : 1;
  for (int pass = 0; pass < passes; ++pass) {
    const int start = d.Interlace ? kStart[pass] : 0, step = d.Interlace ? kStep[pass] : 1;
    for (int y = start; y < d.Height; y += step) {
      if (DGifGetLine(gif, row.data(), d.Width) == GIF_ERROR) return Corrupt(gif, "truncated image data");
      PaintRow(row, y, d, map, transparent, canvas);
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<cv::Mat> DecodeGifFirstFrame(std::string_view bytes) {
  if (bytes.substr(0, 6) != "GIF87a" && bytes.substr(0, 6) != "GIF89a")
    return absl::InvalidArgumentError("not a GIF file");
  Reader reader{bytes};
  int error = 0;
  GifFile gif(DGifOpen(&reader, Read, &error));
  if (!gif && error == D_GIF_ERR_NOT_ENOUGH_MEM) return OutOfMemoryError("decoding the GIF");
  if (!gif) return absl::DataLossError(absl::StrCat("could not decode the GIF data: ", GifErrorString(error)));
  absl::StatusOr<int> transparent = SkipToFirstImage(gif.get());
  if (!transparent.ok()) return transparent.status();
  if (DGifGetImageDesc(gif.get()) == GIF_ERROR) return Corrupt(gif.get(), "bad image descriptor");
  const ColorMapObject* map = gif->Image.ColorMap != nullptr ? gif->Image.ColorMap : gif->SColorMap;
  if (map == nullptr || map->ColorCount <= 0) return Corrupt(gif.get(), "no colour table");
  const bool alpha = *transparent != NO_TRANSPARENT_COLOR;
  cv::Mat canvas(gif->SHeight, gif->SWidth, alpha ? CV_8UC4 : CV_8UC3, cv::Scalar::all(0));
  if (!alpha && gif->SColorMap != nullptr && gif->SBackGroundColor < gif->SColorMap->ColorCount) {
    const GifColorType& bg = gif->SColorMap->Colors[gif->SBackGroundColor];
    canvas.setTo(cv::Scalar(bg.Blue, bg.Green, bg.Red));
  }
  if (absl::Status s = PaintFrame(gif.get(), *map, *transparent, canvas); !s.ok()) return s;
  return canvas;
}

}  // namespace acuity

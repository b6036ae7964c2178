#include "analysis/io/tiff_codec.h"

#include <tiffio.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "absl/strings/str_cat.h"

namespace acuity {
namespace {

// libtiff reads from memory through these callbacks.
struct MemoryStream {
  std::string_view bytes;
  toff_t pos = 0;
};

tmsize_t StreamRead(thandle_t h, void* buf, tmsize_t size) {
  auto* s = static_cast<MemoryStream*>(h);
  if (s->pos >= s->bytes.size()) return 0;
  const tmsize_t n = std::min<tmsize_t>(size, static_cast<tmsize_t>(s->bytes.size() - s->pos));
  std::memcpy(buf, s->bytes.data() + s->pos, static_cast<size_t>(n));
  s->pos += static_cast<toff_t>(n);
  return n;
}
tmsize_t StreamWrite(thandle_t, void*, tmsize_t) { return 0; }
toff_t StreamSeek(thandle_t h, toff_t off, int whence) {
  auto* s = static_cast<MemoryStream*>(h);
  const toff_t base = whence == SEEK_CUR ? s->pos : whence == SEEK_END ? s->bytes.size() : 0;
  s->pos = base + off;
  return s->pos;
}
int StreamClose(thandle_t) { return 0; }
toff_t StreamSize(thandle_t h) { return static_cast<MemoryStream*>(h)->bytes.size(); }
int NoMap(thandle_t, void**, toff_t*) { return 0; }
void NoUnmap(thandle_t, void*, toff_t) {}

// Keeps libtiff's first error (instead of its default print to stderr);
// warnings are dropped.
int KeepFirstError(TIFF*, void* user_data, const char* module, const char* fmt, va_list ap) {
  auto* first = static_cast<std::string*>(user_data);
  if (first->empty()) {
    char text[512];
    std::vsnprintf(text, sizeof(text), fmt, ap);
    *first = module != nullptr && *module != '\0' ? absl::StrCat(module, ": ", text) : text;
  }
  return 1;
}
int IgnoreWarning(TIFF*, void*, const char*, const char*, va_list) { return 1; }

struct TiffCloser {
  void operator()(TIFF* t) const { TIFFClose(t); }
};

template <typename T>
void Unpremultiply(cv::Mat& bgra) {
  const double max = static_cast<double>(std::numeric_limits<T>::max());
  for (int y = 0; y < bgra.rows; ++y) {
    T* p = bgra.ptr<T>(y);
    for (int x = 0; x < bgra.cols; ++x, p += 4) {
      if (p[3] == 0) continue;
      for (int c = 0; c < 3; ++c) p[c] = cv::saturate_cast<T>(std::min(max, p[c] * max / p[3]));
    }
  }
}

}  // namespace

absl::StatusOr<cv::Mat> DecodeTiff(std::string_view bytes) {
  MemoryStream stream{bytes, 0};
  std::string error;
  std::unique_ptr<TIFFOpenOptions, void (*)(TIFFOpenOptions*)> opts(TIFFOpenOptionsAlloc(),
                                                                     TIFFOpenOptionsFree);
  TIFFOpenOptionsSetErrorHandlerExtR(opts.get(), KeepFirstError, &error);
  TIFFOpenOptionsSetWarningHandlerExtR(opts.get(), IgnoreWarning, nullptr);
  std::unique_ptr<TIFF, TiffCloser> tif(TIFFClientOpenExt("tiff", "rm", &stream, StreamRead, StreamWrite,
                                                          StreamSeek, StreamClose, StreamSize, NoMap,
                                                          NoUnmap, opts.get()));
  auto corrupt = [&](const char* what) {
    return absl::DataLossError(absl::StrCat("could not decode the TIFF data (", what, ")",
                                            error.empty() ? "" : ": ", error));
  };
  if (!tif) return corrupt("not a readable TIFF");

  uint32_t width = 0, height = 0;
  uint16_t spp = 1, bps = 1, photometric = 0, planar = PLANARCONFIG_CONTIG, format = SAMPLEFORMAT_UINT;
  TIFFGetField(tif.get(), TIFFTAG_IMAGEWIDTH, &width);
  TIFFGetField(tif.get(), TIFFTAG_IMAGELENGTH, &height);
  TIFFGetFieldDefaulted(tif.get(), TIFFTAG_SAMPLESPERPIXEL, &spp);
  TIFFGetFieldDefaulted(tif.get(), TIFFTAG_BITSPERSAMPLE, &bps);
  TIFFGetFieldDefaulted(tif.get(), TIFFTAG_PLANARCONFIG, &planar);
  TIFFGetFieldDefaulted(tif.get(), TIFFTAG_SAMPLEFORMAT, &format);
  if (!TIFFGetField(tif.get(), TIFFTAG_PHOTOMETRIC, &photometric))
    return absl::UnimplementedError("TIFF without a photometric interpretation");
  uint16_t extra_count = 0;
  uint16_t* extra_types = nullptr;
  TIFFGetFieldDefaulted(tif.get(), TIFFTAG_EXTRASAMPLES, &extra_count, &extra_types);

  const bool gray = photometric == PHOTOMETRIC_MINISBLACK || photometric == PHOTOMETRIC_MINISWHITE;
  const int colour = gray ? 1 : 3;
  if ((!gray && photometric != PHOTOMETRIC_RGB) || (bps != 8 && bps != 16) || format != SAMPLEFORMAT_UINT ||
      planar != PLANARCONFIG_CONTIG || spp < colour || width == 0 || height == 0) {
    return absl::UnimplementedError("TIFF layout read by another decoder");
  }
  const bool alpha = spp > colour && extra_count > 0;
  const bool associated = alpha && extra_types[0] == EXTRASAMPLE_ASSOCALPHA;
  const int depth = bps == 8 ? CV_8U : CV_16U;

  // All samples as stored, then the channels acuity uses.
  cv::Mat stored(static_cast<int>(height), static_cast<int>(width), CV_MAKETYPE(depth, spp));
  const size_t pixel_bytes = stored.elemSize();
  if (TIFFIsTiled(tif.get())) {
    uint32_t tw = 0, th = 0;
    TIFFGetField(tif.get(), TIFFTAG_TILEWIDTH, &tw);
    TIFFGetField(tif.get(), TIFFTAG_TILELENGTH, &th);
    if (tw == 0 || th == 0) return corrupt("tile size 0");
    std::vector<uint8_t> tile(static_cast<size_t>(TIFFTileSize(tif.get())));
    if (tile.size() < size_t{tw} * th * pixel_bytes) return corrupt("tile smaller than its size");
    for (uint32_t y = 0; y < height; y += th) {
      for (uint32_t x = 0; x < width; x += tw) {
        if (TIFFReadTile(tif.get(), tile.data(), x, y, 0, 0) < 0) return corrupt("truncated tile");
        const uint32_t rows = std::min(th, height - y), cols = std::min(tw, width - x);
        for (uint32_t r = 0; r < rows; ++r) {
          std::memcpy(stored.ptr(static_cast<int>(y + r), static_cast<int>(x)),
                      tile.data() + size_t{r} * tw * pixel_bytes, cols * pixel_bytes);
        }
      }
    }
  } else {
    if (static_cast<size_t>(TIFFScanlineSize(tif.get())) < width * pixel_bytes) return corrupt("short rows");
    for (uint32_t y = 0; y < height; ++y) {
      if (TIFFReadScanline(tif.get(), stored.ptr(static_cast<int>(y)), y, 0) < 0)
        return corrupt("truncated rows");
    }
  }
  if (photometric == PHOTOMETRIC_MINISWHITE) {
    std::vector<cv::Mat> planes;
    cv::split(stored, planes);
    cv::bitwise_not(planes[0], planes[0]);
    cv::merge(planes, stored);
  }

  cv::Mat out;
  const int keep = colour + (alpha ? 1 : 0);
  if (spp != keep) {  // drop further extra samples
    std::vector<cv::Mat> planes;
    cv::split(stored, planes);
    planes.resize(keep);
    cv::merge(planes, stored);
  }
  if (gray) {
    out = alpha ? cv::Mat() : stored;
    if (alpha) {
      cv::Mat planes[2];
      cv::split(stored, planes);
      cv::merge(std::vector<cv::Mat>{planes[0], planes[0], planes[0], planes[1]}, out);
    }
  } else {
    cv::cvtColor(stored, out, alpha ? cv::COLOR_RGBA2BGRA : cv::COLOR_RGB2BGR);
  }
  if (associated) {
    if (depth == CV_8U) Unpremultiply<uint8_t>(out);
    else Unpremultiply<uint16_t>(out);
  }
  return out;
}

}  // namespace acuity

#include "analysis/io/tiff_codec.h"

#include <tiffio.h>

#include <algorithm>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "absl/strings/str_cat.h"
#include "analysis/io/guard.h"

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

// What libtiff reported while decoding one file.
struct LibtiffErrors {
  std::string first;           // its first error message
  bool out_of_memory = false;  // an allocation was refused on the way
};

// Keeps libtiff's first error (instead of its default print to stderr);
// warnings are dropped. libtiff tells a refused allocation only in words,
// a dozen different ones; but it reads from memory here (no system calls),
// so errno — cleared before the decode — is ENOMEM only when malloc was
// refused: the machine's fault, not the file's.
int KeepFirstError(TIFF*, void* user_data, const char* module, const char* fmt, va_list ap) {
  auto* errors = static_cast<LibtiffErrors*>(user_data);
  if (errno == ENOMEM) errors->out_of_memory = true;
  if (errors->first.empty()) {
    char text[512];
    std::vsnprintf(text, sizeof(text), fmt, ap);
    errors->first = module != nullptr && *module != '\0' ? absl::StrCat(module, ": ", text) : text;
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

using TiffPtr = std::unique_ptr<TIFF, TiffCloser>;

// What the first directory says about its pixels, for the layouts this
// decoder reads itself: 8/16-bit unsigned gray or RGB, interleaved, with
// optional extra samples (the first of which may be alpha).
struct TiffLayout {
  uint32_t width = 0, height = 0;
  uint16_t samples_per_pixel = 1;
  uint16_t photometric = 0;
  int colour_channels = 3;  // 1 for gray
  bool alpha = false;
  bool associated_alpha = false;  // premultiplied
  int depth = CV_8U;              // CV_8U or CV_16U
};

// More samples per pixel than any photograph has (colour, alpha and a few
// extra channels); OpenCV's pixel types end at 512 channels anyway.
constexpr uint16_t kMaxSamplesPerPixel = 16;
// Tiles are 16 to 1024 px on a side in practice: 1024² RGBA at 16 bits is 8 MiB.
constexpr size_t kMaxTileBytes = size_t{64} << 20;

absl::Status Corrupt(absl::string_view what, const std::string& library_error) {
  return absl::DataLossError(absl::StrCat("could not decode the TIFF data (", what, ")",
                                          library_error.empty() ? "" : ": ", library_error));
}

// UnimplementedError for layouts another decoder reads (palette, CMYK,
// planar, 1-bit, float …).
absl::StatusOr<TiffLayout> ReadLayout(TIFF* tif) {
  TiffLayout l;
  uint16_t bps = 1, planar = PLANARCONFIG_CONTIG, format = SAMPLEFORMAT_UINT;
  TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &l.width);
  TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &l.height);
  TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &l.samples_per_pixel);
  TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bps);
  TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &planar);
  TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLEFORMAT, &format);
  if (!TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &l.photometric))
    return absl::UnimplementedError("TIFF without a photometric interpretation");
  uint16_t extra_count = 0;
  uint16_t* extra_types = nullptr;
  TIFFGetFieldDefaulted(tif, TIFFTAG_EXTRASAMPLES, &extra_count, &extra_types);

  const bool gray = l.photometric == PHOTOMETRIC_MINISBLACK || l.photometric == PHOTOMETRIC_MINISWHITE;
  l.colour_channels = gray ? 1 : 3;
  if ((!gray && l.photometric != PHOTOMETRIC_RGB) || (bps != 8 && bps != 16) || format != SAMPLEFORMAT_UINT ||
      planar != PLANARCONFIG_CONTIG || l.samples_per_pixel < l.colour_channels || l.width == 0 || l.height == 0) {
    return absl::UnimplementedError("TIFF layout read by another decoder");
  }
  if (l.samples_per_pixel > kMaxSamplesPerPixel) {
    return Corrupt(absl::StrCat(l.samples_per_pixel, " samples per pixel; acuity reads at most ", kMaxSamplesPerPixel),
                   "");
  }
  // The first extra sample is alpha when the file says so, or when it is the
  // only one and unspecified (writers such as OpenCV's store RGBA without the
  // ExtraSamples tag). Several unspecified extra samples (a scanner's
  // infrared plane, a multispectral file) are dropped.
  const bool declared_alpha = extra_count > 0 && (extra_types[0] == EXTRASAMPLE_ASSOCALPHA ||
                                                  extra_types[0] == EXTRASAMPLE_UNASSALPHA);
  const bool lone_extra = l.samples_per_pixel == l.colour_channels + 1;
  l.alpha = l.samples_per_pixel > l.colour_channels && extra_count > 0 && (declared_alpha || lone_extra);
  l.associated_alpha = l.alpha && extra_types[0] == EXTRASAMPLE_ASSOCALPHA;
  l.depth = bps == 8 ? CV_8U : CV_16U;
  return l;
}

absl::Status ReadTiles(TIFF* tif, const TiffLayout& l, const std::string& error, cv::Mat& stored) {
  const size_t pixel_bytes = stored.elemSize();
  uint32_t tw = 0, th = 0;
  TIFFGetField(tif, TIFFTAG_TILEWIDTH, &tw);
  TIFFGetField(tif, TIFFTAG_TILELENGTH, &th);
  if (tw == 0 || th == 0) return Corrupt("tile size 0", error);
  // A tile may be larger than a small image, but not larger than both the
  // image and kMaxTileBytes: the declared size is allocated before any read.
  const size_t tile_bytes = static_cast<size_t>(std::max<tmsize_t>(TIFFTileSize(tif), 0));
  if (tile_bytes > std::max(kMaxTileBytes, stored.total() * pixel_bytes))
    return Corrupt("tile larger than the image", error);
  std::vector<uint8_t> tile(tile_bytes);
  if (tile.size() < size_t{tw} * th * pixel_bytes) return Corrupt("tile smaller than its size", error);
  for (uint32_t y = 0; y < l.height; y += th) {
    for (uint32_t x = 0; x < l.width; x += tw) {
      if (TIFFReadTile(tif, tile.data(), x, y, 0, 0) < 0) return Corrupt("truncated tile", error);
      const uint32_t rows = std::min(th, l.height - y), cols = std::min(tw, l.width - x);
      for (uint32_t r = 0; r < rows; ++r) {
        std::memcpy(stored.ptr(static_cast<int>(y + r), static_cast<int>(x)),
                    tile.data() + size_t{r} * tw * pixel_bytes, cols * pixel_bytes);
      }
    }
  }
  return absl::OkStatus();
}

absl::Status ReadStrips(TIFF* tif, const TiffLayout& l, const std::string& error, cv::Mat& stored) {
  // libtiff writes one whole scanline into each row of `stored`.
  if (static_cast<size_t>(TIFFScanlineSize(tif)) != l.width * stored.elemSize()) {
    return Corrupt("rows not the size of the image's", error);
  }
  for (uint32_t y = 0; y < l.height; ++y) {
    if (TIFFReadScanline(tif, stored.ptr(static_cast<int>(y)), y, 0) < 0) return Corrupt("truncated rows", error);
  }
  return absl::OkStatus();
}

// The samples as stored (white-is-zero inverted) to acuity's layout: gray,
// BGR or BGRA, straight alpha.
cv::Mat ToAcuityChannels(cv::Mat stored, const TiffLayout& l) {
  if (l.photometric == PHOTOMETRIC_MINISWHITE) {
    std::vector<cv::Mat> planes;
    cv::split(stored, planes);
    cv::bitwise_not(planes[0], planes[0]);
    cv::merge(planes, stored);
  }
  const int keep = l.colour_channels + (l.alpha ? 1 : 0);
  if (l.samples_per_pixel != keep) {  // drop further extra samples
    std::vector<cv::Mat> planes;
    cv::split(stored, planes);
    planes.resize(keep);
    cv::merge(planes, stored);
  }
  cv::Mat out;
  if (l.colour_channels == 1) {
    out = stored;
    if (l.alpha) {
      cv::Mat planes[2];
      cv::split(stored, planes);
      cv::merge(std::vector<cv::Mat>{planes[0], planes[0], planes[0], planes[1]}, out);
    }
  } else {
    cv::cvtColor(stored, out, l.alpha ? cv::COLOR_RGBA2BGRA : cv::COLOR_RGB2BGR);
  }
  if (l.associated_alpha) {
    if (l.depth == CV_8U) Unpremultiply<uint8_t>(out);
    else Unpremultiply<uint16_t>(out);
  }
  return out;
}

}  // namespace

namespace {

absl::StatusOr<cv::Mat> DecodeTiffWith(std::string_view bytes, LibtiffErrors& errors) {
  MemoryStream stream{bytes, 0};
  std::string& error = errors.first;  // libtiff's first error message, kept by KeepFirstError
  std::unique_ptr<TIFFOpenOptions, void (*)(TIFFOpenOptions*)> opts(TIFFOpenOptionsAlloc(),
                                                                     TIFFOpenOptionsFree);
  if (!opts) return OutOfMemoryError("decoding the TIFF");
  TIFFOpenOptionsSetErrorHandlerExtR(opts.get(), KeepFirstError, &errors);
  TIFFOpenOptionsSetWarningHandlerExtR(opts.get(), IgnoreWarning, nullptr);
  TiffPtr tif(TIFFClientOpenExt("tiff", "rm", &stream, StreamRead, StreamWrite, StreamSeek, StreamClose,
                                StreamSize, NoMap, NoUnmap, opts.get()));
  if (!tif) return Corrupt("not a readable TIFF", error);
  absl::StatusOr<TiffLayout> layout = ReadLayout(tif.get());
  if (!layout.ok()) return layout.status();

  cv::Mat stored(static_cast<int>(layout->height), static_cast<int>(layout->width),
                 CV_MAKETYPE(layout->depth, layout->samples_per_pixel));
  const absl::Status read = TIFFIsTiled(tif.get()) ? ReadTiles(tif.get(), *layout, error, stored)
                                                   : ReadStrips(tif.get(), *layout, error, stored);
  if (!read.ok()) return read;
  return ToAcuityChannels(stored, *layout);
}

}  // namespace

absl::StatusOr<cv::Mat> DecodeTiff(std::string_view bytes) {
  LibtiffErrors errors;
  errno = 0;
  absl::StatusOr<cv::Mat> decoded =
      CatchToStatus("decoding the TIFF", [&] { return DecodeTiffWith(bytes, errors); });
  if (!decoded.ok() && errors.out_of_memory && !IsMachineResourceError(decoded.status()))
    return OutOfMemoryError("decoding the TIFF");
  return decoded;
}

}  // namespace acuity

#include "analysis/io/image_writer.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cctype>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <string_view>

#include <tiffio.h>
#include <zlib.h>
#include <opencv2/imgproc.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "analysis/io/atomic_file.h"
#include "analysis/io/byte_order.h"
#include "analysis/io/color_space.h"
#include "analysis/io/guard.h"
#include "analysis/io/jpeg_codec.h"
#include "analysis/io/png_codec.h"
#include "analysis/io/tiff_codec.h"
#include "analysis/io/webp_codec.h"
#include "analysis/io/write_metadata.h"

namespace acuity {
namespace {

constexpr double kMetresPerInch = 0.0254;
constexpr int kSubsamplingBelowQuality = 90;  // 4:2:0 chroma below this JPEG quality

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// The print resolutions the writers record, px per inch: what JPEG's 16-bit
// JFIF density, PNG's pHYs and TIFF all hold.
constexpr double kMinRecordedDpi = 1, kMaxRecordedDpi = 65535;

// The print resolution to record: the target's, else the source's scaled by
// the resampling (write_metadata.h ResampledBy) so that the print size stays
// the same (not recorded, with a note, when that leaves kMinRecordedDpi–
// kMaxRecordedDpi).
void ChooseDpi(const cv::Mat& pixels, const WriteOptions& options, WriteReport* report) {
  if (options.target_dpi) {
    report->dpi_x = report->dpi_y = options.target_dpi;
    return;
  }
  const ImageInfo* src = options.source;
  if (src == nullptr || !src->dpi || src->width <= 0 || src->height <= 0) return;
  const cv::Point2d by = ResampledBy(pixels, options);
  const double x = *src->dpi * by.x;
  const double y = src->dpi_y.value_or(*src->dpi) * by.y;
  // Every format's field must hold it (JPEG's JFIF density is 16-bit).
  if (!(x >= kMinRecordedDpi && x <= kMaxRecordedDpi && y >= kMinRecordedDpi && y <= kMaxRecordedDpi)) {
    report->notes.push_back(absl::StrFormat("print resolution not recorded: %.6g × %.6g dpi is outside %g–%g",
                                            x, y, kMinRecordedDpi, kMaxRecordedDpi));
    return;
  }
  report->dpi_x = x;
  report->dpi_y = y;
}

// 8-bit pixels for formats that have no 16-bit; alpha kept.
cv::Mat Reduce8(const cv::Mat& pixels, const char* format, WriteReport* report) {
  if (pixels.depth() == CV_8U) return pixels;
  report->notes.push_back(absl::StrCat(format, " has no 16-bit samples: reduced to 8-bit"));
  cv::Mat out;
  pixels.convertTo(out, CV_8U, 1.0 / 257.0);
  return out;
}

// JPEG has no alpha: a transparent picture is stored as seen on white.
cv::Mat FlattenForJpeg(const cv::Mat& bgra8, WriteReport* report) {
  report->notes.push_back("JPEG has no alpha channel: transparent areas flattened onto white");
  return FlattenOntoWhite(bgra8);
}

// Inserts a pHYs chunk (pixels per metre) right after IHDR, which EncodePng
// writes first (8-byte signature + 25-byte chunk).
std::string WithPngDensity(std::string png, double dpi_x, double dpi_y) {
  constexpr size_t kAfterIhdr = 8 + 25;
  const std::string data = Be32Bytes(uint32_t(std::lround(dpi_x / kMetresPerInch))) +
                           Be32Bytes(uint32_t(std::lround(dpi_y / kMetresPerInch))) + std::string(1, '\x01');
  png.insert(kAfterIhdr, MakePngChunk("pHYs", data));
  return png;
}

// The keyword of the iCCP chunk acuity writes (PNG allows 1–79 Latin-1
// characters; the name is for people, readers go by the profile itself).
constexpr char kPngIccKeyword[] = "ICC profile";

// Inserts an iCCP chunk (keyword, compression method 0, the deflated
// profile) right after IHDR, which EncodePng writes first. Done here, not by
// exiv2: exiv2 0.27 writes a new PNG profile under an empty keyword, which
// libpng (and ImageMagick, browsers and viewers built on it) rejects as a
// "bad keyword", showing the pixels as sRGB. exiv2 keeps this chunk's keyword
// when it rewrites the file to copy the source's metadata.
absl::StatusOr<std::string> WithPngIccProfile(std::string png, const std::vector<uint8_t>& icc) {
  if (icc.empty()) return png;
  uLongf deflated_bytes = compressBound(uLong(icc.size()));
  std::string deflated(deflated_bytes, '\0');
  if (compress2(reinterpret_cast<Bytef*>(deflated.data()), &deflated_bytes, icc.data(), uLong(icc.size()),
                Z_BEST_COMPRESSION) != Z_OK)
    return absl::InternalError("could not deflate the ICC profile for the PNG file");
  deflated.resize(deflated_bytes);
  constexpr size_t kAfterIhdr = 8 + 25;
  png.insert(kAfterIhdr, MakePngChunk("iCCP", std::string(kPngIccKeyword) + std::string(2, '\0') + deflated));
  return png;
}

// Puts an ICCP chunk (when `icc` is not empty) into a WebP file right after
// its VP8X header, making one for a simple-format file, and sets the VP8X ICC
// and alpha flags. Done here because exiv2 0.27 writes the ICC chunk under a
// wrong name (exiv2 issue #2734, fixed in 0.28.1), which breaks the file.
absl::StatusOr<std::string> FinishWebp(const std::string& webp, const std::vector<uint8_t>& icc,
                                        const cv::Mat& pixels) {
  constexpr size_t kHeader = 12;  // "RIFF" size "WEBP"
  if (webp.size() < kHeader + 8 || webp.compare(0, 4, "RIFF") != 0 || webp.compare(8, 4, "WEBP") != 0)
    return absl::InternalError("the WebP encoder wrote an unexpected container");
  std::string body = webp.substr(kHeader);
  constexpr char kIccFlag = 0x20, kAlphaFlag = 0x10;
  const bool extended = body.compare(0, 4, "VP8X") == 0;
  if (icc.empty() && !extended) return webp;
  if (!extended) {
    const uint32_t w = uint32_t(pixels.cols - 1), h = uint32_t(pixels.rows - 1);
    const char flags = pixels.channels() == 4 ? kAlphaFlag : 0;
    body = "VP8X" + LeBytes(10, 4) + std::string(1, flags) + std::string(3, '\0') + LeBytes(w, 3) + LeBytes(h, 3) +
           body;
  }
  body[8] = char(body[8] | (icc.empty() ? 0 : kIccFlag) | (pixels.channels() == 4 ? kAlphaFlag : 0));
  if (icc.empty()) return "RIFF" + LeBytes(uint32_t(4 + body.size()), 4) + "WEBP" + body;
  std::string chunk = "ICCP" + LeBytes(uint32_t(icc.size()), 4) + std::string(icc.begin(), icc.end());
  if (icc.size() % 2 == 1) chunk += '\0';
  const size_t after_vp8x = 8 + ReadLe32(body, 4);
  body.insert(after_vp8x, chunk);
  return "RIFF" + LeBytes(uint32_t(4 + body.size()), 4) + "WEBP" + body;
}

// libtiff writing into memory (TIFFClientOpen callbacks over a string).
struct TiffBuffer {
  std::string data;
  toff_t pos = 0;
};
tsize_t TiffRead(thandle_t h, tdata_t buf, tsize_t size) {
  auto* b = static_cast<TiffBuffer*>(h);
  const tsize_t n = b->pos >= b->data.size() ? 0 : std::min<tsize_t>(size, tsize_t(b->data.size() - b->pos));
  std::memcpy(buf, b->data.data() + b->pos, size_t(n));
  b->pos += toff_t(n);
  return n;
}
tsize_t TiffWrite(thandle_t h, tdata_t buf, tsize_t size) {
  auto* b = static_cast<TiffBuffer*>(h);
  if (b->pos + size_t(size) > b->data.size()) b->data.resize(b->pos + size_t(size));
  std::memcpy(b->data.data() + b->pos, buf, size_t(size));
  b->pos += toff_t(size);
  return size;
}
toff_t TiffSeek(thandle_t h, toff_t off, int whence) {
  auto* b = static_cast<TiffBuffer*>(h);
  if (whence == SEEK_SET) b->pos = off;
  else if (whence == SEEK_CUR) b->pos += off;
  else b->pos = b->data.size() + off;
  return b->pos;
}
int TiffClose(thandle_t) { return 0; }
toff_t TiffSize(thandle_t h) { return static_cast<TiffBuffer*>(h)->data.size(); }
int TiffMap(thandle_t, tdata_t*, toff_t*) { return 0; }
void TiffUnmap(thandle_t, tdata_t, toff_t) {}

// A TIFF through libtiff (not OpenCV, whose writer leaves a 4th channel
// undeclared): RGB(A) or gray, 8/16-bit, Deflate, alpha declared as
// unassociated, resolution and ICC profile set.
absl::StatusOr<std::string> EncodeTiff(const cv::Mat& pixels, const WriteReport& report,
                                       const std::vector<uint8_t>& icc) {
  cv::Mat rgb;  // a new buffer: never convert the caller's pixels in place
  if (pixels.channels() == 3) cv::cvtColor(pixels, rgb, cv::COLOR_BGR2RGB);
  else if (pixels.channels() == 4) cv::cvtColor(pixels, rgb, cv::COLOR_BGRA2RGBA);
  else rgb = pixels;
  TiffBuffer buffer;
  TIFF* tif = TIFFClientOpen("acuity", "w", &buffer, TiffRead, TiffWrite, TiffSeek, TiffClose, TiffSize,
                             TiffMap, TiffUnmap);
  if (tif == nullptr) return absl::InternalError("libtiff could not start a TIFF");
  const uint16_t channels = uint16_t(rgb.channels());
  TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, uint32_t(rgb.cols));
  TIFFSetField(tif, TIFFTAG_IMAGELENGTH, uint32_t(rgb.rows));
  TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, uint16_t(rgb.depth() == CV_16U ? 16 : 8));
  TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, channels);
  TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, channels == 1 ? PHOTOMETRIC_MINISBLACK : PHOTOMETRIC_RGB);
  TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE);
  // The horizontal predictor shrinks 16-bit photos by about a third; OpenCV
  // 4.6 misreads it in 8-bit files, so those go without.
  if (rgb.depth() == CV_16U) TIFFSetField(tif, TIFFTAG_PREDICTOR, PREDICTOR_HORIZONTAL);
  TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, TIFFDefaultStripSize(tif, 0));
  if (channels == 4) {
    const uint16_t extra[1] = {EXTRASAMPLE_UNASSALPHA};
    TIFFSetField(tif, TIFFTAG_EXTRASAMPLES, 1, extra);
  }
  if (report.dpi_x) {
    TIFFSetField(tif, TIFFTAG_XRESOLUTION, float(*report.dpi_x));
    TIFFSetField(tif, TIFFTAG_YRESOLUTION, float(*report.dpi_y));
    TIFFSetField(tif, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
  }
  if (!icc.empty()) TIFFSetField(tif, TIFFTAG_ICCPROFILE, uint32_t(icc.size()), icc.data());
  bool ok = true;
  for (int y = 0; y < rgb.rows && ok; ++y) ok = TIFFWriteScanline(tif, rgb.ptr(y), uint32_t(y), 0) >= 0;
  ok = ok && TIFFWriteDirectory(tif);
  TIFFClose(tif);
  if (!ok) return absl::InternalError("libtiff could not write the TIFF data");
  return std::move(buffer.data);
}

// The ICC profile the file carries: WriteOptions::icc_profile, else the one
// that describes the source's pixels (ProfileOfPixels: a CMYK source's
// pixels are sRGB), made right for the file's samples, colour or gray
// (ProfileForSamples: a gray picture's profile on a WebP's RGB).
std::vector<uint8_t> IccOf(const WriteOptions& options, bool colour_samples) {
  if (options.icc_profile) return ProfileForSamples(*options.icc_profile, colour_samples);
  return options.source != nullptr ? ProfileForSamples(ProfileOfPixels(*options.source), colour_samples)
                                   : std::vector<uint8_t>{};
}

// EncodeImage without the guard.
absl::StatusOr<std::string> EncodeUnguarded(const cv::Mat& pixels, ImageFormat format,
                                            const WriteOptions& options, WriteReport* report) {
  WriteReport local;
  if (report == nullptr) report = &local;
  *report = WriteReport{};
  report->format = format;
  const int channels = pixels.channels();
  if (pixels.empty() || (pixels.depth() != CV_8U && pixels.depth() != CV_16U) ||
      (channels != 1 && channels != 3 && channels != 4))
    return absl::InvalidArgumentError("can only write 8/16-bit gray, BGR or BGRA pixels");
  if (options.quality < 1 || options.quality > 100)
    return absl::InvalidArgumentError(absl::StrFormat("quality %d is outside 1–100", options.quality));
  ChooseDpi(pixels, options, report);
  report->quality = options.quality;

  absl::StatusOr<std::string> encoded;
  switch (format) {
    case ImageFormat::kJpeg: {
      cv::Mat p = Reduce8(pixels, "JPEG", report);
      if (p.channels() == 4) p = FlattenForJpeg(p, report);
      JpegEncodeOptions jpeg;
      jpeg.quality = options.quality;
      jpeg.chroma_subsampling = options.quality < kSubsamplingBelowQuality;
      jpeg.dpi = report->dpi_x;
      jpeg.icc_profile = IccOf(options, p.channels() >= 3);
      encoded = EncodeJpeg(p, jpeg);
      break;
    }
    case ImageFormat::kPng:
      encoded = EncodePng(pixels, std::clamp(options.png_level, 0, 9));
      if (encoded.ok() && report->dpi_x) *encoded = WithPngDensity(*std::move(encoded), *report->dpi_x, *report->dpi_y);
      if (encoded.ok()) encoded = WithPngIccProfile(*std::move(encoded), IccOf(options, channels >= 3));
      break;
    case ImageFormat::kTiff:
      encoded = EncodeTiff(pixels, *report, IccOf(options, channels >= 3));
      break;
    case ImageFormat::kWebp:
      encoded = EncodeWebp(Reduce8(pixels, "WebP", report), options.quality);
      break;
    default:
      return absl::InvalidArgumentError("acuity writes JPEG, PNG, TIFF and WebP only");
  }
  if (!encoded.ok()) return encoded.status();
  std::string with_metadata = WithMetadata(*std::move(encoded), format, pixels, options, report);
  if (format == ImageFormat::kWebp)
    return FinishWebp(with_metadata, IccOf(options, /*colour_samples=*/true), pixels);
  return with_metadata;
}


// The formats acuity writes and their file extensions, the first the one it gives.
struct FormatExtension {
  ImageFormat format;
  const char* extension;
};
constexpr FormatExtension kWrittenFormats[] = {{ImageFormat::kJpeg, ".jpg"},  {ImageFormat::kJpeg, ".jpeg"},
                                             {ImageFormat::kPng, ".png"},   {ImageFormat::kTiff, ".tif"},
                                             {ImageFormat::kTiff, ".tiff"}, {ImageFormat::kWebp, ".webp"}};

}  // namespace

absl::StatusOr<ImageFormat> OutputFormatFromPath(const std::string& path) {
  const std::string ext = Lower(std::filesystem::path(path).extension().string());
  std::string listed;
  for (const FormatExtension& w : kWrittenFormats) {
    if (ext == w.extension) return w.format;
    absl::StrAppend(&listed, listed.empty() ? "" : ", ", w.extension);
  }
  return absl::InvalidArgumentError(
      absl::StrCat("cannot tell the output format from '", path, "': use the extension ", listed));
}

const char* FileExtension(ImageFormat format) {
  for (const FormatExtension& w : kWrittenFormats)
    if (w.format == format) return w.extension;
  return "";
}

absl::Status CheckOutputPath(const std::string& output_path, const std::string& input_path,
                             ImageFormat format) {
  namespace fs = std::filesystem;
  if (format == ImageFormat::kUnknown) {
    absl::StatusOr<ImageFormat> f = OutputFormatFromPath(output_path);
    if (!f.ok()) return f.status();
  }
  if (!input_path.empty() && SameFile(output_path, input_path))
    return absl::FailedPreconditionError(
        absl::StrCat("the output ", output_path, " is the input file; acuity never overwrites its "
                     "input: choose another -o"));
  std::error_code ec;
  if (fs::is_directory(output_path, ec))
    return absl::FailedPreconditionError(absl::StrCat("the output ", output_path, " is a directory"));
  const fs::path parent = fs::path(output_path).parent_path();
  struct stat st;
  const int reason = parent.empty()                       ? 0
                     : ::stat(parent.c_str(), &st) != 0   ? errno
                     : !S_ISDIR(st.st_mode)               ? ENOTDIR
                                                          : 0;
  if (reason != 0)
    return absl::PermissionDeniedError(absl::StrCat("cannot write into ", parent.string(), ": ", std::strerror(reason)));
  return absl::OkStatus();
}

absl::StatusOr<std::string> EncodeImage(const cv::Mat& pixels, ImageFormat format,
                                        const WriteOptions& options, WriteReport* report) {
  return CatchToStatus("encoding the image", [&] { return EncodeUnguarded(pixels, format, options, report); });
}

namespace {

// EncodeImage, then, above options.max_bytes (JPEG, WebP), a binary search
// for the highest quality whose file fits.
absl::StatusOr<std::string> EncodeUnderLimit(const cv::Mat& pixels, ImageFormat format, const WriteOptions& options,
                                             WriteReport* report) {
  absl::StatusOr<std::string> bytes = EncodeImage(pixels, format, options, report);
  const bool lossy = format == ImageFormat::kJpeg || format == ImageFormat::kWebp;
  if (!bytes.ok() || !options.max_bytes || bytes->size() <= *options.max_bytes) return bytes;
  const double mb = double(*options.max_bytes) / 1e6;
  if (!lossy || options.quality <= kMinLimitedQuality) {
    report->notes.push_back(absl::StrFormat("the file is %.2f MB, over the %.2f MB limit", bytes->size() / 1e6, mb));
    return bytes;
  }
  WriteOptions lower = options;
  std::optional<std::string> best;
  WriteReport best_report;
  int low = kMinLimitedQuality, high = options.quality - 1;
  while (low <= high) {
    lower.quality = (low + high) / 2;
    WriteReport r;
    absl::StatusOr<std::string> attempt = EncodeImage(pixels, format, lower, &r);
    if (!attempt.ok()) return attempt.status();
    if (attempt->size() <= *options.max_bytes) {
      best = *std::move(attempt), best_report = r, low = lower.quality + 1;
    } else {
      high = lower.quality - 1;
    }
  }
  if (!best) {
    lower.quality = kMinLimitedQuality;
    bytes = EncodeImage(pixels, format, lower, report);
    if (bytes.ok())
      report->notes.push_back(absl::StrFormat("even at quality %d the file is %.2f MB, over the %.2f MB limit",
                                              kMinLimitedQuality, bytes->size() / 1e6, mb));
    return bytes;
  }
  *report = best_report;
  report->notes.push_back(absl::StrFormat("quality lowered from %d to %d to stay under %.2f MB", options.quality,
                                          report->quality, mb));
  return *std::move(best);
}

}  // namespace

absl::StatusOr<WriteReport> WriteImage(const std::string& path, const cv::Mat& pixels,
                                       const WriteOptions& options) {
  const std::string input = options.source != nullptr ? options.source->path : "";
  if (absl::Status s = CheckOutputPath(path, input, options.format); !s.ok()) return s;
  ImageFormat format = options.format;
  if (format == ImageFormat::kUnknown) format = *OutputFormatFromPath(path);
  WriteReport report;
  absl::StatusOr<std::string> bytes = EncodeUnderLimit(pixels, format, options, &report);
  if (!bytes.ok()) return bytes.status();
  if (absl::Status s = WriteFileAtomically(path, *bytes, options.cancelled); !s.ok()) return s;
  report.bytes = bytes->size();
  return report;
}

bool WritesAlpha(ImageFormat format) {
  return format == ImageFormat::kPng || format == ImageFormat::kTiff || format == ImageFormat::kWebp;
}

cv::Mat FlattenOntoWhite(const cv::Mat& pixels) {
  if (pixels.channels() != 4) return pixels;
  const double white = pixels.depth() == CV_16U ? 65535.0 : 255.0;
  cv::Mat colour, alpha, a, c, out;
  cv::cvtColor(pixels, colour, cv::COLOR_BGRA2BGR);
  cv::extractChannel(pixels, alpha, 3);
  alpha.convertTo(a, CV_32F, 1.0 / white);
  cv::cvtColor(a, a, cv::COLOR_GRAY2BGR);
  colour.convertTo(c, CV_32F);
  cv::Mat(c.mul(a) + (cv::Scalar::all(1.0) - a) * white).convertTo(out, pixels.depth());
  return out;
}

}  // namespace acuity

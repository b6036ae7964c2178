#include "analysis/io/image_io.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <new>

#include <exiv2/exiv2.hpp>
#include <lcms2.h>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgproc.hpp>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "analysis/io/acuity_record.h"
#include "analysis/io/animation.h"
#include "analysis/io/exiv2_ready.h"
#include "analysis/io/guard.h"
#include "analysis/io/gif_codec.h"
#include "analysis/io/heif_codec.h"
#include "analysis/io/image_header.h"
#include "analysis/io/jpeg_codec.h"
#include "analysis/io/opencv_decoder.h"
#include "analysis/io/png_codec.h"
#include "analysis/io/raw_codec.h"
#include "analysis/io/tiff_codec.h"
#include "analysis/io/webp_codec.h"

namespace acuity {
namespace {

std::string IccDescription(const std::vector<uint8_t>& icc) {
  cmsHPROFILE profile = cmsOpenProfileFromMem(icc.data(), static_cast<cmsUInt32Number>(icc.size()));
  if (profile == nullptr) return "";
  char text[256] = {0};
  cmsGetProfileInfoASCII(profile, cmsInfoDescription, "en", "US", text, sizeof(text));
  cmsCloseProfile(profile);
  return text;
}

struct Metadata {
  int orientation = 1;
  std::optional<double> dpi_x, dpi_y;
  bool has_exif = false;
  std::vector<uint8_t> icc;
  std::optional<AcuityRecord> record;
};

std::optional<double> ExifResolution(const Exiv2::ExifData& exif, const char* key, double unit_to_inch) {
  auto it = exif.findKey(Exiv2::ExifKey(key));
  if (it == exif.end() || it->count() == 0) return std::nullopt;
  const double value = it->toFloat(0);
  if (!(value > 0.0) || value > 1e6) return std::nullopt;
  return value * unit_to_inch;
}

// Reads EXIF orientation, EXIF/TIFF resolution and the ICC profile. Metadata
// problems never make an image unreadable: they just leave fields unset.
Metadata ReadMetadata(std::string_view bytes) {
  Metadata md;
  Exiv2Ready();
  try {
    auto image = Exiv2::ImageFactory::open(reinterpret_cast<const Exiv2::byte*>(bytes.data()),
                                           static_cast<long>(bytes.size()));
    if (image.get() == nullptr) return md;
    image->readMetadata();
    const Exiv2::ExifData& exif = image->exifData();
    md.has_exif = !exif.empty();
    auto orientation = exif.findKey(Exiv2::ExifKey("Exif.Image.Orientation"));
    if (orientation != exif.end() && orientation->count() > 0) {
      const long value = orientation->toLong(0);
      if (value >= 1 && value <= 8) md.orientation = int(value);
    }
    double unit_to_inch = 1.0;  // ResolutionUnit 2 = inch (default), 3 = centimetre
    auto unit = exif.findKey(Exiv2::ExifKey("Exif.Image.ResolutionUnit"));
    bool unit_known = true;
    if (unit != exif.end() && unit->count() > 0) {
      const long u = unit->toLong(0);
      if (u == 3) unit_to_inch = 2.54;
      else if (u != 2) unit_known = false;  // 1 = no absolute unit
    }
    if (unit_known) {
      md.dpi_x = ExifResolution(exif, "Exif.Image.XResolution", unit_to_inch);
      md.dpi_y = ExifResolution(exif, "Exif.Image.YResolution", unit_to_inch);
      if (md.dpi_x && !md.dpi_y) md.dpi_y = md.dpi_x;
    }
    md.record = ReadAcuityRecord(image->xmpData());
    if (image->iccProfileDefined()) {
      const Exiv2::DataBuf* icc = image->iccProfile();
      if (icc != nullptr && icc->size_ > 0) md.icc.assign(icc->pData_, icc->pData_ + icc->size_);
    }
  } catch (const std::exception&) {
    // Unreadable metadata: keep the defaults.
  }
  return md;
}

// Depths other than 8 and 16 bits become 16-bit; floating point is 0–1.
cv::Mat ToStoredDepth(const cv::Mat& pixels) {
  if (pixels.depth() == CV_8U || pixels.depth() == CV_16U) return pixels;
  cv::Mat converted;
  if (pixels.depth() == CV_32F || pixels.depth() == CV_64F) {
    pixels.convertTo(converted, CV_16U, 65535.0);
  } else {
    pixels.convertTo(converted, CV_16U);
  }
  return converted;
}

absl::StatusOr<cv::Mat> DecodeWithOpenCv(std::string_view bytes, const char* format_name) {
  absl::StatusOr<cv::Mat> module_decoded = DecodeWithOpenCvModule(bytes);
  if (!module_decoded.ok()) {
    if (!absl::IsDataLoss(module_decoded.status())) return module_decoded.status();
    return absl::DataLossError(
        absl::StrCat("could not decode the ", format_name, " data (corrupt or truncated file)"));
  }
  cv::Mat decoded = *std::move(module_decoded);
  if (decoded.channels() == 2) {  // gray + alpha -> BGRA
    cv::Mat planes[2];
    cv::split(decoded, planes);
    cv::merge(std::vector<cv::Mat>{planes[0], planes[0], planes[0], planes[1]}, decoded);
  }
  return ToStoredDepth(decoded);
}

absl::Status CheckSize(const ImageHeader& header, const LoadOptions& options) {
  if (header.megapixels() > options.max_megapixels) {
    return absl::ResourceExhaustedError(absl::StrFormat(
        "header claims %d×%d px (%.1f MP), above the %.0f MP limit; refusing to decode "
        "(raise it with --max-megapixels if the file is genuine)",
        header.width, header.height, header.megapixels(), options.max_megapixels));
  }
  if (header.width < options.min_side_px || header.height < options.min_side_px) {
    return absl::InvalidArgumentError(
        absl::StrFormat("image is only %d×%d px; acuity needs at least %d×%d px to measure it",
                        header.width, header.height, options.min_side_px, options.min_side_px));
  }
  return absl::OkStatus();
}

absl::Status DecodeJpegInto(std::string_view bytes, Image& image) {
  absl::StatusOr<JpegDecoded> jpeg = DecodeJpeg(bytes);
  if (!jpeg.ok()) return jpeg.status();
  image.pixels = std::move(jpeg->pixels);
  image.info.jpeg = std::move(jpeg->info);
  image.info.icc_profile = std::move(jpeg->icc_profile);
  if (jpeg->jfif_dpi_x) {
    image.info.dpi = jpeg->jfif_dpi_x;
    image.info.dpi_y = jpeg->jfif_dpi_y;
    image.info.dpi_source = "jfif";
  }
  return absl::OkStatus();
}

absl::Status DecodeHeifInto(std::string_view bytes, Image& image) {
  absl::StatusOr<HeifDecoded> heif = DecodeHeif(bytes);
  if (!heif.ok()) return heif.status();
  image.pixels = std::move(heif->pixels);
  image.info.icc_profile = std::move(heif->icc_profile);
  image.info.has_exif = heif->has_exif;
  return absl::OkStatus();
}

absl::Status DecodeRawInto(std::string_view bytes, Image& image) {
  absl::StatusOr<RawDecoded> raw = DecodeRaw(bytes);
  if (!raw.ok()) return raw.status();
  image.pixels = std::move(raw->pixels);
  image.info.channels = image.pixels.channels();
  image.info.raw = RawInfo{std::move(raw->camera), kRawRendering};
  return absl::OkStatus();
}

// PNG, TIFF (the layouts DecodeTiff reads), WebP, GIF, and through the
// OpenCV module (opencv_decoder.h) BMP and the other TIFF layouts.
absl::Status DecodeOtherInto(std::string_view bytes, const ImageHeader& header, Image& image) {
  absl::StatusOr<cv::Mat> pixels = absl::UnimplementedError("");
  if (header.format == ImageFormat::kPng) pixels = DecodePng(bytes);
  if (header.format == ImageFormat::kTiff) pixels = DecodeTiff(bytes);
  if (header.format == ImageFormat::kWebp) pixels = DecodeWebp(bytes);
  if (header.format == ImageFormat::kGif) pixels = DecodeGifFirstFrame(bytes);
  if (absl::IsUnimplemented(pixels.status())) pixels = DecodeWithOpenCv(bytes, ImageFormatName(header.format));
  if (!pixels.ok()) return pixels.status();
  image.pixels = *std::move(pixels);
  // OpenCV's reader returns a CMYK TIFF as BGRA with an opaque alpha: a file
  // without alpha gives pixels without one (else every output made from it
  // would carry one).
  if (header.format == ImageFormat::kTiff && !header.has_alpha && image.pixels.channels() == 4)
    cv::cvtColor(image.pixels, image.pixels, cv::COLOR_BGRA2BGR);
  if (header.format == ImageFormat::kGif || header.format == ImageFormat::kBmp) {
    image.info.channels = image.pixels.channels();  // known only once decoded (palette, transparency)
    image.info.has_alpha = image.pixels.channels() == 4;
  }
  if (header.png_dpi_x) {
    image.info.dpi = header.png_dpi_x;
    image.info.dpi_y = header.png_dpi_y;
    image.info.dpi_source = "png_phys";
  }
  return absl::OkStatus();
}

// The lossy coding of the file (ImageInfo::lossy_codec), nullopt for a
// lossless one. A TIFF holds whatever its Compression tag says: JPEG (7, or
// 6, the old style) or WebP (50001) are lossy.
std::optional<std::string> LossyCodec(std::string_view bytes, const ImageHeader& header) {
  switch (header.format) {
    case ImageFormat::kJpeg:
    case ImageFormat::kHeif:
    case ImageFormat::kAvif: return ImageFormatName(header.format);
    case ImageFormat::kWebp: return WebpIsLossy(bytes) ? std::optional<std::string>("webp") : std::nullopt;
    case ImageFormat::kTiff:
      if (header.tiff_compression == 6 || header.tiff_compression == 7) return "jpeg";
      if (header.tiff_compression == 50001) return "webp";
      return std::nullopt;
    default: return std::nullopt;
  }
}

absl::Status DecodePixels(std::string_view bytes, const ImageHeader& header, Image& image) {
  image.info.lossy_codec = LossyCodec(bytes, header);
  switch (header.format) {
    case ImageFormat::kJpeg: return DecodeJpegInto(bytes, image);
    case ImageFormat::kHeif:
    case ImageFormat::kAvif: return DecodeHeifInto(bytes, image);
    case ImageFormat::kRaw: return DecodeRawInto(bytes, image);
    default: return DecodeOtherInto(bytes, header, image);
  }
}

}  // namespace

int ExifOrientation(std::string_view bytes) { return ReadMetadata(bytes).orientation; }

namespace {

// HEIF/AVIF (irot/imir) and RAW decoders rotate the pixels themselves: an
// EXIF orientation in those files must not be applied a second time.
bool DecoderAppliesOrientation(ImageFormat format) {
  return format == ImageFormat::kHeif || format == ImageFormat::kAvif || format == ImageFormat::kRaw;
}

// EXIF orientation, resolution and ICC profile into `info`, after the
// decoder's own findings (JFIF density, pHYs, an embedded ICC) are set.
void ApplyMetadata(std::string_view bytes, ImageFormat format, ImageInfo& info) {
  Metadata md = ReadMetadata(bytes);
  info.has_exif = info.has_exif || md.has_exif;
  info.exif_orientation = DecoderAppliesOrientation(format) ? 1 : md.orientation;
  info.acuity_record = md.record;
  if (md.dpi_x) {  // EXIF/TIFF resolution wins over JFIF density and pHYs
    info.dpi = md.dpi_x;
    info.dpi_y = md.dpi_y;
    info.dpi_source = format == ImageFormat::kTiff ? "tiff" : "exif";
  }
  // A RAW's rendering is sRGB whatever profile the file carries for its sensor data.
  if (info.icc_profile.empty() && format != ImageFormat::kRaw) info.icc_profile = std::move(md.icc);
  info.has_icc = !info.icc_profile.empty();
  if (info.has_icc) info.icc_description = IccDescription(info.icc_profile);
}

}  // namespace

void QuietLibraryLogging() {
  Exiv2::LogMsg::setLevel(Exiv2::LogMsg::mute);
  cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
}

cv::Mat ApplyExifOrientation(const cv::Mat& pixels, int orientation) {
  cv::Mat out;
  switch (orientation) {
    case 2: cv::flip(pixels, out, 1); return out;
    case 3: cv::rotate(pixels, out, cv::ROTATE_180); return out;
    case 4: cv::flip(pixels, out, 0); return out;
    case 5: cv::transpose(pixels, out); return out;
    case 6: cv::rotate(pixels, out, cv::ROTATE_90_CLOCKWISE); return out;
    case 7: cv::transpose(pixels, out); cv::rotate(out, out, cv::ROTATE_180); return out;
    case 8: cv::rotate(pixels, out, cv::ROTATE_90_COUNTERCLOCKWISE); return out;
    default: return pixels;
  }
}

absl::StatusOr<std::string> ReadFileBytes(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  // The OS's reason when it is not plain absence: a name too long for the
  // file system, a folder on the way that may not be searched, a loop of
  // links were all reported as "no such file".
  if (ec && ec != std::errc::no_such_file_or_directory && ec != std::errc::not_a_directory) {
    if (ec == std::errc::permission_denied) return absl::PermissionDeniedError("permission denied");
    if (ec == std::errc::not_enough_memory) return OutOfMemoryError("looking up the file");
    return absl::NotFoundError(absl::StrCat("cannot look up the file: ", ec.message()));
  }
  if (ec || !fs::exists(status)) return absl::NotFoundError("no such file");
  if (fs::is_directory(status)) return absl::FailedPreconditionError("is a directory, not an image file");
  if (!fs::is_regular_file(status)) return absl::FailedPreconditionError("is not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == EACCES) return absl::PermissionDeniedError("permission denied");
    if (errno == ENOMEM) return OutOfMemoryError("opening the file");
    return absl::UnavailableError(absl::StrCat("cannot open: ", std::strerror(errno)));
  }
  // The whole file in one buffer of its size, allocated before reading: a
  // buffer that cannot be had is "out of memory". Streaming into a growing
  // string instead swallowed that failure and handed the decoder a cut file,
  // which it called corrupt ("missing SOS marker") under a memory limit.
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec) return absl::UnavailableError(absl::StrCat("cannot read: ", ec.message()));
  std::string contents;
  try {
    contents.resize(size_t(size));
  } catch (const std::bad_alloc&) {
    return OutOfMemoryError("reading the file");
  }
  in.read(contents.data(), std::streamsize(size));
  if (in.bad() || std::uintmax_t(in.gcount()) != size)
    return absl::DataLossError(absl::StrCat("read error: ", in.bad() ? std::strerror(errno) : "the file shrank while it was read"));
  return contents;
}

namespace {

// A library's message as one line (libheif ends some with a newline): the
// command line prints it as `acuity: FILE: reason`.
// Its payloads stay: an out-of-memory status stays the machine's fault
// (guard.h) — dropping them made a decoder's "out of memory" exit 3.
absl::Status OneLine(const absl::Status& status) {
  std::string text(status.message());
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::replace(text.begin(), text.end(), '\r', ' ');
  absl::StripAsciiWhitespace(&text);
  return Reworded(status, text);
}

absl::StatusOr<Image> Decode(std::string_view bytes, const std::string& path, const LoadOptions& options) {
  absl::StatusOr<ImageHeader> header = ReadImageHeader(bytes);
  if (!header.ok()) return header.status();
  if (absl::Status s = CheckSize(*header, options); !s.ok()) return s;

  Image image;
  ImageInfo& info = image.info;
  info.path = path;
  info.format = header->format;
  info.channels = header->channels;
  info.bit_depth = header->bit_depth;
  info.has_alpha = header->has_alpha;
  info.cmyk = header->cmyk;
  info.file_bytes = bytes.size();
  if (absl::Status s = DecodePixels(bytes, *header, image); !s.ok()) return s;
  image.info.frames = CountStoredFrames(bytes, header->format);
  if (header->heif_images && *header->heif_images > 1 && image.info.frames.value_or(1) <= 1) {
    image.info.frames = *header->heif_images;  // a collection (a sequence's frames count first)
    image.info.heif_collection = true;
  }
  if (image.pixels.cols != header->width || image.pixels.rows != header->height) {
    return absl::DataLossError(absl::StrFormat("decoded %d×%d px but the header says %d×%d",
                                               image.pixels.cols, image.pixels.rows,
                                               header->width, header->height));
  }
  ApplyMetadata(bytes, header->format, info);
  image.pixels = ApplyExifOrientation(image.pixels, info.exif_orientation);
  info.width = image.pixels.cols;
  info.height = image.pixels.rows;
  return image;
}

}  // namespace

absl::StatusOr<Image> ImageFromPixels(const cv::Mat& pixels, const std::string& path, const LoadOptions& options) {
  const int channels = pixels.channels();
  if (pixels.dims != 2 || pixels.empty() || (channels != 1 && channels != 3 && channels != 4))
    return absl::InvalidArgumentError(absl::StrFormat(
        "pixels with %d channels: acuity reads 1 (gray), 3 (colour) or 4 (colour and alpha)", channels));
  ImageHeader header;
  header.width = pixels.cols;
  header.height = pixels.rows;
  header.channels = channels;
  header.bit_depth = pixels.depth() == CV_8U ? 8 : 16;
  header.has_alpha = channels == 4;
  if (absl::Status s = CheckSize(header, options); !s.ok()) return s;
  Image image;
  image.pixels = ToStoredDepth(pixels).clone();
  image.info.path = path;
  image.info.width = header.width;
  image.info.height = header.height;
  image.info.channels = header.channels;
  image.info.bit_depth = header.bit_depth;
  image.info.has_alpha = header.has_alpha;
  return image;
}

absl::StatusOr<Image> DecodeImage(std::string_view bytes, const std::string& path,
                                  const LoadOptions& options) {
  absl::StatusOr<Image> image = Decode(bytes, path, options);
  if (!image.ok()) return OneLine(image.status());
  return image;
}

absl::StatusOr<Image> LoadImage(const std::string& path, const LoadOptions& options) {
  return CatchToStatus("reading the image", [&]() -> absl::StatusOr<Image> {
    absl::StatusOr<std::string> bytes = ReadFileBytes(path);
    if (!bytes.ok()) return bytes.status();
    return DecodeImage(*bytes, path, options);
  });
}

}  // namespace acuity

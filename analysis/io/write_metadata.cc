#include "analysis/io/write_metadata.h"

#include <cmath>
#include <filesystem>
#include <mutex>
#include <string_view>

#include <exiv2/exiv2.hpp>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "analysis/io/acuity_record.h"
#include "analysis/io/exiv2_ready.h"
#include "analysis/io/raw_codec.h"
#include "analysis/io/tiff_codec.h"

namespace acuity {
namespace {

void QuietExiv2() {
  Exiv2Ready();
  static std::once_flag once;
  std::call_once(once, [] { Exiv2::LogMsg::setLevel(Exiv2::LogMsg::mute); });
}

// Tags that describe the source file's own pixel layout (a TIFF's strips, a
// thumbnail's offsets): meaningless, even harmful, for the new file.
constexpr const char* kLayoutTags[] = {
    "Exif.Image.NewSubfileType", "Exif.Image.SubfileType", "Exif.Image.ImageWidth",
    "Exif.Image.ImageLength", "Exif.Image.BitsPerSample", "Exif.Image.Compression",
    "Exif.Image.PhotometricInterpretation", "Exif.Image.FillOrder", "Exif.Image.StripOffsets",
    "Exif.Image.SamplesPerPixel", "Exif.Image.RowsPerStrip", "Exif.Image.StripByteCounts",
    "Exif.Image.PlanarConfiguration", "Exif.Image.Predictor", "Exif.Image.ExtraSamples",
    "Exif.Image.SampleFormat", "Exif.Image.TileWidth", "Exif.Image.TileLength",
    "Exif.Image.TileOffsets", "Exif.Image.TileByteCounts", "Exif.Image.InterColorProfile",
    "Exif.Image.JPEGInterchangeFormat", "Exif.Image.JPEGInterchangeFormatLength"};

constexpr double kMaxRationalPart = 4294967295.0;  // an EXIF RATIONAL's numerator is 32-bit unsigned

// A resolution ToRational can hold: at least 1/1000 (written n / 1000, n ≥ 1)
// and at most 2³² − 1 (finite, so NaN is refused too).
bool IsWritableResolution(double v) { return v >= 0.0005 && v <= kMaxRationalPart; }

// `v` (IsWritableResolution) as n / 1, or n / 1000 when it has a fraction
// and n still fits.
Exiv2::URational ToRational(double v) {
  const double rounded = std::round(v);
  if (std::fabs(v - rounded) < 1e-6 || v * 1000 > kMaxRationalPart) return {uint32_t(rounded), 1};
  return {uint32_t(std::lround(v * 1000)), 1000};
}

void DropResolution(Exiv2::ExifData& exif) {
  for (const char* key : {"Exif.Image.XResolution", "Exif.Image.YResolution", "Exif.Image.ResolutionUnit"}) {
    auto it = exif.findKey(Exiv2::ExifKey(key));
    if (it != exif.end()) exif.erase(it);
  }
}

// Sets the resolution tags and returns true, or drops them and returns false
// when a value cannot be written (a source file's resolution of
// 4 294 967 295 / 1 scaled up, a zero denominator): no resolution is better
// than a wrong one.
bool SetResolution(Exiv2::ExifData& exif, double x, double y) {
  if (!IsWritableResolution(x) || !IsWritableResolution(y)) {
    DropResolution(exif);
    return false;
  }
  exif["Exif.Image.XResolution"] = ToRational(x);
  exif["Exif.Image.YResolution"] = ToRational(y);
  return true;
}

// Whether an ImageDescription is a program's description of the source's
// array rather than words for people: tifffile's JSON (`{"shape": [300, 400,
// 3]}`) or its older `shape=(…)`, ImageJ's `ImageJ=1.53…` header, OME-XML.
// Copied, it would describe a layout the new file does not have.
bool DescribesSourceLayout(std::string_view text) {
  const size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return false;
  text.remove_prefix(start);
  const auto starts = [&](std::string_view p) { return text.substr(0, p.size()) == p; };
  if (starts("{")) return text.find("\"shape\"") != std::string_view::npos;
  return starts("shape=") || starts("ImageJ=") ||
         (starts("<?xml") && text.find("<OME") != std::string_view::npos) || starts("<OME");
}

// Drops what described the source file's own layout and its thumbnail.
void CleanSourceExif(Exiv2::ExifData& exif) {
  for (const char* key : kLayoutTags) {
    auto it = exif.findKey(Exiv2::ExifKey(key));
    if (it != exif.end()) exif.erase(it);
  }
  auto description = exif.findKey(Exiv2::ExifKey("Exif.Image.ImageDescription"));
  if (description != exif.end() && DescribesSourceLayout(description->toString())) exif.erase(description);
  Exiv2::ExifThumb(exif).erase();
}

// Makes the EXIF true for the new pixels (see the header).
void UpdateExif(Exiv2::ExifData& exif, const cv::Mat& pixels, const WriteOptions& options,
                const WriteReport& report) {
  if (exif.findKey(Exiv2::ExifKey("Exif.Image.Orientation")) != exif.end())
    exif["Exif.Image.Orientation"] = uint16_t(1);
  exif["Exif.Photo.PixelXDimension"] = uint32_t(pixels.cols);
  exif["Exif.Photo.PixelYDimension"] = uint32_t(pixels.rows);

  auto x = exif.findKey(Exiv2::ExifKey("Exif.Image.XResolution"));
  auto y = exif.findKey(Exiv2::ExifKey("Exif.Image.YResolution"));
  const ImageInfo* src = options.source;
  if (!options.target_dpi && x != exif.end() && x->count() > 0 && src != nullptr && src->width > 0 &&
      src->height > 0) {
    // Keep the stored unit (inch or cm) and scale by the enlargement.
    const cv::Point2d by = ResampledBy(pixels, options);
    const double rx = x->toFloat(0);
    const double ry = y != exif.end() && y->count() > 0 ? y->toFloat(0) : rx;
    // Where no resolution is recorded in the format's own field (ChooseDpi:
    // none readable in the source, or out of range once scaled), EXIF drops
    // it too rather than disagree.
    if (report.dpi_x) SetResolution(exif, rx * by.x, ry * by.y);
    else DropResolution(exif);
  } else if (report.dpi_x) {
    if (SetResolution(exif, *report.dpi_x, report.dpi_y.value_or(*report.dpi_x)))
      exif["Exif.Image.ResolutionUnit"] = uint16_t(2);
  }
}

// Copies EXIF/IPTC/XMP from the source file into the encoded bytes with
// exiv2 (the ICC profile is the encoder's, or FinishWebp's, and exiv2 keeps
// it). A failure here loses metadata, not the picture: it becomes a note.
}  // namespace

std::string WithMetadata(std::string encoded, ImageFormat format, const cv::Mat& pixels,
                         const WriteOptions& options, WriteReport* report) {
  const ImageInfo* src = options.source;
  const bool tiff = format == ImageFormat::kTiff;
  // The ICC profile goes in with the encoder (JPEG, TIFF), before exiv2
  // (PNG: WithPngIccProfile) or after it (WebP: FinishWebp).
  const bool from_file = src != nullptr && !src->path.empty();
  if (!from_file && !options.record) return encoded;
  QuietExiv2();
  try {
    Exiv2::ExifData exif;
    Exiv2::IptcData iptc;
    Exiv2::XmpData xmp;
    std::error_code ec;
    if (from_file && std::filesystem::is_regular_file(src->path, ec)) {
      auto in = Exiv2::ImageFactory::open(src->path);
      in->readMetadata();
      exif = in->exifData();
      iptc = in->iptcData();
      xmp = in->xmpData();
    }
    auto out = Exiv2::ImageFactory::open(reinterpret_cast<const Exiv2::byte*>(encoded.data()),
                                         static_cast<long>(encoded.size()));
    out->readMetadata();  // what the encoder wrote (JPEG's and PNG's ICC, TIFF's own tags)
    if (!exif.empty() || tiff) {
      // A TIFF's own tags (its strips, size, depth) come from the encoder.
      CleanSourceExif(exif);
      Exiv2::ExifData merged = tiff ? out->exifData() : Exiv2::ExifData();
      for (const char* key : {"Exif.Image.XResolution", "Exif.Image.YResolution", "Exif.Image.ResolutionUnit"}) {
        auto it = merged.findKey(Exiv2::ExifKey(key));  // set below from the source or report
        if (it != merged.end()) merged.erase(it);
      }
      for (const Exiv2::Exifdatum& d : exif)
        if (merged.findKey(Exiv2::ExifKey(d.key())) == merged.end()) merged.add(d);
      UpdateExif(merged, pixels, options, *report);
      out->setExifData(merged);
    }
    if (!iptc.empty()) out->setIptcData(iptc);
    if (options.record) WriteAcuityRecord(*options.record, xmp);
    if (!xmp.empty()) {
      if (xmp.findKey(Exiv2::XmpKey("Xmp.tiff.Orientation")) != xmp.end()) xmp["Xmp.tiff.Orientation"] = "1";
      for (const char* key : {"Xmp.exif.PixelXDimension", "Xmp.exif.PixelYDimension"}) {
        auto it = xmp.findKey(Exiv2::XmpKey(key));
        if (it != xmp.end()) xmp.erase(it);
      }
      out->setXmpData(xmp);
    }
    out->writeMetadata();
    Exiv2::BasicIo& io = out->io();
    io.open();
    io.seek(0, Exiv2::BasicIo::beg);
    Exiv2::DataBuf buf = io.read(static_cast<long>(io.size()));
    io.close();
    std::string with_metadata(reinterpret_cast<const char*>(buf.pData_), size_t(buf.size_));
    // A TIFF's EXIF tags share its image directory: a source tag libtiff
    // checks (MinSampleValue with a wrong count, found by fuzz_exif) makes
    // the whole file unreadable. Such a file is not written.
    // Nor one that its tags (SubIFDs, DNGVersion next to a Make) would make
    // read as a camera RAW.
    if (tiff) {
      if (absl::StatusOr<cv::Mat> back = DecodeTiff(with_metadata); !back.ok()) {
        report->notes.push_back(absl::StrCat("metadata not copied (the source's EXIF would make the TIFF unreadable: ",
                                             back.status().message(), ")"));
        return encoded;
      }
      if (LooksLikeCameraRaw(with_metadata)) {
        report->notes.push_back("metadata not copied (the source's EXIF would make the TIFF read as a camera RAW)");
        return encoded;
      }
    }
    return with_metadata;
  } catch (const std::bad_alloc&) {
    throw;  // not the metadata's fault: EncodeImage reports it
  } catch (const std::exception& e) {
    report->notes.push_back(absl::StrCat("metadata not copied (", e.what(), ")"));
    return encoded;
  }
}

cv::Point2d ResampledBy(const cv::Mat& pixels, const WriteOptions& options) {
  if (options.px_per_source_px) return *options.px_per_source_px;
  return {double(pixels.cols) / options.source->width, double(pixels.rows) / options.source->height};
}


}  // namespace acuity

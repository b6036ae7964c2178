// Plain image data as acuity's loaders produce it: decoded pixels with the
// EXIF orientation already applied, plus what the file said about itself.
//
// Pixels follow OpenCV's conventions: CV_8U or CV_16U, 1 channel (gray),
// 3 (BGR) or 4 (BGRA). A gray+alpha file decodes to BGRA.
//
//   absl::StatusOr<acuity::Image> image = acuity::LoadImage("photo.jpg");
//   if (image.ok()) Use(image->pixels, image->info.dpi);
#ifndef ACUITY_ANALYSIS_IO_IMAGE_H_
#define ACUITY_ANALYSIS_IO_IMAGE_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "analysis/io/acuity_record.h"

namespace acuity {

// kHeif covers HEIC and other HEIF still images; kRaw every camera RAW
// LibRaw reads (DNG, CR2, NEF, ARW, …). Only JPEG, PNG, WebP and TIFF are written.
enum class ImageFormat { kUnknown, kJpeg, kPng, kWebp, kTiff, kHeif, kAvif, kRaw, kBmp, kGif };

// "jpeg", "png", "webp", "tiff", "heif", "avif", "raw", "bmp", "gif" or
// "unknown", as written in JSON output.
const char* ImageFormatName(ImageFormat format);

// What a JPEG file's headers say; kept so that compression analysis can turn
// the quantization tables into an exact IJG quality.
struct JpegInfo {
  // Quantization tables in natural (row-major 8×8) order, by table slot
  // (0 is normally luma, 1 chroma). Values are quantizer steps, 1–65535.
  std::vector<std::array<uint16_t, 64>> quant_tables;
  // Which table slot each component uses, in component order (Y, Cb, Cr).
  std::vector<int> component_table;
  // Chroma subsampling as "4:4:4", "4:2:2", "4:2:0", "4:4:0", "4:1:1" or
  // "gray"; "other" for unusual factors.
  std::string subsampling;
  bool progressive = false;
};

// Whether the JPEG stores its colour at less than full resolution (4:2:0,
// 4:2:2, 4:4:0, 4:1:1): its chroma noise was averaged and interpolated away.
inline bool ColourStoredReduced(const JpegInfo& jpeg) {
  return jpeg.subsampling == "4:2:0" || jpeg.subsampling == "4:2:2" || jpeg.subsampling == "4:4:0" ||
         jpeg.subsampling == "4:1:1";
}

// Facts read from the file's header and metadata. Sizes are after the EXIF
// orientation is applied (what a viewer shows).
// How a camera RAW was turned into pixels: the measurements describe this
// rendering, not the sensor data.
struct RawInfo {
  std::string camera;     // "Make Model" as LibRaw names it
  std::string rendering;  // one sentence: demosaicing, white balance, colour space
};

struct ImageInfo {
  std::string path;  // as given by the caller
  ImageFormat format = ImageFormat::kUnknown;
  int width = 0;           // px, displayed orientation
  int height = 0;          // px, displayed orientation
  int channels = 0;        // in the file: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA/CMYK
  int bit_depth = 0;       // bits per sample in the file: 8 or 16 (1–16 for PNG/TIFF)
  bool has_alpha = false;
  // The file stores CMYK ink (a print-prepared JPEG or TIFF). `pixels` are
  // its colours in sRGB: a JPEG's converted through its ICC profile when it
  // is a CMYK one, else (and a TIFF's) by 255 − ink (approximate). `icc_profile` stays the
  // file's (a CMYK profile): it does not describe `pixels`.
  bool cmyk = false;
  std::optional<double> dpi;    // horizontal pixels per inch, from EXIF/JFIF/pHYs
  std::optional<double> dpi_y;  // vertical pixels per inch
  std::string dpi_source;       // "exif", "jfif", "png_phys", "tiff" or ""
  int exif_orientation = 1;     // 1–8 as in EXIF; 1 = as stored. Always 1 for HEIF/AVIF and
                                // RAW, whose decoders apply the file's own rotation
  bool has_icc = false;
  std::string icc_description;  // profile description, e.g. "sRGB IEC61966-2.1"
  std::vector<uint8_t> icc_profile;
  bool has_exif = false;
  // Bytes of the file; nullopt for pixels not read from a file (an array
  // handed to the Python module).
  std::optional<std::uintmax_t> file_bytes;
  // Images the file stores: > 1 for an animated GIF, WebP or PNG, a HEIF
  // or AVIF image sequence, or a multi-page TIFF, of which only the first
  // frame or page is read, and for a HEIF/AVIF collection (burst shots,
  // brackets: heif_collection), of which its primary image is read
  // (analysis/io/animation.h); 1 for a still; nullopt where not counted
  // (pixels not read from a file).
  std::optional<int> frames;
  // True when `frames` counts the pictures of a HEIF/AVIF collection (not
  // the frames of an animation).
  bool heif_collection = false;
  // What acuity recorded in the file when it made it (acuity_record.h);
  // nullopt for every other file.
  std::optional<AcuityRecord> acuity_record;
  // The lossy coding the file's pixels went through: "jpeg" (a JPEG, or a
  // TIFF compressed by JPEG), "webp" (a lossy WebP — an animation's first
  // frame — or a WebP-compressed TIFF; a lossless WebP is nullopt), "heif"
  // or "avif" (taken as lossy: their rare lossless mode is not told apart);
  // nullopt for a lossless file (PNG, TIFF otherwise, BMP, GIF, RAW) and for
  // pixels not read from a file. The compression reading (compression.h) reads JPEG coding's
  // damage only: another lossy coding's is not measured.
  std::optional<std::string> lossy_codec;
  std::optional<JpegInfo> jpeg;  // set for JPEG files only
  std::optional<RawInfo> raw;    // set for camera RAW files only
};

// Where the file stored its colour at less than full resolution, the
// layout: a JPEG's subsampling when ColourStoredReduced ("4:2:0", "4:2:2",
// "4:4:0", "4:1:1"), "4:2:0" for a lossy WebP (VP8 stores no other);
// nullopt otherwise — full resolution, a lossless file, or not known (HEIF
// and AVIF, whose layout the decoder does not say). Its chroma noise was
// averaged and interpolated away: not to be read as none.
inline std::optional<std::string> ReducedColourLayout(const ImageInfo& info) {
  if (info.jpeg && ColourStoredReduced(*info.jpeg)) return info.jpeg->subsampling;
  if (info.lossy_codec == "webp") return "4:2:0";
  return std::nullopt;
}

struct Image {
  cv::Mat pixels;  // CV_8U or CV_16U; 1, 3 (BGR) or 4 (BGRA) channels
  ImageInfo info;
};

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_IO_IMAGE_H_

// Writes an enhanced image to disk without losing what the input file said
// about itself, and without ever leaving a partial file: the bytes are
// encoded in memory, go to a temporary name in the output's directory and
// are renamed over OUT only when complete. The input file is never
// overwritten.
//
// Formats (chosen by OUT's extension, or explicitly):
//   JPEG  8-bit gray/BGR (16-bit is reduced, alpha is flattened onto white),
//         quality 1–100 (default 92; 4:4:4 chroma at ≥ 90, 4:2:0 below)
//   PNG   8/16-bit, gray/BGR/BGRA
//   TIFF  8/16-bit, gray/BGR/BGRA (Deflate; alpha declared as unassociated)
//   WebP  8-bit BGR/BGRA (16-bit is reduced), same quality scale as JPEG
//
// Metadata carried over from the source (the input file):
//   EXIF  copied with exiv2; Orientation reset to 1 (the pixels are already
//         upright), PixelXDimension/PixelYDimension set to the new size,
//         XResolution/YResolution scaled by the enlargement so that the print
//         size stays the same (or set to WriteOptions::target_dpi), the old
//         thumbnail dropped, and an ImageDescription that is a program's
//         note of the source's array (tifffile's {"shape": …}, ImageJ's,
//         OME-XML) dropped: a caption stays. IPTC and XMP (orientation
//         reset) are copied too.
//   ICC   JPEG APP2, PNG iCCP, TIFF tag 34675, WebP ICCP chunk — byte for byte.
//   DPI   JFIF density, PNG pHYs, TIFF X/YResolution, besides EXIF.
//
//   acuity::WriteOptions options;
//   options.source = &image.info;   // from LoadImage(input)
//   options.quality = 85;
//   absl::StatusOr<acuity::WriteReport> r = acuity::WriteImage("out.jpg", pixels, options);
#ifndef ACUITY_ANALYSIS_IO_IMAGE_WRITER_H_
#define ACUITY_ANALYSIS_IO_IMAGE_WRITER_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "analysis/io/image.h"

namespace acuity {

inline constexpr int kDefaultJpegQuality = 92;
inline constexpr int kMinLimitedQuality = 30;  // the lowest quality a size limit lowers to
// zlib's level 4, not its default 6: files 2.4–3.3 % larger than at 6,
// written up to 2.7× faster on photos, enlargements and super-resolution
// results (no gain on screenshots; models/RESULTS.md, "PNG level"); 6 and
// above for the smallest files.
inline constexpr int kDefaultPngLevel = 4;

struct WriteOptions {
  // kUnknown = from the output path's extension (.jpg/.jpeg, .png, .tif/.tiff, .webp).
  ImageFormat format = ImageFormat::kUnknown;
  int quality = kDefaultJpegQuality;  // JPEG and WebP, 1–100
  // PNG: zlib's compression level, 0 (stored) – 9 (smallest, slowest). On a
  // 12.6 MP super-resolution result on 2 cores, 2 took 0.43 s, 4 0.79 s and
  // 6 2.17 s; files 13.53, 12.45 and 12.05 MB.
  int png_level = kDefaultPngLevel;
  // The input's metadata (its path is re-read for EXIF/IPTC/XMP). Null = none.
  const ImageInfo* source = nullptr;
  // Pixels per inch to record instead of the source's DPI scaled by the
  // enlargement (e.g. the target's 300 dpi).
  std::optional<double> target_dpi;
  // Output px per source px, along x and along y: how much the source was
  // resampled (RunPlan's PipelineResult says it). The source's DPI is scaled
  // by these so that the picture prints at its own size whatever a crop cut
  // or a pad added (the writer cannot tell that from the sizes). Empty: the
  // output is the whole source resampled, its size over the source's.
  std::optional<cv::Point2d> px_per_source_px;
  // The ICC profile to embed instead of the source's (e.g. sRGB after the
  // pixels were converted: color_space.h); empty = none.
  std::optional<std::vector<uint8_t>> icc_profile;
  // What acuity did to make these pixels, put in the file's XMP
  // (acuity_record.h; PNG, JPEG, TIFF and WebP), replacing the source's own
  // record. Empty = none (the source's, when there is one, is copied with
  // its XMP).
  std::optional<AcuityRecord> record;
  // JPEG and WebP: the largest file, bytes. When `quality` makes a larger
  // file, the highest quality (down to kMinLimitedQuality) whose file fits is
  // used and WriteReport::quality / notes say so; when none fits, the file at
  // kMinLimitedQuality is written and a note says it is over the limit.
  std::optional<std::uintmax_t> max_bytes;
  // Asked just before OUT replaces the old file (atomic_file.h): true leaves
  // OUT as it was and WriteImage returns Cancelled. May be empty.
  std::function<bool()> cancelled;
};

struct WriteReport {
  ImageFormat format = ImageFormat::kUnknown;
  std::uintmax_t bytes = 0;
  int quality = 0;  // JPEG/WebP: the quality written (lower than asked under a size limit)
  std::optional<double> dpi_x, dpi_y;  // what was recorded, px per inch
  // Things a person should know, e.g. "JPEG has no alpha: flattened onto white".
  std::vector<std::string> notes;
};

// Whether the writer keeps an alpha channel in `format` (PNG, TIFF, WebP);
// JPEG flattens it, and the writer writes no other format.
bool WritesAlpha(ImageFormat format);

// 8- or 16-bit BGRA `pixels` composited onto white, as BGR of the same
// depth: what the JPEG writer stores, and what a page shows of a
// transparent picture. Pixels without an alpha channel come back as they are.
cv::Mat FlattenOntoWhite(const cv::Mat& pixels);

// The format an output path asks for by its extension (case-insensitive);
// InvalidArgument naming the supported extensions otherwise.
absl::StatusOr<ImageFormat> OutputFormatFromPath(const std::string& path);

// The extension acuity gives a file of `format` (".jpg", ".png", ".tif",
// ".webp"); "" for a format it does not write.
const char* FileExtension(ImageFormat format);

// Checks, before any work is done, that `output_path` can be written: a known
// extension (or `format`; else InvalidArgument), not a directory and not the
// same file as `input_path` (FailedPrecondition: acuity never overwrites its
// input), in an existing directory (else PermissionDenied "cannot write
// into DIR: <the OS's reason>", an unwritable output).
absl::Status CheckOutputPath(const std::string& output_path, const std::string& input_path,
                             ImageFormat format = ImageFormat::kUnknown);

// Encodes in memory, with the metadata above (no file is touched). Running
// out of memory gives guard.h's OutOfMemoryError.
absl::StatusOr<std::string> EncodeImage(const cv::Mat& pixels, ImageFormat format,
                                        const WriteOptions& options, WriteReport* report = nullptr);

// CheckOutputPath, EncodeImage, then an atomic write (temporary file in the
// same directory, fsync, rename). On any error OUT is left as it was and no
// temporary file remains; running out of memory or disk gives ResourceExhausted
// marked as the machine's (guard.h IsMachineResourceError).
absl::StatusOr<WriteReport> WriteImage(const std::string& path, const cv::Mat& pixels,
                                       const WriteOptions& options);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_IO_IMAGE_WRITER_H_

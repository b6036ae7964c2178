// JPEG compression damage: the IJG quality the image was last saved at —
// exact from the quantization tables when the file is a JPEG with IJG's
// tables (agreeing with ImageMagick's `identify -format %Q`), the equivalent
// IJG quality when its tables are not IJG's (a camera's, Photoshop's: same
// weighted mean log quantization step, equivalent_quality.h), estimated from
// the pixels when a JPEG was re-saved losslessly (PNG, TIFF) — whatever its
// tables' shape — or re-saved as a JPEG of a clearly higher quality (then the
// earlier save's, the tables' in last_saved_quality), null when the image
// shows no sign of JPEG compression — plus how blocky it looks, with a
// per-block map.
//
//   acuity::CompressionOptions options;
//   options.jpeg = image.info.jpeg;   // the file's own tables, when a JPEG
//   options.compute_map = true;       // per-block blockiness, 8-bit levels
//   acuity::CompressionMeasurement m = acuity::MeasureCompression(image.pixels, options);
//   if (m.result.jpeg_quality_estimate) Print(*m.result.jpeg_quality_estimate, m.result.quality_source);
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_COMPRESSION_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_COMPRESSION_H_

#include <array>
#include <optional>
#include <string>

#include <opencv2/core.hpp>

#include "analysis/io/image.h"
#include "analysis/measurements/measured.h"

namespace acuity {

struct CompressionResult {
  // IJG quality 1–100; empty when the image shows no sign of JPEG compression.
  // From IJG's own tables: exactly their quality (an integer). From other
  // tables, and from the pixels of a JPEG whose tables were not IJG-shaped:
  // the equivalent IJG quality (equivalent_quality.h), to 0.1; from the
  // pixels of an IJG-shaped JPEG: to 0.5.
  std::optional<double> jpeg_quality_estimate;
  std::string quality_source = "none";  // "quant_tables" | "pixels" | "none"
  // The file's quantization tables: "ijg" when they are exactly libjpeg's
  // scaling of the JPEG Annex K tables at some quality 1–100, "other"
  // otherwise (a camera's, Photoshop's, mozjpeg's: the quality is then the
  // equivalent IJG quality). Empty unless quality_source is "quant_tables".
  std::optional<std::string> tables;
  // Blocking artifacts: the mean extra luma step (8-bit levels) across the
  // 8×8 block boundaries, beyond the steps between neighbouring pixels inside
  // blocks. 0 = none; ≈ 0.5 is faintly visible on flat areas, ≥ 2 is obvious.
  std::optional<double> blockiness;
  // True for a two-level picture (IsBilevel, image_ops.h: a 1-bit scan, an
  // ordered dither or halftone screen, black-and-white line art) that is
  // not a JPEG file: blockiness is then not measured (null) and no quality
  // is read from the pixels — a JPEG decode makes levels in between at
  // every edge, so no block of an earlier save can show (a dither's own
  // 4- or 8-px period read as blockiness 1.5–32, "8×8 blocks visible").
  // Null otherwise.
  std::optional<bool> two_level;
  // The count of exact colours of a palette picture (at most
  // kMaxPaletteColours, image_ops.h: pixel art, a chart of flat fills) that
  // is not a JPEG file and not two-level: blockiness is then not measured
  // and no quality is read from the pixels, for the same reason (pixel art
  // enlarged ×8 by nearest neighbour read blockiness 91, "8×8 blocks
  // visible"). Null otherwise.
  std::optional<int> palette_colors;
  // Where the 8×8 grid lies (px, 0–7), when one was found in the pixels.
  std::optional<int> grid_offset_x;
  std::optional<int> grid_offset_y;
  // 0–1. From tables: 1 for IJG's exactly; for other tables how well one
  // IJG quality describes them (1 − RMS log deviation from IJG's tables of
  // the equivalent quality, within 0.3–0.95). From pixels: how sure the
  // estimate is that the image was JPEG-compressed.
  std::optional<double> confidence;
  // From the pixels only: "ijg" when IJG's luma table of the quality
  // explains the DCT lattice, "other" when the quality is the equivalent of
  // a luma table estimated step by step (EstimateJpegQualityFromPixels).
  // Empty otherwise (from tables, `tables` says it).
  std::optional<std::string> estimated_tables;
  // The luma quantization steps (natural 8×8 order) the quality rests on:
  // the file's own luma table, or, from the pixels, each frequency's step
  // the lattice shows (0 where it shows none). Empty when no quality was
  // read. Not in the JSON: QA asks whether two pictures' blocks are the
  // same save's (qa_jpeg.h).
  std::optional<std::array<int, 64>> luma_steps;
  // A JPEG file whose pixels show an earlier, heavier save than its own
  // tables (a damaged photo re-saved at a high quality): the quality of its
  // tables, i.e. of the last save; jpeg_quality_estimate is then the earlier
  // save's, read from the pixels (quality_source "pixels"). Empty otherwise.
  std::optional<double> last_saved_quality;
};

// Blockiness (8-bit levels; CompressionResult::blockiness, a mean over the
// grid's lines with the 25 % most stepped left out, so that a few straight
// edges on the grid — a border, a panel — are not blocks) from which 8×8
// blocks are plain to see: an
// image this blocky never reads as "no sign of JPEG compression", even when
// no quality could be read (a clean photo reads ≈ 0.2).
inline constexpr double kVisibleBlockiness = 1.0;

// "equivalent quality" when the quality is the equivalent IJG quality of
// tables that are not IJG's (read from the file or estimated from the
// pixels), else empty: the words every front end shows after the figure.
inline const char* EquivalentQualityWords(const CompressionResult& c) {
  return c.tables == "other" || c.estimated_tables == "other" ? "equivalent quality" : "";
}

// The file's lossy coding when it is not JPEG's (ImageInfo::lossy_codec):
// "WebP", "HEIF" or "AVIF", whose damage this reading does not read — a
// WebP saved at quality 30 (PSNR 32 dB, as a JPEG at q30) read "no sign of
// JPEG compression", as if it had none. nullptr for a JPEG or a lossless
// file.
inline const char* UnreadLossyCodec(const ImageInfo& info) {
  if (!info.lossy_codec) return nullptr;
  if (*info.lossy_codec == "webp") return "WebP";
  if (*info.lossy_codec == "heif") return "HEIF";
  if (*info.lossy_codec == "avif") return "AVIF";
  return nullptr;
}

struct CompressionOptions {
  // The file's JPEG header (ImageInfo::jpeg) when the file is a JPEG: the
  // quality then comes from its quantization tables. Empty: from the pixels.
  std::optional<JpegInfo> jpeg;
  // The map: the per-block blockiness, CV_32FC1, ⌈rows/8⌉ × ⌈cols/8⌉ cells,
  // 8-bit levels.
  bool compute_map = false;
};

// Figures plus the map when CompressionOptions::compute_map (measured.h).
using CompressionMeasurement = Measured<CompressionResult>;

// Measures compression. Images above 1 MP are read on an evenly spread
// sample of 256-px tiles whose corners are multiples of 16 px, so the JPEG
// grid keeps its phase (with a map too: only the map reads every pixel).
CompressionMeasurement MeasureCompression(const cv::Mat& pixels, const CompressionOptions& options = {});

// The quality a JPEG file's tables say, as MeasureCompression reads it:
// IJG's tables exactly → that quality (confidence 1), other tables → the
// equivalent IJG quality (to 0.1); sets quality_source, jpeg_quality_estimate,
// tables and confidence of `result`.
void ReadQualityFromTables(const JpegInfo& jpeg, CompressionResult& result);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_COMPRESSION_H_

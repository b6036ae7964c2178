// JPEG compression damage: the IJG quality the image was last saved at —
// exact from the quantization tables when the file is a JPEG (agreeing with
// ImageMagick's `identify -format %Q`), estimated from the pixels when a
// JPEG was re-saved losslessly (PNG, TIFF), null when the image shows no sign
// of JPEG compression — plus how blocky it looks, with a per-block map.
//
//   acuity::CompressionOptions options;
//   options.jpeg = image.info.jpeg;   // the file's own tables, when a JPEG
//   options.compute_map = true;       // per-block blockiness, 8-bit levels
//   acuity::CompressionMeasurement m = acuity::MeasureCompression(image.pixels, options);
//   if (m.result.jpeg_quality_estimate) Print(*m.result.jpeg_quality_estimate, m.result.quality_source);
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_COMPRESSION_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_COMPRESSION_H_

#include <optional>
#include <string>

#include <opencv2/core.hpp>

#include "analysis/io/image.h"
#include "analysis/measurements/measured.h"

namespace acuity {

struct CompressionResult {
  // IJG quality 1–100; empty when the image shows no sign of JPEG compression.
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
  // Where the 8×8 grid lies (px, 0–7), when one was found in the pixels.
  std::optional<int> grid_offset_x;
  std::optional<int> grid_offset_y;
  // 0–1: how sure the pixel estimate is that the image was JPEG-compressed
  // (1 for quant tables exactly IJG's; lower for non-IJG tables).
  std::optional<double> confidence;
};

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

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_COMPRESSION_H_

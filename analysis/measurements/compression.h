// JPEG compression damage: the IJG quality the image was last saved at —
// exact from the quantization tables when the file is a JPEG (agreeing with
// ImageMagick's `identify -format %Q`), estimated from the pixels when a
// JPEG was re-saved losslessly (PNG, TIFF), null when the image shows no sign
// of JPEG compression — plus how blocky it looks, with a per-block map.
//
//   acuity::CompressionResult c = acuity::MeasureCompression(image.pixels, image.info.jpeg);
//   if (c.jpeg_quality_estimate) Print(*c.jpeg_quality_estimate, c.quality_source);
//   cv::Mat map;  // CV_32FC1, one value per 8×8 block, 8-bit levels
//   acuity::MeasureCompression(image.pixels, std::nullopt, &map);
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_COMPRESSION_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_COMPRESSION_H_

#include <optional>
#include <string>

#include <opencv2/core.hpp>

#include "analysis/io/image.h"

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

// Measures compression. `jpeg` is the file's JPEG header (ImageInfo::jpeg)
// when the file is a JPEG. When block_map is given it receives the per-block
// blockiness (CV_32FC1, ⌈rows/8⌉ × ⌈cols/8⌉, 8-bit levels). Images above
// 1 MP are read on an evenly spread sample of 256-px tiles whose corners are
// multiples of 16 px, so the JPEG grid keeps its phase (with a map too: only
// the map reads every pixel).
CompressionResult MeasureCompression(const cv::Mat& pixels, const std::optional<JpegInfo>& jpeg,
                                     cv::Mat* block_map = nullptr);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_COMPRESSION_H_

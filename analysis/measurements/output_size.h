// The size of the file a target makes, estimated from the picture's own
// compressibility: a flat product shot on white and a detailed landscape
// of the same pixel count differ tenfold as JPEG, and an upscale dilutes
// detail, so a fixed rate per output pixel was 4–7× high for small product
// shots taken to a shop's size.
//
// Tiles spread over the picture are encoded (JPEG quality 80 and PNG) as
// one mosaic, which gives its bytes per pixel; a resize by an area ratio r
// scales that rate by r^kUpscaleRateExponent (upscale) or
// r^kDownscaleRateExponent (downscale), fitted on scikit-image photos and a
// product shot resized with Lanczos/area (output_size_test.cc checks the
// estimate against real encodes). A pad adds a flat border at the rate of
// a flat colour.
//
//   EncodedBytes bytes = EstimateOutputBytes(pixels, fit);
//   fit.estimated_jpeg_bytes = bytes.jpeg_q80;
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_OUTPUT_SIZE_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_OUTPUT_SIZE_H_

#include <cstdint>

#include <opencv2/core.hpp>

#include "analysis/measurements/target_fit.h"

namespace acuity {

// Bytes of one picture, encoded.
struct EncodedBytes {
  std::uint64_t jpeg_q80 = 0;  // JPEG, quality 80, 4:2:0
  std::uint64_t png = 0;       // PNG, default compression
};

// Bytes per pixel of `pixels` (any depth, 1–4 channels; 8-bit, opaque for
// JPEG) as JPEG q80 and PNG, from a mosaic of up to kRateTiles² tiles of
// kRateTilePx px spread evenly over it (the whole picture when it is no
// larger than the mosaic). Rates in bytes per pixel, as doubles.
struct EncodedRate {
  double jpeg_q80_bytes_per_px = 0;
  double png_bytes_per_px = 0;
};
EncodedRate MeasureEncodedRate(const cv::Mat& pixels);
inline constexpr int kRateTiles = 8;
inline constexpr int kRateTilePx = 64;

// Bytes per output pixel change with the area ratio r (output/input) as
// r^exponent: −0.28 (JPEG q80) and −0.22 (PNG, zlib level 6) for upscales
// (2–9×: interpolated detail is smooth), −0.17 and −0.07 for downscales
// (detail packs denser).
inline constexpr double kJpegUpscaleRateExponent = -0.28;
inline constexpr double kPngUpscaleRateExponent = -0.22;
inline constexpr double kJpegDownscaleRateExponent = -0.17;
inline constexpr double kPngDownscaleRateExponent = -0.07;
// A flat border (pad), bytes per pixel.
inline constexpr double kFlatJpegQ80BytesPerPixel = 0.017;
inline constexpr double kFlatPngBytesPerPixel = 0.005;

// The file `fit` makes of `pixels` (the image FitTarget was given): the kept
// part scaled by fit.required_scale, plus the pad.
EncodedBytes EstimateOutputBytes(const cv::Mat& pixels, const TargetFit& fit);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_OUTPUT_SIZE_H_

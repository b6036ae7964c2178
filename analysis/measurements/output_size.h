// The size of the file a target makes, estimated from the picture's own
// compressibility: a flat product shot on white and a detailed landscape
// of the same pixel count differ tenfold as JPEG, and an upscale dilutes
// detail, so a fixed rate per output pixel was 4–7× high for small product
// shots taken to a shop's size.
//
// Tiles spread over the picture are resized by the target's factor (at
// most 2× up and ½ down: a drawing's crisp edges become ramps of new
// levels, which a rate read at 1× missed 4–6 times in PNG on a logo, 300
// times on a flat picture) and encoded
// (JPEG quality 80 and PNG) as one mosaic, which gives its bytes per pixel;
// a larger resize by a further area ratio r scales that rate by
// r^k…UpscaleRateExponent (upscale) or r^k…DownscaleRateExponent
// (downscale), fitted on scikit-image photos and a product shot resized
// with Lanczos/area (output_size_test.cc checks the estimate against real
// encodes, a logo and a flat picture among them). No part costs less than
// a flat colour; a pad adds a flat border at that rate.
//
//   EncodedBytes bytes = EstimateOutputBytes(pixels, fit);
//   fit.estimated_jpeg_bytes = bytes.jpeg_q80;
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_OUTPUT_SIZE_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_OUTPUT_SIZE_H_

#include <cstdint>
#include <optional>

#include <opencv2/core.hpp>

#include "analysis/measurements/target_fit.h"

namespace acuity {

// Bytes of one picture, encoded.
struct EncodedBytes {
  std::uint64_t jpeg_q80 = 0;  // JPEG, quality 80, 4:2:0
  std::uint64_t png = 0;       // PNG, default compression
};

// Bytes per pixel of `pixels` (8/16-bit, 1, 3 or 4 channels) as acuity's
// writer stores it (image_writer.h: JPEG q80 flattened onto white, 8-bit;
// PNG at its depth, alpha kept), beyond the file's fixed part (headers and
// tables, in *_header_bytes), from a mosaic of up to kRateTiles² tiles of
// kRateTilePx px spread evenly over it (the whole picture when it is no
// larger than the mosaic).
struct EncodedRate {
  double jpeg_q80_bytes_per_px = 0;
  double png_bytes_per_px = 0;
  double jpeg_header_bytes = 0, png_header_bytes = 0;
  // 16-bit pictures: the PNG rate of their high bytes alone (8-bit).
  double png_high_bytes_per_px = 0;
};
EncodedRate MeasureEncodedRate(const cv::Mat& pixels);
inline constexpr int kRateTiles = 8;
inline constexpr int kRateTilePx = 64;

// Bytes per output pixel change with the area ratio r (output/input) as
// r^exponent: −0.28 (JPEG q80) and −0.22 (PNG, fitted at zlib level 6) for upscales
// (2–9×: interpolated detail is smooth), −0.17 and −0.07 for downscales
// (detail packs denser).
inline constexpr double kJpegUpscaleRateExponent = -0.28;
inline constexpr double kPngUpscaleRateExponent = -0.22;
inline constexpr double kJpegDownscaleRateExponent = -0.17;
inline constexpr double kPngDownscaleRateExponent = -0.07;
// A 16-bit picture resized gets low bytes that are noise: PNG stores them
// at this many bytes per sample (chelsea ×2, ×4 and ÷2 from 8-bit values:
// 1.2 beyond the 8-bit rate).
inline constexpr double kResampledLowByteBytesPerSample = 1.2;
// A flat border (pad), bytes per pixel.
inline constexpr double kFlatJpegQ80BytesPerPixel = 0.017;
inline constexpr double kFlatPngBytesPerPixel = 0.004;

// The file `fit` makes of `pixels` (the image FitTarget was given): the
// fixed part, the kept part scaled by fit.required_scale, plus the pad.
EncodedBytes EstimateOutputBytes(const cv::Mat& pixels, const TargetFit& fit);

// Noise σ (8-bit units) from which Analyze also estimates the file without
// it: below, grain costs a JPEG little, and no plan removes it.
inline constexpr double kDenoisedEstimateFromSigma8bit = 3.0;

// The same file once noise of σ `noise_sigma_8bit` (8-bit units) has been
// taken out before the resize (a denoise step, or a model that removes
// noise itself): the tiles' rate read after OpenCV's non-local means at
// h = σ (gray) or 0.7 σ (colour, read on Lab lightness). Grain costs a JPEG or PNG most of its bytes, so the plain estimate
// of a noisy picture was about twice what a denoising plan writes (135 kB
// quoted, 86 kB written; the written file is within 0.87–1.28× of this
// estimate on held-out photos, the worst a black sky with clipped noise at
// 1.85–2.56×: datasets/denoised_size.sh). Nullopt for σ ≤ 0 or a 16-bit
// picture.
std::optional<EncodedBytes> EstimateDenoisedOutputBytes(const cv::Mat& pixels, const TargetFit& fit,
                                                        double noise_sigma_8bit);

// The same file once a dithered picture's dots are smoothed before the
// resize (the plan's undither step at σ `sigma_px`, px: dither.h
// UnditheredPicture, run on the tiles read). Dots cost a JPEG and a PNG
// much of their bytes: on 16-colour Floyd–Steinberg GIFs of three photos
// ×4, the plain estimate was 1.37–1.51× a stand-in for the plan's file
// (undithered, Lanczos ×4, JPEG q80), this one within 15 % of it
// (dither_advice_test.cc); 1.14× on a 12 MP one ×2, the tiles' seams
// keeping some dots. Nullopt for a σ outside kMinUnditherSigmaPx–
// kMaxUnditherSigmaPx or a 16-bit picture. `screen`: a halftone screen's
// dots, smoothed everywhere (dither.h DitherWeights).
std::optional<EncodedBytes> EstimateUnditheredOutputBytes(const cv::Mat& pixels, const TargetFit& fit,
                                                          double sigma_px, bool screen = false);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_OUTPUT_SIZE_H_

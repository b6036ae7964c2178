#include "analysis/measurements/output_size.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include <opencv2/imgproc.hpp>
#include <opencv2/photo.hpp>

#include "analysis/io/image_writer.h"

namespace acuity {
namespace {

// The start of tile i of n along an axis of `length` px, on the 8-px grid
// of JPEG blocks, tiles spread evenly from one edge to the other.
int TileStart(int i, int n, int length) {
  if (n <= 1) return std::max(0, (length - kRateTilePx) / 2) / 8 * 8;
  return int(std::lround(double(i) * (length - kRateTilePx) / (n - 1))) / 8 * 8;
}

// The picture itself when it is no larger than the mosaic, else up to
// kRateTiles² tiles of kRateTilePx px laid side by side.
cv::Mat Mosaic(const cv::Mat& pixels) {
  const int side = kRateTiles * kRateTilePx;
  if ((pixels.cols <= side && pixels.rows <= side) || pixels.cols < kRateTilePx || pixels.rows < kRateTilePx)
    return pixels;
  const int nx = std::min(kRateTiles, pixels.cols / kRateTilePx);
  const int ny = std::min(kRateTiles, pixels.rows / kRateTilePx);
  cv::Mat mosaic(ny * kRateTilePx, nx * kRateTilePx, pixels.type());
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) {
      const cv::Rect from(TileStart(i, nx, pixels.cols), TileStart(j, ny, pixels.rows), kRateTilePx, kRateTilePx);
      pixels(from).copyTo(mosaic(cv::Rect(i * kRateTilePx, j * kRateTilePx, kRateTilePx, kRateTilePx)));
    }
  return mosaic;
}

// Bytes of `pixels` encoded as acuity writes the enhanced file
// (image_writer.h: 16-bit kept in PNG, transparency flattened onto white in
// JPEG); 0 when it failed.
double EncodedSize(const cv::Mat& pixels, ImageFormat format) {
  WriteOptions options;
  options.quality = 80;
  const absl::StatusOr<std::string> encoded = EncodeImage(pixels, format, options);
  return encoded.ok() ? double(encoded->size()) : 0.0;
}

// The bytes of `pixels` and its rate beyond the file's fixed part (headers,
// tables: the encode of an 8×8 picture of the same type), bytes per pixel.
void ReadRate(const cv::Mat& pixels, ImageFormat format, double& header_bytes, double& bytes_per_px) {
  header_bytes = EncodedSize(cv::Mat(8, 8, pixels.type(), cv::Scalar::all(255)), format);
  bytes_per_px = std::max(0.0, EncodedSize(pixels, format) - header_bytes) / double(pixels.total());
}

// The rate after a resize by the area ratio `area_ratio` (output/input).
double Resized(double rate, double area_ratio, double up_exponent, double down_exponent) {
  if (area_ratio <= 0) return rate;
  return rate * std::pow(area_ratio, area_ratio >= 1 ? up_exponent : down_exponent);
}

// Non-local means' patch and search window, px: OpenCV's recommended patch,
// a search of 11 px where acuity's denoise step searches 21 — a quarter of
// the work (a noisy 12 MP analyze with a target took 0.3 s more with 21,
// 0.15 s with 11, on 2 cores), its estimates as close (datasets/denoised_size.sh).
constexpr int kNlmTemplatePx = 7;
constexpr int kNlmSearchPx = 11;
// Its strength h per σ of the noise, chosen so that the estimate meets what
// the advisor's plan for a noisy photo (realesr-general-x4v3, which removes
// the noise) writes: 6 scikit-image photos at σ 6 and 12 (output_size_test.cc
// checks held-out ones). OpenCV's colour version reads h on its Lab
// lightness, where the noise is larger than per channel.
constexpr double kNlmHPerSigmaGray = 1.0;
constexpr double kNlmHPerSigmaColour = 0.7;

// `mosaic` (8-bit) with noise of σ `sigma_8bit` taken out by OpenCV's
// non-local means at h = kNlmHPerSigma… × σ (alpha kept); nullopt for other
// depths.
std::optional<cv::Mat> WithoutNoise(const cv::Mat& mosaic, double sigma_8bit) {
  if (mosaic.depth() != CV_8U) return std::nullopt;
  const float h = float(sigma_8bit * (mosaic.channels() == 1 ? kNlmHPerSigmaGray : kNlmHPerSigmaColour));
  cv::Mat out;
  switch (mosaic.channels()) {
    case 1: cv::fastNlMeansDenoising(mosaic, out, h, kNlmTemplatePx, kNlmSearchPx); return out;
    case 3: cv::fastNlMeansDenoisingColored(mosaic, out, h, h, kNlmTemplatePx, kNlmSearchPx); return out;
    case 4: {
      cv::Mat bgr, alpha;
      cv::cvtColor(mosaic, bgr, cv::COLOR_BGRA2BGR);
      cv::extractChannel(mosaic, alpha, 3);
      cv::fastNlMeansDenoisingColored(bgr, bgr, h, h, kNlmTemplatePx, kNlmSearchPx);
      cv::cvtColor(bgr, out, cv::COLOR_BGR2BGRA);
      cv::insertChannel(alpha, out, 3);
      return out;
    }
    default: return std::nullopt;
  }
}

EncodedRate RateOfMosaic(const cv::Mat& mosaic) {
  EncodedRate rate;
  ReadRate(mosaic, ImageFormat::kJpeg, rate.jpeg_header_bytes, rate.jpeg_q80_bytes_per_px);
  ReadRate(mosaic, ImageFormat::kPng, rate.png_header_bytes, rate.png_bytes_per_px);
  if (mosaic.depth() == CV_16U) {
    cv::Mat high;
    mosaic.convertTo(high, CV_8U, 1.0 / 257.0);
    double header = 0;
    ReadRate(high, ImageFormat::kPng, header, rate.png_high_bytes_per_px);
  }
  return rate;
}

// The part of `pixels` that `fit` keeps (empty when none).
cv::Mat Kept(const cv::Mat& pixels, const TargetFit& fit) {
  const cv::Rect kept =
      fit.kept_rect() & cv::Rect(0, 0, pixels.cols,
                                                                                              pixels.rows);
  return kept.area() > 0 ? pixels(kept) : cv::Mat();
}

// The file `fit` makes of `pixels` (as EstimateOutputBytes) at `rate`.
EncodedBytes BytesAtRate(const cv::Mat& pixels, double kept_px, const EncodedRate& rate, const TargetFit& fit) {
  EncodedBytes bytes;
  const double scaled_px = double(fit.scaled_width_px) * fit.scaled_height_px;
  const double pad_px = std::max(0.0, double(fit.output_width_px) * fit.output_height_px - scaled_px);
  const double area_ratio = scaled_px / kept_px;
  bytes.jpeg_q80 = std::uint64_t(
      rate.jpeg_header_bytes +
      scaled_px * Resized(rate.jpeg_q80_bytes_per_px, area_ratio, kJpegUpscaleRateExponent, kJpegDownscaleRateExponent) +
      pad_px * kFlatJpegQ80BytesPerPixel);
  // A 16-bit picture resized has noise for its low bytes: its 8-bit rate
  // resized, plus those bytes, which do not compress.
  const bool resized = std::abs(area_ratio - 1.0) > 1e-6;
  const double png_rate =
      pixels.depth() == CV_16U && resized
          ? Resized(rate.png_high_bytes_per_px, area_ratio, kPngUpscaleRateExponent, kPngDownscaleRateExponent) +
                pixels.channels() * kResampledLowByteBytesPerSample
          : Resized(rate.png_bytes_per_px, area_ratio, kPngUpscaleRateExponent, kPngDownscaleRateExponent);
  bytes.png = std::uint64_t(rate.png_header_bytes + scaled_px * png_rate + pad_px * kFlatPngBytesPerPixel);
  return bytes;
}

}  // namespace

EncodedRate MeasureEncodedRate(const cv::Mat& pixels) {
  if (pixels.empty()) return {};
  return RateOfMosaic(Mosaic(pixels));
}

EncodedBytes EstimateOutputBytes(const cv::Mat& pixels, const TargetFit& fit) {
  const cv::Mat kept = Kept(pixels, fit);
  if (kept.empty()) return {};
  return BytesAtRate(pixels, double(kept.total()), MeasureEncodedRate(kept), fit);
}

std::optional<EncodedBytes> EstimateDenoisedOutputBytes(const cv::Mat& pixels, const TargetFit& fit,
                                                        double noise_sigma_8bit) {
  const cv::Mat kept = Kept(pixels, fit);
  if (kept.empty() || !(noise_sigma_8bit > 0)) return std::nullopt;
  const std::optional<cv::Mat> clean = WithoutNoise(Mosaic(kept), noise_sigma_8bit);
  if (!clean) return std::nullopt;
  return BytesAtRate(pixels, double(kept.total()), RateOfMosaic(*clean), fit);
}

}  // namespace acuity

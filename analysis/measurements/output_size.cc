#include "analysis/measurements/output_size.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "analysis/io/jpeg_codec.h"
#include "analysis/io/png_codec.h"
#include "analysis/measurements/image_ops.h"

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

// Bytes of an encode (0 when it failed): acuity's own writers, as the
// enhanced file is written (image_writer.cc: PNG at zlib level 6).
std::size_t EncodedSize(const absl::StatusOr<std::string>& encoded) { return encoded.ok() ? encoded->size() : 0; }

// The rate after a resize by the area ratio `area_ratio` (output/input).
double Resized(double rate, double area_ratio, double up_exponent, double down_exponent) {
  if (area_ratio <= 0) return rate;
  return rate * std::pow(area_ratio, area_ratio >= 1 ? up_exponent : down_exponent);
}

}  // namespace

EncodedRate MeasureEncodedRate(const cv::Mat& pixels) {
  EncodedRate rate;
  if (pixels.empty()) return rate;
  const cv::Mat mosaic = Mosaic(pixels);
  const double area = double(mosaic.total());
  // JPEG: 8-bit, gray or BGR (alpha dropped, as a JPEG writer does).
  const cv::Mat opaque = To8Bit(mosaic, /*keep_gray=*/true);
  JpegEncodeOptions jpeg;
  jpeg.quality = 80;  // 4:2:0
  rate.jpeg_q80_bytes_per_px = EncodedSize(EncodeJpeg(opaque, jpeg)) / area;
  // PNG: 8-bit, alpha kept.
  cv::Mat png = mosaic;
  if (png.depth() != CV_8U) png.convertTo(png, CV_8U, 1.0 / 257.0);
  rate.png_bytes_per_px = EncodedSize(EncodePng(png, 6)) / area;
  return rate;
}

EncodedBytes EstimateOutputBytes(const cv::Mat& pixels, const TargetFit& fit) {
  EncodedBytes bytes;
  const cv::Rect kept =
      cv::Rect(fit.kept_x_px, fit.kept_y_px, fit.kept_width_px, fit.kept_height_px) & cv::Rect(0, 0, pixels.cols,
                                                                                              pixels.rows);
  if (kept.area() <= 0) return bytes;
  const EncodedRate rate = MeasureEncodedRate(pixels(kept));
  const double scaled_px = double(fit.scaled_width_px) * fit.scaled_height_px;
  const double pad_px = std::max(0.0, double(fit.output_width_px) * fit.output_height_px - scaled_px);
  const double area_ratio = scaled_px / kept.area();
  bytes.jpeg_q80 = std::uint64_t(
      scaled_px * Resized(rate.jpeg_q80_bytes_per_px, area_ratio, kJpegUpscaleRateExponent, kJpegDownscaleRateExponent) +
      pad_px * kFlatJpegQ80BytesPerPixel);
  bytes.png = std::uint64_t(
      scaled_px * Resized(rate.png_bytes_per_px, area_ratio, kPngUpscaleRateExponent, kPngDownscaleRateExponent) +
      pad_px * kFlatPngBytesPerPixel);
  return bytes;
}

}  // namespace acuity

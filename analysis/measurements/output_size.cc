#include "analysis/measurements/output_size.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include <opencv2/imgproc.hpp>
#include <opencv2/photo.hpp>

#include "analysis/io/image_writer.h"
#include "analysis/measurements/dither.h"

namespace acuity {
namespace {

// The start of tile i of n along an axis of `length` px, on the 8-px grid
// of JPEG blocks, tiles spread evenly from one edge to the other.
int TileStart(int i, int n, int length) {
  if (n <= 1) return std::max(0, (length - kRateTilePx) / 2) / 8 * 8;
  return int(std::lround(double(i) * (length - kRateTilePx) / (n - 1))) / 8 * 8;
}

// The picture itself when it is no larger than the mosaic (`tiled` false),
// else up to kRateTiles² tiles of kRateTilePx px laid side by side.
struct MosaicPixels {
  cv::Mat pixels;
  bool tiled = false;
};
MosaicPixels Mosaic(const cv::Mat& pixels) {
  const int side = kRateTiles * kRateTilePx;
  if ((pixels.cols <= side && pixels.rows <= side) || pixels.cols < kRateTilePx || pixels.rows < kRateTilePx)
    return {pixels, false};
  const int nx = std::min(kRateTiles, pixels.cols / kRateTilePx);
  const int ny = std::min(kRateTiles, pixels.rows / kRateTilePx);
  cv::Mat mosaic(ny * kRateTilePx, nx * kRateTilePx, pixels.type());
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) {
      const cv::Rect from(TileStart(i, nx, pixels.cols), TileStart(j, ny, pixels.rows), kRateTilePx, kRateTilePx);
      pixels(from).copyTo(mosaic(cv::Rect(i * kRateTilePx, j * kRateTilePx, kRateTilePx, kRateTilePx)));
    }
  return {mosaic, true};
}

// `mosaic` with each tile (or the picture, untiled) resized by `factor` as
// a resize step does (Lanczos up, area down): the tiles' seams stay hard,
// as at 1×, not ramps that would cost bytes no output has.
cv::Mat ResizedTiles(const MosaicPixels& mosaic, double factor) {
  const int interpolation = factor > 1 ? cv::INTER_LANCZOS4 : cv::INTER_AREA;
  if (!mosaic.tiled) {
    cv::Mat out;
    cv::resize(mosaic.pixels, out,
               cv::Size(std::max(1, int(std::lround(mosaic.pixels.cols * factor))),
                        std::max(1, int(std::lround(mosaic.pixels.rows * factor)))),
               0, 0, interpolation);
    return out;
  }
  const int tile = int(std::lround(kRateTilePx * factor));
  const int nx = mosaic.pixels.cols / kRateTilePx, ny = mosaic.pixels.rows / kRateTilePx;
  cv::Mat out(ny * tile, nx * tile, mosaic.pixels.type());
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) {
      cv::Mat part;
      cv::resize(mosaic.pixels(cv::Rect(i * kRateTilePx, j * kRateTilePx, kRateTilePx, kRateTilePx)), part,
                 cv::Size(tile, tile), 0, 0, interpolation);
      part.copyTo(out(cv::Rect(i * tile, j * tile, tile, tile)));
    }
  return out;
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

// The area ratio (output/input) of the resize `fit` makes of its kept
// part of `kept_px` pixels.
double AreaRatio(const TargetFit& fit, double kept_px) {
  return double(fit.scaled_width_px) * fit.scaled_height_px / kept_px;
}

// The resize (linear factor) at which the rate is read: the fit's own,
// within kRateReadEnlargement and kRateReadReduction (the exponents carry
// it on from there). A drawing's crisp edges cost a PNG little as they
// are and become ramps of new levels once resized, which a rate read at 1×
// and scaled by a photo's exponent missed 4–6 times (a 200-px logo to 1200
// px: 23 kB estimated, 131 kB written; to 100 px, 41 % low); beyond 2× the
// edges' ramps only widen.
constexpr double kRateReadEnlargement = 2.0;
constexpr double kRateReadReduction = 0.5;
double ReadEnlargement(double area_ratio) {
  if (std::abs(area_ratio - 1.0) <= 1e-6) return 1.0;
  return std::clamp(std::sqrt(area_ratio), kRateReadReduction, kRateReadEnlargement);
}

// The rate of `mosaic` read resized by `factor` (1: as it is).
EncodedRate RateOfMosaic(const cv::Mat& mosaic);
EncodedRate RateAt(const MosaicPixels& mosaic, double factor) {
  return RateOfMosaic(factor != 1.0 ? ResizedTiles(mosaic, factor) : mosaic.pixels);
}

// The file `fit` makes of `pixels` (as EstimateOutputBytes) at `rate`,
// read on the kept part resized by `read_at` (1: as it is).
EncodedBytes BytesAtRate(const cv::Mat& pixels, double kept_px, const EncodedRate& rate, const TargetFit& fit,
                         double read_at) {
  EncodedBytes bytes;
  const double scaled_px = double(fit.scaled_width_px) * fit.scaled_height_px;
  const double pad_px = std::max(0.0, double(fit.output_width_px) * fit.output_height_px - scaled_px);
  const double area_ratio = AreaRatio(fit, kept_px) / (read_at * read_at);
  // No part of a picture costs less than a flat colour (a JPEG codes every
  // block; a flat 8×8 px picture enlarged to 2400×3000 writes 116 kB).
  bytes.jpeg_q80 = std::uint64_t(
      rate.jpeg_header_bytes +
      scaled_px * std::max(kFlatJpegQ80BytesPerPixel, Resized(rate.jpeg_q80_bytes_per_px, area_ratio,
                                                                 kJpegUpscaleRateExponent, kJpegDownscaleRateExponent)) +
      pad_px * kFlatJpegQ80BytesPerPixel);
  // A 16-bit picture resized has noise for its low bytes: its 8-bit rate
  // resized, plus those bytes, which do not compress.
  const bool resized = std::abs(AreaRatio(fit, kept_px) - 1.0) > 1e-6;
  const double png_rate =
      pixels.depth() == CV_16U && resized
          ? Resized(rate.png_high_bytes_per_px, area_ratio, kPngUpscaleRateExponent, kPngDownscaleRateExponent) +
                pixels.channels() * kResampledLowByteBytesPerSample
          : Resized(rate.png_bytes_per_px, area_ratio, kPngUpscaleRateExponent, kPngDownscaleRateExponent);
  bytes.png = std::uint64_t(rate.png_header_bytes + scaled_px * std::max(kFlatPngBytesPerPixel, png_rate) +
                            pad_px * kFlatPngBytesPerPixel);
  return bytes;
}

}  // namespace

EncodedRate MeasureEncodedRate(const cv::Mat& pixels) {
  if (pixels.empty()) return {};
  return RateOfMosaic(Mosaic(pixels).pixels);
}

EncodedBytes EstimateOutputBytes(const cv::Mat& pixels, const TargetFit& fit) {
  const cv::Mat kept = Kept(pixels, fit);
  if (kept.empty()) return {};
  const double read_at = ReadEnlargement(AreaRatio(fit, double(kept.total())));
  return BytesAtRate(pixels, double(kept.total()), RateAt(Mosaic(kept), read_at), fit, read_at);
}

// The file `fit` makes of `pixels` once `clean` (the mosaic's pixels in, the
// same cleaned out; nullopt: not estimated) has run on the tiles read.
template <typename Clean>
std::optional<EncodedBytes> EstimateCleanedOutputBytes(const cv::Mat& pixels, const TargetFit& fit, Clean clean) {
  const cv::Mat kept = Kept(pixels, fit);
  if (kept.empty()) return std::nullopt;
  MosaicPixels mosaic = Mosaic(kept);
  std::optional<cv::Mat> cleaned = clean(mosaic.pixels);
  if (!cleaned) return std::nullopt;
  mosaic.pixels = *std::move(cleaned);
  const double read_at = ReadEnlargement(AreaRatio(fit, double(kept.total())));
  return BytesAtRate(pixels, double(kept.total()), RateAt(mosaic, read_at), fit, read_at);
}

std::optional<EncodedBytes> EstimateDenoisedOutputBytes(const cv::Mat& pixels, const TargetFit& fit,
                                                        double noise_sigma_8bit) {
  if (!(noise_sigma_8bit > 0)) return std::nullopt;
  return EstimateCleanedOutputBytes(pixels, fit, [&](const cv::Mat& m) { return WithoutNoise(m, noise_sigma_8bit); });
}

std::optional<EncodedBytes> EstimateUnditheredOutputBytes(const cv::Mat& pixels, const TargetFit& fit,
                                                          double sigma_px, bool screen) {
  if (!(sigma_px >= kMinUnditherSigmaPx && sigma_px <= kMaxUnditherSigmaPx) || pixels.depth() != CV_8U)
    return std::nullopt;
  return EstimateCleanedOutputBytes(pixels, fit,
                                    [&](const cv::Mat& m) { return std::optional(UnditheredPicture(m, sigma_px, screen)); });
}

}  // namespace acuity

#include "enhance/denoise.h"

#include <vector>

#include <opencv2/imgproc.hpp>
#include <opencv2/photo.hpp>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "enhance/tiling.h"

namespace acuity {
namespace {

constexpr int kTemplateWindowPx = 7;  // OpenCV's recommended patch size
constexpr int kSearchWindowPx = 21;   // OpenCV's recommended search area
// Context a tile needs so that its core equals the untiled result: the
// search radius plus the patch radius (10 + 3 px), rounded up.
constexpr int kTileMarginPx = 16;

cv::Mat DenoisePiece(const cv::Mat& colour8, const DenoiseOptions& options) {
  const float h = float(options.h_per_sigma * options.sigma);
  cv::Mat out;
  if (colour8.channels() == 1) {
    cv::fastNlMeansDenoising(colour8, out, h, kTemplateWindowPx, kSearchWindowPx);
  } else {
    const float h_color = float(options.h_color_per_sigma * options.sigma);
    cv::fastNlMeansDenoisingColored(colour8, out, h, h_color, kTemplateWindowPx, kSearchWindowPx);
  }
  return out;
}

// Tile by tile, with progress; Cancelled when the callback says so.
absl::StatusOr<cv::Mat> DenoiseColour8(const cv::Mat& colour8, const DenoiseOptions& options) {
  const std::vector<Tile> tiles = LayoutTiles(colour8.size(), options.tile_px, kTileMarginPx);
  cv::Mat out(colour8.size(), colour8.type());
  double done = 0;
  const double total = double(colour8.total());
  for (const Tile& t : tiles) {
    const cv::Mat piece = DenoisePiece(colour8(t.padded), options);
    piece(CoreInTileOutput(t, 1)).copyTo(out(t.core));
    done += t.core.area();
    if (options.progress && !options.progress(done / total)) return absl::CancelledError("denoising cancelled");
  }
  return out;
}

}  // namespace

absl::StatusOr<cv::Mat> Denoise(const cv::Mat& pixels, const DenoiseOptions& options) {
  const int channels = pixels.channels();
  if (pixels.empty() || (pixels.depth() != CV_8U && pixels.depth() != CV_16U) ||
      (channels != 1 && channels != 3 && channels != 4))
    return absl::InvalidArgumentError("denoise needs an 8/16-bit gray, BGR or BGRA image");
  if (!(options.sigma > 0 && options.sigma <= 100))
    return absl::InvalidArgumentError(
        absl::StrFormat("denoise σ %g is outside (0, 100] (8-bit units)", options.sigma));
  if (!(options.h_per_sigma > 0 && options.h_color_per_sigma >= 0))
    return absl::InvalidArgumentError("denoise h per σ must be positive");

  cv::Mat colour, alpha;
  if (channels == 4) {
    cv::cvtColor(pixels, colour, cv::COLOR_BGRA2BGR);
    cv::extractChannel(pixels, alpha, 3);
  } else {
    colour = pixels;
  }

  cv::Mat result;
  try {
    if (pixels.depth() == CV_8U) {
      absl::StatusOr<cv::Mat> denoised = DenoiseColour8(colour, options);
      if (!denoised.ok()) return denoised.status();
      result = *std::move(denoised);
    } else {
      // The change NLM makes at 8 bits, applied to the 16-bit pixels.
      cv::Mat colour8, colour_f, change;
      colour.convertTo(colour8, CV_8U, 1.0 / 257.0);
      absl::StatusOr<cv::Mat> denoised8 = DenoiseColour8(colour8, options);
      if (!denoised8.ok()) return denoised8.status();
      cv::subtract(*denoised8, colour8, change, cv::noArray(), CV_32F);
      colour.convertTo(colour_f, CV_32F);
      cv::Mat(colour_f + 257.0 * change).convertTo(result, CV_16U);  // rounds, saturates
    }
  } catch (const cv::Exception& e) {
    return absl::InternalError(absl::StrCat("denoising failed in OpenCV: ", e.msg));
  }

  if (channels == 4) {
    std::vector<cv::Mat> planes;
    cv::split(result, planes);
    planes.push_back(alpha);
    cv::merge(planes, result);
  }
  return result;
}

}  // namespace acuity

#include "enhance/denoise.h"

#include <algorithm>

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
// Context NLM needs for a pixel to be exact: search radius + patch radius.
constexpr int kNlmContextPx = kSearchWindowPx / 2 + kTemplateWindowPx / 2;  // 13 px
// Context a tile needs so that its core equals the untiled result: NLM's
// context plus the texture window's radius (at most 3 px).
constexpr int kTileMarginPx = 16;
constexpr int kMaxTextureWindowPx = 2 * (kTileMarginPx - kNlmContextPx) + 1;  // 7 px

// Gives back texture NLM removed by mistake. The method noise r = in − NLM
// holds the noise NLM took out plus any detail it took with it; its noise
// part has at most the energy σ² (σ²/C for the mean over C channels). Where
// r's local energy E is larger, only σ²/E of it is noise (a Wiener gain), so
// only that fraction is removed: out = in − min(1, σ²/E) · r.
cv::Mat KeepTexture(const cv::Mat& in8, const cv::Mat& nlm8, const DenoiseOptions& options) {
  cv::Mat in_f, nlm_f;
  in8.convertTo(in_f, CV_32F);
  nlm8.convertTo(nlm_f, CV_32F);
  const cv::Mat removed = in_f - nlm_f;
  const int channels = in8.channels();
  cv::Mat mean_removed = removed;
  if (channels > 1) cv::transform(removed, mean_removed, cv::Matx13f(1.f / 3, 1.f / 3, 1.f / 3));
  cv::Mat energy;  // local mean of r² (8-bit units²)
  cv::boxFilter(mean_removed.mul(mean_removed), energy, CV_32F,
                cv::Size(options.texture_window_px, options.texture_window_px), cv::Point(-1, -1), true,
                cv::BORDER_REFLECT);
  const double noise_energy = options.sigma * options.sigma / channels;
  cv::Mat gain;
  cv::divide(noise_energy, cv::max(energy, 1e-6), gain);
  gain = cv::min(gain, 1.0);
  if (channels > 1) cv::merge(std::vector<cv::Mat>(channels, gain), gain);
  cv::Mat out;
  cv::Mat(in_f - gain.mul(removed)).convertTo(out, CV_8U);  // rounds, saturates
  return out;
}

cv::Mat DenoisePiece(const cv::Mat& colour8, const DenoiseOptions& options) {
  const float h = float(options.h_per_sigma * options.sigma);
  cv::Mat out;
  if (colour8.channels() == 1) {
    cv::fastNlMeansDenoising(colour8, out, h, kTemplateWindowPx, kSearchWindowPx);
  } else {
    const float h_color = float(options.h_color_per_sigma * options.sigma);
    const float h_luma = h * float(std::clamp(options.luma_share, kMinLumaShare, 1.0));
    cv::fastNlMeansDenoisingColored(colour8, out, h_luma, h_color, kTemplateWindowPx, kSearchWindowPx);
  }
  if (options.texture_window_px > 0) out = KeepTexture(colour8, out, options);
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
  if (options.texture_window_px < 0 || options.texture_window_px > kMaxTextureWindowPx ||
      (options.texture_window_px > 0 && options.texture_window_px % 2 == 0))
    return absl::InvalidArgumentError(absl::StrFormat(
        "denoise texture window %d px must be 0 (off) or odd and at most %d px", options.texture_window_px,
        kMaxTextureWindowPx));

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

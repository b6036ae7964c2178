#include "analysis/io/webp_codec.h"

#include <cstdint>

#include <opencv2/imgproc.hpp>
#include <webp/decode.h>
#include <webp/encode.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace acuity {

absl::StatusOr<cv::Mat> DecodeWebp(std::string_view bytes) {
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  WebPBitstreamFeatures features;
  if (WebPGetFeatures(data, bytes.size(), &features) != VP8_STATUS_OK) {
    return absl::DataLossError("corrupt WebP data (the bitstream header does not parse)");
  }
  if (features.has_animation) {
    return absl::UnimplementedError("animated WebP is not supported (only still images)");
  }
  cv::Mat pixels(features.height, features.width, features.has_alpha ? CV_8UC4 : CV_8UC3);
  const size_t size = pixels.total() * pixels.elemSize();
  const int stride = static_cast<int>(pixels.step);
  const uint8_t* ok = features.has_alpha
                          ? WebPDecodeBGRAInto(data, bytes.size(), pixels.data, size, stride)
                          : WebPDecodeBGRInto(data, bytes.size(), pixels.data, size, stride);
  if (ok == nullptr) return absl::DataLossError("could not decode the WebP data (corrupt or truncated file)");
  return pixels;
}

absl::StatusOr<std::string> EncodeWebp(const cv::Mat& pixels, int quality) {
  if (pixels.empty() || pixels.depth() != CV_8U ||
      (pixels.channels() != 1 && pixels.channels() != 3 && pixels.channels() != 4)) {
    return absl::InvalidArgumentError("WebP encoding needs 8-bit gray, BGR or BGRA pixels");
  }
  cv::Mat src = pixels;
  if (src.channels() == 1) cv::cvtColor(pixels, src, cv::COLOR_GRAY2BGR);
  uint8_t* out = nullptr;
  const int stride = static_cast<int>(src.step);
  const float q = static_cast<float>(quality);
  const size_t n = src.channels() == 4 ? WebPEncodeBGRA(src.data, src.cols, src.rows, stride, q, &out)
                                       : WebPEncodeBGR(src.data, src.cols, src.rows, stride, q, &out);
  if (n == 0 || out == nullptr) {
    WebPFree(out);
    return absl::InternalError(absl::StrCat("libwebp could not encode a ", src.cols, "x", src.rows, " image"));
  }
  std::string bytes(reinterpret_cast<const char*>(out), n);
  WebPFree(out);
  return bytes;
}

}  // namespace acuity

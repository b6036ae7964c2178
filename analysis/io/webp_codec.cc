#include "analysis/io/webp_codec.h"

#include <cstdint>
#include <memory>

#include <opencv2/imgproc.hpp>
#include <webp/decode.h>
#include <webp/demux.h>
#include <webp/encode.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "analysis/io/guard.h"

namespace acuity {
namespace {

struct AnimDecoderCloser {
  void operator()(WebPAnimDecoder* d) const { WebPAnimDecoderDelete(d); }
};

// The first frame of an animated WebP, as the GIF decoder reads the first
// frame of an animated GIF: the frame painted on the canvas (libwebpdemux
// composes it), BGRA when the file declares alpha, else BGR.
absl::StatusOr<cv::Mat> DecodeAnimatedFirstFrame(std::string_view bytes, bool has_alpha) {
  WebPAnimDecoderOptions options;
  if (!WebPAnimDecoderOptionsInit(&options)) return absl::InternalError("libwebpdemux does not match its headers");
  options.color_mode = MODE_BGRA;
  options.use_threads = 0;
  const WebPData data{reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()};
  std::unique_ptr<WebPAnimDecoder, AnimDecoderCloser> decoder(WebPAnimDecoderNew(&data, &options));
  if (!decoder) return absl::DataLossError("could not decode the animated WebP data (corrupt or truncated file)");
  WebPAnimInfo info;
  if (!WebPAnimDecoderGetInfo(decoder.get(), &info) || info.frame_count == 0)
    return absl::DataLossError("the animated WebP has no frames");
  uint8_t* canvas = nullptr;
  int timestamp_ms = 0;
  if (!WebPAnimDecoderGetNext(decoder.get(), &canvas, &timestamp_ms) || canvas == nullptr)
    return absl::DataLossError("could not decode the first frame of the animated WebP (corrupt or truncated file)");
  return CatchToStatus("decoding the WebP", [&] {
    const cv::Mat bgra(int(info.canvas_height), int(info.canvas_width), CV_8UC4, canvas);
    cv::Mat out;
    if (has_alpha) out = bgra.clone();
    else cv::cvtColor(bgra, out, cv::COLOR_BGRA2BGR);
    return out;
  });
}

}  // namespace

absl::StatusOr<cv::Mat> DecodeWebp(std::string_view bytes) {
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  WebPBitstreamFeatures features;
  if (WebPGetFeatures(data, bytes.size(), &features) != VP8_STATUS_OK) {
    return absl::DataLossError("corrupt WebP data (the bitstream header does not parse)");
  }
  if (features.has_animation) return DecodeAnimatedFirstFrame(bytes, features.has_alpha);
  cv::Mat pixels;
  if (absl::Status s = CatchToStatus("decoding the WebP", [&] {
        pixels.create(features.height, features.width, features.has_alpha ? CV_8UC4 : CV_8UC3);
      });
      !s.ok())
    return s;
  WebPDecoderConfig config;
  if (!WebPInitDecoderConfig(&config)) return absl::InternalError("libwebp's decoder does not match its headers");
  config.output.colorspace = features.has_alpha ? MODE_BGRA : MODE_BGR;
  config.output.is_external_memory = 1;
  config.output.u.RGBA.rgba = pixels.data;
  config.output.u.RGBA.stride = static_cast<int>(pixels.step);
  config.output.u.RGBA.size = pixels.total() * pixels.elemSize();
  const VP8StatusCode status = WebPDecode(data, bytes.size(), &config);
  WebPFreeDecBuffer(&config.output);  // external memory: frees only libwebp's own state
  // libwebp says when an allocation of its own was refused: the machine's fault.
  if (status == VP8_STATUS_OUT_OF_MEMORY) return OutOfMemoryError("decoding the WebP");
  if (status != VP8_STATUS_OK) return absl::DataLossError("could not decode the WebP data (corrupt or truncated file)");
  return pixels;
}

bool WebpIsLossy(std::string_view bytes) {
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  WebPBitstreamFeatures features;
  if (WebPGetFeatures(data, bytes.size(), &features) != VP8_STATUS_OK) return false;
  if (!features.has_animation) return features.format == 1;  // 1 lossy (VP8), 2 lossless (VP8L)
  // An animation reads "mixed" whatever its frames hold: the first frame,
  // the one acuity reads, says (its own VP8 or VP8L bitstream).
  const WebPData whole{data, bytes.size()};
  WebPDemuxer* demux = WebPDemux(&whole);
  if (demux == nullptr) return false;
  WebPIterator frame;
  bool lossy = false;
  if (WebPDemuxGetFrame(demux, 1, &frame)) {
    WebPBitstreamFeatures first;
    lossy = WebPGetFeatures(frame.fragment.bytes, frame.fragment.size, &first) == VP8_STATUS_OK && first.format == 1;
    WebPDemuxReleaseIterator(&frame);
  }
  WebPDemuxDelete(demux);
  return lossy;
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

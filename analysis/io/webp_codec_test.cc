#include "analysis/io/webp_codec.h"

#include <webp/encode.h>
#include <webp/mux.h>

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "analysis/io/animation.h"
#include "analysis/io/image_io.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

// An animated WebP of `frames` (BGR, one size), lossless or at quality 75,
// made with libwebpmux's animation encoder.
std::string AnimatedWebp(const std::vector<cv::Mat>& frames, bool lossless = true) {
  WebPAnimEncoderOptions options;
  EXPECT_TRUE(WebPAnimEncoderOptionsInit(&options));
  WebPAnimEncoder* encoder = WebPAnimEncoderNew(frames[0].cols, frames[0].rows, &options);
  WebPConfig config;
  EXPECT_TRUE(WebPConfigInit(&config));
  config.lossless = lossless ? 1 : 0;
  int timestamp_ms = 0;
  for (const cv::Mat& bgr : frames) {
    cv::Mat rgba;
    cv::cvtColor(bgr, rgba, cv::COLOR_BGR2RGBA);
    WebPPicture picture;
    EXPECT_TRUE(WebPPictureInit(&picture));
    picture.use_argb = 1;
    picture.width = rgba.cols;
    picture.height = rgba.rows;
    EXPECT_TRUE(WebPPictureImportRGBA(&picture, rgba.data, int(rgba.step)));
    EXPECT_TRUE(WebPAnimEncoderAdd(encoder, &picture, timestamp_ms, &config));
    WebPPictureFree(&picture);
    timestamp_ms += 100;
  }
  WebPAnimEncoderAdd(encoder, nullptr, timestamp_ms, nullptr);
  WebPData data;
  WebPDataInit(&data);
  EXPECT_TRUE(WebPAnimEncoderAssemble(encoder, &data));
  std::string bytes(reinterpret_cast<const char*>(data.bytes), data.size);
  WebPDataClear(&data);
  WebPAnimEncoderDelete(encoder);
  return bytes;
}

// Which WebP is lossy (ImageInfo::lossy_codec): a still by its bitstream,
// an animation by its first frame's — libwebp calls every animation
// "mixed", and an all-lossless one read "a lossy WebP file" and "colour
// stored at 4:2:0" (a review of fdafd4a).
TEST(WebpCodecTest, LossyOrNotIsReadFromTheFrameThatIsRead) {
  cv::Mat first;
  cv::resize(testing::LoadPhoto("coffee"), first, cv::Size(96, 64), 0, 0, cv::INTER_AREA);
  EXPECT_FALSE(WebpIsLossy(AnimatedWebp({first, 255 - first}, /*lossless=*/true)));
  EXPECT_TRUE(WebpIsLossy(AnimatedWebp({first, 255 - first}, /*lossless=*/false)));
  const absl::StatusOr<std::string> still = EncodeWebp(first, 80);
  ASSERT_TRUE(still.ok());
  EXPECT_TRUE(WebpIsLossy(*still));
  uint8_t* out = nullptr;
  const size_t n = WebPEncodeLosslessBGR(first.data, first.cols, first.rows, int(first.step), &out);
  ASSERT_GT(n, 0u);
  EXPECT_FALSE(WebpIsLossy(std::string(reinterpret_cast<const char*>(out), n)));
  WebPFree(out);
  EXPECT_FALSE(WebpIsLossy("not a WebP"));
}

// A valid animated WebP was called "corrupt or truncated": its first frame
// is read, as a GIF's is.
TEST(WebpCodecTest, AnAnimatedWebpGivesItsFirstFrame) {
  cv::Mat first;
  cv::resize(testing::LoadPhoto("coffee"), first, cv::Size(96, 64), 0, 0, cv::INTER_AREA);
  cv::Mat second = 255 - first;
  const std::string bytes = AnimatedWebp({first, second});
  absl::StatusOr<cv::Mat> pixels = DecodeWebp(bytes);
  ASSERT_TRUE(pixels.ok()) << pixels.status();
  ASSERT_EQ(pixels->type(), CV_8UC3);
  EXPECT_EQ(cv::norm(*pixels, first, cv::NORM_INF), 0);  // lossless: exactly the first frame

  absl::StatusOr<Image> image = DecodeImage(bytes, "anim.webp");
  ASSERT_TRUE(image.ok()) << image.status();
  EXPECT_EQ(image->info.width, 96);
  EXPECT_EQ(image->info.height, 64);
  EXPECT_EQ(image->info.frames, 2);  // its ANMF chunks (animation.h)
  EXPECT_EQ(CountWebpFrames(AnimatedWebp({first, second, first})), 3);
  absl::StatusOr<std::string> still = EncodeWebp(first, 90);
  ASSERT_TRUE(still.ok());
  EXPECT_EQ(CountWebpFrames(*still), 1);
  EXPECT_EQ(CountWebpFrames(bytes.substr(0, 20)), 1);
}

TEST(WebpCodecTest, ACutAnimatedWebpIsCorrupt) {
  cv::Mat first(48, 64, CV_8UC3, cv::Scalar(10, 200, 30));
  const std::string bytes = AnimatedWebp({first, first + cv::Scalar(50, 0, 0)});
  absl::StatusOr<cv::Mat> pixels = DecodeWebp(bytes.substr(0, bytes.size() / 2));
  EXPECT_EQ(pixels.status().code(), absl::StatusCode::kDataLoss) << pixels.status();
}

}  // namespace
}  // namespace acuity

#include "analysis/io/png_codec.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <zlib.h>

#include "analysis/io/animation.h"
#include "analysis/io/byte_order.h"
#include "analysis/io/image_io.h"

namespace acuity {
namespace {

using ::testing::HasSubstr;

cv::Mat Gradient() {
  cv::Mat m(16, 24, CV_8UC3);
  for (int y = 0; y < m.rows; ++y)
    for (int x = 0; x < m.cols; ++x) m.at<cv::Vec3b>(y, x) = cv::Vec3b(uint8_t(x * 10), uint8_t(y * 15), 77);
  return m;
}

// A chunk inserted after IHDR (signature 8 bytes + IHDR 25 bytes).
std::string WithChunkAfterHeader(const std::string& png, const std::string& chunk) {
  return png.substr(0, 33) + chunk + png.substr(33);
}

// An APNG's frame count (its acTL chunk, before the image data) is read
// without decoding; libpng shows its default image, the first frame.
TEST(PngCodecTest, AnAnimatedPngIsCountedAndAStillIsOne) {
  absl::StatusOr<std::string> png = EncodePng(Gradient());
  ASSERT_TRUE(png.ok());
  const auto chunk = [](const std::string& type, const std::string& data) {
    const std::string body = type + data;
    const uint32_t crc = uint32_t(crc32(0, reinterpret_cast<const Bytef*>(body.data()), uInt(body.size())));
    return Be32Bytes(uint32_t(data.size())) + body + Be32Bytes(crc);
  };
  // acTL claims 12 frames; the file holds 3 frame controls: those count.
  std::string chunks = chunk("acTL", Be32Bytes(12) + Be32Bytes(0));
  for (int i = 0; i < 3; ++i) chunks += chunk("fcTL", std::string(26, '\0'));
  const std::string apng = WithChunkAfterHeader(*png, chunks);
  EXPECT_EQ(CountPngFrames(*png), 1);
  EXPECT_EQ(CountPngFrames(apng), 3);
  absl::StatusOr<Image> image = DecodeImage(apng, "anim.png");
  ASSERT_TRUE(image.ok()) << image.status();
  EXPECT_EQ(image->info.frames, 3);
  EXPECT_EQ(cv::norm(image->pixels, Gradient(), cv::NORM_INF), 0.0);
  absl::StatusOr<Image> still = DecodeImage(*png, "still.png");
  ASSERT_TRUE(still.ok());
  EXPECT_EQ(still->info.frames, 1);
}

TEST(PngCodecTest, RoundTrip) {
  const cv::Mat image = Gradient();
  absl::StatusOr<std::string> png = EncodePng(image);
  ASSERT_TRUE(png.ok()) << png.status();
  absl::StatusOr<cv::Mat> back = DecodePng(*png);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(cv::norm(*back, image, cv::NORM_INF), 0.0);
}

// Finding 12 (docs/fuzzing.md): a tEXt chunk declaring 1.9 GB in an 829-byte
// file made libpng allocate all of it; it is refused before libpng sees it.
TEST(PngCodecTest, AChunkLongerThanTheFileIsRefusedBeforeDecoding) {
  absl::StatusOr<std::string> png = EncodePng(Gradient());
  ASSERT_TRUE(png.ok());
  const std::string lying = WithChunkAfterHeader(*png, Be32Bytes(0x70707070) + "tEXt" + "Comment\0x" + "crc!");
  absl::StatusOr<cv::Mat> decoded = DecodePng(lying);
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(decoded.status().message(), HasSubstr("the tEXt chunk declares 1886417008 bytes"));
  // A name that is not letters is not printed.
  const std::string junk = WithChunkAfterHeader(*png, Be32Bytes(0x7fffffff) + std::string("\x01\x02\x03\x04", 4));
  decoded = DecodePng(junk);
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(decoded.status().message(), HasSubstr("a chunk declares"));
}

// A file cut inside its image data is still libpng's "truncated" (the check
// leaves IDAT to libpng, which streams it).
TEST(PngCodecTest, ACutInTheImageDataIsStillTruncated) {
  absl::StatusOr<std::string> png = EncodePng(Gradient());
  ASSERT_TRUE(png.ok());
  const size_t idat = png->find("IDAT");
  ASSERT_NE(idat, std::string::npos);
  absl::StatusOr<cv::Mat> decoded = DecodePng(png->substr(0, idat + 10));
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(decoded.status().message(), HasSubstr("truncated"));
}

}  // namespace
}  // namespace acuity

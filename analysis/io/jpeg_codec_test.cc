#include "analysis/io/jpeg_codec.h"

#include <gtest/gtest.h>

#include "tests/testing/test_images.h"

namespace acuity {
namespace {

// IJG's standard luminance table (JPEG spec Annex K), natural order: this is
// what quality 50 writes, unscaled.
constexpr uint16_t kStdLuma[64] = {
    16, 11, 10, 16, 24,  40,  51,  61,  12, 12, 14, 19, 26,  58,  60,  55,
    14, 13, 16, 24, 40,  57,  69,  56,  14, 17, 22, 29, 51,  87,  80,  62,
    18, 22, 37, 56, 68,  109, 103, 77,  24, 35, 55, 64, 81,  104, 113, 92,
    49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99};

TEST(JpegCodecTest, QuantTablesFollowIjgScaling) {
  cv::Mat photo = testing::LoadPhoto("coffee");
  for (int quality : {25, 50, 75, 90}) {
    JpegEncodeOptions options;
    options.quality = quality;
    auto bytes = EncodeJpeg(photo, options);
    ASSERT_TRUE(bytes.ok()) << bytes.status();
    auto decoded = DecodeJpeg(*bytes);
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    ASSERT_EQ(decoded->info.quant_tables.size(), 2u);
    EXPECT_EQ(decoded->info.component_table, (std::vector<int>{0, 1, 1}));
    EXPECT_EQ(decoded->info.subsampling, "4:2:0");
    const int scale = quality < 50 ? 5000 / quality : 200 - 2 * quality;
    for (int k = 0; k < 64; ++k) {
      const int expected = std::clamp((kStdLuma[k] * scale + 50) / 100, 1, 255);
      ASSERT_EQ(decoded->info.quant_tables[0][k], expected) << "quality " << quality << " k " << k;
    }
    EXPECT_GT(cv::PSNR(decoded->pixels, photo), quality >= 75 ? 30.0 : 25.0);
  }
}

TEST(JpegCodecTest, WritesCustomQuantTables) {
  cv::Mat photo = testing::LoadPhoto("coffee")(cv::Rect(0, 0, 64, 64)).clone();
  std::array<uint16_t, 64> luma{}, chroma{};
  for (int k = 0; k < 64; ++k) {  // smooth, coarse, in natural order: 60 + 6·(row + column)
    luma[k] = uint16_t(60 + 6 * (k / 8 + k % 8));
    chroma[k] = uint16_t(luma[k] + 1);
  }
  JpegEncodeOptions options;
  options.quant_tables = {luma, chroma};
  auto decoded = DecodeJpeg(*EncodeJpeg(photo, options));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ASSERT_EQ(decoded->info.quant_tables.size(), 2u);
  EXPECT_EQ(decoded->info.quant_tables[0], luma);
  EXPECT_EQ(decoded->info.quant_tables[1], chroma);
}

TEST(JpegCodecTest, FourFourFourAndGray) {
  cv::Mat photo = testing::LoadPhoto("coffee");
  JpegEncodeOptions options;
  options.chroma_subsampling = false;
  auto decoded = DecodeJpeg(*EncodeJpeg(photo, options));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->info.subsampling, "4:4:4");
  cv::Mat gray = testing::LoadPhoto("camera", /*keep_gray=*/true);
  auto g = DecodeJpeg(*EncodeJpeg(gray, {}));
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->info.subsampling, "gray");
  EXPECT_EQ(g->pixels.channels(), 1);
  EXPECT_EQ(g->info.quant_tables.size(), 1u);
}

TEST(JpegCodecTest, TruncationIsAnError) {
  cv::Mat photo = testing::LoadPhoto("coffee");
  auto bytes = EncodeJpeg(photo, {});
  ASSERT_TRUE(bytes.ok());
  for (double keep : {0.2, 0.5, 0.9, 0.999}) {
    auto decoded = DecodeJpeg(bytes->substr(0, size_t(bytes->size() * keep)));
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss) << "kept " << keep;
  }
  EXPECT_EQ(DecodeJpeg("hello").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(EncodeJpeg(cv::Mat(), {}).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace acuity

#include "analysis/io/jpeg_codec.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "tests/testing/test_images.h"

namespace acuity {
namespace {

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
      const int expected = std::clamp((kAnnexKLumaTable[k] * scale + 50) / 100, 1, 255);
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

// Thumbnails: libjpeg's DCT scaling, the most that keeps the long edge.
TEST(JpegCodecTest, ReducedDecodeKeepsTheLongEdgeAskedFor) {
  const cv::Mat photo = testing::LoadPhoto("astronaut");  // 512×512
  cv::Mat wide;
  cv::resize(photo, wide, cv::Size(800, 600), 0, 0, cv::INTER_AREA);
  absl::StatusOr<std::string> bytes = EncodeJpeg(wide, {});
  ASSERT_TRUE(bytes.ok());
  const struct { int min_long_edge_px; cv::Size size; } cases[] = {
      {0, {800, 600}}, {64, {100, 75}}, {100, {100, 75}}, {101, {200, 150}}, {300, {400, 300}}, {500, {800, 600}}};
  for (const auto& c : cases) {
    absl::StatusOr<JpegDecoded> d = DecodeJpeg(*bytes, c.min_long_edge_px);
    ASSERT_TRUE(d.ok()) << d.status();
    EXPECT_EQ(d->pixels.size(), c.size) << "min long edge " << c.min_long_edge_px;
  }
  // The 1/8 picture is the whole picture, smaller: close to an area downscale of the full decode.
  absl::StatusOr<JpegDecoded> full = DecodeJpeg(*bytes), eighth = DecodeJpeg(*bytes, 64);
  ASSERT_TRUE(full.ok() && eighth.ok());
  cv::Mat area;
  cv::resize(full->pixels, area, eighth->pixels.size(), 0, 0, cv::INTER_AREA);
  EXPECT_GT(cv::PSNR(area, eighth->pixels), 28.0);
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

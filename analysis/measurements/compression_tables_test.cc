#include "analysis/measurements/compression_tables.h"

#include <cmath>

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "analysis/io/jpeg_codec.h"
#include "analysis/measurements/compression.h"
#include "analysis/measurements/equivalent_quality.h"
#include "tests/testing/cmyk_jpeg.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

using QuantTables = std::vector<std::array<uint16_t, 64>>;

cv::Mat SmallPhoto() {
  cv::Mat photo = testing::LoadPhoto("coffee");
  cv::resize(photo, photo, cv::Size(128, 96), 0, 0, cv::INTER_AREA);
  return photo;
}

JpegDecoded Decode(const absl::StatusOr<std::string>& bytes) {
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  absl::StatusOr<JpegDecoded> decoded = DecodeJpeg(bytes.ok() ? *bytes : "");
  EXPECT_TRUE(decoded.ok()) << decoded.status();
  return decoded.ok() ? *decoded : JpegDecoded{};
}

QuantTables IjgTables(int quality) {
  return {IjgQuantTable(quality, false), IjgQuantTable(quality, true)};
}

// Photoshop-like tables: Annex K reshaped (flatter towards high
// frequencies), which no IJG quality reproduces.
QuantTables CustomTables() {
  QuantTables tables = IjgTables(50);
  for (auto& table : tables)
    for (int k = 0; k < 64; ++k)
      table[k] = uint16_t(std::clamp(4 + table[k] / 3 + (k % 3), 1, 255));
  return tables;
}

TEST(CompressionTablesTest, EveryIjgQualityIsRecognisedExactly) {
  for (int q = 1; q <= 100; ++q) {
    const QuantTables color = IjgTables(q);
    const QuantTables gray = {IjgQuantTable(q, false)};
    EXPECT_TRUE(AreIjgTables(color, q)) << q;
    EXPECT_TRUE(AreIjgTables(gray, q)) << q;
    ASSERT_TRUE(IjgQualityOfTables(color).has_value()) << q;
    EXPECT_EQ(IjgTables(*IjgQualityOfTables(color)), color) << q;  // same tables
  }
}

TEST(CompressionTablesTest, AlmostIjgTablesAreOther) {
  QuantTables tables = IjgTables(75);
  tables[1][63] += 1;  // one entry off
  EXPECT_FALSE(AreIjgTables(tables, 75));
  EXPECT_FALSE(IjgQualityOfTables(tables).has_value());
  EXPECT_FALSE(IjgQualityOfTables(CustomTables()).has_value());
  EXPECT_FALSE(IjgQualityOfTables({}).has_value());
  // Luma and chroma swapped: IJG's numbers in the wrong slots.
  EXPECT_FALSE(IjgQualityOfTables({IjgQuantTable(75, true), IjgQuantTable(75, false)}).has_value());
}

// A JPEG file written by libjpeg with IJG tables reads as "ijg"; one written
// by libjpeg with custom tables (jpeg_add_quant_table) reads as "other", with
// the equivalent IJG quality still from the tables.
TEST(CompressionTablesTest, FileTablesAreIjgOrOther) {
  const cv::Mat photo = SmallPhoto();
  JpegEncodeOptions ijg;
  ijg.quality = 75;
  const JpegDecoded a = Decode(EncodeJpeg(photo, ijg));
  const CompressionResult ca = MeasureCompression(a.pixels, CompressionOptions{a.info}).result;
  EXPECT_EQ(ca.quality_source, "quant_tables");
  ASSERT_TRUE(ca.tables.has_value());
  EXPECT_EQ(*ca.tables, "ijg");
  EXPECT_EQ(ca.jpeg_quality_estimate, 75);

  JpegEncodeOptions custom;
  custom.quant_tables = CustomTables();
  const JpegDecoded b = Decode(EncodeJpeg(photo, custom));
  ASSERT_EQ(b.info.quant_tables.size(), 2u);
  EXPECT_EQ(b.info.quant_tables, CustomTables());  // written and read back as given
  const CompressionResult cb = MeasureCompression(b.pixels, CompressionOptions{b.info}).result;
  EXPECT_EQ(cb.quality_source, "quant_tables");
  ASSERT_TRUE(cb.tables.has_value());
  EXPECT_EQ(*cb.tables, "other");
  // Issue 17: the equivalent IJG quality (equivalent_quality.h), no longer ImageMagick's %Q.
  EXPECT_EQ(cb.jpeg_quality_estimate, std::round(EquivalentIjgQuality(CustomTables()).quality * 10) / 10);
}

// A CMYK JPEG as libjpeg writes it (every component on the luma slot) is
// IJG's table set too: quality 90 read exactly, not "other" at an
// equivalent 92 (a print-prepared file from a catalogue).
TEST(CompressionTablesTest, CmykJpegsHaveTheirExactIjgQuality) {
  cv::Mat ink(64, 64, CV_8UC4, cv::Scalar(20, 90, 160, 30));
  cv::randu(ink(cv::Rect(0, 0, 32, 64)), cv::Scalar::all(0), cv::Scalar::all(255));
  for (int quality : {50, 90}) {
    const JpegDecoded d = Decode(testing::CmykJpeg(ink, quality));
    EXPECT_EQ(d.info.component_table, (std::vector<int>{0, 0, 0, 0}));
    const CompressionResult c = MeasureCompression(d.pixels, CompressionOptions{d.info}).result;
    ASSERT_TRUE(c.tables.has_value());
    EXPECT_EQ(*c.tables, "ijg");
    EXPECT_EQ(c.jpeg_quality_estimate, quality);
  }
  // YCCK's layout: Y and K on the luma slot, Cb and Cr on the chroma slot.
  EXPECT_EQ(IjgQualityOfTables({IjgQuantTable(80, false), IjgQuantTable(80, true)}, {0, 1, 1, 0}), 80);
  EXPECT_FALSE(IjgQualityOfTables({IjgQuantTable(80, false), IjgQuantTable(80, true)}, {0, 0, 1}).has_value());
}

// Without a JPEG header the quality does not come from tables: no `tables`.
TEST(CompressionTablesTest, NoTablesWithoutAJpegHeader) {
  JpegEncodeOptions options;
  options.quality = 40;
  const JpegDecoded d = Decode(EncodeJpeg(SmallPhoto(), options));
  const CompressionResult c = MeasureCompression(d.pixels).result;
  EXPECT_NE(c.quality_source, "quant_tables");
  EXPECT_FALSE(c.tables.has_value());
}

TEST(CompressionTablesTest, EncoderRefusesTablesOutsideBaseline) {
  JpegEncodeOptions options;
  options.quant_tables = {IjgQuantTable(50, false)};
  options.quant_tables[0][5] = 0;
  EXPECT_EQ(EncodeJpeg(SmallPhoto(), options).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace acuity

// JPEGs whose tables are not IJG's (cameras, phones, editors; issue 17):
// the equivalent quality from the file's tables, and from the pixels of a
// PNG re-save whatever the tables' shape.
#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "analysis/io/jpeg_codec.h"
#include "analysis/measurements/compression.h"
#include "analysis/measurements/equivalent_quality.h"
#include "tests/testing/non_ijg_tables.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

using QuantTables = std::vector<std::array<uint16_t, 64>>;

// From tables: the figure is the definition, rounded to 0.1.
constexpr double kTablesRounding = 0.05;
// From pixels, any table shape, on a 256-px crop: |estimate − equivalent
// quality of the tables| (the evaluation's MAE target is 8).
constexpr double kPixelsTolerance = 8.0;

cv::Mat Crop(const std::string& name, bool gray = false) {
  cv::Mat photo = testing::LoadPhoto(name, gray), half;
  cv::resize(photo, half, cv::Size(photo.cols / 2, photo.rows / 2), 0, 0, cv::INTER_AREA);
  const int side = std::min({256, half.cols, half.rows});
  return half(cv::Rect((half.cols - side) / 2, (half.rows - side) / 2, side, side)).clone();
}

JpegDecoded Encode(const cv::Mat& pixels, const QuantTables& tables) {
  JpegEncodeOptions options;
  options.quant_tables = tables;
  absl::StatusOr<std::string> bytes = EncodeJpeg(pixels, options);
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  absl::StatusOr<JpegDecoded> d = DecodeJpeg(bytes.ok() ? *bytes : "");
  EXPECT_TRUE(d.ok()) << d.status();
  return d.ok() ? *d : JpegDecoded{};
}

// Annex K × s × 2^(0.5 − (u+v)/14) (flatter than IJG's), and flat tables.
QuantTables Tilted(double s) {
  QuantTables t(2);
  for (int k = 0; k < 64; ++k) {
    const double tilt = std::exp2(0.5 - (k / 8 + k % 8) / 14.0);
    t[0][k] = uint16_t(std::clamp(std::lround(kAnnexKLumaTable[k] * s * tilt), 1L, 255L));
    t[1][k] = uint16_t(std::clamp(std::lround(kAnnexKChromaTable[k] * s * tilt), 1L, 255L));
  }
  return t;
}
QuantTables Flat(int luma, int chroma) {
  QuantTables t(2);
  t[0].fill(uint16_t(luma));
  t[1].fill(uint16_t(chroma));
  return t;
}

TEST(CompressionShapesTest, OtherTablesGiveTheEquivalentQuality) {
  const cv::Mat crop = Crop("coffee");
  for (const QuantTables& tables : {testing::PerturbedIjgTables(25), testing::SmoothCoarseTables(), Tilted(1.5),
                                    Flat(30, 45)}) {
    const JpegDecoded d = Encode(crop, tables);
    CompressionOptions options;
    options.jpeg = d.info;
    const CompressionResult r = MeasureCompression(d.pixels, options).result;
    EXPECT_EQ(r.quality_source, "quant_tables");
    EXPECT_EQ(r.tables, "other");
    ASSERT_TRUE(r.jpeg_quality_estimate.has_value());
    EXPECT_NEAR(*r.jpeg_quality_estimate, EquivalentIjgQuality(tables).quality, kTablesRounding);
    ASSERT_TRUE(r.confidence.has_value());
    EXPECT_GE(*r.confidence, 0.3);
    EXPECT_LE(*r.confidence, 0.95);
  }
  // The examples, which ImageMagick reads as 92.
  const JpegDecoded perturbed = Encode(crop, testing::PerturbedIjgTables(25));
  EXPECT_NEAR(*MeasureCompression(perturbed.pixels, CompressionOptions{perturbed.info}).result.jpeg_quality_estimate,
              25, 1.0);
}

// A PNG re-save of a JPEG with any table shape reads as JPEG-compressed,
// at about the tables' equivalent quality.
TEST(CompressionShapesTest, PixelsReadAnyTableShape) {
  struct Case {
    const char* name;
    QuantTables tables;
  };
  const std::vector<Case> cases = {{"perturbed q25", testing::PerturbedIjgTables(25)},
                                   {"smooth 60-144", testing::SmoothCoarseTables()},
                                   {"tilted ×1.5", Tilted(1.5)},
                                   {"tilted ×0.5", Tilted(0.5)},
                                   {"flat 30/45", Flat(30, 45)},
                                   {"flat 12/18", Flat(12, 18)}};
  for (const char* photo : {"coffee", "astronaut", "camera", "chelsea"}) {
    const cv::Mat crop = Crop(photo, std::string(photo) == "camera");
    for (const Case& c : cases) {
      const JpegDecoded d = Encode(crop, c.tables);
      const CompressionResult r = MeasureCompression(d.pixels).result;
      ASSERT_TRUE(r.jpeg_quality_estimate.has_value()) << photo << " " << c.name;
      EXPECT_EQ(r.quality_source, "pixels");
      EXPECT_NEAR(*r.jpeg_quality_estimate, EquivalentIjgQuality(d.info.quant_tables, d.info.component_table).quality,
                  kPixelsTolerance)
          << photo << " " << c.name;
      EXPECT_EQ(r.grid_offset_x, 0);
      EXPECT_EQ(r.grid_offset_y, 0);
    }
  }
}

// IJG JPEGs re-saved as PNG keep reading as IJG-shaped.
TEST(CompressionShapesTest, IjgPixelsSayIjg) {
  JpegEncodeOptions options;
  options.quality = 40;
  const JpegDecoded d = *DecodeJpeg(*EncodeJpeg(Crop("astronaut"), options));
  const CompressionResult r = MeasureCompression(d.pixels).result;
  EXPECT_EQ(r.estimated_tables, "ijg");
  EXPECT_FALSE(r.tables.has_value());
}

}  // namespace
}  // namespace acuity

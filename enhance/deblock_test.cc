#include "enhance/deblock.h"

#include <algorithm>
#include <optional>
#include <string>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "analysis/io/image_io.h"
#include "analysis/io/jpeg_codec.h"
#include "analysis/measurements/compression.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

cv::Mat Crop(const char* name, int x, int y, int side = 128) {
  return testing::LoadPhoto(name)(cv::Rect(x, y, side, side)).clone();
}

// JPEG-compresses `clean` at `quality` (4:2:0) and decodes it as a file would be.
Image Damaged(const cv::Mat& clean, int quality) {
  JpegEncodeOptions options;
  options.quality = quality;
  auto bytes = EncodeJpeg(clean, options);
  EXPECT_TRUE(bytes.ok());
  auto image = DecodeImage(*bytes, "damaged.jpg");
  EXPECT_TRUE(image.ok()) << image.status();
  return *image;
}

class DeblockGain : public ::testing::TestWithParam<int> {};

// On real photos damaged at quality 10, 20 and 30, deblocking with the file's
// own tables brings the picture closer to the clean original.
TEST_P(DeblockGain, PsnrRisesOnJpegDamagedPhotos) {
  const int quality = GetParam();
  for (const auto& [name, x, y] : {std::tuple{"astronaut", 150, 40}, std::tuple{"chelsea", 150, 60}}) {
    const cv::Mat clean = Crop(name, x, y);
    const Image damaged = Damaged(clean, quality);
    auto options = DeblockOptionsFromJpeg(damaged.info);
    ASSERT_TRUE(options.ok()) << options.status();
    auto out = Deblock(damaged.pixels, *options);
    ASSERT_TRUE(out.ok()) << out.status();
    const double gain = cv::PSNR(clean, *out) - cv::PSNR(clean, damaged.pixels);
    RecordProperty(std::string(name) + "_gain_db", std::to_string(gain));
    constexpr double kMinGainDb = 0.2;  // 0.5–1.0 dB measured (deblock_bench)
    EXPECT_GT(gain, kMinGainDb) << name << " at quality " << quality;
  }
}

INSTANTIATE_TEST_SUITE_P(Qualities, DeblockGain, ::testing::Values(10, 20, 30));

// A sideways camera JPEG: the loader turns the pixels upright, so the grid
// and the tables must be turned too; the gain must match the upright file's.
TEST(DeblockTest, FollowsExifOrientation) {
  const cv::Mat clean = Crop("coffee", 200, 100, 120);  // 120 = not a multiple of 16
  Image upright = Damaged(clean, 15);
  Image sideways = upright;
  sideways.info.exif_orientation = 6;
  sideways.pixels = ApplyExifOrientation(upright.pixels, 6);
  sideways.info.width = sideways.pixels.cols;
  sideways.info.height = sideways.pixels.rows;
  const cv::Mat clean_sideways = ApplyExifOrientation(clean, 6);

  auto o_up = DeblockOptionsFromJpeg(upright.info);
  auto o_side = DeblockOptionsFromJpeg(sideways.info);
  ASSERT_TRUE(o_up.ok() && o_side.ok());
  EXPECT_EQ(o_side->grid_offset_x, 8);  // 120 mod 16 = 8: the 16-px MCU grid ends short
  EXPECT_EQ(o_side->grid_offset_y, 0);
  auto up = Deblock(upright.pixels, *o_up);
  auto side = Deblock(sideways.pixels, *o_side);
  ASSERT_TRUE(up.ok() && side.ok());
  const double gain_up = cv::PSNR(clean, *up) - cv::PSNR(clean, upright.pixels);
  const double gain_side = cv::PSNR(clean_sideways, *side) - cv::PSNR(clean_sideways, sideways.pixels);
  constexpr double kSameGainDb = 0.05;
  EXPECT_NEAR(gain_side, gain_up, kSameGainDb);
  EXPECT_GT(gain_up, 0.2);
}

TEST(DeblockTest, SixteenBitAndAlpha) {
  const cv::Mat clean = Crop("astronaut", 150, 40, 64);
  const Image damaged = Damaged(clean, 20);
  const DeblockOptions options = DeblockOptionsForQuality(20);
  auto out8 = Deblock(damaged.pixels, options);
  cv::Mat p16, alpha(damaged.pixels.size(), CV_16U), bgra16;
  damaged.pixels.convertTo(p16, CV_16U, 257.0);
  cv::randu(alpha, 0, 65536);
  cv::merge(std::vector<cv::Mat>{p16, alpha}, bgra16);
  auto out16 = Deblock(bgra16, options);
  ASSERT_TRUE(out8.ok() && out16.ok());
  ASSERT_EQ(out16->type(), CV_16UC4);
  cv::Mat planes[4];
  cv::split(*out16, planes);
  EXPECT_EQ(cv::norm(planes[3], alpha, cv::NORM_INF), 0.0);
  cv::Mat colour8;
  cv::merge(std::vector<cv::Mat>{planes[0], planes[1], planes[2]}, colour8);
  colour8.convertTo(colour8, CV_8U, 1.0 / 257.0);
  constexpr double kMaxLevelDiff = 1.0;
  EXPECT_LE(cv::norm(colour8, *out8, cv::NORM_INF), kMaxLevelDiff);
}

// Strips give the same pixels as the whole image, also with 4:2:0 chroma,
// an odd size and a grid that does not start at 0.
TEST(DeblockTest, StripsEqualWholeAndCanBeCancelled) {
  const Image damaged = Damaged(Crop("chelsea", 100, 50, 161), 15);
  DeblockOptions whole = DeblockOptionsForQuality(15);
  whole.grid_offset_x = 3;
  whole.grid_offset_y = 10;
  whole.shifts_per_axis = 4;
  whole.strip_rows = 0;
  DeblockOptions strips = whole;
  strips.strip_rows = 40;  // → 64-row strips
  std::vector<double> fractions;
  strips.progress = [&](double f) {
    fractions.push_back(f);
    return true;
  };
  auto a = Deblock(damaged.pixels, whole);
  auto b = Deblock(damaged.pixels, strips);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(cv::norm(*a, *b, cv::NORM_INF), 0.0);
  ASSERT_FALSE(fractions.empty());  // once per batch of strips (one per thread)
  EXPECT_TRUE(std::is_sorted(fractions.begin(), fractions.end()));
  EXPECT_EQ(fractions.back(), 1.0);
  strips.progress = [](double) { return false; };
  EXPECT_EQ(Deblock(damaged.pixels, strips).status().code(), absl::StatusCode::kCancelled);
}

TEST(DeblockTest, StrengthZeroIsIdentityAndBadOptionsAreRefused) {
  const Image damaged = Damaged(Crop("camera", 100, 100, 64), 20);
  DeblockOptions options = DeblockOptionsForQuality(20);
  options.strength = 0;
  auto out = Deblock(damaged.pixels, options);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(cv::norm(*out, damaged.pixels, cv::NORM_INF), 0.0);
  options.strength = 2;
  EXPECT_EQ(Deblock(damaged.pixels, options).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Deblock(damaged.pixels, DeblockOptions{}).status().code(), absl::StatusCode::kInvalidArgument);
  ImageInfo png;
  EXPECT_EQ(DeblockOptionsFromJpeg(png).status().code(), absl::StatusCode::kFailedPrecondition);
}

// A deblock at part strength leaves the save's lattice at some frequencies
// and erases it at the others, where many coefficients then lie off zero
// with no lattice; their largest coefficient says nothing of the step. A q40
// photo deblocked at half strength by acuity's own plan read q29.5 ("heavy
// JPEG damage") and was advised a deblock again. Read from the pixels, a
// partly repaired save reads no heavier than the save itself, and lighter
// the more it was repaired.
TEST(DeblockTest, APartlyRepairedSaveReadsNoHeavierThanTheSave) {
  for (const char* photo : {"astronaut", "chelsea", "motorcycle_left"}) {
    const cv::Mat clean = testing::LoadPhoto(photo);
    for (int quality : {30, 40}) {
      const Image damaged = Damaged(clean, quality);
      absl::StatusOr<DeblockOptions> options = DeblockOptionsFromJpeg(damaged.info);
      ASSERT_TRUE(options.ok()) << options.status();
      double previous = quality - 4.0;  // the pixels' reading of a save is within 4 points of it
      int read = 0;
      for (double strength : {0.25, 0.5}) {
        options->strength = strength;
        absl::StatusOr<cv::Mat> repaired = Deblock(damaged.pixels, *options);
        ASSERT_TRUE(repaired.ok()) << repaired.status();
        const std::optional<double> q = MeasureCompression(*repaired).result.jpeg_quality_estimate;
        if (!q) break;  // no lattice left: nothing to read
        ++read;
        EXPECT_GE(*q, previous) << photo << " q" << quality << " deblocked at strength " << strength;
        previous = *q;
      }
      EXPECT_GE(read, 1) << photo << " q" << quality << ": a light repair leaves a lattice to read";
    }
  }
}

}  // namespace
}  // namespace acuity

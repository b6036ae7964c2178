#include "analysis/measurements/target_fit.h"

#include <gtest/gtest.h>

namespace acuity {
namespace {

constexpr double kScaleTolerance = 1e-9;

TargetFit Fit(const char* spec, int w, int h) {
  auto parsed = ParseTargetSpec(spec);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return FitTarget(*parsed, w, h);
}

TEST(FitTargetTest, LandscapePhotoOn8x10Print) {
  TargetFit fit = Fit("8x10in@300dpi", 3000, 2000);
  EXPECT_EQ(fit.width_px, 3000);
  EXPECT_EQ(fit.height_px, 2400);
  EXPECT_TRUE(fit.rotated);
  EXPECT_NEAR(fit.required_scale, 1.2, kScaleTolerance);
  ASSERT_TRUE(fit.effective_dpi.has_value());
  EXPECT_NEAR(*fit.effective_dpi, 250.0, 1e-9);
  EXPECT_FALSE(fit.fits);
  EXPECT_DOUBLE_EQ(fit.print_width_in, 10);
  EXPECT_DOUBLE_EQ(fit.print_height_in, 8);
  EXPECT_TRUE(fit.warnings.empty());
}

TEST(FitTargetTest, PortraitPhotoKeepsPortraitPrint) {
  TargetFit fit = Fit("8x10in@300dpi", 2000, 3000);
  EXPECT_EQ(fit.width_px, 2400);
  EXPECT_EQ(fit.height_px, 3000);
  EXPECT_FALSE(fit.rotated);
  EXPECT_NEAR(fit.required_scale, 1.2, kScaleTolerance);
}

TEST(FitTargetTest, ScreenTurnsForPortraitPhoto) {
  TargetFit fit = Fit("3840x2160", 1000, 2000);
  EXPECT_EQ(fit.width_px, 2160);
  EXPECT_EQ(fit.height_px, 3840);
  EXPECT_NEAR(fit.required_scale, 2.16, kScaleTolerance);
  EXPECT_FALSE(fit.effective_dpi.has_value());
}

TEST(FitTargetTest, SquareImageKeepsTargetAsWritten) {
  TargetFit fit = Fit("8x10in", 1000, 1000);
  EXPECT_EQ(fit.width_px, 2400);
  EXPECT_EQ(fit.height_px, 3000);
  EXPECT_NEAR(fit.required_scale, 3.0, kScaleTolerance);
}

TEST(FitTargetTest, FitsWhenLargeEnough) {
  TargetFit fit = Fit("1080p", 4000, 3000);
  EXPECT_TRUE(fit.fits);
  EXPECT_NEAR(fit.required_scale, 0.48, kScaleTolerance);
  TargetFit exact = Fit("8x10in@300dpi", 3000, 2400);
  EXPECT_TRUE(exact.fits);
  EXPECT_NEAR(*exact.effective_dpi, 300, 1e-9);
}

TEST(FitTargetTest, CentimetresAndA4RoundToWholePixels) {
  TargetFit cm = Fit("20x30cm@300dpi", 2000, 3000);
  EXPECT_EQ(cm.width_px, 2362);  // 20 cm = 7.874 in × 300
  EXPECT_EQ(cm.height_px, 3543);
  TargetFit a4 = Fit("A4@300dpi", 1240, 1754);
  EXPECT_EQ(a4.width_px, 2480);
  EXPECT_EQ(a4.height_px, 3508);
  EXPECT_NEAR(a4.required_scale, 2.0, 0.001);
  EXPECT_NEAR(*a4.effective_dpi, 150, 0.1);
}

TEST(FitTargetTest, LongEdgeFollowsImageAspect) {
  TargetFit fit = Fit("2000px", 1000, 750);
  EXPECT_EQ(fit.width_px, 2000);
  EXPECT_EQ(fit.height_px, 1500);
  EXPECT_NEAR(fit.required_scale, 2.0, kScaleTolerance);
  TargetFit portrait = Fit("2000px", 750, 1000);
  EXPECT_EQ(portrait.width_px, 1500);
  EXPECT_EQ(portrait.height_px, 2000);
}

TEST(FitTargetTest, WarnsAboveFourAndEightTimes) {
  TargetFit five = Fit("4k", 768, 432);
  ASSERT_EQ(five.warnings.size(), 1u);
  EXPECT_EQ(five.warnings[0].code, "scale_above_4x");
  TargetFit ten = Fit("3840x2160", 384, 216);
  ASSERT_EQ(ten.warnings.size(), 1u);
  EXPECT_EQ(ten.warnings[0].code, "scale_above_8x");
  EXPECT_TRUE(Fit("4k", 1920, 1080).warnings.empty());
}

TEST(FitTargetTest, EstimatesFileSizeFromTargetPixels) {
  TargetFit fit = Fit("4k", 1920, 1080);
  EXPECT_EQ(fit.estimated_jpeg_bytes, uint64_t(3840 * 2160 * kJpegQ80BytesPerPixel));
  EXPECT_GT(fit.estimated_png_bytes, fit.estimated_jpeg_bytes);
}

}  // namespace
}  // namespace acuity

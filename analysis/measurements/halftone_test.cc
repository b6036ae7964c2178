#include "analysis/measurements/halftone.h"

#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "analysis/measurements/dither.h"
#include "analysis/measurements/image_ops.h"
#include "tests/testing/dithered_images.h"
#include "tests/testing/test_images.h"
#include "tests/testing/wild_degradations.h"

namespace acuity {
namespace {

// The angle between two screen angles, degrees, modulo the lattice's 90°.
double AngleApart(double a, double b) {
  const double d = std::fmod(std::abs(a - b), 90.0);
  return std::min(d, 90.0 - d);
}

// Screens of 3–8 px at black's 45° and cyan's and magenta's 15° and 75°,
// on four photos, scanned with a blur of 0.8 px, as PNG and JPEG q85: each
// found at its period (within 3 %) and angle (within 2°).
TEST(HalftoneTest, ScreensAreFoundAtTheirPeriodAndAngle) {
  for (const char* name : {"astronaut", "chelsea", "camera", "coffee"}) {
    const cv::Mat photo = testing::LoadPhoto(name);
    ASSERT_FALSE(photo.empty());
    for (double period : {3.0, 4.0, 6.0, 8.0})
      for (double angle : {15.0, 45.0, 75.0}) {
        const cv::Mat print = testing::Halftone(photo, period, angle, 0.8);
        for (int quality : {0, 85}) {
          SCOPED_TRACE(::testing::Message() << name << " period " << period << " angle " << angle << " q" << quality);
          const std::optional<HalftoneScreen> s = FindHalftoneScreen(LumaF32(quality ? testing::JpegRoundTrip(print, quality) : print));
          ASSERT_TRUE(s.has_value());
          EXPECT_NEAR(s->period_px, period, 0.03 * period);
          EXPECT_LT(AngleApart(s->angle_deg, angle), 2.0) << s->angle_deg;
          EXPECT_GE(s->peak_ratio, 10 * kMinScreenPeakRatio);
        }
      }
  }
}

// No screen on photos: scikit-image's, clean, as JPEG q70 (its 8-px block
// grid lies on the axes) and enlarged ×3 by bicubic (an interpolation's
// grid too); nor once the plan's undither has smoothed a screen away.
TEST(HalftoneTest, PhotosAndTheirEnlargementsHaveNone) {
  for (const char* name : {"astronaut", "brick", "camera", "cell", "chelsea", "coffee", "coins", "grass", "gravel",
                           "hubble_deep_field", "ihc", "moon", "motorcycle_left", "motorcycle_right", "page",
                           "retina", "rocket", "text"}) {
    const cv::Mat photo = testing::LoadPhoto(name);
    ASSERT_FALSE(photo.empty()) << name;
    cv::Mat big;
    cv::resize(photo, big, cv::Size(), 3, 3, cv::INTER_CUBIC);
    EXPECT_FALSE(FindHalftoneScreen(LumaF32(photo))) << name;
    EXPECT_FALSE(FindHalftoneScreen(LumaF32(testing::JpegRoundTrip(photo, 70)))) << name << " q70";
    EXPECT_FALSE(FindHalftoneScreen(LumaF32(big))) << name << " ×3";
  }
  const cv::Mat print = testing::Halftone(testing::LoadPhoto("astronaut"), 6.0, 45.0, 0.8);
  ASSERT_TRUE(FindHalftoneScreen(LumaF32(print)));
  EXPECT_FALSE(FindHalftoneScreen(LumaF32(UnditheredPicture(print, DescreenSigmaPx(6.0), /*screen=*/true))));
}

// A lattice in one part of a photo (a mesh, a woven fabric) is not a print's
// screen, which covers all of it; a print in the middle of a plain page is.
TEST(HalftoneTest, ALatticeInOneQuarterIsNotAScreen) {
  const cv::Mat photo = testing::LoadPhoto("coffee");
  const cv::Mat print = testing::Halftone(photo, 5.0, 45.0, 0.8);
  cv::Mat part = photo.clone();
  const cv::Rect quarter(0, 0, photo.cols / 2, photo.rows / 2);
  print(quarter).copyTo(part(quarter));
  EXPECT_FALSE(FindHalftoneScreen(LumaF32(part)));
  cv::Mat page(photo.rows + 200, photo.cols + 200, CV_8UC3, cv::Scalar(255, 255, 255));
  print.copyTo(page(cv::Rect(100, 100, photo.cols, photo.rows)));
  EXPECT_TRUE(FindHalftoneScreen(LumaF32(page)));
}

// MeasureDither reads a screen on a picture of any colours and depth, with
// the undither to smooth it everywhere.
TEST(HalftoneTest, TheDitherReadingCarriesTheScreen) {
  const cv::Mat print = testing::Halftone(testing::LoadPhoto("chelsea"), 6.0, 45.0, 0.8);
  cv::Mat deep;
  print.convertTo(deep, CV_16U, 257.0);
  for (const cv::Mat& pixels : {print, deep}) {
    const DitherResult d = MeasureDither(pixels).result;
    ASSERT_TRUE(d.detected.value_or(false));
    ASSERT_TRUE(d.screen_period_px.has_value());
    EXPECT_NEAR(*d.screen_period_px, 6.0, 0.2);
    EXPECT_NEAR(d.undither_sigma_px.value_or(0), DescreenSigmaPx(*d.screen_period_px), 1e-9);
    EXPECT_EQ(d.dithered_pct.value_or(0), 100.0);
  }
  EXPECT_FALSE(MeasureDither(testing::LoadPhoto("chelsea")).result.screen_period_px.has_value());
  // A chart's hatched fills, drawn in three colours, 45° one way on the left
  // and the other on the right: the lattice of a screen, but a few-colour
  // picture is read by its colours, not as a print.
  cv::Mat hatch(400, 600, CV_8UC3, cv::Scalar(255, 255, 255));
  for (int y = 0; y < hatch.rows; ++y)
    for (int x = 0; x < hatch.cols; ++x) {
      if (x < 300 && (x + y) % 6 < 2) hatch.at<cv::Vec3b>(y, x) = cv::Vec3b(0, 0, 0);
      if (x >= 300 && (x - y + 600) % 6 < 2) hatch.at<cv::Vec3b>(y, x) = cv::Vec3b(40, 40, 40);
    }
  ASSERT_TRUE(FindHalftoneScreen(LumaF32(hatch)));  // the lattice is there
  EXPECT_FALSE(MeasureDither(hatch).result.screen_period_px.has_value());
  // ... and the undither, told no screen, smooths only where dots alternate.
  EXPECT_LT(cv::mean(DitherWeights(LumaF32(hatch)))[0], 0.9);
}

}  // namespace
}  // namespace acuity

#include "analysis/measurements/tilted_grid.h"

#include <cmath>
#include <cstdio>
#include <string>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "analysis/measurements/image_ops.h"
#include "analysis/measurements/native_scale.h"
#include "tests/testing/test_images.h"
#include "tests/testing/wild_degradations.h"

namespace acuity {
namespace {

constexpr double kPi = 3.14159265358979323846;

// `image` turned counter-clockwise on screen by `degrees` as an editor's
// straighten tool does it (`interpolation`), its corners cropped away: the
// largest axis-aligned rectangle of its aspect inside the turned picture.
cv::Mat Straightened(const cv::Mat& image, double degrees, int interpolation) {
  const cv::Point2f centre(0.5f * (image.cols - 1), 0.5f * (image.rows - 1));
  cv::Mat turned;
  cv::warpAffine(image, turned, cv::getRotationMatrix2D(centre, degrees, 1.0), image.size(), interpolation,
                 cv::BORDER_CONSTANT, cv::Scalar::all(0));
  const double a = std::abs(degrees) * kPi / 180.0, w = image.cols, h = image.rows;
  const double k = std::min(w / (w * std::cos(a) + h * std::sin(a)), h / (h * std::cos(a) + w * std::sin(a)));
  const int cw = int(w * k) - 4, ch = int(h * k) - 4;
  return turned(cv::Rect((image.cols - cw) / 2, (image.rows - ch) / 2, cw, ch)).clone();
}

// A native crop of `photo` (its centre, at most 400 × 300 px, area-reduced
// by 2 first: no noise or coding of its own), enlarged f× (bicubic).
cv::Mat Enlarged(const std::string& photo, double f) {
  const cv::Mat p = testing::LoadPhoto(photo);
  cv::Mat half, big;
  cv::resize(p, half, cv::Size(p.cols / 2, p.rows / 2), 0, 0, cv::INTER_AREA);
  const int w = std::min(int(400 / f), half.cols), h = std::min(int(300 / f), half.rows);
  cv::resize(half(cv::Rect((half.cols - w) / 2, (half.rows - h) / 2, w, h)), big, cv::Size(), f, f, cv::INTER_CUBIC);
  return big;
}

// An enlargement straightened since is read at its factor, its turn found
// (within 0.3°), or not read at all — never at another factor: ×2, ×3 and
// ×4, turned 2–7° either way by a bicubic or a Lanczos turn, on photos the
// tilt line was set on (astronaut, coffee, chelsea) and held out
// (motorcycle_left, rocket, ihc). Read: 70 of 72 (coffee ×2 turned 7°, a
// peak under the line, and rocket, a smooth sky over its own JPEG's grid:
// 11 of 12 each, the worst); before tilted_grid.h, 1 of 72 read. At least
// 90 % overall, 70 % of each photo's, all but two of those read on their
// turned grid.
TEST(TiltedGridTest, AStraightenedEnlargementIsReadAtItsFactor) {
  int read_total = 0, cases_total = 0, turned_total = 0;
  for (const char* photo : {"astronaut", "coffee", "chelsea", "motorcycle_left", "rocket", "ihc"}) {
    int read = 0, cases = 0;
    for (const double f : {2.0, 3.0, 4.0}) {
      const cv::Mat big = Enlarged(photo, f);
      for (const double turn : {-2.0, 3.0, -5.0, 7.0}) {
        const int kernel = turn > 0 ? cv::INTER_CUBIC : cv::INTER_LANCZOS4;
        SCOPED_TRACE(::testing::Message() << photo << " x" << f << " turned " << turn);
        const ResolutionResult r = MeasureNativeScale(Straightened(big, turn, kernel));
        ASSERT_TRUE(r.native_scale.has_value());
        ++cases;
        if (*r.native_scale == 1.0) continue;
        ++read;
        EXPECT_NEAR(*r.native_scale, 1.0 / f, 0.08 / f);
        // (rocket ×2 turned −5° reads on the axes: its source JPEG's grid)
        if (r.grid_tilt_deg) {
          EXPECT_NEAR(*r.grid_tilt_deg, turn, 0.3);
        }
        turned_total += r.grid_tilt_deg.has_value();
        EXPECT_EQ(r.upscale_kind, UpscaleKind::kInterpolated);
      }
    }
    std::printf("%s: %d of %d straightened enlargements read\n", photo, read, cases);
    EXPECT_GE(read, 0.7 * cases) << photo;
    read_total += read;
    cases_total += cases;
  }
  EXPECT_GE(read_total, 0.9 * cases_total);
  EXPECT_GE(turned_total, read_total - 2) << "read on their turned grid";
}

// A ×3 enlargement straightened since is not read as 1.5× (the two share a
// cycle frequency; the turn back softens the band above the cut-off, where
// the knee chooses): the source grid's imaging picks 3×, on the turned-back
// reading as on the axes. Bilinear and Lanczos ×3 on two held-out photos.
TEST(TiltedGridTest, AThreefoldEnlargementTurnedIsNotReadAsOneAndAHalf) {
  int read = 0;
  for (const char* photo : {"motorcycle_right", "coins"}) {
    for (const int kernel : {cv::INTER_LINEAR, cv::INTER_LANCZOS4}) {
      const cv::Mat p = testing::LoadPhoto(photo);
      cv::Mat half, big;
      cv::resize(p, half, cv::Size(p.cols / 2, p.rows / 2), 0, 0, cv::INTER_AREA);
      const int w = std::min(133, half.cols), h = std::min(100, half.rows);
      cv::resize(half(cv::Rect((half.cols - w) / 2, (half.rows - h) / 2, w, h)), big, cv::Size(), 3, 3, kernel);
      for (const double turn : {3.0, -5.0}) {
        SCOPED_TRACE(::testing::Message() << photo << " kernel " << kernel << " turned " << turn);
        const ResolutionResult r = MeasureNativeScale(Straightened(big, turn, cv::INTER_CUBIC));
        ASSERT_TRUE(r.native_scale.has_value());
        EXPECT_GT(std::abs(*r.native_scale - 2.0 / 3.0), 0.05) << "read as 1.5x";
        if (*r.native_scale == 1.0) continue;  // not read (coins' bilinear turned −5°)
        EXPECT_NEAR(*r.native_scale, 1.0 / 3.0, 0.03);
        ++read;
      }
    }
  }
  EXPECT_GE(read, 7);  // of 8
}

// Native photos straightened (2°, −5° and 9.5°, where the turn's own
// phases and the turn back's come near the search band) stay native, as PNG
// and as a JPEG of quality 85, and so do a brick wall and a page of text turned (regular textures,
// whose own peaks can pass the tilt line): the turned-back picture shows no
// enlargement's stopband.
// (scikit-image's page and text are among the learned SR test's fitted
// photos since 2026-11-29: that they read native here is no evidence on
// other handwriting; sr_classifier.h, Limits.)
TEST(TiltedGridTest, StraightenedNativePhotosStayNative) {
  for (const char* photo : {"astronaut", "coffee", "chelsea", "camera", "brick", "grass", "gravel", "retina",
                            "motorcycle_right", "coins", "hubble_deep_field", "page", "text"}) {
    const cv::Mat p = testing::LoadPhoto(photo);
    for (const double turn : {2.0, -5.0, 9.5}) {
      const cv::Mat turned = Straightened(p, turn, cv::INTER_CUBIC);
      for (const int quality : {0, 85}) {
        SCOPED_TRACE(::testing::Message() << photo << " turned " << turn << " q" << quality);
        const ResolutionResult r = MeasureNativeScale(quality ? testing::JpegRoundTrip(turned, quality) : turned);
        ASSERT_TRUE(r.native_scale.has_value());
        EXPECT_FALSE(r.grid_tilt_deg.has_value());
        EXPECT_EQ(*r.native_scale, 1.0);
      }
    }
  }
}

// The grid of an enlargement straightened by a known turn is found at it,
// its cycle frequency the factor's (1/f, folded: ×2 at 0.5, ×3 at 1/3);
// the axis-aligned enlargement is read on the axes, the straightened one
// turned back (the sanitized build's case of the whole path).
TEST(TiltedGridTest, TheGridsTurnAndFrequencyAreFound) {
  const cv::Mat big2 = Enlarged("astronaut", 2.0), big3 = Enlarged("coffee", 3.0);
  const ResolutionResult axis = MeasureNativeScale(big2);
  ASSERT_TRUE(axis.native_scale.has_value());
  EXPECT_NEAR(*axis.native_scale, 0.5, 0.04);
  EXPECT_FALSE(axis.grid_tilt_deg.has_value());
  const std::optional<TiltedGrid> g3 = FindTiltedGrid(LumaF32(Straightened(big3, 4.0, cv::INTER_CUBIC)));
  ASSERT_TRUE(g3.has_value());
  EXPECT_NEAR(g3->angle_deg, 4.0, 0.3);
  EXPECT_NEAR(g3->cycle_frequency_per_px, 1.0 / 3.0, 0.01);
  const ResolutionResult r3 = MeasureNativeScale(Straightened(big3, 4.0, cv::INTER_CUBIC));
  ASSERT_TRUE(r3.native_scale && r3.grid_tilt_deg);
  EXPECT_NEAR(*r3.native_scale, 1.0 / 3.0, 0.03);
  EXPECT_NEAR(*r3.grid_tilt_deg, 4.0, 0.3);
  EXPECT_TRUE(g3->sign_known);
  EXPECT_GE(g3->peak_ratio, kMinTiltedGridPeakRatio);
  const std::optional<TiltedGrid> g2 = FindTiltedGrid(LumaF32(Straightened(big2, -2.0, cv::INTER_CUBIC)));
  ASSERT_TRUE(g2.has_value());
  EXPECT_NEAR(std::abs(g2->angle_deg), 2.0, 0.3);
  EXPECT_NEAR(g2->cycle_frequency_per_px, 0.5, 0.01);
  EXPECT_FALSE(g2->sign_known);
  // Both turns tried, the one of the stronger periodicity kept.
  const ResolutionResult r2 = MeasureNativeScale(Straightened(big2, -2.0, cv::INTER_CUBIC));
  ASSERT_TRUE(r2.native_scale && r2.grid_tilt_deg);
  EXPECT_NEAR(*r2.native_scale, 0.5, 0.04);
  EXPECT_NEAR(*r2.grid_tilt_deg, -2.0, 0.3);
}

}  // namespace
}  // namespace acuity

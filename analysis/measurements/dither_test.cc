#include "analysis/measurements/dither.h"

#include <gtest/gtest.h>

#include <string>

#include <opencv2/imgproc.hpp>

#include "tests/testing/dithered_images.h"
#include "tests/testing/synthetic_images.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

using testing::Diffusion;

// A 256-px crop of a scikit-image photo: the size of a small GIF.
cv::Mat Photo(const std::string& name) { return testing::CentreCrop(testing::LoadPhoto(name), 256); }

DitherResult Read(const cv::Mat& pixels) { return MeasureDither(pixels).result; }

// Error diffusion to 16 and 32 colours, four kernels, three photos: the
// dots alternate where the photo is smooth, and the undither's σ is the
// fine dots'. Floyd–Steinberg's are found on every one; the wider kernels
// (Jarvis, Stucki, Sierra) spread the error into clustered dots that a
// photo's fine texture (chelsea's fur) can outweigh: 79 % of these found
// (datasets/RESULTS.md, "Dither", for the whole ladder).
TEST(DitherTest, ErrorDiffusedPhotosAreFound) {
  int cases = 0, found = 0;
  for (const char* name : {"chelsea", "coffee", "rocket"}) {
    const cv::Mat photo = Photo(name);
    for (int colours : {16, 32}) {
      const std::vector<cv::Vec3b> palette = testing::MedianCutPalette(photo, colours);
      for (Diffusion kernel : {Diffusion::kFloydSteinberg, Diffusion::kJarvis, Diffusion::kStucki,
                               Diffusion::kSierra}) {
        const DitherResult d = Read(testing::ErrorDiffuse(photo, palette, kernel));
        const std::string what = std::string(name) + " " + testing::DiffusionName(kernel) + " " +
                                 std::to_string(colours);
        ASSERT_TRUE(d.detected.has_value()) << what << ": " << d.not_measured_reason.value_or("");
        EXPECT_LE(*d.colors, colours) << what;
        ++cases;
        found += *d.detected;
        if (kernel == Diffusion::kFloydSteinberg) {
          EXPECT_TRUE(*d.detected) << what << ": correlation " << d.pattern_correlation.value_or(99);
        }
        if (!*d.detected) continue;
        EXPECT_LT(*d.pattern_correlation, kDitherMaxCorrelation) << what;
        EXPECT_NEAR(*d.undither_sigma_px, 0.6, 1e-9) << what << ": fine dots, σ " << *d.pattern_sigma_8bit;
        EXPECT_GT(*d.dithered_pct, 20.0) << what;
      }
    }
  }
  EXPECT_GE(found, cases * 3 / 4) << found << " of " << cases;
}

// Ordered (Bayer) dithers to 2 or 3 levels per channel and a two-level gray
// one are found as coarse dots: a larger low-pass.
TEST(DitherTest, OrderedAndTwoLevelDithersAreFoundAsCoarseDots) {
  const cv::Mat photo = Photo("astronaut");
  cv::Mat gray;
  cv::cvtColor(photo, gray, cv::COLOR_BGR2GRAY);
  cv::cvtColor(gray, gray, cv::COLOR_GRAY2BGR);
  for (const auto& [pixels, what] : {std::pair{testing::OrderedDither(photo, 2, 8), "bayer 8, 2 levels"},
                                     std::pair{testing::OrderedDither(photo, 3, 4), "bayer 4, 3 levels"},
                                     std::pair{testing::OrderedDither(gray, 2, 8), "gray bayer 8, 2 levels"}}) {
    const DitherResult d = Read(pixels);
    ASSERT_TRUE(d.detected.has_value()) << what << ": " << d.not_measured_reason.value_or("");
    EXPECT_TRUE(*d.detected) << what << ": correlation " << d.pattern_correlation.value_or(99);
    EXPECT_GE(d.pattern_sigma_8bit.value_or(0), 20.0) << what;
    if (*d.detected) {
      EXPECT_GT(*d.undither_sigma_px, 0.6) << what;
    }
  }
  // Gray pixels in one channel read as the same picture in three.
  cv::Mat one_channel;
  cv::cvtColor(testing::OrderedDither(gray, 2, 8), one_channel, cv::COLOR_BGR2GRAY);
  EXPECT_TRUE(Read(one_channel).detected.value_or(false));
}

// The same palettes without dither: bands and texture, not dots.
TEST(DitherTest, PosterizedPhotosAreNotDithered) {
  for (const char* name : {"chelsea", "coffee", "rocket", "astronaut"}) {
    const cv::Mat photo = Photo(name);
    for (int colours : {8, 16, 32, 64}) {
      const DitherResult d = Read(testing::Posterize(photo, testing::MedianCutPalette(photo, colours)));
      ASSERT_TRUE(d.detected.has_value()) << name << " " << colours;
      EXPECT_FALSE(*d.detected) << name << " " << colours << ": correlation " << d.pattern_correlation.value_or(99);
      EXPECT_FALSE(d.dithered_pct.has_value());
      EXPECT_FALSE(d.undither_sigma_px.has_value());
    }
  }
}

// Drawn pictures: screenshots, a chart, pixel art of random colours in
// blocks, as drawn and enlarged by repeating pixels (they alternate, but in
// blocks, not dots; single pixels of random colours would be dots).
TEST(DitherTest, DrawnPicturesAndPixelArtAreNotDithered) {
  for (const auto& [pixels, what] :
       {std::pair{testing::UiScreenshot(testing::UiStyle::kLight, 1), "light UI"},
        std::pair{testing::UiScreenshot(testing::UiStyle::kDark, 2), "dark UI"},
        std::pair{testing::BarChart(3), "chart"},
        std::pair{testing::PixelArt(40, 30, 8, 2, 4, 5), "pixel art ×4"},
        std::pair{testing::PixelArt(80, 60, 16, 2, 1, 6), "pixel art of 2-px blocks"}}) {
    EXPECT_FALSE(Read(pixels).detected.value_or(false)) << what;
  }
}

// A photo's many colours, a gray photo's many levels and 16-bit pixels are
// not measured (never "no dither"): their fine pattern is grain.
TEST(DitherTest, PicturesOfManyColoursAreNotMeasured) {
  const DitherResult photo = Read(Photo("coffee"));
  EXPECT_FALSE(photo.detected.has_value());
  EXPECT_FALSE(photo.colors.has_value());
  EXPECT_NE(photo.not_measured_reason.value_or("").find("256 colours"), std::string::npos);
  const DitherResult gray = Read(testing::LoadPhoto("camera", /*keep_gray=*/true));
  EXPECT_FALSE(gray.detected.has_value());
  EXPECT_NE(gray.not_measured_reason.value_or("").find("64 gray levels"), std::string::npos);
  // 16 bits: not read as a few-colour picture; an ordered dither's regular
  // lattice is a halftone screen's (halftone.h), which is read at any depth.
  cv::Mat deep;
  testing::OrderedDither(Photo("astronaut"), 2, 8).convertTo(deep, CV_16U, 257);
  EXPECT_FALSE(Read(deep).colors.has_value());
  EXPECT_FALSE(Read(cv::Mat(8, 300, CV_8UC3, cv::Scalar(0, 0, 0))).detected.has_value());  // under 16 px a side
}

// The map is where the undither acts (DitherWeights): it changes no figure,
// its mean is dithered_pct, and it lies on the dots, not on the bands.
TEST(DitherTest, TheMapShowsWhereTheDotsAre) {
  const cv::Mat photo = Photo("chelsea");
  const std::vector<cv::Vec3b> palette = testing::MedianCutPalette(photo, 32);
  const cv::Mat dithered = testing::ErrorDiffuse(photo, palette, Diffusion::kFloydSteinberg);
  DitherOptions with_map;
  with_map.compute_map = true;
  const Measured<DitherResult> mapped = MeasureDither(dithered, with_map);
  const DitherResult plain = Read(dithered);
  ASSERT_TRUE(plain.detected.value_or(false));
  EXPECT_EQ(mapped.result.pattern_correlation, plain.pattern_correlation);
  EXPECT_EQ(mapped.result.dithered_pct, plain.dithered_pct);
  ASSERT_EQ(mapped.map.size(), dithered.size());
  EXPECT_NEAR(100.0 * cv::mean(mapped.map)[0], *plain.dithered_pct, 1e-6);
  const Measured<DitherResult> bands = MeasureDither(testing::Posterize(photo, palette), with_map);
  ASSERT_FALSE(bands.map.empty());
  EXPECT_LT(cv::mean(bands.map)[0], 0.5 * cv::mean(mapped.map)[0]);
}

}  // namespace
}  // namespace acuity

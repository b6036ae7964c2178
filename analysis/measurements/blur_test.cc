#include "analysis/measurements/blur.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>


#include "analysis/measurements/noise_test_photos.h"
#include "tests/testing/test_images.h"
#include "tests/testing/wild_degradations.h"

namespace acuity {
namespace {

using testing::AddBlur;
using testing::AddNoise;
using testing::CleanCrop;

// Largest accepted error of the added blur, √(σ² − σ₀²) − s, in px.
constexpr double kBlurTolerancePx = 0.25;

double Sigma(const cv::Mat& image, std::optional<double> noise_sigma = std::nullopt) {
  BlurOptions options;
  options.noise_luma_sigma = noise_sigma;
  BlurMeasurement m = MeasureBlur(image, options);
  EXPECT_TRUE(m.result.blur_sigma_px.has_value());
  return m.result.blur_sigma_px.value_or(-1.0);
}

double AddedBlur(double sigma, double sigma0) { return std::sqrt(std::max(0.0, sigma * sigma - sigma0 * sigma0)); }

TEST(BlurTest, RecoversAddedBlurOnRealPhotos) {
  // gravel: texture everywhere; camera: gray, big flat areas.
  for (const std::string name : {"astronaut", "coffee", "motorcycle_left", "camera", "gravel"}) {
    const cv::Mat clean = CleanCrop(name);
    const double sigma0 = Sigma(clean);
    EXPECT_GT(sigma0, 0.2) << name;
    EXPECT_LT(sigma0, 1.0) << name;
    for (double s : {1.0, 2.0, 3.0}) {
      EXPECT_NEAR(AddedBlur(Sigma(AddBlur(clean, s)), sigma0), s, kBlurTolerancePx) << name << " s=" << s;
    }
  }
}

TEST(BlurTest, ReadingFollowsTheLadder) {
  for (const std::string name : {"chelsea", "brick"}) {
    const cv::Mat clean = CleanCrop(name);
    double previous = Sigma(clean);
    for (double s : {0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0}) {
      const double sigma = Sigma(AddBlur(clean, s));
      EXPECT_GT(sigma, previous) << name << " s=" << s;
      previous = sigma;
    }
    EXPECT_GT(previous, 3.0) << name;  // not a constant, not saturating
  }
}

TEST(BlurTest, BlurredStepEdgeReadsItsBlur) {
  // A straight step at an angle, rendered 8× finer and area-averaged: its
  // blur is s plus the pixel aperture (1/12 px²).
  constexpr int kFine = 8, kSide = 128;
  for (double s : {0.0, 1.0, 2.5}) {
    cv::Mat fine(kSide * kFine, kSide * kFine, CV_32F);
    for (int r = 0; r < fine.rows; ++r)
      for (int c = 0; c < fine.cols; ++c)
        fine.at<float>(r, c) = (c - 0.5 * fine.cols) * 0.96 + (r - 0.5 * fine.rows) * 0.28 > 0 ? 200.f : 50.f;
    if (s > 0) cv::GaussianBlur(fine, fine, cv::Size(), s * kFine, s * kFine, cv::BORDER_REFLECT);
    cv::Mat coarse, image;
    cv::resize(fine, coarse, cv::Size(kSide, kSide), 0, 0, cv::INTER_AREA);
    coarse.convertTo(image, CV_8U);
    EXPECT_NEAR(Sigma(image), std::sqrt(s * s + 1.0 / 12), kBlurTolerancePx / 2) << "s=" << s;
  }
}

TEST(BlurTest, NoiseDoesNotReadAsSharp) {
  const cv::Mat blurred = AddBlur(CleanCrop("coffee"), 2.0);
  const double quiet = Sigma(blurred);
  for (double noise : {5.0, 10.0}) {
    const cv::Mat noisy = AddNoise(blurred, noise, 23);
    // With the noise σ known (as Analyze passes it) and estimated here.
    EXPECT_NEAR(Sigma(noisy, noise * 0.6686), quiet, 2 * kBlurTolerancePx) << "noise " << noise;
    EXPECT_NEAR(Sigma(noisy), quiet, 2 * kBlurTolerancePx) << "noise " << noise << ", estimated";
  }
}

TEST(BlurTest, JpegArtifactsDoNotReadAsSharp) {
  const cv::Mat clean = CleanCrop("motorcycle_left");
  const double sigma0 = Sigma(clean);
  const cv::Mat blurred = AddBlur(clean, 2.0);
  const cv::Mat jpeg = testing::JpegRoundTrip(blurred, 75);
  EXPECT_NEAR(AddedBlur(Sigma(jpeg), sigma0), 2.0, 2 * kBlurTolerancePx);
}

// The left half of `clean` blurred by σ 3 px: the blur map (32 px cells)
// must read it clearly higher than the right half.
void ExpectMapShowsTheBlurredHalf(const cv::Mat& clean) {
  cv::Mat image = clean.clone();
  const cv::Rect left(0, 0, clean.cols / 2, clean.rows);
  AddBlur(clean, 3.0)(left).copyTo(image(left));
  BlurOptions options;
  options.compute_map = true;
  options.map_block_px = 32;
  BlurMeasurement m = MeasureBlur(image, options);
  ASSERT_EQ(m.map.type(), CV_32FC1);
  ASSERT_EQ(m.map.size(), cv::Size(clean.cols / 32, clean.rows / 32));
  const double blurred_side = cv::mean(m.map.colRange(0, m.map.cols / 2 - 1))[0];
  const double sharp_side = cv::mean(m.map.colRange(m.map.cols / 2 + 1, m.map.cols))[0];
  EXPECT_GT(blurred_side, sharp_side + 1.5);
}

TEST(BlurTest, MapShowsWhereTheBlurIs) { ExpectMapShowsTheBlurredHalf(CleanCrop("astronaut")); }

// Above a megapixel the figures come from a sample of blocks and the map
// from tiles over every pixel: it must still show the blurred side.
TEST(BlurTest, MapOfABigImageShowsWhereTheBlurIs) {
  cv::Mat big;
  cv::repeat(CleanCrop("astronaut"), 5, 6, big);  // 2 MP from the 256 px crop
  ASSERT_GT(big.total(), 1.5e6);
  ExpectMapShowsTheBlurredHalf(big);
}

// Issue #25 (the walk's dark noisy JPEG read σ 1.34 px, and was sharpened
// 120 %): where noise leaves the spectrum signal only at low frequencies,
// a sharp photo reads up to about a pixel of blur. The reading's
// resolution says so: on dark (×0.3), noisy (σ 6 and 12) copies, sharp and
// blurred 1.5 px, the blur the photo has, √(σ₀² + s²) with σ₀ its clean
// reading, is within |σ² − reading²| ≤ resolution² of the reading.
// Calibrated on chelsea, astronaut, coffee and rocket; held out:
// motorcycle_left, ihc and grass. A reading the edges alone made has no
// resolution: it is held to kBlurTolerancePx. On a clean photo the
// resolution stays below half a pixel.
TEST(BlurTest, NoiseCoarsensTheResolutionAndTheTruthStaysInside) {
  for (const std::string name :
       {"chelsea", "astronaut", "coffee", "rocket", "motorcycle_left", "ihc", "grass"}) {
    const cv::Mat photo = testing::LoadPhoto(name);
    ASSERT_FALSE(photo.empty()) << name;
    const BlurMeasurement clean = MeasureBlur(photo);
    ASSERT_TRUE(clean.result.blur_sigma_px && clean.result.blur_resolution_px) << name;
    EXPECT_LT(*clean.result.blur_resolution_px, 0.5) << name;
    const double sigma0 = *clean.result.blur_sigma_px;
    cv::Mat dark;
    photo.convertTo(dark, CV_8U, 0.3);
    for (double blur : {0.0, 1.5})
      for (double noise : {6.0, 12.0}) {
        const cv::Mat noisy = AddNoise(AddBlur(dark, blur), noise, 7);
        const SharpnessResult r = MeasureBlur(noisy).result;
        if (!r.blur_sigma_px) continue;  // too little signal to read at all
        const double truth_sq = sigma0 * sigma0 + blur * blur;
        const std::string what = name + " blur " + std::to_string(blur) + " noise " + std::to_string(noise) +
                                 ": read " + std::to_string(*r.blur_sigma_px) + ", has " +
                                 std::to_string(std::sqrt(truth_sq));
        if (!r.blur_resolution_px) {
          EXPECT_NEAR(*r.blur_sigma_px, std::sqrt(truth_sq), kBlurTolerancePx) << what << " (edges)";
          continue;
        }
        const double resolution = *r.blur_resolution_px;
        EXPECT_LE(std::abs(*r.blur_sigma_px * *r.blur_sigma_px - truth_sq), resolution * resolution)
            << what << " ± " << resolution;
      }
  }
}

TEST(BlurTest, FlatImageHasNoReading) {
  BlurMeasurement m = MeasureBlur(cv::Mat(64, 64, CV_8UC3, cv::Scalar(90, 120, 200)));
  EXPECT_FALSE(m.result.blur_sigma_px.has_value());
  EXPECT_FALSE(MeasureBlur(cv::Mat(8, 8, CV_8UC1)).result.blur_sigma_px.has_value());
}

}  // namespace
}  // namespace acuity

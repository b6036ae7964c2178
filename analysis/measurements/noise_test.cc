#include "analysis/measurements/noise.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "analysis/measurements/noise_test_photos.h"
#include "tests/testing/rendered_text.h"
#include "tests/testing/wild_degradations.h"

namespace acuity {
namespace {

using testing::AddNoise;
using testing::CleanCrop;

// Largest accepted |measured σ − added σ|, 8-bit units.
constexpr double kSigmaTolerance = 0.75;

double Sigma(const cv::Mat& image) {
  NoiseMeasurement m = MeasureNoise(image);
  EXPECT_TRUE(m.result.sigma.has_value());
  return m.result.sigma.value_or(-1.0);
}

TEST(NoiseTest, MeasuresAddedNoiseOnRealPhotos) {
  const std::vector<std::string> photos = {"astronaut", "coffee", "chelsea", "rocket", "motorcycle_left"};
  const std::vector<double> sigmas = {3.0, 8.0, 20.0};
  uint64_t seed = 1;
  for (const std::string& name : photos) {
    const cv::Mat clean = CleanCrop(name);
    for (double sigma : sigmas) {
      EXPECT_NEAR(Sigma(AddNoise(clean, sigma, seed++)), sigma, kSigmaTolerance) << name << " σ=" << sigma;
    }
  }
}

// White noise of `sigma` (8-bit units, per pixel after the blur) blurred by
// a Gaussian of `blur_px`, as a demosaic and a camera's noise reduction
// leave noise correlated from one pixel to the next.
cv::Mat AddCorrelatedNoise(const cv::Mat& clean, double sigma, double blur_px, uint64_t seed) {
  cv::Mat noise(clean.size(), CV_32FC(clean.channels()));
  cv::RNG rng(seed);
  rng.fill(noise, cv::RNG::NORMAL, 0.0, 1.0);
  cv::GaussianBlur(noise, noise, cv::Size(), blur_px, blur_px, cv::BORDER_REFLECT);
  cv::Scalar mean, stddev;
  cv::meanStdDev(noise, mean, stddev);
  cv::Mat f, out;
  clean.convertTo(f, CV_32F);
  f += noise * (sigma / stddev[0]);
  f.convertTo(out, CV_8U);
  return out;
}

// Correlated noise has little pixel-to-pixel part (σ 10 blurred by 0.7 px
// read 2.6–4.4): binned 2×2 (4×4 when blurred by 1 px) it is white again
// and read there, then brought back to the pixels' σ (noise.h,
// NoiseResult::correlated). White noise, clean photos and texture
// everywhere (clean, under white noise, strongly sharpened) are read at
// their own scale. motorcycle_left and the JPEG were not among the photos
// the limits were chosen on.
TEST(NoiseTest, CorrelatedNoiseIsReadBinned) {
  uint64_t seed = 40;
  for (const std::string name : {"coffee", "camera", "motorcycle_left"}) {
    const cv::Mat clean = CleanCrop(name, 512);
    const NoiseResult correlated = MeasureNoise(AddCorrelatedNoise(clean, 10, 0.7, seed++)).result;
    ASSERT_TRUE(correlated.sigma.has_value()) << name;
    EXPECT_EQ(correlated.correlated, true) << name;
    EXPECT_GT(*correlated.sigma, 6.5) << name;
    EXPECT_LT(*correlated.sigma, 13.5) << name;  // the pixels' σ (10), not the binned one doubled (up to 15.5)
    // Blurred by 1 px it is still correlated binned 2×2 and read binned 4×4,
    // which needs a picture of 0.1 MP at least: the photo at full size (its
    // own noise reads under 1).
    const cv::Mat whole = testing::LoadPhoto(name);
    ASSERT_GE(whole.total(), 100000u) << name;
    const NoiseResult wider = MeasureNoise(AddCorrelatedNoise(whole, 10, 1.0, seed++)).result;
    EXPECT_EQ(wider.correlated, true) << name;
    EXPECT_EQ(wider.binned_px, 4) << name;
    EXPECT_GT(wider.sigma.value_or(-1), 6.0) << name;
    EXPECT_LT(wider.sigma.value_or(-1), 13.5) << name;
    // Too small to bin 4×4 (a 256-px crop): not read as correlated (under
    // 6), or read binned 2×2 through a brightness bin whose patches are white
    // there, near its σ (camera's: 6.9).
    const NoiseResult before = MeasureNoise(AddCorrelatedNoise(clean, 10, 1.0, seed++)).result;
    if (before.correlated == true) {
      EXPECT_EQ(before.binned_px, 2) << name;
      EXPECT_GT(before.sigma.value_or(-1), 6.0) << name;
      EXPECT_LT(before.sigma.value_or(-1), 13.5) << name;
    } else {
      EXPECT_LT(before.sigma.value_or(-1), 6.0) << name << ": too small to bin 4×4";
    }
    const NoiseResult white = MeasureNoise(AddNoise(clean, 10, seed++)).result;
    EXPECT_EQ(white.correlated, false) << name;
    EXPECT_NEAR(white.sigma.value_or(-1), 10, kSigmaTolerance) << name;
    const NoiseResult none = MeasureNoise(clean).result;
    EXPECT_LT(none.sigma.value_or(-1), 2.0) << name;
    // A JPEG of white noise keeps its grain but loses its pixel-to-pixel part.
    const NoiseResult compressed = MeasureNoise(testing::JpegRoundTrip(AddNoise(clean, 10, seed++), 75)).result;
    EXPECT_GT(compressed.sigma.value_or(-1), 4.0) << name << " JPEG";
  }
  const cv::Mat gravel = CleanCrop("gravel", 512);
  cv::Mat soft, sharpened;
  cv::GaussianBlur(gravel, soft, cv::Size(), 2.0);
  cv::addWeighted(gravel, 3.5, soft, -2.5, 0, sharpened);
  for (const cv::Mat& texture : {gravel, AddNoise(gravel, 5, 7), sharpened})
    EXPECT_EQ(MeasureNoise(texture).result.correlated, false);
}

TEST(NoiseTest, TextureDoesNotReadAsNoise) {
  // Brick and gravel are texture from edge to edge, with no flat area.
  const cv::Mat brick = CleanCrop("brick");
  EXPECT_LT(Sigma(brick), kSigmaTolerance);
  EXPECT_NEAR(Sigma(AddNoise(brick, 5.0, 7)), 5.0, kSigmaTolerance);
  const cv::Mat gravel = CleanCrop("gravel");
  EXPECT_NEAR(Sigma(AddNoise(gravel, 8.0, 8)), 8.0, kSigmaTolerance);
  EXPECT_NEAR(Sigma(AddNoise(gravel, 18.0, 9)), 18.0, kSigmaTolerance);
}

TEST(NoiseTest, ClippedAreasAreExcluded) {
  // Contrast doubled around mid-grey: about a third of the pixels clip at 0
  // or 255 before and after the noise is added.
  cv::Mat stretched;
  CleanCrop("coffee").convertTo(stretched, CV_8U, 2.0, -128.0);
  const double clipped = double(cv::countNonZero(stretched.reshape(1) == 255) +
                                cv::countNonZero(stretched.reshape(1) == 0)) / (stretched.total() * 3);
  ASSERT_GT(clipped, 0.15);
  EXPECT_NEAR(Sigma(AddNoise(stretched, 15.0, 3)), 15.0, kSigmaTolerance);
}

// A scanned page: paper at 245 (10 levels from clipping) with noise σ 3 and
// 40 lines of text. Its only mid-tones are the letters' anti-aliased edges,
// which read σ 18; the clipping margin of that σ shut the paper out, and the
// edges were read as the noise (σ 18.3 for σ 3).
TEST(NoiseTest, APageOfTextReadsItsPapersNoise) {
  if (testing::DejaVuSansPath().empty()) GTEST_SKIP() << "fonts-dejavu-core is not installed";
  cv::Mat page(1400, 1000, CV_8UC3, cv::Scalar::all(245));
  for (int i = 0; i < 40; ++i)
    page = testing::DrawText(page, "Lorem ipsum dolor sit amet, consectetur adipiscing elit " + std::to_string(i),
                             {80, 60 + 32 * i}, 10.0, cv::Scalar::all(30))
               .image;
  EXPECT_NEAR(Sigma(AddNoise(page, 3.0, 11)), 3.0, kSigmaTolerance);
}

TEST(NoiseTest, ReadingFollowsTheLadder) {
  const cv::Mat clean = CleanCrop("chelsea");
  double previous = -1;
  for (double sigma : {1.0, 2.0, 4.0, 8.0, 16.0}) {
    const double s = Sigma(AddNoise(clean, sigma, 11));
    EXPECT_GT(s, previous) << "σ=" << sigma;
    previous = s;
  }
  EXPECT_GT(previous, 12.0);  // not a constant, not saturating
}

TEST(NoiseTest, LumaChromaAndChannelsFollowTheirDefinitions) {
  constexpr double kSigma = 10.0;
  NoiseMeasurement m = MeasureNoise(AddNoise(CleanCrop("astronaut"), kSigma, 5));
  ASSERT_TRUE(m.result.luma_sigma && m.result.chroma_sigma && m.result.channel_sigmas);
  // Independent noise of σ per channel: luma σ = |(0.299, 0.587, 0.114)| σ;
  // chroma = RMS of |Cb weights| σ and |Cr weights| σ.
  EXPECT_NEAR(*m.result.luma_sigma, 0.6686 * kSigma, kSigmaTolerance);
  EXPECT_NEAR(*m.result.chroma_sigma, 0.6404 * kSigma, kSigmaTolerance);
  for (double s : *m.result.channel_sigmas) EXPECT_NEAR(s, kSigma, kSigmaTolerance);
  EXPECT_GT(*m.result.weak_texture_fraction, 0.05);
}

TEST(NoiseTest, GrayAndSixteenBitReadTheSame) {
  const cv::Mat gray = AddNoise(CleanCrop("camera", 256, /*keep_gray=*/true), 6.0, 13);
  ASSERT_EQ(gray.channels(), 1);
  NoiseMeasurement m8 = MeasureNoise(gray);
  ASSERT_TRUE(m8.result.sigma.has_value());
  EXPECT_NEAR(*m8.result.sigma, 6.0, kSigmaTolerance);
  EXPECT_EQ(*m8.result.chroma_sigma, 0.0);
  cv::Mat wide;
  gray.convertTo(wide, CV_16U, 257.0);
  NoiseMeasurement m16 = MeasureNoise(wide);
  ASSERT_TRUE(m16.result.sigma.has_value());
  // 16-bit has no rounding to remove; otherwise identical in 8-bit units.
  EXPECT_NEAR(*m16.result.sigma, *m8.result.sigma, 0.1);
}

TEST(NoiseTest, MapShowsWhereTheNoiseIs) {
  cv::Mat clean = CleanCrop("coffee");
  cv::Mat image = AddNoise(clean, 3.0, 17);
  const cv::Rect right(clean.cols / 2, 0, clean.cols / 2, clean.rows);
  AddNoise(clean(right).clone(), 15.0, 19).copyTo(image(right));
  NoiseOptions options;
  options.compute_map = true;
  NoiseMeasurement m = MeasureNoise(image, options);
  ASSERT_EQ(m.map.type(), CV_32FC1);
  ASSERT_EQ(m.map.cols, clean.cols / options.map_block_px);
  const cv::Mat left_cells = m.map.colRange(0, m.map.cols / 2 - 1);
  const cv::Mat right_cells = m.map.colRange(m.map.cols / 2 + 1, m.map.cols);
  const double left = cv::mean(left_cells)[0], right_mean = cv::mean(right_cells)[0];
  EXPECT_NEAR(right_mean, 15.0, 3.0);
  EXPECT_GT(right_mean, 2.5 * left);
}

// A thumbnail under kMinNoisePixels has no flat patch: its detail read as
// noise (48×32 px thumbnails of clean photos: σ 3–11, "visible noise").
// Made here with area averaging (the threshold was set on Lanczos ones).
TEST(NoiseTest, ThumbnailsTooSmallForNoiseAreNotMeasured) {
  for (const std::string name : {"astronaut", "chelsea", "coins", "motorcycle_left"}) {
    const cv::Mat photo = testing::LoadPhoto(name);
    ASSERT_FALSE(photo.empty()) << name;
    cv::Mat small, thumb;
    cv::resize(photo, small, cv::Size(48, 32), 0, 0, cv::INTER_AREA);
    cv::resize(photo, thumb, cv::Size(96, 64), 0, 0, cv::INTER_AREA);
    const NoiseResult tiny = MeasureNoise(small).result;
    EXPECT_TRUE(tiny.too_small.value_or(false)) << name;
    EXPECT_FALSE(tiny.sigma.has_value()) << name;
    EXPECT_FALSE(tiny.luma_sigma.has_value()) << name;
    // From kMinNoisePixels on: read, clean as clean, added noise as added.
    const NoiseResult clean = MeasureNoise(thumb).result;
    EXPECT_FALSE(clean.too_small.has_value()) << name;
    EXPECT_LT(clean.sigma.value_or(99), 2.5) << name;
    EXPECT_NEAR(MeasureNoise(AddNoise(thumb, 6.0, 3)).result.sigma.value_or(-1), 6.0, 1.5) << name;
  }
}

TEST(NoiseTest, TooSmallGivesNothing) {
  const NoiseResult r = MeasureNoise(cv::Mat(8, 8, CV_8UC3, cv::Scalar::all(100))).result;
  EXPECT_FALSE(r.sigma.has_value());
  EXPECT_TRUE(r.too_small.value_or(false));
}

}  // namespace
}  // namespace acuity

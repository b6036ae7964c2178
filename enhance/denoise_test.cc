#include "enhance/denoise.h"

#include <string>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "analysis/measurements/noise.h"
#include "tests/testing/add_noise.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

using testing::AddNoise;

constexpr double kSigma = 15.0;  // AWGN std-dev, 8-bit units

// A crop of a real photo with both flat areas and texture.
cv::Mat CleanCrop(const char* name = "astronaut", bool keep_gray = false) {
  cv::Mat photo = testing::LoadPhoto(name, keep_gray);
  return photo(cv::Rect(140, 80, 160, 160)).clone();
}

TEST(DenoiseTest, RaisesPsnrAndLowersMeasuredNoise) {
  const cv::Mat clean = CleanCrop();
  const cv::Mat noisy = AddNoise(clean, kSigma, 7);
  DenoiseOptions options;
  options.sigma = kSigma;
  auto out = Denoise(noisy, options);
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->type(), CV_8UC3);

  const double psnr_noisy = cv::PSNR(clean, noisy), psnr_out = cv::PSNR(clean, *out);
  RecordProperty("psnr_noisy_db", std::to_string(psnr_noisy));
  RecordProperty("psnr_denoised_db", std::to_string(psnr_out));
  constexpr double kMinPsnrGainDb = 2.0;  // 2.9 dB measured on this crop
  EXPECT_GT(psnr_out, psnr_noisy + kMinPsnrGainDb) << psnr_noisy << " → " << psnr_out;

  const std::optional<double> sigma_noisy = MeasureNoise(noisy).result.sigma;
  const std::optional<double> sigma_out = MeasureNoise(*out).result.sigma;
  ASSERT_TRUE(sigma_noisy && sigma_out);
  RecordProperty("sigma_noisy", std::to_string(*sigma_noisy));
  RecordProperty("sigma_denoised", std::to_string(*sigma_out));
  constexpr double kMaxResidualFraction = 0.4;  // measured noise drops below 40 %
  EXPECT_LT(*sigma_out, kMaxResidualFraction * *sigma_noisy) << *sigma_noisy << " → " << *sigma_out;
}

TEST(DenoiseTest, GrayPhoto) {
  const cv::Mat clean = CleanCrop("camera", /*keep_gray=*/true);
  ASSERT_EQ(clean.type(), CV_8UC1);
  const cv::Mat noisy = AddNoise(clean, kSigma, 8);
  DenoiseOptions options;
  options.sigma = kSigma;
  auto out = Denoise(noisy, options);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->type(), CV_8UC1);
  constexpr double kMinPsnrGainDb = 1.5;
  EXPECT_GT(cv::PSNR(clean, *out), cv::PSNR(clean, noisy) + kMinPsnrGainDb);
}

TEST(DenoiseTest, SixteenBitKeepsDepthAndMatchesEightBit) {
  const cv::Mat clean = CleanCrop();
  const cv::Mat noisy8 = AddNoise(clean, kSigma, 9);
  cv::Mat noisy16, clean16;
  noisy8.convertTo(noisy16, CV_16U, 257.0);
  clean.convertTo(clean16, CV_16U, 257.0);
  DenoiseOptions options;
  options.sigma = kSigma;
  auto out8 = Denoise(noisy8, options);
  auto out16 = Denoise(noisy16, options);
  ASSERT_TRUE(out8.ok() && out16.ok());
  ASSERT_EQ(out16->type(), CV_16UC3);
  cv::Mat as8;
  out16->convertTo(as8, CV_8U, 1.0 / 257.0);
  constexpr double kMaxLevelDiff = 1.0;  // the 16-bit path is the 8-bit filter's change
  EXPECT_LE(cv::norm(as8, *out8, cv::NORM_INF), kMaxLevelDiff);
}

TEST(DenoiseTest, AlphaUntouched) {
  const cv::Mat noisy = AddNoise(CleanCrop(), kSigma, 10);
  cv::Mat alpha(noisy.size(), CV_8U);
  cv::randu(alpha, 0, 256);
  cv::Mat bgra;
  cv::merge(std::vector<cv::Mat>{noisy, alpha}, bgra);
  DenoiseOptions options;
  options.sigma = kSigma;
  auto out = Denoise(bgra, options);
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->type(), CV_8UC4);
  cv::Mat out_alpha;
  cv::extractChannel(*out, out_alpha, 3);
  EXPECT_EQ(cv::norm(out_alpha, alpha, cv::NORM_INF), 0.0);
}

TEST(DenoiseTest, TiledEqualsWholeAndCanBeCancelled) {
  const cv::Mat noisy = AddNoise(CleanCrop()(cv::Rect(0, 0, 100, 76)), kSigma, 11);
  DenoiseOptions whole;
  whole.sigma = kSigma;
  whole.tile_px = 0;
  DenoiseOptions tiled = whole;
  tiled.tile_px = 40;
  std::vector<double> fractions;
  tiled.progress = [&](double f) {
    fractions.push_back(f);
    return true;
  };
  auto a = Denoise(noisy, whole);
  auto b = Denoise(noisy, tiled);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(cv::norm(*a, *b, cv::NORM_INF), 0.0);
  EXPECT_EQ(fractions.size(), 6u);  // 3 × 2 tiles
  EXPECT_EQ(fractions.back(), 1.0);
  tiled.progress = [](double) { return false; };
  EXPECT_EQ(Denoise(noisy, tiled).status().code(), absl::StatusCode::kCancelled);
}

// Plain NLM also removes texture that looks like noise; the texture-keeping
// gain gives it back where the change exceeds what σ explains.
TEST(DenoiseTest, KeepingTextureScoresCloserToTheCleanPhoto) {
  for (const char* name : {"astronaut", "chelsea"}) {
    const cv::Mat clean = CleanCrop(name);
    const cv::Mat noisy = AddNoise(clean, kSigma, 12);
    DenoiseOptions kept;
    kept.sigma = kSigma;
    DenoiseOptions plain = kept;
    plain.texture_window_px = 0;
    auto a = Denoise(noisy, kept);
    auto b = Denoise(noisy, plain);
    ASSERT_TRUE(a.ok() && b.ok());
    const double psnr_kept = cv::PSNR(clean, *a), psnr_plain = cv::PSNR(clean, *b);
    RecordProperty(std::string("psnr_gain_db_") + name, std::to_string(psnr_kept - psnr_plain));
    EXPECT_GT(psnr_kept, psnr_plain) << name;
    EXPECT_GT(psnr_kept, cv::PSNR(clean, noisy)) << name;
  }
}

TEST(DenoiseTest, RejectsBadTextureWindow) {
  const cv::Mat image(16, 16, CV_8UC3, cv::Scalar::all(100));
  DenoiseOptions options;
  options.sigma = 10;
  for (int window_px : {-1, 4, 9}) {
    options.texture_window_px = window_px;
    EXPECT_EQ(Denoise(image, options).status().code(), absl::StatusCode::kInvalidArgument) << window_px;
  }
  options.texture_window_px = 5;
  EXPECT_TRUE(Denoise(image, options).ok());
}

TEST(DenoiseTest, RejectsBadSigma) {
  const cv::Mat image(16, 16, CV_8UC3, cv::Scalar::all(100));
  DenoiseOptions options;  // σ = 0
  EXPECT_EQ(Denoise(image, options).status().code(), absl::StatusCode::kInvalidArgument);
  options.sigma = 500;
  EXPECT_EQ(Denoise(image, options).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace acuity

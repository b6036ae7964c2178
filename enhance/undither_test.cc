#include "enhance/undither.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "analysis/measurements/dither.h"
#include "tests/testing/dithered_images.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

using testing::Diffusion;

cv::Mat Photo(const std::string& name) { return testing::CentreCrop(testing::LoadPhoto(name), 256); }

cv::Mat Undithered(const cv::Mat& pixels, double sigma_px) {
  UnditherOptions options;
  options.sigma_px = sigma_px;
  absl::StatusOr<cv::Mat> out = Undither(pixels, options);
  EXPECT_TRUE(out.ok()) << out.status();
  return out.ok() ? *out : cv::Mat();
}

// Ground truth: the photo the dither was made from. The undither at the σ
// the reading gives brings Floyd–Steinberg's dots 1.5 dB and more closer to
// it, Sierra's wider ones (+1.2–1.3 dB here) 1 dB, ordered ones 6 dB.
TEST(UnditherTest, BringsADitheredPictureBackTowardsThePhoto) {
  for (const char* name : {"chelsea", "coffee", "rocket"}) {
    const cv::Mat photo = Photo(name);
    const std::vector<cv::Vec3b> palette = testing::MedianCutPalette(photo, 16);
    for (const auto& [dithered, gain_db, what] :
         {std::tuple{testing::ErrorDiffuse(photo, palette, Diffusion::kFloydSteinberg), 1.5, "floyd-steinberg 16"},
          std::tuple{testing::ErrorDiffuse(photo, palette, Diffusion::kSierra), 1.0, "sierra 16"},
          std::tuple{testing::OrderedDither(photo, 3, 8), 6.0, "bayer 8, 3 levels"}}) {
      const DitherResult d = MeasureDither(dithered).result;
      const double sigma = d.undither_sigma_px.value_or(0.6);
      const double before = cv::PSNR(dithered, photo), after = cv::PSNR(Undithered(dithered, sigma), photo);
      EXPECT_GT(after - before, gain_db) << name << " " << what << ": " << before << " → " << after << " dB";
    }
  }
}

// Where nothing alternates like a dither — a posterized photo's bands and
// texture, a flat fill — it barely acts: within 0.5 dB of the picture.
TEST(UnditherTest, LeavesBandsAndFlatFillsAlone) {
  for (const char* name : {"chelsea", "coffee", "astronaut"}) {
    const cv::Mat photo = Photo(name);
    const cv::Mat bands = testing::Posterize(photo, testing::MedianCutPalette(photo, 16));
    EXPECT_GT(cv::PSNR(Undithered(bands, 0.6), bands), 30.0) << name;
    const double before = cv::PSNR(bands, photo), after = cv::PSNR(Undithered(bands, 0.6), photo);
    EXPECT_NEAR(after, before, 0.5) << name;
  }
  const cv::Mat flat(64, 64, CV_8UC3, cv::Scalar(40, 120, 200));
  EXPECT_EQ(cv::norm(Undithered(flat, 1.0), flat, cv::NORM_INF), 0);
}

// Every layout the pipeline carries: gray, BGRA (alpha untouched), 16-bit.
TEST(UnditherTest, KeepsTheLayoutAndTheAlpha) {
  const cv::Mat photo = Photo("coffee");
  const cv::Mat dithered = testing::OrderedDither(photo, 2, 8);
  cv::Mat gray, bgra, deep;
  cv::cvtColor(dithered, gray, cv::COLOR_BGR2GRAY);
  cv::cvtColor(dithered, bgra, cv::COLOR_BGR2BGRA);
  for (int y = 0; y < bgra.rows; ++y)
    for (int x = 0; x < bgra.cols; ++x) bgra.at<cv::Vec4b>(y, x)[3] = uchar((x * 7 + y) % 256);
  dithered.convertTo(deep, CV_16U, 257);
  for (const cv::Mat& in : {gray, bgra, deep}) {
    const cv::Mat out = Undithered(in, 1.0);
    ASSERT_EQ(out.type(), in.type());
    ASSERT_EQ(out.size(), in.size());
    EXPECT_GT(cv::norm(out, in, cv::NORM_L1), 0);  // the dots were smoothed
  }
  std::vector<cv::Mat> in_planes, out_planes;
  cv::split(bgra, in_planes);
  cv::split(Undithered(bgra, 1.0), out_planes);
  EXPECT_EQ(cv::norm(in_planes[3], out_planes[3], cv::NORM_INF), 0);
  // 16-bit: the same smoothing as at 8 bits, to within a level's rounding.
  cv::Mat deep_as_8;
  Undithered(deep, 1.0).convertTo(deep_as_8, CV_8U, 1.0 / 257);
  EXPECT_LE(cv::norm(deep_as_8, Undithered(dithered, 1.0), cv::NORM_INF), 1);
}

TEST(UnditherTest, RefusesWhatItCannotDo) {
  const cv::Mat pixels(32, 32, CV_8UC3, cv::Scalar::all(128));
  UnditherOptions options;
  for (double sigma : {0.0, 0.2, 5.5}) {
    options.sigma_px = sigma;
    EXPECT_EQ(Undither(pixels, options).status().code(), absl::StatusCode::kInvalidArgument) << sigma;
  }
  options.sigma_px = 0.6;
  EXPECT_EQ(Undither(cv::Mat(8, 8, CV_32FC3), options).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Undither(cv::Mat(), options).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace acuity

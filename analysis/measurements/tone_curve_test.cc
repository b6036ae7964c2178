#include "analysis/measurements/tone_curve.h"

#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "analysis/measurements/image_ops.h"
#include "analysis/measurements/qa_measures.h"
#include "tests/testing/test_images.h"
#include "tests/testing/wild_degradations.h"

namespace acuity {
namespace {

// `luma` (CV_32FC1, 8-bit units) through a gamma: 255 · (v / 255)^gamma.
cv::Mat Gamma(const cv::Mat& luma, double gamma) {
  cv::Mat out = luma.clone();
  out.forEach<float>([gamma](float& v, const int*) {
    v = float(255.0 * std::pow(std::clamp(double(v), 0.0, 255.0) / 255.0, gamma));
  });
  return out;
}

// A photo's plain ×2 enlargement as QA makes it, luma.
cv::Mat Enlarged(const char* name) {
  cv::Mat photo = testing::LoadPhoto(name), half;
  cv::resize(photo, half, photo.size() / 2, 0, 0, cv::INTER_AREA);
  return LumaF32(PlainResize(half, photo.size()));
}

// A gamma is read back as the curve it is, to within a level or two where
// the picture has pixels; the reference through it is the output.
TEST(ToneCurveTest, AGammaIsReadBack) {
  for (const char* name : {"coffee", "astronaut", "camera"}) {
    const cv::Mat plain = Enlarged(name);
    for (double gamma : {0.7, 1.4}) {
      const cv::Mat output = Gamma(plain, gamma);
      const ToneCurve curve = FitToneCurve(plain, output);
      EXPECT_GE(curve.rms_departure_8bit, 3 * kToneChange8bit) << name << " " << gamma;
      for (int v = 16; v <= 240; v += 16)
        EXPECT_NEAR(curve.output_at[size_t(v)], 255.0 * std::pow(v / 255.0, gamma), 3.0)
            << name << " gamma " << gamma << " level " << v;
      cv::Mat matched = plain.clone();
      ApplyToneCurve(curve, matched);
      cv::Mat diff;
      cv::absdiff(matched, output, diff);
      EXPECT_LT(cv::mean(diff)[0], 1.5) << name << " " << gamma;
    }
  }
}

// What changes no tone reads no tone change: the enlargement itself,
// sharpened, blurred, and a denoised output of a noisy input (whose noise
// would flatten a curve read pixel by pixel: the mean output at a noisy
// reference level regresses towards the middle).
// Fine textures too, whose smoother cells are still textured (a blur read
// as a compressing curve of 3.3 levels on gravel on 8-px cells alone, and
// QA took the lost detail for it).
TEST(ToneCurveTest, SharpeningBlurAndDenoisingAreNoToneChange) {
  for (const char* name : {"coffee", "astronaut", "camera", "gravel", "grass"}) {
    const cv::Mat plain = Enlarged(name);
    EXPECT_LT(FitToneCurve(plain, plain).rms_departure_8bit, 0.3) << name;  // levels read to the nearest
    cv::Mat sharp, blurred;
    testing::UnsharpMask(plain, 1.0, 1.5).convertTo(sharp, CV_32F);
    EXPECT_LT(FitToneCurve(plain, sharp).rms_departure_8bit, kToneChange8bit) << name;
    for (double sigma_px : {2.0, 3.0}) {
      cv::GaussianBlur(plain, blurred, cv::Size(), sigma_px);
      EXPECT_LT(FitToneCurve(plain, blurred).rms_departure_8bit, kToneChange8bit) << name << " σ " << sigma_px;
    }
    cv::Mat noise(plain.size(), CV_32FC1), noisy;
    cv::randn(noise, 0.0, 16.0);
    noisy = plain + noise;
    EXPECT_LT(FitToneCurve(noisy, plain).rms_departure_8bit, kToneChange8bit) << name;
  }
}

// At ×4 and ×8 a blur of one or two source px is 4–16 output px: the cells
// grow with the scale (at ×8 a σ of 8 px read 11.9 levels on 8-px cells),
// and a gamma still reads.
TEST(ToneCurveTest, CellsGrowWithTheScale) {
  for (const char* name : {"gravel", "coffee"}) {
    for (int scale : {4, 8}) {
      cv::Mat photo = testing::LoadPhoto(name), small;
      cv::resize(photo, small, photo.size() / 4, 0, 0, cv::INTER_AREA);
      const cv::Mat plain = LumaF32(PlainResize(small, small.size() * scale));
      for (double source_px : {1.0, 2.0}) {
        cv::Mat blurred;
        cv::GaussianBlur(plain, blurred, cv::Size(), source_px * scale);
        EXPECT_LT(FitToneCurve(plain, blurred, scale).rms_departure_8bit, kToneChange8bit)
            << name << " ×" << scale << " blur " << source_px;
      }
      EXPECT_GT(FitToneCurve(plain, Gamma(plain, 0.7), scale).rms_departure_8bit, 3 * kToneChange8bit)
          << name << " ×" << scale;
    }
  }
}

TEST(ToneCurveTest, EmptyOrMismatchedIsTheIdentity) {
  const ToneCurve none = FitToneCurve(cv::Mat(), cv::Mat());
  EXPECT_EQ(none.rms_departure_8bit, 0.0);
  EXPECT_EQ(none.output_at[77], 77.0f);
  const ToneCurve mismatched = FitToneCurve(cv::Mat(8, 8, CV_32FC1, 10.0f), cv::Mat(8, 9, CV_32FC1, 90.0f));
  EXPECT_EQ(mismatched.output_at[10], 10.0f);
  // One level held: its offset carried to every level.
  const ToneCurve flat = FitToneCurve(cv::Mat(32, 32, CV_32FC1, 100.0f), cv::Mat(32, 32, CV_32FC1, 110.0f));
  EXPECT_NEAR(flat.output_at[0], 10.0f, 1e-4);
  EXPECT_NEAR(flat.output_at[255], 255.0f, 1e-4);  // kept within 0–255, as an 8-bit output clips
  EXPECT_NEAR(flat.rms_departure_8bit, 10.0, 1e-6);
}

}  // namespace
}  // namespace acuity

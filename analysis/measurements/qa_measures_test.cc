// Ground truth for the measurements behind `acuity qa` (qa_measures.h):
// outputs made from an input by a known operation.
#include "analysis/measurements/qa_measures.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include <opencv2/imgproc.hpp>

#include "analysis/measurements/image_ops.h"
#include "analysis/measurements/noise_test_photos.h"

namespace acuity {
namespace {

using testing::AddNoise;
using testing::CleanCrop;

// A smooth ramp (no texture: every block is quiet), 8-bit BGR.
cv::Mat Ramp(int side) {
  cv::Mat ramp(side, side, CV_8UC3);
  for (int y = 0; y < side; ++y)
    for (int x = 0; x < side; ++x)
      ramp.at<cv::Vec3b>(y, x) = cv::Vec3b(static_cast<uchar>(60 + x / 4), static_cast<uchar>(90 + y / 4),
                                           static_cast<uchar>(120 + (x + y) / 8));
  return ramp;
}

// Issue #14: QA reported 0.00–0.07 on every damaged photo, whatever the
// noise. Output = input + independent noise of the input's σ: the output's
// noise is √2 the input's; a denoised output has less.
TEST(NoiseChange, MoreNoiseOfTheSameSigmaIsSqrtTwo) {
  for (const char* name : {"ramp", "coffee", "rocket"}) {
    SCOPED_TRACE(name);
    const cv::Mat clean = std::string(name) == "ramp" ? Ramp(256) : CleanCrop(name);
    ASSERT_FALSE(clean.empty());
    const cv::Mat input = AddNoise(clean, 4.0, 1);
    const cv::Mat noisier = AddNoise(input, 4.0, 2);
    const NoiseChange m = MeasureNoiseChange(LumaF32(input), LumaF32(noisier));
    ASSERT_TRUE(m.measured);
    // Luma noise of σ 4 per channel: 0.668 · 4 = 2.7 levels (noise.h).
    EXPECT_NEAR(m.sigma_input_8bit, 0.668 * 4.0, std::string(name) == "ramp" ? 0.3 : 0.8);
    EXPECT_NEAR(m.amplification, std::sqrt(2.0), std::string(name) == "ramp" ? 0.1 : 0.2);
    // Denoised: less noise than the input.
    cv::Mat denoised;
    cv::GaussianBlur(input, denoised, cv::Size(), 1.5);
    EXPECT_LT(MeasureNoiseChange(LumaF32(input), LumaF32(denoised)).amplification, 0.8);
    // Unchanged: 1.
    EXPECT_NEAR(MeasureNoiseChange(LumaF32(input), LumaF32(input)).amplification, 1.0, 1e-6);
  }
}

// A clean picture (noise under the 1-level floor) compared with itself reads
// 1 overall and in the shadows: `qa X X` read 0.76 and "in the shadows
// ×0.39" (each its own σ over the floor).
TEST(NoiseChange, ACleanPictureComparedWithItselfIsUnchanged) {
  for (const char* name : {"camera", "rocket", "astronaut"}) {
    cv::Mat clean;
    cv::resize(testing::LoadPhoto(name), clean, cv::Size(), 0.5, 0.5, cv::INTER_AREA);
    ASSERT_FALSE(clean.empty()) << name;
    const NoiseChange m = MeasureNoiseChange(LumaF32(clean), LumaF32(clean));
    ASSERT_TRUE(m.measured) << name;
    ASSERT_LT(m.sigma_input_8bit, 1.0) << name << ": not a clean picture";
    EXPECT_DOUBLE_EQ(m.amplification, 1.0) << name;
    if (m.shadow_amplification) {
      EXPECT_DOUBLE_EQ(*m.shadow_amplification, 1.0) << name;
    }
  }
}

}  // namespace
}  // namespace acuity

namespace acuity {
namespace {

// White noise of σ 1 as it is, and plainly enlarged: at the pixels' own
// scale its Sobel gradient energy is 2 × 12 σ² (each Sobel kernel's squared
// weights add up to 12); enlarged, each figure is what another, larger noise
// field (another seed) shows once resized the same way (within 10 %), and
// noise of σ n has n² times it. An enlargement does not lower the gradient's
// figure (Sobel's own smoothing passes the noise's low frequencies), it
// lowers the curvature's.
TEST(NoiseEnergyTest, WhiteNoiseHasTheSobelKernelsOwnEnergyAndASamplesWhenEnlarged) {
  EXPECT_NEAR(NoiseEnergyPerSigma2(1.0).gradient, 24.0, 2.4);
  for (double scale : {1.0, 2.0, 4.0}) {
    SCOPED_TRACE(scale);
    cv::Mat noise(256, 256, CV_32FC1);
    cv::RNG(99).fill(noise, cv::RNG::NORMAL, 0.0, 3.0);  // σ 3: 9 times the figures
    const cv::Mat big = PlainResize(noise, noise.size() * static_cast<int>(scale));
    cv::Mat gx, gy, smooth, lap;
    cv::Sobel(big, gx, CV_32F, 1, 0, 3);
    cv::Sobel(big, gy, CV_32F, 0, 1, 3);
    cv::GaussianBlur(big, smooth, cv::Size(), 0.7);
    cv::Laplacian(smooth, lap, CV_32F, 1);
    const cv::Rect inside(16, 16, big.cols - 32, big.rows - 32);
    const double gradient = cv::mean(cv::Mat(gx.mul(gx) + gy.mul(gy))(inside))[0] / 9.0;
    const double curvature = cv::mean(cv::Mat(lap.mul(lap))(inside))[0] / 9.0;
    const NoiseEnergy figure = NoiseEnergyPerSigma2(scale);
    EXPECT_NEAR(figure.gradient, gradient, 0.1 * gradient);
    EXPECT_NEAR(figure.curvature, curvature, 0.1 * curvature);
  }
  EXPECT_LT(NoiseEnergyPerSigma2(4.0).curvature, NoiseEnergyPerSigma2(1.0).curvature);
  // The same field every call: a figure, not a sample.
  EXPECT_EQ(NoiseEnergyPerSigma2(2.0).gradient, NoiseEnergyPerSigma2(2.0).gradient);
}

}  // namespace
}  // namespace acuity

// An image enlarged by one of acuity's own networks reads as upscaled
// (issue #25, "AI-upscaled files are recognised"): native scale ≈ 1/f, an
// upscale kind other than "none", and `advise` warns already_upscaled —
// while a native crop of the same photo does not. (The measurement's own tests, without a model,
// are in analysis/measurements/native_scale_test.cc; the accuracy on every
// model is datasets/ai_upscale_evaluate → datasets/RESULTS.md.)
#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "analysis/advice/advisor.h"
#include "analysis/measurements/analyze.h"
#include "enhance/upscale_test_options.h"
#include "enhance/upscaler.h"
#include "tests/testing/test_images.h"
#include "tests/testing/wrap_image.h"

namespace acuity {
namespace {

bool Warns(const Plan& plan, const std::string& code) {
  return std::any_of(plan.warnings.begin(), plan.warnings.end(), [&](const Warning& w) { return w.code == code; });
}

TEST(AiUpscaleDetectTest, SlimOutputsReadTheirFactorAndWarn) {
  // A 96-px crop of a photo the detector was not calibrated on.
  const cv::Mat source = testing::LoadPhoto("motorcycle_left")(cv::Rect(300, 150, 96, 96)).clone();
  AnalyzeOptions options;
  options.compute_maps = false;
  for (int f : {3, 4}) {  // ×4 repeats one column in four: read through the repeats
    absl::StatusOr<UpscaleResult> up = Upscale(source, TestUpscaleOptions("esrgan-slim", f));
    ASSERT_TRUE(up.ok()) << up.status();
    const AnalysisReport report = Analyze(testing::WrapPixels(up->pixels), options);
    ASSERT_TRUE(report.resolution.native_scale && report.resolution.upscale_kind);
    EXPECT_NEAR(*report.resolution.native_scale * f, 1.0, 0.2) << f << "×";  // within 20 % of 1/f
    // slim's output is soft: the interpolation test may read it first.
    EXPECT_NE(*report.resolution.upscale_kind, UpscaleKind::kNone) << f << "×";
    EXPECT_TRUE(Warns(Advise(report), "already_upscaled")) << f << "×";
  }

  // A native crop of the same photo, of the same size: not upscaled.
  const cv::Mat native = testing::LoadPhoto("motorcycle_left")(cv::Rect(150, 50, 288, 288)).clone();
  const AnalysisReport native_report = Analyze(testing::WrapPixels(native), options);
  ASSERT_TRUE(native_report.resolution.upscale_kind.has_value());
  EXPECT_EQ(*native_report.resolution.upscale_kind, UpscaleKind::kNone);
  EXPECT_FALSE(Warns(Advise(native_report), "already_upscaled"));
}

}  // namespace
}  // namespace acuity

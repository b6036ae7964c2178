// Rule tests of the advisor on measurement reports with known values. The
// scenario tests on real degraded photos are in advisor_scenario_test.cc.
#include "analysis/advice/advisor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace acuity {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> Ops(const Plan& plan) {
  std::vector<std::string> ops;
  for (const auto& s : plan.steps) ops.push_back(s.op);
  return ops;
}

bool HasWarning(const Plan& plan, const std::string& code) {
  for (const auto& w : plan.warnings)
    if (w.code == code) return true;
  return false;
}

// A clean, sharp, native 1000×750 photo; `target` optional.
AnalysisReport Report(const char* target = nullptr) {
  AnalysisReport r;
  r.input.width = 1000;
  r.input.height = 750;
  r.sharpness.blur_sigma_px = 0.7;
  r.noise.sigma = 1.5;
  r.compression.quality_source = "none";
  r.oversharpening.detected = false;
  r.oversharpening.overshoot_pct = 3;
  r.resolution.native_scale = 1.0;
  if (target) r.target = FitTarget(*ParseTargetSpec(target), 1000, 750);
  return r;
}

TEST(AdvisorTest, AlreadyFineIsAnEmptyPlan) {
  Plan plan = Advise(Report("1000x750"));
  EXPECT_TRUE(plan.steps.empty());
  EXPECT_TRUE(plan.warnings.empty());
  EXPECT_TRUE(Advise(Report()).steps.empty());
}

TEST(AdvisorTest, SmallAndSharpUpscalesThenSharpensLast) {
  Plan plan = Advise(Report("8x10in@300dpi"));  // 3000×2400 needs 3.2× → 4× then down
  EXPECT_THAT(Ops(plan), ElementsAre("upscale", "downscale", "sharpen"));
  EXPECT_DOUBLE_EQ(plan.steps[2].params["amount"].get<double>(), AdvisorThresholds().upscaled_sharpen_amount);
  EXPECT_EQ(plan.steps[0].params["factor"], 4);
  EXPECT_EQ(plan.steps[1].params["width_px"], 3200);
}

TEST(AdvisorTest, BigEnoughButSoftSharpensOnly) {
  AnalysisReport r = Report("6x4in@150dpi");  // 900×600 print: fits, no downscale
  r.sharpness.blur_sigma_px = 1.8;
  Plan plan = Advise(r);
  EXPECT_THAT(Ops(plan), ElementsAre("sharpen"));
  EXPECT_DOUBLE_EQ(plan.steps[0].params["amount"].get<double>(), AdvisorThresholds().soft_sharpen_amount);
}

TEST(AdvisorTest, SmallAndSoftUpscalesThenSharpens) {
  AnalysisReport r = Report("2000px");
  r.sharpness.blur_sigma_px = 1.6;
  Plan plan = Advise(r);
  EXPECT_THAT(Ops(plan), ElementsAre("upscale", "sharpen", "encode"));
  EXPECT_EQ(plan.steps[2].params["quality"], 80);
}

TEST(AdvisorTest, NoisyDenoisesBeforeAnythingElse) {
  AnalysisReport r = Report("2000px");
  r.noise.sigma = 12.4;
  r.sharpness.blur_sigma_px = 1.5;
  Plan plan = Advise(r);
  EXPECT_THAT(Ops(plan), ElementsAre("denoise", "upscale", "sharpen", "encode"));
  EXPECT_THAT(plan.steps[0].reason, ::testing::HasSubstr("noise σ 12.4 > 5"));
  EXPECT_DOUBLE_EQ(plan.steps[0].params["sigma"].get<double>(), 8.7);  // 70 % before an upscale
  // Soft: 120 %, scaled by 8/12.4 after denoising σ 12.4.
  EXPECT_DOUBLE_EQ(plan.steps[2].params["amount"].get<double>(), 0.77);
  EXPECT_THAT(plan.steps[2].reason, ::testing::HasSubstr("less after denoising"));
}

TEST(AdvisorTest, SharpensLessAfterDenoisingStrongNoise) {
  AnalysisReport r = Report("2000px");  // sharp: the post-upscale sharpen
  r.noise.sigma = 16;
  Plan plan = Advise(r);
  ASSERT_THAT(Ops(plan), ElementsAre("denoise", "upscale", "sharpen", "encode"));
  const AdvisorThresholds t;
  EXPECT_DOUBLE_EQ(plan.steps[2].params["amount"].get<double>(),
                   t.upscaled_sharpen_amount * t.sharpen_after_denoise_full_below_sigma_8bit / 16);
  r.noise.sigma = 7;  // denoised, but weak noise: the full amount
  plan = Advise(r);
  ASSERT_THAT(Ops(plan), ElementsAre("denoise", "upscale", "sharpen", "encode"));
  EXPECT_DOUBLE_EQ(plan.steps[2].params["amount"].get<double>(), t.upscaled_sharpen_amount);
  EXPECT_THAT(plan.steps[2].reason, ::testing::Not(::testing::HasSubstr("less after denoising")));
}

TEST(AdvisorTest, HeavyJpegDeblocksFirst) {
  AnalysisReport r = Report("2000px");
  r.compression.jpeg_quality_estimate = 18;
  r.compression.quality_source = "quant_tables";
  r.noise.sigma = 7;
  Plan plan = Advise(r);
  EXPECT_THAT(Ops(plan), ElementsAre("deblock", "denoise", "upscale", "sharpen", "encode"));
  EXPECT_TRUE(HasWarning(plan, "heavy_jpeg"));
}

TEST(AdvisorTest, OversharpenedGetsNoSharpenAndAWarning) {
  AnalysisReport r = Report("6x4in@150dpi");
  r.sharpness.blur_sigma_px = 1.5;
  r.oversharpening.detected = true;
  r.oversharpening.overshoot_pct = 35;
  Plan plan = Advise(r);
  EXPECT_THAT(Ops(plan), ElementsAre());
  EXPECT_TRUE(HasWarning(plan, "oversharpened_input"));
}

TEST(AdvisorTest, SixTimesIsTwoPasses) {
  Plan plan = Advise(Report("6000x4500"));
  ASSERT_THAT(Ops(plan), ElementsAre("upscale", "upscale", "sharpen", "encode"));
  EXPECT_EQ(plan.steps[0].params["factor"].get<int>() * plan.steps[1].params["factor"].get<int>(), 6);
  EXPECT_TRUE(HasWarning(plan, "scale_above_4x"));
  EXPECT_TRUE(HasWarning(plan, "invented_detail"));
}

TEST(AdvisorTest, SevereBlurWarns) {
  AnalysisReport r = Report("6x4in@150dpi");
  r.sharpness.blur_sigma_px = 3.6;
  Plan plan = Advise(r);
  EXPECT_TRUE(HasWarning(plan, "severe_blur"));
  EXPECT_THAT(Ops(plan), ElementsAre("sharpen"));
}

TEST(AdvisorTest, AlreadyUpscaledWarnsWithNativeSize) {
  AnalysisReport r = Report("2400px");
  r.resolution.native_scale = 0.5;
  Plan plan = Advise(r);
  ASSERT_TRUE(HasWarning(plan, "already_upscaled"));
  // 2.4× of an image whose detail is that of 500 px: 4.8× from native.
  EXPECT_TRUE(HasWarning(plan, "invented_detail"));
  EXPECT_FALSE(HasWarning(Advise(Report("2400px")), "invented_detail"));
}

TEST(AdvisorTest, FarTooBigComesDown) {
  AnalysisReport r = Report("400px");
  Plan plan = Advise(r);
  ASSERT_THAT(Ops(plan), ElementsAre("downscale", "encode"));
  EXPECT_EQ(plan.steps[0].params["width_px"], 400);
  EXPECT_EQ(plan.steps[0].params["height_px"], 300);
}

}  // namespace
}  // namespace acuity

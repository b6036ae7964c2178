// Rule tests of the advisor's noise decisions (the denoise step, the model
// a damaged input gets, the sharpen after a denoise) on measurement reports
// with known values.
#include "analysis/advice/advisor.h"

#include <cmath>
#include <string>
#include <variant>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "analysis/advice/advisor_test_util.h"
#include "analysis/advice/plan_ops.h"

namespace acuity {
namespace {

using ::testing::ElementsAre;
using advisor_test::Ops;
using advisor_test::Report;

TEST(AdvisorTest, NoisyDenoisesBeforeAnythingElse) {
  // 2000×1500 → 4000 px: too large for realesr-general-x4v3 within the time
  // budget, so an ESRGAN runs and the sharpen rules apply. (A smaller damaged
  // input goes to general-x4v3 with no sharpen after it: models/RESULTS.md,
  // "Damaged photos", row general+advised; ChoosesTheModelByTheDamage.)
  AnalysisReport r = Report("4000px", 2000, 1500);
  r.noise.sigma = 12.4;
  r.sharpness.blur_sigma_px = 1.5;
  Plan plan = Advise(r);
  EXPECT_THAT(Ops(plan), ElementsAre("denoise", "upscale", "sharpen", "encode"));
  EXPECT_THAT(plan.steps[0].reason, ::testing::HasSubstr("noise σ 12.4 > 5"));
  EXPECT_DOUBLE_EQ(*std::get<DenoiseStep>(plan.steps[0].params).sigma, 8.7);  // 70 % before an upscale
  // Soft: 120 %, scaled by 8/12.4 after denoising σ 12.4.
  EXPECT_DOUBLE_EQ(std::get<SharpenStep>(plan.steps[2].params).amount, 0.77);
  EXPECT_THAT(plan.steps[2].reason, ::testing::HasSubstr("less after denoising"));
  EXPECT_THAT(plan.steps[0].reason, ::testing::HasSubstr("denoise before upscaling and sharpening"));
}

// The denoise step names the later steps that would enlarge the grain, and
// none when there are none (the walk's "denoise before sharpening" in a
// plan with no sharpen step).
TEST(AdvisorTest, DenoiseSaysWhatItComesBefore) {
  AnalysisReport sharp = Report();
  sharp.noise.sigma = 9;
  Plan alone = Advise(sharp);
  ASSERT_THAT(Ops(alone), ElementsAre("denoise"));
  EXPECT_THAT(alone.steps[0].reason, ::testing::HasSubstr("denoise, or the grain shows"));
  EXPECT_THAT(alone.steps[0].reason, ::testing::Not(::testing::HasSubstr("before")));

  AnalysisReport soft = sharp;
  soft.sharpness.blur_sigma_px = 1.8;
  Plan then_sharpen = Advise(soft);
  ASSERT_THAT(Ops(then_sharpen), ElementsAre("denoise", "sharpen"));
  EXPECT_THAT(then_sharpen.steps[0].reason, ::testing::HasSubstr("denoise before sharpening, or it enlarges"));
}

TEST(AdvisorTest, SharpensLessAfterDenoisingStrongNoise) {
  // 2000×1500 → 4000 px: too large for realesr-general-x4v3 within the time
  // budget, so an ESRGAN runs and the sharpen rules apply. (A smaller damaged
  // input goes to general-x4v3 with no sharpen after it: models/RESULTS.md,
  // "Damaged photos", row general+advised; ChoosesTheModelByTheDamage.)
  AnalysisReport r = Report("4000px", 2000, 1500);  // sharp: the post-upscale sharpen
  r.noise.sigma = 16;
  Plan plan = Advise(r);
  ASSERT_THAT(Ops(plan), ElementsAre("denoise", "upscale", "sharpen", "encode"));
  const AdvisorThresholds t;
  EXPECT_DOUBLE_EQ(std::get<SharpenStep>(plan.steps[2].params).amount,
                   t.upscaled_sharpen_amount * t.sharpen_after_denoise_full_below_sigma_8bit / 16);
  r.noise.sigma = 7;  // denoised, but weak noise: the full amount
  plan = Advise(r);
  ASSERT_THAT(Ops(plan), ElementsAre("denoise", "upscale", "sharpen", "encode"));
  EXPECT_DOUBLE_EQ(std::get<SharpenStep>(plan.steps[2].params).amount, t.upscaled_sharpen_amount);
  EXPECT_THAT(plan.steps[2].reason, ::testing::Not(::testing::HasSubstr("less after denoising")));
}

// A walk (#25): noise in the shadows alone (σ 13.5 there, 1.7 overall) was
// denoised at its own σ, but the model choice and the sharpen after the
// denoise read the overall 1.7: esrgan-thick for a damaged input, and the
// full sharpen after removing σ 13.5. All three read the same noise now.
TEST(AdvisorTest, NoiseInTheShadowsDecidesTheModelAndTheSharpenToo) {
  AnalysisReport r = Report();
  r.input.width = 500, r.input.height = 375;
  r.target = FitTarget(*ParseTargetSpec("1000px"), 500, 375);
  r.noise.sigma = 1.7;
  r.noise.level_function = {{0, 42.5, 13.5}, {42.5, 85, 6.0}, {85, 127.5, 1.0}, {127.5, 170, 0.5}};
  Plan plan = Advise(r);
  ASSERT_FALSE(plan.steps.empty());
  const UpscaleStep* up = nullptr;
  for (const PlanStep& step : plan.steps)
    if (const auto* u = std::get_if<UpscaleStep>(&step.params)) up = u;
  ASSERT_NE(up, nullptr);
  EXPECT_EQ(up->model, "realesr-general-x4v3");  // a damaged input, within the budget
  // Too large for general-x4v3 in the budget: an ESRGAN, after a denoise,
  // and the sharpen after it reduced by the σ removed.
  AnalysisReport big = Report("4000px", 2000, 1500);
  big.noise.sigma = 1.7;
  big.noise.level_function = r.noise.level_function;
  plan = Advise(big);
  ASSERT_THAT(Ops(plan), ElementsAre("denoise", "upscale", "sharpen", "encode"));
  const AdvisorThresholds t;
  EXPECT_DOUBLE_EQ(std::get<SharpenStep>(plan.steps[2].params).amount,
                   std::round(t.upscaled_sharpen_amount * t.sharpen_after_denoise_full_below_sigma_8bit / 13.5 * 100) /
                       100);
  // Noise in the colour alone (luma σ 0.86 of 15.9): the denoise leaves the
  // luma be, and the sharpen of the luma has nothing to bring back.
  AnalysisReport colour = Report("4000px", 2000, 1500);
  colour.noise.sigma = 15.9, colour.noise.luma_sigma = 0.86, colour.noise.chroma_sigma = 11.9;
  plan = Advise(colour);
  ASSERT_THAT(Ops(plan), ElementsAre("denoise", "upscale", "sharpen", "encode"));
  EXPECT_DOUBLE_EQ(std::get<SharpenStep>(plan.steps[2].params).amount, t.upscaled_sharpen_amount);
}

}  // namespace
}  // namespace acuity

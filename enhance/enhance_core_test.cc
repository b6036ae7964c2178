#include "enhance/enhance_core.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "analysis/advice/plan_ops.h"
#include "tests/testing/add_noise.h"
#include "tests/testing/test_images.h"
#include "tests/testing/wrap_image.h"

namespace acuity {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> Ops(const Plan& plan) {
  std::vector<std::string> ops;
  for (const PlanStep& s : plan.steps)
    if (!std::holds_alternative<EncodeStep>(s.params)) ops.push_back(std::string(OpOf(s).name));
  return ops;
}

// --plan auto --model M: the advisor writes the plan for the model the user
// chose (`acuity enhance` and `acuity batch --do enhance` both come here), so
// a model that repairs nothing itself gets the denoise before it, and
// Real-ESRGAN (the advisor's own choice for a small noisy photo) gets none.
TEST(PrepareEnhanceTest, TheAdvisedPlanFollowsTheChosenModel) {
  cv::Mat photo = testing::LoadPhoto("coffee");
  ASSERT_FALSE(photo.empty());
  cv::resize(photo, photo, cv::Size(200, 133), 0, 0, cv::INTER_AREA);
  const Image noisy = testing::WrapPixels(testing::AddNoise(photo, 12.0, 3));
  EnhanceSpec spec;
  spec.target = *ParseTargetSpec("400px");
  spec.output_path = "out.png";
  spec.output_format = ImageFormat::kPng;

  absl::StatusOr<PreparedEnhance> advised = PrepareEnhance(noisy, spec);
  ASSERT_TRUE(advised.ok()) << advised.status();
  EXPECT_THAT(Ops(advised->prepared.plan), ElementsAre("upscale"));
  EXPECT_EQ(std::get<UpscaleStep>(advised->prepared.plan.steps[0].params).model, "realesr-general-x4v3");

  spec.options.upscale.model = "esrgan-slim";
  absl::StatusOr<PreparedEnhance> chosen = PrepareEnhance(noisy, spec);
  ASSERT_TRUE(chosen.ok()) << chosen.status();
  const std::vector<std::string> ops = Ops(chosen->prepared.plan);
  ASSERT_GE(ops.size(), 2u);
  EXPECT_EQ(ops[0], "denoise");
  EXPECT_EQ(ops[1], "upscale");
  EXPECT_EQ(std::get<UpscaleStep>(chosen->prepared.plan.steps[1].params).model, "esrgan-slim");
}

}  // namespace
}  // namespace acuity

#include "enhance/plan_preparation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "analysis/advice/parse_steps.h"
#include "analysis/advice/plan_ops.h"
#include "enhance/model_registry.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Plan Steps(const char* text) {
  absl::StatusOr<Plan> plan = ParseSteps(text);
  EXPECT_TRUE(plan.ok()) << plan.status();
  return plan.ok() ? *plan : Plan{};
}

std::vector<std::string> Ops(const Plan& plan) {
  std::vector<std::string> ops;
  for (const PlanStep& s : plan.steps) ops.push_back(std::string(OpOf(s).name));
  return ops;
}

PlanContext Context(PlanSource source, cv::Size size = {400, 300}) {
  PlanContext context;
  context.source = source;
  context.image_size = size;
  context.output_path = "out.png";
  context.output_format = ImageFormat::kPng;
  return context;
}

TEST(PreparePlanTest, FactorlessUpscaleTakesTheTargetsFactor) {
  PlanContext context = Context(PlanSource::kExplicitSteps);
  context.target = *ParseTargetSpec("1000x750");
  auto prepared = PreparePlan(Steps("upscale:model=esrgan-slim,sharpen"), context);
  ASSERT_TRUE(prepared.ok()) << prepared.status();
  const auto& up = std::get<UpscaleStep>(prepared->plan.steps[0].params);
  ASSERT_TRUE(up.factor.has_value());
  EXPECT_DOUBLE_EQ(*up.factor, 2.5);
  EXPECT_EQ(up.model, "esrgan-slim");
  EXPECT_THAT(prepared->plan.steps[0].reason, HasSubstr("1000×750 px: 2.50×"));
  EXPECT_TRUE(prepared->notes.empty());
}

TEST(PreparePlanTest, FactorlessUpscaleIsDroppedWhenTheTargetIsCovered) {
  PlanContext context = Context(PlanSource::kExplicitSteps, {4000, 3000});
  context.target = *ParseTargetSpec("1000x750");
  auto prepared = PreparePlan(Steps("upscale,sharpen"), context);
  ASSERT_TRUE(prepared.ok()) << prepared.status();
  EXPECT_THAT(Ops(prepared->plan), ElementsAre("sharpen"));
  ASSERT_EQ(prepared->notes.size(), 1u);
  EXPECT_THAT(prepared->notes[0], HasSubstr("no upscaling needed"));
}

// crop and pad without a size take the target's: the window of its aspect
// (a 16:9 window of a 4:3 image) and its canvas; a crop with nothing to cut
// is dropped with a note.
TEST(PreparePlanTest, SizelessCropAndPadTakeTheTargets) {
  PlanContext context = Context(PlanSource::kExplicitSteps, {400, 300});
  context.target = *ParseTargetSpec("1920x1080");
  auto prepared = PreparePlan(Steps("crop,upscale:model=esrgan-slim,pad:color=black"), context);
  ASSERT_TRUE(prepared.ok()) << prepared.status();
  const auto& crop = std::get<CropStep>(prepared->plan.steps[0].params);
  EXPECT_EQ(crop.width_px, 400);
  EXPECT_EQ(crop.height_px, 225);
  EXPECT_DOUBLE_EQ(*std::get<UpscaleStep>(prepared->plan.steps[1].params).factor, 4.8);  // for what is kept
  const auto& pad = std::get<PadStep>(prepared->plan.steps[2].params);
  EXPECT_EQ(pad.width_px, 1920);
  EXPECT_EQ(pad.height_px, 1080);
  EXPECT_EQ(pad.color, "black");

  context.target = *ParseTargetSpec("800x600");
  prepared = PreparePlan(Steps("crop,sharpen"), context);
  ASSERT_TRUE(prepared.ok()) << prepared.status();
  EXPECT_THAT(Ops(prepared->plan), ElementsAre("sharpen"));
  ASSERT_EQ(prepared->notes.size(), 1u);
  EXPECT_THAT(prepared->notes[0], HasSubstr("nothing to crop"));

  auto untargeted = PreparePlan(Steps("pad"), Context(PlanSource::kExplicitSteps));
  EXPECT_EQ(untargeted.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(untargeted.status().message()), HasSubstr("pad without a size needs --target"));
}

TEST(PreparePlanTest, FactorlessUpscaleWithoutATargetIsAUsageError) {
  auto prepared = PreparePlan(Steps("upscale"), Context(PlanSource::kExplicitSteps));
  EXPECT_EQ(prepared.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(prepared.status().message()), HasSubstr("needs --target"));
}

TEST(PreparePlanTest, TheModelChoiceReplacesOnlyTheAdvisorsModels) {
  Plan advised;
  UpscaleStep up;
  up.factor = 2;
  up.model = "esrgan-thick";
  advised.steps.push_back({up, "the advisor's"});
  PlanContext context = Context(PlanSource::kAdvisor);
  context.upscale.model = "esrgan-slim";
  auto prepared = PreparePlan(advised, context);
  ASSERT_TRUE(prepared.ok()) << prepared.status();
  EXPECT_EQ(std::get<UpscaleStep>(prepared->plan.steps[0].params).model, "esrgan-slim");

  context.source = PlanSource::kExplicitSteps;  // the user's own step keeps its model
  prepared = PreparePlan(advised, context);
  ASSERT_TRUE(prepared.ok()) << prepared.status();
  EXPECT_EQ(std::get<UpscaleStep>(prepared->plan.steps[0].params).model, "esrgan-thick");
}

TEST(PreparePlanTest, AnEncodeStepMustAgreeWithTheOutput) {
  const PlanContext explicit_steps = Context(PlanSource::kExplicitSteps);
  auto mismatch = PreparePlan(Steps("sharpen,encode:jpeg:85"), explicit_steps);
  EXPECT_EQ(mismatch.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(mismatch.status().message()),
              HasSubstr("the step encode:jpeg does not match the output out.png (a png file)"));
  EXPECT_TRUE(PreparePlan(Steps("sharpen,encode:png"), explicit_steps).ok());

  // The advisor's suggestion gives way, with a note.
  auto advised = PreparePlan(Steps("sharpen,encode:jpeg:80"), Context(PlanSource::kAdvisor));
  ASSERT_TRUE(advised.ok()) << advised.status();
  const auto& encode = std::get<EncodeStep>(advised->plan.steps[1].params);
  EXPECT_EQ(encode.format, ImageFormat::kPng);
  EXPECT_FALSE(encode.quality.has_value());
  ASSERT_EQ(advised->notes.size(), 1u);
  EXPECT_EQ(advised->notes[0], "the plan suggests encode jpeg quality 80 for this target; writing png as out.png asks");

  // Only the format gives way: a marketplace's conversion to sRGB and its
  // file-size limit still hold in the format the user asked for.
  Plan shop;
  EncodeStep suggested{ImageFormat::kPng, std::nullopt, 10 << 20, "srgb", std::nullopt};
  shop.steps.push_back({suggested, "Amazon main product image"});
  PlanContext jpeg_out = Context(PlanSource::kAdvisor);
  jpeg_out.output_format = ImageFormat::kJpeg;
  jpeg_out.output_path = "out.jpg";
  auto kept = PreparePlan(shop, jpeg_out);
  ASSERT_TRUE(kept.ok()) << kept.status();
  const auto& jpeg = std::get<EncodeStep>(kept->plan.steps[0].params);
  EXPECT_EQ(jpeg.format, ImageFormat::kJpeg);
  EXPECT_EQ(jpeg.color_space, "srgb");
  EXPECT_EQ(jpeg.max_bytes, 10 << 20);

  PlanContext no_output = explicit_steps;  // nothing to agree with yet
  no_output.output_format.reset();
  EXPECT_TRUE(PreparePlan(Steps("encode:jpeg"), no_output).ok());
}

TEST(PreparePlanTest, ModelsAreCheckedWithCodesThatSayWhatWentWrong) {
  PlanContext context = Context(PlanSource::kExplicitSteps);
  context.upscale.model = "esrgan-huge";
  auto unknown = PreparePlan(Steps("upscale:2"), context);
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(unknown.status().message()),
              HasSubstr(absl::StrCat("unknown model 'esrgan-huge' (", absl::StrJoin(BuiltinModelNames(), ", "),
                                     ", or a TorchScript")));

  context.upscale.model = "/nowhere/mine.pt";
  auto missing = PreparePlan(Steps("upscale:2"), context);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(missing.status().message()), HasSubstr("/nowhere/mine.pt: "));

  testing::ScratchDir dir;  // a file, but its input range is not known
  testing::WriteBytes(dir.Path("mine.pt"), "weights");
  context.upscale.model = dir.Path("mine.pt");
  auto no_range = PreparePlan(Steps("upscale:2"), context);
  EXPECT_EQ(no_range.status().code(), absl::StatusCode::kInvalidArgument);

  context.upscale.model = "esrgan-huge";  // no upscale step: no model to check
  EXPECT_TRUE(PreparePlan(Steps("sharpen"), context).ok());
  EXPECT_TRUE(CheckModels(Steps("upscale:2:esrgan-medium"), {}).ok());
}

}  // namespace
}  // namespace acuity

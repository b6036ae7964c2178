// ParseSteps: the grammar, every spelling it accepts, and its errors (moved
// from enhance/pipeline_test.cc with every assertion, now on typed steps).
#include "analysis/advice/parse_steps.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "analysis/advice/plan_ops.h"
#include "analysis/json/plan_json.h"

namespace acuity {
namespace {

using ::testing::HasSubstr;

template <typename Step>
const Step& At(const absl::StatusOr<Plan>& plan, size_t i) {
  return std::get<Step>(plan->steps.at(i).params);
}

std::string Op(const absl::StatusOr<Plan>& plan, size_t i) { return std::string(OpOf(plan->steps.at(i)).name); }

TEST(ParseStepsTest, TheFullExample) {
  auto plan = ParseSteps("upscale:4,sharpen:0.4,denoise:12,deblock,downscale:0.5,encode:jpeg:85");
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_EQ(plan->steps.size(), 6u);
  EXPECT_EQ(Op(plan, 0), "upscale");
  EXPECT_EQ(At<UpscaleStep>(plan, 0).factor, 4.0);
  EXPECT_EQ(Op(plan, 1), "sharpen");
  EXPECT_EQ(At<SharpenStep>(plan, 1).amount, 0.4);
  EXPECT_EQ(At<SharpenStep>(plan, 1).radius, 1.0);  // default filled in
  EXPECT_EQ(At<DenoiseStep>(plan, 2).sigma, 12.0);
  EXPECT_EQ(Op(plan, 3), "deblock");
  EXPECT_FALSE(At<DeblockStep>(plan, 3).quality.has_value());  // nothing given: the file's tables
  EXPECT_EQ(At<DeblockStep>(plan, 3).strength, 1.0);            // ... at full strength
  EXPECT_EQ(At<DownscaleStep>(plan, 4).factor, 0.5);
  EXPECT_EQ(At<EncodeStep>(plan, 5).format, ImageFormat::kJpeg);
  EXPECT_EQ(At<EncodeStep>(plan, 5).quality, 85);
  for (const PlanStep& step : plan->steps) EXPECT_EQ(step.reason, "given on the command line");
}

TEST(ParseStepsTest, OtherSpellings) {
  auto plan = ParseSteps(" upscale:x3:esrgan-thick , sharpen:amount=30%:radius=1.5,downscale:1600x1200,"
                         "upscale:factor=2:model=/m/mine.pt,deblock:strength=0.5,encode:JPG,upscale");
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_EQ(plan->steps.size(), 7u);
  EXPECT_EQ(At<UpscaleStep>(plan, 0).factor, 3.0);
  EXPECT_EQ(At<UpscaleStep>(plan, 0).model, "esrgan-thick");
  EXPECT_DOUBLE_EQ(At<SharpenStep>(plan, 1).amount, 0.3);
  EXPECT_EQ(At<SharpenStep>(plan, 1).radius, 1.5);
  EXPECT_EQ(At<DownscaleStep>(plan, 2).width_px, 1600);
  EXPECT_EQ(At<DownscaleStep>(plan, 2).height_px, 1200);
  EXPECT_EQ(At<UpscaleStep>(plan, 3).model, "/m/mine.pt");
  EXPECT_EQ(At<DeblockStep>(plan, 4).strength, 0.5);
  EXPECT_EQ(At<EncodeStep>(plan, 5).format, ImageFormat::kJpeg);
  EXPECT_FALSE(At<UpscaleStep>(plan, 6).factor.has_value());  // the target decides
}

TEST(ParseStepsTest, MoreSpellings) {
  auto plan = ParseSteps("upscale:4x,upscale:2×,sharpen:0.5:radius=2,encode:tif,downscale:x0.25,"
                         "sharpen:amount=0.3:1.5,DENOISE:sigma=4");
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(At<UpscaleStep>(plan, 0).factor, 4.0);
  EXPECT_EQ(At<UpscaleStep>(plan, 1).factor, 2.0);
  EXPECT_EQ(At<SharpenStep>(plan, 2).radius, 2.0);
  EXPECT_EQ(At<EncodeStep>(plan, 3).format, ImageFormat::kTiff);
  EXPECT_EQ(At<DownscaleStep>(plan, 4).factor, 0.25);
  EXPECT_EQ(At<SharpenStep>(plan, 5).radius, 1.5);  // the second value is the radius
  EXPECT_EQ(At<DenoiseStep>(plan, 6).sigma, 4.0);
}

TEST(ParseStepsTest, ClearErrors) {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"blur:2", "unknown operation 'blur'"},
      {"sharpen:abc", "amount 'abc' is not a number"},
      {"upscale:0.5", "outside 1–16"},
      {"downscale:2", "use upscale to enlarge"},
      {"encode:gif", "unknown format 'gif'"},
      {"sharpen:0.4:1:3", "too many values"},
      {"sharpen,,denoise", "empty step"},
      {"downscale", "downscale needs a factor"},
      {"denoise:sigma=", "sigma is empty"},
      {"sharpen:depth=2", "sharpen has no parameter 'depth'"},
      {"deblock:150", "quality 150 is outside 1–100"},
      {"", "no steps given"},
      {"encode", "encode needs a format"},
      {"downscale:16x0", "is not a size like 1600x1200"},
      {"downscale:width_px=10.5", "outside ≥ 1 px"},
      {"sharpen:0.4:0.1", "radius 0.1 is outside 0.3–50 px"},
      {"denoise:0", "outside (0, 100] 8-bit levels"},
      {"pad:2000x2000:purple", "unknown colour 'purple'"},
      {"resize", "resize needs a size"},
      {"crop:x_px=-1", "outside ≥ 0 px"},
  };
  for (const auto& [steps, message] : cases) {
    auto plan = ParseSteps(steps);
    ASSERT_FALSE(plan.ok()) << steps;
    EXPECT_EQ(plan.status().code(), absl::StatusCode::kInvalidArgument) << steps;
    EXPECT_THAT(std::string(plan.status().message()), HasSubstr(message)) << steps;
  }
}

// The steps that reconcile a target's aspect: a size as WxH, a colour, and
// the crop's corner by name.
TEST(ParseStepsTest, CropResizeAndPad) {
  auto plan = ParseSteps("crop:1500x844:y_px=78,upscale:3,resize:451x300,pad:2000x2000:#F0F0F0,crop,pad");
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(At<CropStep>(plan, 0).width_px, 1500);
  EXPECT_EQ(At<CropStep>(plan, 0).height_px, 844);
  EXPECT_EQ(At<CropStep>(plan, 0).y_px, 78);
  EXPECT_FALSE(At<CropStep>(plan, 0).x_px.has_value());
  EXPECT_EQ(At<ResizeStep>(plan, 2).height_px, 300);
  EXPECT_EQ(At<PadStep>(plan, 3).color, "#F0F0F0");
  EXPECT_FALSE(At<CropStep>(plan, 4).width_px.has_value());  // from --target
  EXPECT_EQ(At<PadStep>(plan, 5).color, "white");
}

// The JSON form of parsed steps: the table's names, only what was given or defaulted.
TEST(ParseStepsTest, ParsedStepsHaveTheTablesJsonNames) {
  auto plan = ParseSteps("downscale:1600x1200,encode:png:90,upscale:2.5:esrgan-slim");
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(StepToJson(plan->steps[0])["params"],
            nlohmann::json({{"width_px", 1600}, {"height_px", 1200}}));
  EXPECT_EQ(StepToJson(plan->steps[1])["params"], nlohmann::json({{"format", "png"}, {"quality", 90}}));
  EXPECT_EQ(StepToJson(plan->steps[2]).dump(),
            R"({"op":"upscale","params":{"factor":2.5,"model":"esrgan-slim"},"reason":"given on the command line"})");
}

}  // namespace
}  // namespace acuity

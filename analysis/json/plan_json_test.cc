#include "analysis/json/plan_json.h"

#include <gtest/gtest.h>

namespace acuity {
namespace {

// The steps as the advisor writes them, in the exact form `advise --json`
// has always printed (scripts read it): whole upscale factors as integers,
// qualities and other figures as reals, sizes as integers.
TEST(PlanJsonTest, TheFormAdviseJsonHasAlwaysPrinted) {
  Plan plan;
  plan.steps.push_back({DeblockStep{18, 1.0}, "r1"});
  plan.steps.push_back({DenoiseStep{8.7}, "r2"});
  plan.steps.push_back({UpscaleStep{4, "esrgan-medium"}, "r3"});
  plan.steps.push_back({DownscaleStep{0.8, 3200, 2400}, "r4"});
  plan.steps.push_back({SharpenStep{0.8, 1.68}, "r5"});
  plan.steps.push_back({EncodeStep{ImageFormat::kJpeg, 80}, "r6"});
  plan.warnings.push_back({"heavy_jpeg", "m"});
  EXPECT_EQ(PlanToJson(plan).dump(),
            R"({"steps":[)"
            R"({"op":"deblock","params":{"quality":18.0,"strength":1.0},"reason":"r1"},)"
            R"({"op":"denoise","params":{"sigma":8.7},"reason":"r2"},)"
            R"({"op":"upscale","params":{"factor":4,"model":"esrgan-medium"},"reason":"r3"},)"
            R"({"op":"downscale","params":{"factor":0.8,"height_px":2400,"width_px":3200},"reason":"r4"},)"
            R"({"op":"sharpen","params":{"amount":0.8,"radius":1.68},"reason":"r5"},)"
            R"({"op":"encode","params":{"format":"jpeg","quality":80.0},"reason":"r6"}],)"
            R"("warnings":[{"code":"heavy_jpeg","message":"m"}]})");
}

// A deblock step with the file's own tables names no quality.
TEST(PlanJsonTest, AbsentParametersAreLeftOut) {
  EXPECT_EQ(StepToJson({DeblockStep{std::nullopt, 0.8}, "r"})["params"].dump(), R"({"strength":0.8})");
  EXPECT_EQ(StepToJson({DenoiseStep{}, "r"})["params"].dump(), "{}");
  EXPECT_EQ(StepToJson({UpscaleStep{2.5, ""}, "r"})["params"].dump(), R"({"factor":2.5})");
  EXPECT_EQ(PlanToJson(Plan{}).dump(), R"({"steps":[],"warnings":[]})");
}

}  // namespace
}  // namespace acuity

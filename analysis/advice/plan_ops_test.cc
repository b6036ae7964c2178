#include "analysis/advice/plan_ops.h"

#include <cstdlib>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace acuity {
namespace {

using ::testing::HasSubstr;

// The table and the StepParams alternatives are in the same order, and
// every op makes its own kind of step.
TEST(PlanOpsTest, TableFollowsTheVariant) {
  ASSERT_EQ(PlanOps().size(), std::variant_size_v<StepParams>);
  for (size_t i = 0; i < PlanOps().size(); ++i) {
    const OpSpec& op = PlanOps()[i];
    EXPECT_EQ(op.make().index(), i) << op.name;
    EXPECT_EQ(&OpOf(op.make()), &op);
    EXPECT_EQ(FindOp(op.name), &op);
  }
  EXPECT_EQ(FindOp("blur"), nullptr);
  EXPECT_EQ(KnownOpNames(), "undither, deblock, denoise, crop, upscale, downscale, resize, nearest, sharpen, pad, encode");
}

// Every parameter reads back what was written into the typed step; the
// positional ones come first.
TEST(PlanOpsTest, EveryParameterRoundTrips) {
  for (const OpSpec& op : PlanOps()) {
    bool named_only = false;
    for (const ParamSpec& p : op.params) {
      EXPECT_FALSE(named_only && p.positional) << op.name << "." << p.name << ": positional after named";
      named_only = named_only || !p.positional;
      EXPECT_FALSE(p.doc.empty()) << op.name << "." << p.name;
      EXPECT_FALSE(p.range.empty()) << op.name << "." << p.name;
      StepParams step = op.make();
      ParamValue value = p.kind == ParamKind::kText     ? ParamValue(std::string("esrgan-medium"))
                         : p.kind == ParamKind::kFormat ? ParamValue(std::string("webp"))
                         : p.kind == ParamKind::kColor  ? ParamValue(std::string("#102030"))
                                                        : ParamValue(p.max);
      p.set(step, value);
      const std::optional<ParamValue> back = p.get(step);
      ASSERT_TRUE(back.has_value()) << op.name << "." << p.name;
      EXPECT_EQ(*back, value) << op.name << "." << p.name;
    }
  }
}

// The text forms the advisor's plan text is made of (exactly as before the
// table; `acuity advise` prints them).
TEST(PlanOpsTest, StepText) {
  DeblockStep deblock;
  deblock.strength = 0.8;
  EXPECT_EQ(StepText({deblock, ""}), "deblock (strength 0.80)");
  DenoiseStep denoise;
  denoise.sigma = 8.7;
  EXPECT_EQ(StepText({denoise, ""}), "denoise (σ 8.7)");
  EXPECT_EQ(StepText({DenoiseStep{}, ""}), "denoise (σ measured)");
  UpscaleStep up;
  up.factor = 3;
  up.model = "esrgan-thick";
  EXPECT_EQ(StepText({up, ""}), "upscale ×3 (esrgan-thick)");
  up.model.clear();
  EXPECT_EQ(StepText({up, ""}), "upscale ×3 (auto)");
  DownscaleStep down;
  down.factor = 0.8;
  EXPECT_EQ(StepText({down, ""}), "downscale ×0.8 (area)");
  down.width_px = 3200;
  down.height_px = 2400;
  EXPECT_EQ(StepText({down, ""}), "downscale to 3200×2400 px (area)");
  SharpenStep sharpen;
  sharpen.amount = 0.77;
  sharpen.radius = 2.24;
  EXPECT_EQ(StepText({sharpen, ""}), "sharpen 77 %, radius 2.24 px");
  EncodeStep encode;
  encode.quality = 80;
  EXPECT_EQ(StepText({encode, ""}), "encode jpeg quality 80");
  CropStep crop;
  EXPECT_EQ(StepText({crop, ""}), "crop to the target's aspect");
  crop.width_px = 1500, crop.height_px = 844;
  EXPECT_EQ(StepText({crop, ""}), "crop to 1500×844 px (where the detail is)");
  crop.y_px = 78;
  EXPECT_EQ(StepText({crop, ""}), "crop to 1500×844 px at (0, 78)");
  ResizeStep resize;
  resize.width_px = 451, resize.height_px = 300;
  EXPECT_EQ(StepText({resize, ""}), "resize to 451×300 px");
  PadStep pad;
  EXPECT_EQ(StepText({pad, ""}), "pad to the target's size (white)");
  pad.width_px = 2000, pad.height_px = 2000;
  EXPECT_EQ(StepText({pad, ""}), "pad to 2000×2000 px (white)");
}

// The size after each step, as the pipeline makes it (the plan's sizes in
// advise, the memory and time estimates follow it).
TEST(PlanOpsTest, SizeAfterEachStep) {
  const cv::Size in(1500, 1000);
  EXPECT_EQ(SizeAfter({CropStep{1500, 844, std::nullopt, std::nullopt}, ""}, in), cv::Size(1500, 844));
  EXPECT_EQ(SizeAfter({CropStep{}, ""}, in), in);  // unresolved: from the target later
  EXPECT_EQ(SizeAfter({UpscaleStep{2.5, ""}, ""}, in), cv::Size(3750, 2500));
  EXPECT_EQ(SizeAfter({DownscaleStep{0.5, std::nullopt, std::nullopt}, ""}, in), cv::Size(750, 500));
  EXPECT_EQ(SizeAfter({DownscaleStep{std::nullopt, 600, std::nullopt}, ""}, in), cv::Size(600, 400));
  EXPECT_EQ(SizeAfter({ResizeStep{1515, 1010}, ""}, in), cv::Size(1515, 1010));
  EXPECT_EQ(SizeAfter({PadStep{2000, 2000, "white"}, ""}, in), cv::Size(2000, 2000));
  EXPECT_EQ(SizeAfter({SharpenStep{}, ""}, in), in);
}

TEST(PlanOpsTest, SyntaxAndDefaultsComeFromTheTable) {
  EXPECT_EQ(StepSyntax(*FindOp("upscale")), "upscale[:FACTOR[:MODEL]]");
  EXPECT_EQ(StepSyntax(*FindOp("downscale")), "downscale:FACTOR|WxH");
  EXPECT_EQ(StepSyntax(*FindOp("encode")), "encode:FORMAT[:QUALITY]");
  EXPECT_EQ(StepSyntax(*FindOp("deblock")), "deblock[:QUALITY]");
  EXPECT_EQ(StepSyntax(*FindOp("crop")), "crop[:WIDTH_PX|WxH]");
  EXPECT_EQ(StepSyntax(*FindOp("resize")), "resize:WIDTH_PX|WxH");
  EXPECT_EQ(StepSyntax(*FindOp("pad")), "pad[:WIDTH_PX|WxH[:COLOR]]");
  const OpSpec& sharpen = *FindOp("sharpen");
  EXPECT_EQ(DefaultText(sharpen, sharpen.params[0]), "0.4");  // read from SharpenStep{}
  EXPECT_EQ(DefaultText(sharpen, sharpen.params[1]), "1");
  const OpSpec& denoise = *FindOp("denoise");
  EXPECT_EQ(DefaultText(denoise, denoise.params[0]), "measured");
  const OpSpec& encode = *FindOp("encode");
  EXPECT_EQ(DefaultText(encode, encode.params[0]), "required");
  EXPECT_EQ(RangeText(FindOp("upscale")->params[0]), "1–16×");
  EXPECT_EQ(RangeText(sharpen.params[1]), "0.3–50 px");
  EXPECT_EQ(ParseFormatName("JPG"), ImageFormat::kJpeg);
  EXPECT_EQ(ParseFormatName("tif"), ImageFormat::kTiff);
  EXPECT_EQ(ParseFormatName("gif"), std::nullopt);
}

TEST(PlanOpsTest, HelpListsEveryOpAndParameter) {
  const std::string help = StepsHelpText();
  for (const OpSpec& op : PlanOps()) {
    EXPECT_THAT(help, HasSubstr("  " + StepSyntax(op) + " ")) << op.name;
    for (const ParamSpec& p : op.params)
      EXPECT_THAT(help, HasSubstr(fmt::format("    {:<10} {:<22} {}", p.name, RangeText(p), p.doc))) << p.name;
  }
  EXPECT_THAT(help, HasSubstr("noise σ to remove; default: measured"));
}

}  // namespace
}  // namespace acuity

// Rule tests of the advisor on measurement reports with known values. The
// scenario tests on real degraded photos are in advisor_scenario_test.cc.
#include "analysis/advice/advisor.h"

#include <algorithm>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "analysis/advice/advisor_test_util.h"
#include "analysis/advice/plan_ops.h"
#include "analysis/advice/verdicts.h"
#include "analysis/json/plan_json.h"

namespace acuity {
namespace {

using ::testing::ElementsAre;

using advisor_test::HasWarning;  // advisor_test_util.h
using advisor_test::Ops;
using advisor_test::Report;

TEST(AdvisorTest, AlreadyFineIsAnEmptyPlan) {
  Plan plan = Advise(Report("1000x750"));
  EXPECT_TRUE(plan.steps.empty());
  EXPECT_TRUE(plan.warnings.empty());
  EXPECT_TRUE(Advise(Report()).steps.empty());
}

TEST(AdvisorTest, SmallAndSharpUpscalesThenSharpensLast) {
  // 10×8 in (3000×2400) of a 4:3 photo: crop 938×750 first, 3.2× → 4× then down.
  Plan plan = Advise(Report("8x10in@300dpi"));
  EXPECT_THAT(Ops(plan), ElementsAre("crop", "upscale", "downscale", "sharpen"));
  EXPECT_DOUBLE_EQ(std::get<SharpenStep>(plan.steps[3].params).amount, AdvisorThresholds().upscaled_sharpen_amount);
  EXPECT_EQ(std::get<CropStep>(plan.steps[0].params).width_px, 938);
  EXPECT_EQ(std::get<CropStep>(plan.steps[0].params).height_px, 750);
  EXPECT_EQ(std::get<UpscaleStep>(plan.steps[1].params).factor, 4);
  EXPECT_EQ(std::get<DownscaleStep>(plan.steps[2].params).width_px, 3000);
  EXPECT_EQ(std::get<DownscaleStep>(plan.steps[2].params).height_px, 2400);
}

TEST(AdvisorTest, BigEnoughButSoftSharpensOnly) {
  AnalysisReport r = Report("10x7.5in@100dpi");  // 1000×750: fits exactly
  r.sharpness.blur_sigma_px = 1.8;
  Plan plan = Advise(r);
  EXPECT_THAT(Ops(plan), ElementsAre("sharpen"));
  EXPECT_DOUBLE_EQ(std::get<SharpenStep>(plan.steps[0].params).amount, AdvisorThresholds().soft_sharpen_amount);
}

TEST(AdvisorTest, SmallAndSoftUpscalesThenSharpens) {
  AnalysisReport r = Report("2000px");
  r.sharpness.blur_sigma_px = 1.6;
  Plan plan = Advise(r);
  EXPECT_THAT(Ops(plan), ElementsAre("upscale", "sharpen", "encode"));
  EXPECT_EQ(std::get<EncodeStep>(plan.steps[2].params).quality, 80);
}

// A cut-out for a web target is written where its transparency survives
// (the plan wrote JPEG q80, which flattened it onto white); an opaque
// alpha channel changes nothing.
TEST(AdvisorTest, ATransparentPictureIsEncodedWithItsTransparency) {
  AnalysisReport r = Report("2000px");
  r.content.transparent_pct = 48.0;
  Plan plan = Advise(r);
  ASSERT_THAT(Ops(plan), ElementsAre("upscale", "sharpen", "encode"));
  EXPECT_EQ(std::get<EncodeStep>(plan.steps[2].params).format, ImageFormat::kPng);
  EXPECT_THAT(plan.steps[2].reason, ::testing::HasSubstr("48.0 % of the picture is transparent"));
  for (double photo_pct : {0.0, 0.05}) {  // opaque, or alpha 254 in a few pixels
    r.content.transparent_pct = photo_pct;
    EXPECT_EQ(std::get<EncodeStep>(Advise(r).steps[2].params).format, ImageFormat::kJpeg) << photo_pct;
  }
}

TEST(AdvisorTest, HeavyJpegDeblocksFirst) {
  // 2000×1500 → 4000 px: too large for realesr-general-x4v3 within the time
  // budget, so an ESRGAN runs and the sharpen rules apply. (A smaller damaged
  // input goes to general-x4v3 with no sharpen after it: models/RESULTS.md,
  // "Damaged photos", row general+advised; ChoosesTheModelByTheDamage.)
  AnalysisReport r = Report("4000px", 2000, 1500);
  r.compression.jpeg_quality_estimate = 18;
  r.compression.quality_source = "quant_tables";
  r.noise.sigma = 7;
  Plan plan = Advise(r);
  EXPECT_THAT(Ops(plan), ElementsAre("deblock", "denoise", "upscale", "sharpen", "encode"));
  EXPECT_TRUE(HasWarning(plan, "heavy_jpeg"));
}

// With the file's own tables the deblock step names no quality, so that the
// pipeline deblocks with those tables (camera and editor JPEGs are not
// IJG's); a quality estimated from the pixels is passed on.
TEST(AdvisorTest, DeblockNamesAQualityOnlyWhenItCameFromThePixels) {
  AnalysisReport r = Report("2000px");
  r.compression.jpeg_quality_estimate = 30;
  r.compression.quality_source = "quant_tables";
  const std::string thick = "esrgan-thick";  // a model that leaves the blocking to a deblock step
  Plan plan = Advise(r, {}, thick);
  ASSERT_EQ(Ops(plan).front(), "deblock");
  EXPECT_FALSE(std::get<DeblockStep>(plan.steps[0].params).quality.has_value());
  EXPECT_EQ(StepToJson(plan.steps[0])["params"].dump(), R"({"strength":0.75})");
  EXPECT_EQ(StepText(plan.steps[0]), "deblock (strength 0.75)");
  EXPECT_THAT(plan.steps[0].reason, ::testing::HasSubstr("JPEG quality 30 < 50 (quant_tables)"));

  r.compression.quality_source = "pixels";
  plan = Advise(r, {}, thick);
  EXPECT_EQ(std::get<DeblockStep>(plan.steps[0].params).quality, 30);
  EXPECT_EQ(StepToJson(plan.steps[0])["params"].dump(), R"({"quality":30.0,"strength":0.75})");
}

// models/RESULTS.md, "Damaged photos": on noisy or JPEG-damaged inputs
// realesr-general-x4v3; on clean ones esrgan-thick when it fits the time
// budget. The upscale step's reason names the evidence; no repair step
// comes before the general model (it repairs itself: deblock/denoise first
// changed PSNR-Y by −0.31 dB on average, −1.2 to +0.2 dB), and no sharpen
// follows it.
TEST(AdvisorTest, ChoosesTheModelByTheDamage) {
  AnalysisReport clean = Report();  // 500×375 ×2: thick ≈ 26 s, within the budget
  clean.input.width = 500;
  clean.input.height = 375;
  clean.target = FitTarget(*ParseTargetSpec("1000px"), 500, 375);
  Plan plan = Advise(clean);
  ASSERT_EQ(Ops(plan).front(), "upscale");
  EXPECT_EQ(std::get<UpscaleStep>(plan.steps[0].params).model, "esrgan-thick");
  EXPECT_THAT(plan.steps[0].reason, ::testing::HasSubstr("most faithful"));

  AnalysisReport noisy = clean;
  noisy.noise.sigma = 9;
  plan = Advise(noisy);
  // No denoise before Real-ESRGAN, no sharpen after it (row general+advised:
  // −0.7 to −1.2 dB).
  ASSERT_THAT(Ops(plan), ElementsAre("upscale", "encode"));
  EXPECT_EQ(std::get<UpscaleStep>(plan.steps[0].params).model, "realesr-general-x4v3");
  EXPECT_THAT(plan.steps[0].reason, ::testing::HasSubstr("Damaged photos"));
  EXPECT_THAT(plan.steps[0].reason, ::testing::HasSubstr("no deblock or denoise before it"));

  AnalysisReport blocky = clean;
  blocky.compression.jpeg_quality_estimate = 25;
  blocky.compression.quality_source = "quant_tables";
  plan = Advise(blocky);
  ASSERT_THAT(Ops(plan), ElementsAre("upscale", "encode"));
  EXPECT_EQ(std::get<UpscaleStep>(plan.steps[0].params).model, "realesr-general-x4v3");
  EXPECT_TRUE(HasWarning(plan, "heavy_jpeg"));  // the warning stays without the step
}

// The model of the advised plan's first upscale step ("no upscale" without one).
std::string UpscaleModel(const AnalysisReport& r) {
  for (const PlanStep& step : Advise(r).steps)
    if (const auto* up = std::get_if<UpscaleStep>(&step.params)) return up->model;
  return "no upscale";
}

// A product shot on a flat canvas (the analysis's detail_box): the choice
// prices the area the network runs over, the product and the model's
// margin — thick for a 300×300-px product on a 1600×1200 canvas that a
// photo of that size gives to medium. After a crop, the box counts in the
// kept part's coordinates while it lies inside it; a crop through it (or a
// box reaching the kept corner) prices the whole kept part.
TEST(AdvisorTest, AProductOnAFlatCanvasIsPricedByItsArea) {
  AnalysisReport shot = Report();
  shot.input.width = 1600;
  shot.input.height = 1200;
  shot.target = FitTarget(*ParseTargetSpec("3200px"), 1600, 1200);
  const auto model = [](const AnalysisReport& r) {
    const Plan plan = Advise(r);
    return plan.steps.empty() || !std::holds_alternative<UpscaleStep>(plan.steps[0].params)
               ? std::string("no upscale first")
               : std::get<UpscaleStep>(plan.steps[0].params).model;
  };
  EXPECT_EQ(model(shot), "esrgan-medium");
  shot.detail_box = cv::Rect(650, 450, 300, 300);
  EXPECT_EQ(model(shot), "esrgan-thick");

  // The kept part (1.76 MP) is above where thick gives way to medium on any
  // CPU (0.43 MP in float32, 1.6 MP in bfloat16: sr_choice_test.cc), the
  // product's box below it: the answers differ whichever CPU runs this.
  AnalysisReport cropped = shot;
  cropped.target = FitTarget(*ParseTargetSpec("3200x2200"), 1600, 1200);  // 16:11 of a 4:3 canvas: a crop
  ASSERT_TRUE(cropped.target->cropped());
  ASSERT_EQ(cropped.target->kept_height_px, 1100);
  cropped.target->kept_y_px = 50;  // rows 50-1149: the product inside
  ASSERT_EQ(Ops(Advise(cropped))[0], "crop");
  EXPECT_EQ(UpscaleModel(cropped), "esrgan-thick");
  cropped.detail_box = cv::Rect(650, 0, 300, 300);  // cut by the crop
  EXPECT_EQ(UpscaleModel(cropped), "esrgan-medium");
}

// The model is priced for the device the upscale runs on (#22,
// AnalysisReport::upscale_device): a 4000×3000 photo ×2 costs esrgan-thick
// about half an hour on the CPU (esrgan-slim's minute instead) and about 4 s
// on a GPU; noisy, Real-ESRGAN's general model 4–5 minutes on the CPU and
// 3 s on a GPU, where it then repairs the noise itself. The decisions the
// verdicts read follow the same device.
TEST(AdvisorTest, TheModelIsChosenForTheDeviceTheUpscaleRunsOn) {
  AnalysisReport big = Report();
  big.input.width = 4000;
  big.input.height = 3000;
  big.target = FitTarget(*ParseTargetSpec("8000px"), 4000, 3000);
  ASSERT_EQ(big.upscale_device, SrDeviceKind::kCpu);  // unless the caller found a GPU
  EXPECT_EQ(UpscaleModel(big), "esrgan-slim");
  big.upscale_device = SrDeviceKind::kCuda;
  EXPECT_EQ(UpscaleModel(big), "esrgan-thick");

  AnalysisReport noisy = big;
  noisy.noise.sigma = 9;
  noisy.upscale_device = SrDeviceKind::kCpu;
  EXPECT_EQ(UpscaleModel(noisy), "esrgan-slim");
  EXPECT_EQ(Ops(Advise(noisy))[0], "denoise");
  EXPECT_EQ(Decide(noisy).decisions.denoise, AdviceDecisions::Repair::kStep);
  noisy.upscale_device = SrDeviceKind::kCuda;
  EXPECT_EQ(UpscaleModel(noisy), "realesr-general-x4v3");
  EXPECT_EQ(Ops(Advise(noisy))[0], "upscale");
  EXPECT_EQ(Decide(noisy).decisions.denoise, AdviceDecisions::Repair::kByModel);
}

// The user's model (--model) decides the rest of the plan the same way: the
// repair steps and the sharpen come back before and after a model that does
// neither itself, and go before and after Real-ESRGAN even on a clean input
// the advisor would give to esrgan-thick.
TEST(AdvisorTest, TheChosenModelShapesThePlan) {
  AnalysisReport noisy = Report();
  noisy.input.width = 500;
  noisy.input.height = 375;
  noisy.target = FitTarget(*ParseTargetSpec("1000px"), 500, 375);
  noisy.noise.sigma = 9;
  noisy.sharpness.blur_sigma_px = 1.0;
  Plan plan = Advise(noisy, {}, "esrgan-slim");
  ASSERT_THAT(Ops(plan), ElementsAre("denoise", "upscale", "sharpen", "encode"));
  EXPECT_EQ(std::get<UpscaleStep>(plan.steps[1].params).model, "esrgan-slim");
  EXPECT_THAT(plan.steps[1].reason, ::testing::HasSubstr("the model you chose"));

  AnalysisReport blocky = noisy;
  blocky.noise.sigma = 1;
  blocky.compression.jpeg_quality_estimate = 35;
  blocky.compression.quality_source = "pixels";
  plan = Advise(blocky, {}, "realesrgan-x4plus");
  ASSERT_THAT(Ops(plan), ElementsAre("upscale", "encode"));
  EXPECT_EQ(std::get<UpscaleStep>(plan.steps[0].params).model, "realesrgan-x4plus");

  AnalysisReport clean = blocky;
  clean.compression.jpeg_quality_estimate = std::nullopt;
  ASSERT_THAT(Ops(Advise(clean)), ElementsAre("upscale", "sharpen", "encode"));
  EXPECT_THAT(Ops(Advise(clean, {}, "realesr-general-x4v3")), ElementsAre("upscale", "encode"));
}

TEST(AdvisorTest, OversharpenedGetsNoSharpenAndAWarning) {
  AnalysisReport r = Report("10x7.5in@100dpi");  // 1000×750: fits exactly
  r.sharpness.blur_sigma_px = 1.5;
  r.oversharpening.detected = true;
  r.oversharpening.halo_score = 14.2;
  r.oversharpening.overshoot_pct = 35;
  Plan plan = Advise(r);
  EXPECT_THAT(Ops(plan), ElementsAre());
  ASSERT_TRUE(HasWarning(plan, "oversharpened_input"));
  auto message = [](const Plan& p) {
    for (const Warning& w : p.warnings)
      if (w.code == "oversharpened_input") return w.message;
    return std::string();
  };
  EXPECT_THAT(message(plan), ::testing::HasSubstr("halo score 14.2; overshoot 35 %"));
  // Not measured is said so, never "overshoot 0 %" (a text page's halo
  // score with too few isolated edges read "overshoot 0 % of edge contrast").
  r.oversharpening.overshoot_pct.reset();
  const std::string unmeasured = message(Advise(r));
  EXPECT_THAT(unmeasured, ::testing::HasSubstr("overshoot not measured"));
  EXPECT_THAT(unmeasured, ::testing::Not(::testing::HasSubstr("0 %")));
  // Measured at 0 %: said as what it is, never "overshoot 0 %" beside the
  // score that calls it over-sharpened (walk 59: a 480-px web export
  // sharpened at radius 0.8 px, score 10.6, 29 edges).
  r.oversharpening.halo_score = 10.6;
  r.oversharpening.overshoot_pct = 0.0;
  r.oversharpening.edges_measured = 29;
  const std::string none = message(Advise(r));
  EXPECT_THAT(none, ::testing::HasSubstr("halo score 10.6; read over its fine detail; its 29 isolated straight "
                                         "edges show no overshoot"));
  EXPECT_THAT(none, ::testing::Not(::testing::HasSubstr("0 %")));
}

// 6× is two passes (3 then 2) for the RDNs, and for esrgan-thick one pass
// of its own ×8 model then an area downscale (better and faster:
// models/RESULTS.md, "×8"), said so in words that call 6 whole.
TEST(AdvisorTest, SixTimesIsTwoPassesOrThicksOwnEight) {
  AnalysisReport r = Report("6000x4500");
  Plan plan = Advise(r, AdvisorThresholds{}, "esrgan-medium");
  ASSERT_THAT(Ops(plan), ElementsAre("upscale", "upscale", "sharpen", "encode"));
  EXPECT_EQ(int(*std::get<UpscaleStep>(plan.steps[0].params).factor) * int(*std::get<UpscaleStep>(plan.steps[1].params).factor), 6);
  EXPECT_TRUE(HasWarning(plan, "scale_above_4x"));
  EXPECT_TRUE(HasWarning(plan, "invented_detail"));
  plan = Advise(r, AdvisorThresholds{}, "esrgan-thick");
  ASSERT_THAT(Ops(plan), ElementsAre("upscale", "downscale", "sharpen", "encode"));
  EXPECT_EQ(*std::get<UpscaleStep>(plan.steps[0].params).factor, 8);
  EXPECT_THAT(plan.steps[1].reason, ::testing::HasSubstr("6× runs best as esrgan-thick's own ×8 in one pass"));
  EXPECT_THAT(plan.steps[1].reason, ::testing::Not(::testing::HasSubstr("not a whole factor")));
  EXPECT_TRUE(HasWarning(plan, "scale_above_4x"));
}

// Each pass says which it is, and no warning counts passes the plan does not
// have (a ×8 may be one pass of a model's own ×8).
TEST(AdvisorTest, PassesAreNumberedAndNoWordCountsPassesThePlanLacks) {
  for (const auto& [target, w, h] : {std::tuple{"3000x2250", 100, 75}, std::tuple{"800x600", 100, 75},
                                     std::tuple{"6000x4500", 1000, 750}}) {
    SCOPED_TRACE(target);
    const Plan plan = Advise(Report(target, w, h));
    std::vector<const PlanStep*> ups;
    for (const PlanStep& s : plan.steps)
      if (std::holds_alternative<UpscaleStep>(s.params)) ups.push_back(&s);
    ASSERT_FALSE(ups.empty());
    for (size_t i = 1; i < ups.size(); ++i)
      EXPECT_THAT(ups[i]->reason, ::testing::StartsWith("AI pass " + std::to_string(i + 1) + " of " +
                                                        std::to_string(ups.size())));
    for (const Warning& warning : plan.warnings) EXPECT_THAT(warning.message, ::testing::Not(::testing::HasSubstr("one AI pass")));
  }
}

TEST(AdvisorTest, SevereBlurWarns) {
  AnalysisReport r = Report("10x7.5in@100dpi");
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

TEST(AdvisorTest, CameraRawSaysSharpenAndDenoiseInTheRawEditorFirst) {
  AnalysisReport r = Report();
  EXPECT_FALSE(HasWarning(Advise(r), "raw_input"));
  r.input.raw = RawInfo{"AcuityCam Bayer One", "demosaiced by LibRaw"};
  const Plan plan = Advise(r);
  ASSERT_TRUE(HasWarning(plan, "raw_input"));
  for (const Warning& w : plan.warnings) {
    if (w.code == "raw_input") {
      EXPECT_NE(w.message.find("RAW editor first"), std::string::npos) << w.message;
    }
  }
}

// An animated GIF, WebP or PNG: the plan says it makes a still of the first
// frame (the only one acuity reads); a still and an uncounted file say nothing.
TEST(AdvisorTest, AnAnimationSaysThePlanMakesAStillOfItsFirstFrame) {
  AnalysisReport r = Report();
  EXPECT_FALSE(HasWarning(Advise(r), "animated_input"));
  r.input.frames = 1;
  EXPECT_FALSE(HasWarning(Advise(r), "animated_input"));
  r.input.frames = 24;
  const Plan plan = Advise(r);
  ASSERT_TRUE(HasWarning(plan, "animated_input"));
  for (const Warning& w : plan.warnings) {
    if (w.code == "animated_input") {
      EXPECT_NE(w.message.find("24 frames"), std::string::npos) << w.message;
    }
  }
  // A multi-page TIFF: a picture of its first page, not "a still".
  r.input.format = ImageFormat::kTiff;
  r.input.frames = 5;
  const Plan pages = Advise(r);
  EXPECT_FALSE(HasWarning(pages, "animated_input"));
  ASSERT_TRUE(HasWarning(pages, "multi_page_input"));
  for (const Warning& w : pages.warnings) {
    if (w.code != "multi_page_input") continue;
    EXPECT_EQ(w.message.rfind("a TIFF of 5 pages: the plan makes a picture of its first page", 0), 0u) << w.message;
  }
}

TEST(AdvisorTest, FarTooBigComesDown) {
  AnalysisReport r = Report("400px");
  Plan plan = Advise(r);
  ASSERT_THAT(Ops(plan), ElementsAre("downscale", "encode"));
  EXPECT_EQ(std::get<DownscaleStep>(plan.steps[0].params).width_px, 400);
  EXPECT_EQ(std::get<DownscaleStep>(plan.steps[0].params).height_px, 300);
}

// A downscale narrows a blur by its factor: σ 3 px taken to 0.83× is still
// σ 2.5 px, soft, and is sharpened after the downscale with a radius for
// the narrower blur (the walk's coffee blurred σ 3 px for a 500-px target
// was told "the downscale hides it" and its output read σ 2.6 px); σ 1.5 px
// halved is 0.75 px, hidden, no sharpen. The advice's words say which.
TEST(AdvisorTest, ADownscaleHidesOnlyTheBlurItNarrowsBelowTheThreshold) {
  AnalysisReport still_soft = Report("833px");
  still_soft.sharpness.blur_sigma_px = 3.0;
  Plan plan = Advise(still_soft);
  ASSERT_THAT(Ops(plan), ElementsAre("downscale", "sharpen", "encode"));
  const SharpenStep& step = std::get<SharpenStep>(plan.steps[1].params);
  EXPECT_NEAR(step.radius, 0.7 * 3.0 * 0.833, 0.01);
  EXPECT_THAT(plan.steps[1].reason, ::testing::HasSubstr("2.50 px after the 0.83× downscale"));
  EXPECT_EQ(Decide(still_soft).decisions.sharpen, AdviceDecisions::Sharpen::kSoft);

  AnalysisReport hidden = Report("500px");
  hidden.sharpness.blur_sigma_px = 1.5;
  EXPECT_THAT(Ops(Advise(hidden)), ElementsAre("downscale", "encode"));
  EXPECT_EQ(Decide(hidden).decisions.sharpen, AdviceDecisions::Sharpen::kNotDownscaled);

  // σ 2.4 px halved is 1.2 px, the threshold itself: borderline, no sharpen,
  // and the warning says why.
  AnalysisReport borderline = Report("500px");
  borderline.sharpness.blur_sigma_px = 2.4;
  const Plan plan_b = Advise(borderline);
  EXPECT_THAT(Ops(plan_b), ElementsAre("downscale", "encode"));
  ASSERT_TRUE(HasWarning(plan_b, "borderline_blur"));
  for (const Warning& w : plan_b.warnings)
    if (w.code == "borderline_blur") {
      EXPECT_THAT(w.message, ::testing::HasSubstr("once the 0.50× downscale narrows it"));
      EXPECT_THAT(w.message, ::testing::HasSubstr("leaves it unsharpened"));
    }
}

// The size a plan reaches: every step's size in turn (SizeAfter, as the
// pipeline makes it), from the input's.
cv::Size PlannedSize(const Plan& plan, cv::Size input) {
  for (const PlanStep& step : plan.steps) input = SizeAfter(step, input);
  return input;
}

// Issue #25: a 300×200 product shot for a 2000×2000 shop canvas: 6.67×
// (4× then 2×, down to 2000×1333), not 10×, no scale_above_8x; padded on
// white to exactly 2000×2000, after the sharpen.
TEST(AdvisorTest, ProductShotOnSquareCanvasIsPaddedAfterSharpening) {
  const Plan plan = Advise(Report("2000x2000", 300, 200), {}, "esrgan-slim");
  EXPECT_THAT(Ops(plan), ElementsAre("upscale", "upscale", "downscale", "sharpen", "pad", "encode"));
  EXPECT_EQ(std::get<UpscaleStep>(plan.steps[0].params).factor, 4);
  EXPECT_EQ(std::get<UpscaleStep>(plan.steps[1].params).factor, 2);
  EXPECT_THAT(plan.steps[0].reason, ::testing::HasSubstr("6.67×"));
  const auto& pad = std::get<PadStep>(plan.steps[4].params);
  EXPECT_EQ(pad.color, "#ffffff");
  EXPECT_THAT(plan.steps[4].reason, ::testing::HasSubstr("--fit crop"));
  EXPECT_EQ(PlannedSize(plan, {300, 200}), cv::Size(2000, 2000));
  EXPECT_FALSE(HasWarning(plan, "scale_above_8x"));
}

// Issue #25: 4K of a 3:2 photo is exactly 3840×2160: the 16:9 window is cut
// first (no cut pixel upscaled), and its crop is in the plan.
TEST(AdvisorTest, ScreenTargetCropsFirstAndIsExact) {
  const Plan plan = Advise(Report("4k", 1500, 1000), {}, "esrgan-slim");
  EXPECT_THAT(Ops(plan), ElementsAre("crop", "upscale", "downscale", "sharpen", "encode"));
  const auto& crop = std::get<CropStep>(plan.steps[0].params);
  EXPECT_EQ(crop.width_px, 1500);
  EXPECT_EQ(crop.height_px, 844);
  EXPECT_EQ(crop.y_px, 78);
  EXPECT_EQ(std::get<UpscaleStep>(plan.steps[1].params).factor, 3);
  EXPECT_EQ(PlannedSize(plan, {1500, 1000}), cv::Size(3840, 2160));
  EXPECT_EQ(StepText(plan.steps[0]), "crop to 1500×844 px at (0, 78)");
}

// Issue #25: 451×300 from 226×150 is 452×300 after a 2× upscale, brought
// down to exactly 451×300.
TEST(AdvisorTest, OddTargetSizeIsReachedExactly) {
  const Plan plan = Advise(Report("451x300", 226, 150), {}, "esrgan-slim");
  EXPECT_THAT(Ops(plan), ElementsAre("upscale", "downscale", "sharpen", "encode"));
  EXPECT_EQ(PlannedSize(plan, {226, 150}), cv::Size(451, 300));
}

// A target 1 % larger than the image: too little for an AI pass; resampled
// to the exact size. A print much smaller than the photo: cropped and
// brought down to exactly its pixels.
TEST(AdvisorTest, SmallCorrectionsAndReductionsAreExact) {
  Plan plan = Advise(Report("1920x1080", 1900, 1069));
  EXPECT_THAT(Ops(plan), ElementsAre("resize", "encode"));
  EXPECT_EQ(PlannedSize(plan, {1900, 1069}), cv::Size(1920, 1080));
  plan = Advise(Report("8x10in@300dpi", 6000, 4000));
  EXPECT_THAT(Ops(plan), ElementsAre("crop", "downscale"));
  EXPECT_EQ(PlannedSize(plan, {6000, 4000}), cv::Size(3000, 2400));
  plan = Advise(Report("2000px", 1500, 1001), {}, "esrgan-slim");
  EXPECT_EQ(PlannedSize(plan, {1500, 1001}), cv::Size(2000, 1335));
}

// --fit contain: the result fits inside the target, nothing cut or added.
TEST(AdvisorTest, ContainWhenAsked) {
  AnalysisReport r = Report(nullptr, 300, 200);
  TargetSpec spec = *ParseTargetSpec("2000x2000");
  spec.fit = *ParseFit("contain");
  r.target = FitTarget(spec, 300, 200);
  const Plan plan = Advise(r, {}, "esrgan-slim");
  EXPECT_THAT(Ops(plan), ElementsAre("upscale", "upscale", "downscale", "sharpen", "encode"));
  EXPECT_EQ(PlannedSize(plan, {300, 200}), cv::Size(2000, 1333));
}

}  // namespace
}  // namespace acuity

namespace acuity {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

// A file acuity enlarged and then sharpened (its record) is soft at its own
// pixel size as any enlargement is: at the size it was made for, no second
// sharpen; the sharpness verdict says why in its own words. A file with the
// same reading and no record gets the sharpen, and so does one the new plan
// enlarges again (the new enlargement softens it anew).
TEST(AdvisorTest, AFileAcuitySharpenedAfterEnlargingIsNotSharpenedAgain) {
  AnalysisReport made = Report("1000px");
  made.sharpness.blur_sigma_px = 1.6;
  made.resolution.native_scale = 1.0 / 4.7;
  made.input.acuity_record = AcuityRecord{4.7, true, "upscale 4.7× (esrgan-slim), sharpen 80 %"};
  const Advice d = Decide(made);
  EXPECT_EQ(d.decisions.sharpen, AdviceDecisions::Sharpen::kNotSharpenedAgain);
  EXPECT_THAT(Ops(d.plan), Not(Contains("sharpen")));
  const std::vector<PlainVerdict> words = DescribeMeasurements(made);
  const auto sharpness = std::find_if(words.begin(), words.end(), [](const PlainVerdict& v) { return v.key == "sharpness"; });
  ASSERT_NE(sharpness, words.end());
  EXPECT_THAT(sharpness->words, HasSubstr("a second sharpen would add halos"));
  EXPECT_THAT(sharpness->words, Not(HasSubstr("a sharpen helps")));

  AnalysisReport no_record = made;
  no_record.input.acuity_record.reset();
  EXPECT_EQ(Decide(no_record).decisions.sharpen, AdviceDecisions::Sharpen::kSoft);
  AnalysisReport never_enlarged = made;  // sharpened by a run that did not enlarge it: no enlargement's softness
  never_enlarged.input.acuity_record->enlargement = 1.0;
  EXPECT_EQ(Decide(never_enlarged).decisions.sharpen, AdviceDecisions::Sharpen::kSoft);
  AnalysisReport not_since = made;
  not_since.input.acuity_record->sharpened = false;  // enlarged after its sharpen
  EXPECT_EQ(Decide(not_since).decisions.sharpen, AdviceDecisions::Sharpen::kSoft);
  AnalysisReport larger = made;
  larger.target = FitTarget(*ParseTargetSpec("2000px"), larger.input.width, larger.input.height);
  EXPECT_THAT(Ops(Advise(larger)), Contains("sharpen"));
}

}  // namespace
}  // namespace acuity

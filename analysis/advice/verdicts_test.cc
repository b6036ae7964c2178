#include "analysis/advice/verdicts.h"

#include <algorithm>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "analysis/advice/advisor.h"

namespace acuity {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr double kStep = 0.01;  // "just below" / "just above" a threshold

// A 1200×800 image with every figure measured and nothing to fix.
AnalysisReport CleanReport() {
  AnalysisReport r;
  r.input.width = 1200;
  r.input.height = 800;
  r.sharpness.blur_sigma_px = 0.6;
  r.noise.sigma = 0.5;
  r.compression.jpeg_quality_estimate = 95;
  r.compression.quality_source = "quant_tables";
  r.compression.tables = "ijg";
  r.compression.blockiness = 0.01;
  r.oversharpening.halo_score = 2.0;
  r.oversharpening.overshoot_pct = 1.0;
  r.oversharpening.detected = false;
  r.resolution.native_scale = 1.0;
  return r;
}

// A print target the image needs `scale`× more pixels for.
TargetFit PrintTarget(const AnalysisReport& r, double scale) {
  TargetFit fit;
  fit.spec.kind = TargetSpec::Kind::kPrint;
  fit.spec.text = "test print";
  fit.width_px = int(r.input.width * scale);
  fit.height_px = int(r.input.height * scale);
  fit.required_scale = scale;
  fit.fits = scale <= 1.0;
  return fit;
}

PlainVerdict Row(const AnalysisReport& r, const AdvisorThresholds& t, const std::string& key) {
  const std::vector<PlainVerdict> rows = DescribeMeasurements(r, t);
  auto it = std::find_if(rows.begin(), rows.end(), [&](const PlainVerdict& v) { return v.key == key; });
  EXPECT_NE(it, rows.end()) << "no row " << key;
  return it == rows.end() ? PlainVerdict{} : *it;
}

int Steps(const Plan& plan, const std::string& op) {
  return int(std::count_if(plan.steps.begin(), plan.steps.end(), [&](const PlanStep& s) { return s.op == op; }));
}

bool Warns(const Plan& plan, const std::string& code) {
  return std::any_of(plan.warnings.begin(), plan.warnings.end(), [&](const Warning& w) { return w.code == code; });
}

// The default thresholds and a shifted set: the words follow whichever the
// advisor is given.
std::vector<AdvisorThresholds> ThresholdSets() {
  AdvisorThresholds shifted;
  shifted.sharpen_above_blur_px = 1.8;
  shifted.severe_blur_above_px = 2.4;
  shifted.denoise_above_sigma_8bit = 3.0;
  shifted.deblock_below_quality = 65;
  shifted.heavy_jpeg_below_quality = 40;
  shifted.upscaled_below_native_scale = 0.85;
  shifted.upscale_above_scale = 1.1;
  shifted.max_pass_scale = 3.0;
  return {AdvisorThresholds{}, shifted};
}

TEST(VerdictsTest, LevelWords) {
  EXPECT_STREQ(VerdictLevelWord(VerdictLevel::kGood), "good");
  EXPECT_STREQ(VerdictLevelWord(VerdictLevel::kFair), "fair");
  EXPECT_STREQ(VerdictLevelWord(VerdictLevel::kPoor), "poor");
  EXPECT_STREQ(VerdictLevelWord(VerdictLevel::kNotMeasured), "not measured");
}

TEST(VerdictsTest, OneRowPerMeasurementInAStableOrder) {
  AnalysisReport r = CleanReport();
  std::vector<std::string> keys;
  for (const PlainVerdict& v : DescribeMeasurements(r)) keys.push_back(v.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"sharpness", "noise", "compression", "halos", "native_scale"}));
  r.target = PrintTarget(r, 0.8);
  keys.clear();
  for (const PlainVerdict& v : DescribeMeasurements(r)) {
    keys.push_back(v.key);
    EXPECT_EQ(v.level, VerdictLevel::kGood) << v.key << ": " << v.words;
  }
  EXPECT_EQ(keys,
            (std::vector<std::string>{"resolution", "sharpness", "noise", "compression", "halos", "native_scale"}));
}

TEST(VerdictsTest, SharpnessAgreesWithTheSharpenAndSevereBlurRules) {
  for (const AdvisorThresholds& t : ThresholdSets()) {
    AnalysisReport r = CleanReport();
    r.sharpness.blur_sigma_px = t.sharpen_above_blur_px - kStep;
    EXPECT_EQ(Row(r, t, "sharpness").level, VerdictLevel::kGood);
    EXPECT_EQ(Steps(Advise(r, t), "sharpen"), 0);

    r.sharpness.blur_sigma_px = t.sharpen_above_blur_px + kStep;
    EXPECT_EQ(Row(r, t, "sharpness").level, VerdictLevel::kFair);
    EXPECT_EQ(Steps(Advise(r, t), "sharpen"), 1);

    r.sharpness.blur_sigma_px = t.severe_blur_above_px - kStep;
    EXPECT_EQ(Row(r, t, "sharpness").level, VerdictLevel::kFair);
    EXPECT_FALSE(Warns(Advise(r, t), "severe_blur"));

    r.sharpness.blur_sigma_px = t.severe_blur_above_px + kStep;
    EXPECT_EQ(Row(r, t, "sharpness").level, VerdictLevel::kPoor);
    EXPECT_TRUE(Warns(Advise(r, t), "severe_blur"));
    EXPECT_THAT(Row(r, t, "sharpness").value, HasSubstr(" px"));
  }
}

TEST(VerdictsTest, NoiseAgreesWithTheDenoiseRule) {
  for (const AdvisorThresholds& t : ThresholdSets()) {
    AnalysisReport r = CleanReport();
    r.noise.sigma = t.denoise_above_sigma_8bit - kStep;
    EXPECT_EQ(Row(r, t, "noise").level, VerdictLevel::kFair);
    EXPECT_EQ(Steps(Advise(r, t), "denoise"), 0);

    r.noise.sigma = t.denoise_above_sigma_8bit + kStep;
    EXPECT_EQ(Row(r, t, "noise").level, VerdictLevel::kPoor);
    EXPECT_EQ(Steps(Advise(r, t), "denoise"), 1);

    r.noise.sigma = 0.1;
    EXPECT_EQ(Row(r, t, "noise").level, VerdictLevel::kGood);
    EXPECT_THAT(Row(r, t, "noise").value, HasSubstr("8-bit"));
  }
}

TEST(VerdictsTest, CompressionAgreesWithTheDeblockRule) {
  for (const AdvisorThresholds& t : ThresholdSets()) {
    AnalysisReport r = CleanReport();
    r.compression.jpeg_quality_estimate = t.deblock_below_quality + kStep;
    EXPECT_EQ(Row(r, t, "compression").level, VerdictLevel::kFair);
    EXPECT_EQ(Steps(Advise(r, t), "deblock"), 0);

    r.compression.jpeg_quality_estimate = t.deblock_below_quality - kStep;
    EXPECT_EQ(Row(r, t, "compression").level, VerdictLevel::kPoor);
    EXPECT_EQ(Steps(Advise(r, t), "deblock"), 1);
    EXPECT_THAT(Row(r, t, "compression").words, Not(HasSubstr("heavy")));
    EXPECT_FALSE(Warns(Advise(r, t), "heavy_jpeg"));

    r.compression.jpeg_quality_estimate = t.heavy_jpeg_below_quality - kStep;
    EXPECT_EQ(Row(r, t, "compression").level, VerdictLevel::kPoor);
    EXPECT_THAT(Row(r, t, "compression").words, HasSubstr("heavy"));
    EXPECT_TRUE(Warns(Advise(r, t), "heavy_jpeg"));

    r.compression.jpeg_quality_estimate = t.web_jpeg_quality;
    EXPECT_EQ(Row(r, t, "compression").level, VerdictLevel::kGood);
  }
}

TEST(VerdictsTest, NoSignOfJpegIsGood) {
  AnalysisReport r = CleanReport();
  r.compression.jpeg_quality_estimate.reset();
  r.compression.quality_source = "none";
  r.compression.tables.reset();
  const PlainVerdict v = Row(r, {}, "compression");
  EXPECT_EQ(v.level, VerdictLevel::kGood);
  EXPECT_EQ(v.words, "no sign of JPEG compression");
  EXPECT_EQ(Steps(Advise(r), "deblock"), 0);
}

TEST(VerdictsTest, HalosAgreeWithTheOversharpenedRule) {
  AnalysisReport r = CleanReport();
  r.sharpness.blur_sigma_px = 2.0;  // soft enough to sharpen, unless over-sharpened
  EXPECT_EQ(Row(r, {}, "halos").level, VerdictLevel::kGood);
  EXPECT_EQ(Steps(Advise(r), "sharpen"), 1);
  r.oversharpening.detected = true;
  r.oversharpening.halo_score = 14.0;
  r.oversharpening.overshoot_pct = 12.0;
  EXPECT_EQ(Row(r, {}, "halos").level, VerdictLevel::kPoor);
  EXPECT_THAT(Row(r, {}, "halos").value, HasSubstr("overshoot 12 %"));
  EXPECT_EQ(Steps(Advise(r), "sharpen"), 0);
  EXPECT_TRUE(Warns(Advise(r), "oversharpened_input"));
}

TEST(VerdictsTest, NativeScaleAgreesWithTheAlreadyUpscaledWarning) {
  for (const AdvisorThresholds& t : ThresholdSets()) {
    AnalysisReport r = CleanReport();
    r.resolution.native_scale = t.upscaled_below_native_scale + kStep;
    EXPECT_EQ(Row(r, t, "native_scale").level, VerdictLevel::kGood);
    EXPECT_FALSE(Warns(Advise(r, t), "already_upscaled"));

    r.resolution.native_scale = t.upscaled_below_native_scale - kStep;
    EXPECT_EQ(Row(r, t, "native_scale").level, VerdictLevel::kFair);
    EXPECT_TRUE(Warns(Advise(r, t), "already_upscaled"));

    r.resolution.native_scale = 0.4;
    EXPECT_EQ(Row(r, t, "native_scale").level, VerdictLevel::kPoor);
    EXPECT_THAT(Row(r, t, "native_scale").words, HasSubstr("480×320 px"));
  }
}

TEST(VerdictsTest, ResolutionAgreesWithTheUpscaleRule) {
  for (const AdvisorThresholds& t : ThresholdSets()) {
    AnalysisReport r = CleanReport();
    r.target = PrintTarget(r, t.upscale_above_scale - kStep);
    EXPECT_EQ(Row(r, t, "resolution").level, VerdictLevel::kGood);
    EXPECT_EQ(Steps(Advise(r, t), "upscale"), 0);

    r.target = PrintTarget(r, t.upscale_above_scale + kStep);
    EXPECT_EQ(Row(r, t, "resolution").level, VerdictLevel::kFair);
    EXPECT_EQ(Steps(Advise(r, t), "upscale"), 1);

    r.target = PrintTarget(r, t.max_pass_scale - kStep);
    EXPECT_EQ(Row(r, t, "resolution").level, VerdictLevel::kFair);
    EXPECT_EQ(Steps(Advise(r, t), "upscale"), 1);  // one AI pass

    r.target = PrintTarget(r, t.max_pass_scale + kStep);
    EXPECT_EQ(Row(r, t, "resolution").level, VerdictLevel::kPoor);
    EXPECT_EQ(Steps(Advise(r, t), "upscale"), 2);  // more than one
  }
}

// A figure that was not measured is said so, never shown as 0.
TEST(VerdictsTest, MissingFiguresAreNotMeasured) {
  const AnalysisReport r;  // nothing measured
  const std::vector<PlainVerdict> rows = DescribeMeasurements(r);
  ASSERT_EQ(rows.size(), 5u);
  for (const PlainVerdict& v : rows) {
    EXPECT_EQ(v.level, VerdictLevel::kNotMeasured) << v.key;
    EXPECT_EQ(v.value, "not measured") << v.key;
    EXPECT_THAT(v.value + v.words, Not(HasSubstr("0"))) << v.key;
    EXPECT_FALSE(v.title.empty()) << v.key;
  }
  AnalysisReport halos_only = CleanReport();
  halos_only.oversharpening.overshoot_pct.reset();  // halo score without a typical edge
  const PlainVerdict halos = Row(halos_only, {}, "halos");
  EXPECT_EQ(halos.level, VerdictLevel::kGood);
  EXPECT_THAT(halos.value, HasSubstr("overshoot not measured"));
  EXPECT_THAT(halos.value, Not(HasSubstr("0 %")));
}

}  // namespace
}  // namespace acuity

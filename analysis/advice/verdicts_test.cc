#include "analysis/advice/verdicts.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "analysis/advice/advisor.h"
#include "analysis/advice/plan_ops.h"
#include "analysis/advice/wild_readings.h"

namespace acuity {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr double kStep = 0.01;  // "just below" / "just above" a threshold

// A 2000×1500 image with every figure measured and nothing to fix: large
// enough that the automatic model is never esrgan-thick (whose ×8 model
// does ×5–×8 in one pass), on any CPU, so that beyond one pass's scale the
// plan has two upscale steps.
AnalysisReport CleanReport() {
  AnalysisReport r;
  r.input.width = 2000;
  r.input.height = 1500;
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
  r.motion_blur.detected = false;
  r.motion_blur.score = 4.0;
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
  // The whole image kept, as FitTarget says of a print of its aspect (the
  // model choice prices what is kept).
  fit.input_width_px = fit.kept_width_px = r.input.width;
  fit.input_height_px = fit.kept_height_px = r.input.height;
  return fit;
}

PlainVerdict Row(const AnalysisReport& r, const AdvisorThresholds& t, const std::string& key) {
  const std::vector<PlainVerdict> rows = DescribeMeasurements(r, t);
  auto it =
      std::find_if(rows.begin(), rows.end(), [&](const PlainVerdict& v) { return v.key == key; });
  EXPECT_NE(it, rows.end()) << "no row " << key;
  return it == rows.end() ? PlainVerdict{} : *it;
}

// How often the advisor's plan does `what`: the number of steps whose op is
// `what` plus the number of warnings whose code is `what` (ops and warning
// codes never share a name).
int Count(const Plan& plan, const std::string& what) {
  return int(std::count_if(plan.steps.begin(), plan.steps.end(),
                           [&](const PlanStep& s) { return OpOf(s).name == what; }) +
             std::count_if(plan.warnings.begin(), plan.warnings.end(),
                           [&](const Warning& w) { return w.code == what; }));
}

// The row `key` has `level`, and the advisor's plan for the same report does
// `what` (a step op or a warning code) `count` times.
void ExpectLevelAndPlan(const AnalysisReport& r, const AdvisorThresholds& t, const std::string& key,
                        VerdictLevel level, const std::string& what, int count) {
  const PlainVerdict v = Row(r, t, key);
  EXPECT_EQ(v.level, level) << key << " at " << v.value;
  EXPECT_EQ(Count(Advise(r, t), what), count) << what << " with " << key << " at " << v.value;
}

// Sets the figure a rule of the advisor reads (in its unit).
using SetFigure = void (*)(AnalysisReport& report, double value);
void SetBlurPx(AnalysisReport& r, double px) { r.sharpness.blur_sigma_px = px; }
void SetNoise8bit(AnalysisReport& r, double sigma) { r.noise.sigma = sigma; }
void SetJpegQuality(AnalysisReport& r, double q) { r.compression.jpeg_quality_estimate = q; }
void SetNativeScale(AnalysisReport& r, double s) { r.resolution.native_scale = s; }
void SetRequiredScale(AnalysisReport& r, double scale) { r.target = PrintTarget(r, scale); }

// One threshold of the advisor: just below it the row `key` reads `below`
// and the plan does `what` (a step op or a warning code) `count_below`
// times; just above, `above` and `count_above`.
struct Rule {
  double AdvisorThresholds::*threshold;
  SetFigure set;
  const char* key;
  VerdictLevel below, above;
  const char* what;
  int count_below, count_above;
};

constexpr VerdictLevel kGood = VerdictLevel::kGood, kFair = VerdictLevel::kFair,
                       kPoor = VerdictLevel::kPoor;
const Rule kRules[] = {
    {&AdvisorThresholds::sharpen_above_blur_px, SetBlurPx, "sharpness", kGood, kFair, "sharpen", 0,
     1},
    {&AdvisorThresholds::severe_blur_above_px, SetBlurPx, "sharpness", kFair, kPoor, "severe_blur",
     0, 1},
    {&AdvisorThresholds::denoise_above_sigma_8bit, SetNoise8bit, "noise", kFair, kPoor, "denoise",
     0, 1},
    {&AdvisorThresholds::deblock_below_quality, SetJpegQuality, "compression", kPoor, kFair,
     "deblock", 1, 0},
    {&AdvisorThresholds::heavy_jpeg_below_quality, SetJpegQuality, "compression", kPoor, kPoor,
     "heavy_jpeg", 1, 0},
    {&AdvisorThresholds::upscaled_below_native_scale, SetNativeScale, "native_scale", kFair, kGood,
     "already_upscaled", 1, 0},
    {&AdvisorThresholds::upscale_above_scale, SetRequiredScale, "resolution", kGood, kFair,
     "upscale", 0, 1},
    // One AI pass up to max_pass_scale, more beyond.
    {&AdvisorThresholds::max_pass_scale, SetRequiredScale, "resolution", kFair, kPoor, "upscale", 1,
     2},
};

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
  EXPECT_EQ(keys, (std::vector<std::string>{"sharpness", "noise", "compression", "halos",
                                            "native_scale", "motion_blur"}));
  r.target = PrintTarget(r, 0.8);
  keys.clear();
  for (const PlainVerdict& v : DescribeMeasurements(r)) {
    keys.push_back(v.key);
    EXPECT_EQ(v.level, VerdictLevel::kGood) << v.key << ": " << v.words;
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"resolution", "sharpness", "noise", "compression",
                                            "halos", "native_scale", "motion_blur"}));
}

// Just below and just above every threshold, the level is the one the
// advisor's decision implies, with the default and with shifted thresholds.
TEST(VerdictsTest, LevelsAgreeWithTheAdvisorAcrossEveryThreshold) {
  for (const AdvisorThresholds& t : ThresholdSets()) {
    for (const Rule& rule : kRules) {
      SCOPED_TRACE(std::string(rule.what) + " at " + std::to_string(t.*rule.threshold));
      AnalysisReport r = CleanReport();
      // Blur readings within their uncertainty of a threshold are borderline
      // (BlurSigmaBorderlineTest): just outside that band here.
      const double step = rule.set == SetBlurPx ? BlurToActOn::BandPx(t.*rule.threshold) + kStep : kStep;
      rule.set(r, t.*rule.threshold - step);
      ExpectLevelAndPlan(r, t, rule.key, rule.below, rule.what, rule.count_below);
      rule.set(r, t.*rule.threshold + step);
      ExpectLevelAndPlan(r, t, rule.key, rule.above, rule.what, rule.count_above);
    }
  }
}

TEST(VerdictsTest, SharpnessAndNoiseValuesHaveUnits) {
  EXPECT_EQ(Row(CleanReport(), {}, "sharpness").value, "blur σ 0.60 ± 0.03 px");
  EXPECT_EQ(Row(CleanReport(), {}, "noise").value, "σ 0.5 (8-bit)");
}

// An image enlarged 2× is crisp at its pixel size, but its fine detail is
// not: the sharpness row no longer says "fine detail is crisp" beside
// "already enlarged" (a bicubic ×2 JPEG read both).
TEST(VerdictsTest, AnEnlargedImageIsNotCalledDetailed) {
  AnalysisReport r = CleanReport();
  EXPECT_EQ(Row(r, {}, "sharpness").words, "sharp: fine detail is crisp");
  r.resolution.native_scale = 0.5;
  const PlainVerdict sharpness = Row(r, {}, "sharpness");
  EXPECT_THAT(sharpness.words, ::testing::HasSubstr("it was enlarged"));
  EXPECT_THAT(sharpness.words, ::testing::Not(::testing::HasSubstr("fine detail is crisp")));
  EXPECT_THAT(Row(r, {}, "native_scale").words, ::testing::HasSubstr("enlarged"));
}

// An enlargement straightened since (its grid read turned back,
// native_scale.h grid_tilt_deg) says so beside its real size.
TEST(VerdictsTest, AStraightenedEnlargementSaysItWasTurned) {
  AnalysisReport r = CleanReport();
  r.resolution.native_scale = 0.5;
  r.resolution.upscale_kind = UpscaleKind::kInterpolated;
  EXPECT_THAT(Row(r, {}, "native_scale").words, ::testing::Not(::testing::HasSubstr("turned")));
  r.resolution.grid_tilt_deg = -3.04;
  EXPECT_THAT(Row(r, {}, "native_scale").words, ::testing::HasSubstr("already enlarged, then turned 3.0°: its detail"));
}

// A plan with nothing to do says what was not measured: a 64×48 image has no
// blur or motion reading, which is no evidence that it needs nothing.
TEST(VerdictsTest, LeavingItAsItIsNamesWhatWasNotMeasured) {
  AnalysisReport r = CleanReport();
  const Plan plan = Advise(r);
  ASSERT_TRUE(plan.steps.empty());
  EXPECT_EQ(LeaveAsIsWords(plan, r), "nothing measured calls for a change");
  r.sharpness.blur_sigma_px.reset();
  r.motion_blur.detected.reset();
  EXPECT_EQ(LeaveAsIsWords(Advise(r), r), "nothing measured calls for a change (not measured: blur, motion blur)");
}

TEST(VerdictsTest, LowNoiseIsClean) {
  for (const AdvisorThresholds& t : ThresholdSets()) {
    AnalysisReport r = CleanReport();
    SetNoise8bit(r, 0.1);
    ExpectLevelAndPlan(r, t, "noise", kGood, "denoise", 0);
    EXPECT_EQ(Row(r, t, "noise").words, "clean");
  }
}

TEST(VerdictsTest, HeavyJpegWordsFollowTheHeavyJpegWarning) {
  for (const AdvisorThresholds& t : ThresholdSets()) {
    AnalysisReport r = CleanReport();
    SetJpegQuality(r, t.heavy_jpeg_below_quality - kStep);
    EXPECT_THAT(Row(r, t, "compression").words, HasSubstr("heavy"));
    SetJpegQuality(r, t.heavy_jpeg_below_quality + kStep);
    EXPECT_THAT(Row(r, t, "compression").words, Not(HasSubstr("heavy")));
    SetJpegQuality(r, t.web_jpeg_quality);
    ExpectLevelAndPlan(r, t, "compression", kGood, "deblock", 0);
  }
}

TEST(VerdictsTest, NoSignOfJpegIsGood) {
  AnalysisReport r = CleanReport();
  r.compression.jpeg_quality_estimate.reset();
  r.compression.quality_source = "none";
  r.compression.tables.reset();
  EXPECT_EQ(Row(r, {}, "compression").words, "no sign of JPEG compression");
  ExpectLevelAndPlan(r, {}, "compression", kGood, "deblock", 0);
  // A walk (issue #25): a WebP saved at quality 30 read "good — no sign of
  // JPEG compression". Another lossy coding's damage is not read: not
  // measured, and said so (a JPEG quality read from its pixels still is).
  for (const char* codec : {"webp", "heif", "avif"}) {
    r.input.lossy_codec = codec;
    const PlainVerdict v = Row(r, {}, "compression");
    EXPECT_EQ(v.level, VerdictLevel::kNotMeasured) << codec;
    EXPECT_THAT(v.words, HasSubstr("acuity reads the damage of JPEG coding only")) << codec;
  }
  r.input.lossy_codec = "jpeg";
  EXPECT_EQ(Row(r, {}, "compression").words, "no sign of JPEG compression");
}

// Issue 17: an image with plain 8×8 blocks whose quality could not be read
// is never "no sign of JPEG compression".
TEST(VerdictsTest, VisibleBlocksWithoutAQualityAreNotNoSignOfJpeg) {
  AnalysisReport r = CleanReport();
  r.compression.jpeg_quality_estimate.reset();
  r.compression.quality_source = "none";
  r.compression.tables.reset();
  r.compression.blockiness = kVisibleBlockiness + 2.3;
  const PlainVerdict v = Row(r, {}, "compression");
  EXPECT_NE(v.words, "no sign of JPEG compression");
  EXPECT_EQ(v.words, "8×8 blocks are visible, but no JPEG quality could be read");
  EXPECT_EQ(v.value, "blockiness 3.3");
  EXPECT_EQ(v.level, VerdictLevel::kFair);
}

// Tables that are not IJG's give the equivalent quality, and say so.
TEST(VerdictsTest, EquivalentQualityIsNamed) {
  AnalysisReport r = CleanReport();
  r.compression.jpeg_quality_estimate = 24.9;
  r.compression.tables = "other";
  EXPECT_EQ(Row(r, {}, "compression").value, "JPEG quality 25 (quant_tables, not IJG's tables: equivalent quality)");
  EXPECT_EQ(Row(r, {}, "compression").level, VerdictLevel::kPoor);
  r.compression.tables.reset();
  r.compression.quality_source = "pixels";
  r.compression.estimated_tables = "other";
  EXPECT_EQ(Row(r, {}, "compression").value, "JPEG quality 25 (pixels: equivalent quality)");
  r.compression.estimated_tables = "ijg";
  EXPECT_EQ(Row(r, {}, "compression").value, "JPEG quality 25 (pixels)");
}

TEST(VerdictsTest, HalosAgreeWithTheOversharpenedRule) {
  const AdvisorThresholds t;
  AnalysisReport r = CleanReport();
  r.sharpness.blur_sigma_px = 2.0;  // soft enough to sharpen, unless over-sharpened
  ExpectLevelAndPlan(r, t, "halos", kGood, "sharpen", 1);
  r.oversharpening.detected = true;
  r.oversharpening.halo_score = 14.0;
  r.oversharpening.overshoot_pct = 12.0;
  ExpectLevelAndPlan(r, t, "halos", kPoor, "sharpen", 0);
  ExpectLevelAndPlan(r, t, "halos", kPoor, "oversharpened_input", 1);
  EXPECT_EQ(Row(r, t, "halos").value, "halo score 14.0 · overshoot 12 %");
  // No overshoot at the straight edges beside a score over the line: said
  // where the halos are (walk 59), not a bare "overshoot 0 %".
  r.oversharpening.overshoot_pct = 0.0;
  r.oversharpening.edges_measured = 29;
  EXPECT_EQ(Row(r, t, "halos").value,
            "halo score 14.0 · overshoot 0 % at its 29 straight edges; the halos are in its fine detail");
  EXPECT_THAT(Row(r, t, "halos").words, HasSubstr("none at its straight edges"));
  EXPECT_THAT(Row(r, t, "halos").words, Not(HasSubstr("along edges")));
}

TEST(VerdictsTest, EnlargedMoreThanTwiceIsPoor) {
  for (const AdvisorThresholds& t : ThresholdSets()) {
    AnalysisReport r = CleanReport();
    SetNativeScale(r, 0.4);
    ExpectLevelAndPlan(r, t, "native_scale", kPoor, "already_upscaled", 1);
    EXPECT_THAT(Row(r, t, "native_scale").words, HasSubstr("800×600 px"));  // 0.4 of 2000×1500
  }
}

// A figure that was not measured is said so, never shown as 0.
TEST(VerdictsTest, MissingFiguresAreNotMeasured) {
  const AnalysisReport r;  // nothing measured
  const std::vector<PlainVerdict> rows = DescribeMeasurements(r);
  ASSERT_EQ(rows.size(), 6u);  // the five measurements and motion_blur
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

// Shadows much noisier than the global σ: the noise row reads and judges
// the shadows' σ, as the advisor's denoise step does.
TEST(VerdictsTest, NoiseWhereItIsStrongest) {
  AnalysisReport r = CleanReport();
  r.noise.sigma = 3.0;
  r.noise.level_function = {{0, 42.5, 7.0}, {42.5, 85, 4.0}, {85, 127.5, 2.5}, {127.5, 170, std::nullopt}};
  const PlainVerdict noise = Row(r, {}, "noise");
  EXPECT_EQ(noise.level, VerdictLevel::kPoor);
  EXPECT_THAT(noise.value, HasSubstr("7.0 in the shadows (3.0 overall)"));
  const Plan plan = Advise(r);
  ASSERT_FALSE(plan.steps.empty());
  EXPECT_THAT(plan.steps[0].reason, HasSubstr("in the shadows"));
  // Not much noisier than the global σ: the global σ stays the figure.
  r.noise.level_function = {{0, 42.5, 3.5}, {42.5, 85, 3.0}};
  EXPECT_EQ(Row(r, {}, "noise").value, "σ 3.0 (8-bit)");
}

TEST(VerdictsTest, MotionBlurIsPoorAndWarned) {
  AnalysisReport r = CleanReport();
  r.motion_blur = {true, 14.0, 30.0, 25.0, 3.0, std::nullopt, std::nullopt, false, false, std::nullopt, false, false, std::nullopt};
  EXPECT_EQ(Row(r, {}, "motion_blur").level, VerdictLevel::kPoor);
  const Plan plan = Advise(r);
  bool warned = false;
  for (const Warning& w : plan.warnings) warned |= w.code == "motion_blur";
  EXPECT_TRUE(warned);
  r.motion_blur = {};
  EXPECT_EQ(Row(r, {}, "motion_blur").level, VerdictLevel::kNotMeasured);
  // A thumbnail's row says why (walk 59: "not measured" with no reason).
  r.motion_blur.too_small = true;
  const PlainVerdict small = Row(r, {}, "motion_blur");
  EXPECT_EQ(small.level, VerdictLevel::kNotMeasured);
  EXPECT_THAT(small.words, HasSubstr("too small (under 128 px on a side)"));
}

// Not detected: good, and the words say why — below the score, or a deep dip
// without its echo (a repeating pattern).
TEST(VerdictsTest, MotionBlurNotFoundSaysWhy) {
  AnalysisReport r = CleanReport();
  r.motion_blur = {false, std::nullopt, std::nullopt, 12.2, 0.3, std::nullopt, std::nullopt, false, false, std::nullopt, false, false, std::nullopt};
  const PlainVerdict echo = Row(r, {}, "motion_blur");
  EXPECT_EQ(echo.level, VerdictLevel::kGood);
  EXPECT_NE(echo.words.find("no echo at twice its length"), std::string::npos) << echo.words;
  // The spectrum voted, the edges across it are steps (a flat graphic): said so.
  const MotionBlurResult echo_case = r.motion_blur;
  r.motion_blur = {false, std::nullopt, std::nullopt, 10646.0, 588.0, 0.86, 0.75, false, false, std::nullopt, false, false, std::nullopt};
  const PlainVerdict flat = Row(r, {}, "motion_blur");
  EXPECT_EQ(flat.level, VerdictLevel::kGood);
  EXPECT_NE(flat.words.find("edges across it are sharp steps (σ 0.75 px"), std::string::npos) << flat.words;
  r.motion_blur = echo_case;
  EXPECT_TRUE(Advise(r).warnings.empty() ||
              std::none_of(Advise(r).warnings.begin(), Advise(r).warnings.end(),
                           [](const Warning& w) { return w.code == "motion_blur"; }));
  r.motion_blur.score = kMotionBlurDetectScore - 0.1;
  const PlainVerdict low = Row(r, {}, "motion_blur");
  EXPECT_NE(low.words.find("below the detection score 12"), std::string::npos) << low.words;
  EXPECT_EQ(low.words.find("echo"), std::string::npos) << low.words;
  r.motion_blur = {true, 14.0, 30.0, 25.0, 3.0, std::nullopt, std::nullopt, false, false, std::nullopt, false, false, std::nullopt};
  EXPECT_EQ(MotionBlurNotFoundReason(r.motion_blur), "");
  // A dip whose deepest point lies under the 6 px read (walk 42's 60-px bird).
  r.motion_blur = echo_case;
  r.motion_blur.score = 27.5;
  r.motion_blur.echo_score = 1.28;
  r.motion_blur.falloff_ratio = 0.15;
  r.motion_blur.under_min_length = true;
  EXPECT_THAT(Row(r, {}, "motion_blur").words, HasSubstr("its deepest point lies under the 6 px"));
}

// Between the second vote's score (6) and 12 the words say which part of that
// vote failed; under 6 only the score.
TEST(VerdictsTest, MotionBlurNotFoundNamesTheSecondVote) {
  MotionBlurResult m;
  m.detected = false;
  m.score = 8.0;
  m.echo_score = 0.4;
  m.falloff_ratio = 0.5;
  EXPECT_EQ(MotionBlurNotFoundReason(m),
            "below the detection score 12, and the detail along it does not fall off as a smear's does (falloff "
            "ratio 0.50, needs ≤ 0.1)");
  m.falloff_ratio = 0.05;
  m.echo_score = -2.0;
  EXPECT_EQ(MotionBlurNotFoundReason(m),
            "below the detection score 12, and a falloff like a smear's but no echo at twice its length (echo "
            "-2.0, needs 0.0)");
  m.score = kMotionBlurFalloffVoteScore - 0.5;
  EXPECT_EQ(MotionBlurNotFoundReason(m), "below the detection score 12");
}

// An AI upscale's verdict says that its finer detail is invented; an
// interpolated one's does not (same native scale, same level and plan).
TEST(VerdictsTest, AiUpscaleSaysItsDetailIsInvented) {
  const AdvisorThresholds t;
  AnalysisReport r = CleanReport();
  r.resolution.native_scale = 0.25;
  r.resolution.upscale_kind = UpscaleKind::kAi;
  EXPECT_NE(Row(r, t, "native_scale").words.find("AI upscaler"), std::string::npos);
  ExpectLevelAndPlan(r, t, "native_scale", kPoor, "already_upscaled", 1);
  r.resolution.upscale_kind = UpscaleKind::kInterpolated;
  EXPECT_EQ(Row(r, t, "native_scale").words.find("AI upscaler"), std::string::npos);
}

// A print seen from a distance is described by what the eye resolves there.
TEST(VerdictsTest, ViewingDistanceInWords) {
  const AdvisorThresholds t;
  AnalysisReport r = CleanReport();  // 1200×800
  r.target = FitTarget(*ParseTargetSpec("6x4in@60cm"), 1200, 800);  // 146 ppi: 873×582 px
  const PlainVerdict near = DescribeMeasurements(r, t).front();
  EXPECT_EQ(near.key, "resolution");
  EXPECT_THAT(near.words, HasSubstr("at 60 cm this print is as sharp as the eye can see: no upscale needed"));
  r.target = FitTarget(*ParseTargetSpec("6x4in@20cm"), 1200, 800);  // 437 ppi: 2619×1746 px
  const PlainVerdict close = DescribeMeasurements(r, t).front();
  EXPECT_THAT(close.words, HasSubstr("at 20 cm the eye resolves 437 ppi"));
  EXPECT_THAT(close.words, HasSubstr("2.18× upscale"));
  EXPECT_NE(close.level, VerdictLevel::kGood);
}

// A walk (issue #25): coffee enlarged 14× to 8400×5600 px read "big enough
// for 8x10in@300dpi: no upscaling needed" (700 dpi) beside "already
// enlarged: its detail is that of about 600×400 px". A picture with the
// pixels but not the detail for its target says so, and the level follows
// the detail missing (fair up to one AI pass's worth, poor beyond); with
// the detail, or without an earlier enlargement, the words are as before.
TEST(VerdictsTest, EnoughPixelsButNotTheDetailIsSaid) {
  const AdvisorThresholds t;
  AnalysisReport r = CleanReport();
  r.input.width = 8400;
  r.input.height = 5600;
  r.resolution.native_scale = 1.0 / 14;
  r.target = FitTarget(*ParseTargetSpec("8x10in@300dpi"), 8400, 5600);  // keeps 7000×5600, 0.43×
  PlainVerdict v = DescribeMeasurements(r, t).front();
  EXPECT_EQ(v.key, "resolution");
  EXPECT_EQ(v.level, VerdictLevel::kPoor);
  EXPECT_THAT(v.words, HasSubstr("enough pixels for 8x10in@300dpi (3000×2400 px), but not the detail"));
  EXPECT_THAT(v.words, HasSubstr("about 500×400 px, 6.0× less than the target shows (about 50 dpi of real detail)"));

  r.resolution.native_scale = 0.3;  // 2.1× missing: one AI pass's worth
  EXPECT_EQ(DescribeMeasurements(r, t).front().level, VerdictLevel::kFair);
  r.resolution.native_scale = 0.45;  // 0.95×: the detail is there
  v = DescribeMeasurements(r, t).front();
  EXPECT_EQ(v.level, VerdictLevel::kGood);
  EXPECT_THAT(v.words, HasSubstr("big enough for 8x10in@300dpi"));
  r.resolution.native_scale = 1.0;
  EXPECT_EQ(DescribeMeasurements(r, t).front().level, VerdictLevel::kGood);
  r.resolution.native_scale.reset();  // not measured: nothing claimed
  EXPECT_EQ(DescribeMeasurements(r, t).front().level, VerdictLevel::kGood);

  // Fewer pixels of the same detail never read better: astronaut enlarged
  // to 3072 px and to 2867 px, about 510 px of detail either way, for
  // 8x10in@300dpi (the review's pair: poor, then fair with "too small").
  for (const int side : {3072, 2867}) {
    r.input.width = r.input.height = side;
    r.resolution.native_scale = 510.0 / side;
    r.target = FitTarget(*ParseTargetSpec("8x10in@300dpi"), side, side);
    v = DescribeMeasurements(r, t).front();
    EXPECT_EQ(v.level, VerdictLevel::kPoor) << side << ": " << v.words;
    EXPECT_THAT(v.words, HasSubstr("less than the target shows")) << side;
  }
}

}  // namespace
}  // namespace acuity

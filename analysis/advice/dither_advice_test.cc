// A dithered GIF of a photo through the advice: the reading, its verdict
// words, the plan and QA tell one story — the dots are the palette's, the
// plan smooths them before anything enlarges or sharpens them, and QA
// judges the output against the input with its dots smoothed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "analysis/advice/advisor.h"
#include "analysis/advice/advisor_test_util.h"
#include "analysis/advice/qa_test_util.h"
#include "analysis/advice/verdicts.h"
#include "analysis/measurements/analyze.h"
#include "analysis/measurements/image_ops.h"
#include "tests/testing/dithered_images.h"
#include "tests/testing/test_images.h"
#include "tests/testing/wrap_image.h"

namespace acuity {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

cv::Mat Photo(const std::string& name) { return testing::CentreCrop(testing::LoadPhoto(name), 256); }

AnalysisReport Read(const cv::Mat& pixels, const char* target) {
  AnalyzeOptions options;
  if (target) options.target = *ParseTargetSpec(target);
  return Analyze(testing::WrapPixels(pixels), options);
}

const PlainVerdict* Row(const std::vector<PlainVerdict>& rows, const std::string& key) {
  for (const PlainVerdict& v : rows)
    if (v.key == key) return &v;
  return nullptr;
}

// A 16-colour Floyd–Steinberg GIF of a photo enlarged ×4: read as dithered
// (not as clean, nor as noise), undithered first at the measured σ, and
// every word agrees. Before, it read "noise 0.00 — clean" and was planned
// upscale and sharpen, which enlarge the dots into worms (datasets/
// RESULTS.md, "Dither": −0.4 to −6 dB against the photo).
TEST(DitherAdviceTest, ADitheredGifIsUnditheredBeforeAnythingEnlargesIt) {
  const cv::Mat photo = Photo("coffee");
  const cv::Mat gif =
      testing::ErrorDiffuse(photo, testing::MedianCutPalette(photo, 16), testing::Diffusion::kFloydSteinberg);
  const AnalysisReport r = Read(gif, "1024x1024");
  ASSERT_TRUE(r.dither.detected.value_or(false));
  const Advice advice = Decide(r);
  EXPECT_THAT(advisor_test::Ops(advice.plan), ElementsAre("undither", "upscale", "sharpen", "encode"));
  EXPECT_EQ(advice.decisions.undither, AdviceDecisions::Repair::kStep);
  const auto& step = std::get<UnditherStep>(advice.plan.steps[0].params);
  EXPECT_NEAR(step.sigma.value_or(0), *r.dither.undither_sigma_px, 0.005);
  EXPECT_THAT(advice.plan.steps[0].reason, HasSubstr("dithered to"));
  EXPECT_THAT(advice.plan.steps[0].reason, HasSubstr("upscaling and sharpening would enlarge them"));
  const std::vector<PlainVerdict> rows = DescribeMeasurements(r, advice.decisions);
  const PlainVerdict* dither = Row(rows, "dither");
  ASSERT_NE(dither, nullptr);
  EXPECT_EQ(dither->level, VerdictLevel::kFair);
  EXPECT_THAT(dither->words, HasSubstr("undither first"));
  const PlainVerdict* noise = Row(rows, "noise");
  ASSERT_NE(noise, nullptr);
  EXPECT_THAT(noise->words, HasSubstr("the dither's"));
  // With no target: still undithered, and the reason names no later step.
  const Plan alone = Advise(Read(gif, nullptr));
  ASSERT_FALSE(alone.steps.empty());
  EXPECT_TRUE(std::holds_alternative<UnditherStep>(alone.steps[0].params));
  EXPECT_THAT(alone.steps[0].reason, HasSubstr("smooth them where they are"));
}

// The same palette without dither (bands), and a coarse ordered dither:
// no undither step and a good row for the one, a poor row and a wider
// low-pass for the other.
TEST(DitherAdviceTest, BandsAreLeftAloneAndCoarseDotsArePoor) {
  const cv::Mat photo = Photo("coffee");
  const AnalysisReport bands = Read(testing::Posterize(photo, testing::MedianCutPalette(photo, 16)), "1024x1024");
  const Advice kept = Decide(bands);
  for (const PlanStep& s : kept.plan.steps) EXPECT_FALSE(std::holds_alternative<UnditherStep>(s.params));
  const std::vector<PlainVerdict> band_rows = DescribeMeasurements(bands, kept.decisions);
  const PlainVerdict* none = Row(band_rows, "dither");
  ASSERT_NE(none, nullptr);
  EXPECT_EQ(none->level, VerdictLevel::kGood);
  const AnalysisReport coarse = Read(testing::OrderedDither(photo, 2, 8), "1024x1024");
  const Advice smoothed = Decide(coarse);
  ASSERT_FALSE(smoothed.plan.steps.empty());
  const auto* step = std::get_if<UnditherStep>(&smoothed.plan.steps[0].params);
  ASSERT_NE(step, nullptr);
  EXPECT_GT(step->sigma.value_or(0), 0.6);
  const std::vector<PlainVerdict> coarse_rows = DescribeMeasurements(coarse, smoothed.decisions);
  const PlainVerdict* poor = Row(coarse_rows, "dither");
  ASSERT_NE(poor, nullptr);
  EXPECT_EQ(poor->level, VerdictLevel::kPoor);
}

// `pixels` with its dots smoothed on every channel, as the undither step does.
cv::Mat Undithered(const cv::Mat& pixels, double sigma_px) {
  const cv::Mat weights = DitherWeights(LumaF32(pixels));
  std::vector<cv::Mat> planes;
  cv::split(pixels, planes);
  for (cv::Mat& plane : planes) {
    cv::Mat f;
    plane.convertTo(f, CV_32F);
    WithoutDots(f, weights, sigma_px).convertTo(plane, CV_8U);
  }
  cv::Mat out;
  cv::merge(planes, out);
  return out;
}

cv::Mat Enlarged(const cv::Mat& pixels) {
  cv::Mat out;
  cv::resize(pixels, out, cv::Size(), 2, 2, cv::INTER_LANCZOS4);
  return out;
}

// QA of a dithered input judges the output against its plain enlargement
// with and without the dots, whichever is nearer: the plan's output
// (undithered, then enlarged) loses no detail — the dots were never the
// photo's, and before it read "11 % of the detailed picture lost its fine
// detail" — and one that keeps the dots (a copy, a bare enlargement) adds
// no texture.
TEST(DitherAdviceTest, QaJudgesADitheredInputWithAndWithoutItsDots) {
  const cv::Mat photo = Photo("chelsea");
  const cv::Mat gif =
      testing::ErrorDiffuse(photo, testing::MedianCutPalette(photo, 16), testing::Diffusion::kFloydSteinberg);
  const DitherResult dither = MeasureDither(gif).result;
  ASSERT_TRUE(dither.detected.value_or(false));
  const QaReport planned = qa_test::Qa(gif, Enlarged(Undithered(gif, *dither.undither_sigma_px)));
  EXPECT_TRUE(planned.metrics.input_dithered);
  EXPECT_EQ(qa_test::Check(planned, "detail_lost_area_pct").status, QaStatus::kPass)
      << qa_test::Check(planned, "detail_lost_area_pct").message;
  EXPECT_EQ(qa_test::Check(planned, "detail_retained").status, QaStatus::kPass);
  EXPECT_EQ(qa_test::Check(planned, "fake_texture_pct").status, QaStatus::kPass);
  EXPECT_THAT(qa_test::Check(planned, "detail_retained").message, HasSubstr("dither's dots"));
  for (const cv::Mat& kept : {gif, Enlarged(gif)}) {
    const QaReport report = qa_test::Qa(gif, kept);
    for (const char* check : {"fake_texture_pct", "halo_overshoot_pct", "detail_lost_area_pct", "detail_retained"})
      EXPECT_EQ(qa_test::Check(report, check).status, QaStatus::kPass)
          << kept.cols << " px: " << check << ": " << qa_test::Check(report, check).message;
  }
}

}  // namespace
}  // namespace acuity

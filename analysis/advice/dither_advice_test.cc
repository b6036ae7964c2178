// A dithered GIF of a photo through the advice: the reading, its verdict
// words, the plan and QA tell one story — the dots are the palette's, the
// plan smooths them before anything enlarges or sharpens them, and QA
// judges the output against the input with its dots smoothed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <variant>
#include <vector>

#include <fmt/format.h>
#include <opencv2/imgproc.hpp>

#include "analysis/advice/advisor.h"
#include "analysis/advice/advisor_test_util.h"
#include "analysis/advice/qa_test_util.h"
#include "analysis/advice/verdicts.h"
#include "analysis/io/image_writer.h"
#include "analysis/measurements/analyze.h"
#include "analysis/measurements/dither.h"
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
  const QaReport planned = qa_test::Qa(gif, Enlarged(UnditheredPicture(gif, *dither.undither_sigma_px)));
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

// The file a plan that undithers writes is quoted without the dots, which
// cost a JPEG most of its bytes: the read-back of cfcaae2 found the encode
// step quoting the dotted picture's file. Ground truth, a stand-in for the
// plan's output: the picture undithered as the plan's step does, enlarged
// ×4 by Lanczos (in place of the model; no sharpen) and encoded JPEG q80,
// for photos the estimate was not fitted on. The estimate without the dots is within kTolerance of it; the plain
// one is above it by kDotsCostAtLeast. A photo of more colours has none.
// The encode step writes such a picture as the photo it is: JPEG.
TEST(DitherAdviceTest, TheFileQuotedIsTheOneWithoutTheDots) {
  constexpr double kTolerance = 0.15;  // |estimate / real − 1|
  constexpr double kDotsCostAtLeast = 1.25;
  for (const char* name : {"rocket", "astronaut", "motorcycle_right"}) {
    const cv::Mat photo = Photo(name);
    const cv::Mat gif =
        testing::ErrorDiffuse(photo, testing::MedianCutPalette(photo, 16), testing::Diffusion::kFloydSteinberg);
    const AnalysisReport r = Read(gif, "1024px");
    ASSERT_TRUE(r.dither.detected.value_or(false)) << name;
    // Its flats and dot-to-dot steps are the palette's (analyze.h
    // DitheredTonesAreNotDrawn): astronaut's read synthetic, written PNG
    // for "text and graphics". Read as a photo's, the dots are no halo, no
    // smear and no enlargement.
    EXPECT_NE(r.content.kind, ContentKind::kSynthetic) << name;
    EXPECT_FALSE(r.oversharpening.detected.value_or(true)) << name;
    EXPECT_FALSE(r.motion_blur.detected.value_or(true)) << name;
    EXPECT_EQ(r.resolution.native_scale.value_or(0), 1.0) << name;
    ASSERT_TRUE(r.target->estimated_jpeg_bytes_undithered.has_value()) << name;
    ASSERT_TRUE(r.target->estimated_png_bytes_undithered.has_value()) << name;
    cv::Mat written;
    cv::resize(UnditheredPicture(gif, *r.dither.undither_sigma_px), written, cv::Size(), 4, 4, cv::INTER_LANCZOS4);
    WriteOptions q80;
    q80.quality = 80;
    const double real = double(EncodeImage(written, ImageFormat::kJpeg, q80)->size());
    const double smooth = double(*r.target->estimated_jpeg_bytes_undithered);
    const std::string said = fmt::format("{}: {:.0f} estimated without the dots, {} plain, {:.0f} written", name,
                                         smooth, r.target->estimated_jpeg_bytes, real);
    EXPECT_LT(std::abs(smooth / real - 1), kTolerance) << said;
    EXPECT_GT(double(r.target->estimated_jpeg_bytes) / real, kDotsCostAtLeast) << said;
    const Plan plan = Advise(r);
    ASSERT_FALSE(plan.steps.empty());
    const PlanStep& encode = plan.steps.back();
    ASSERT_TRUE(std::holds_alternative<EncodeStep>(encode.params)) << name;
    EXPECT_THAT(encode.reason, HasSubstr(FormatBytes(*r.target->estimated_jpeg_bytes_undithered))) << said;
  }
  // QA reads the input's kind as analyze does: the output's halos are read
  // (drawn content has none to read), and the plan's output has none.
  const cv::Mat astronaut = Photo("astronaut");
  const cv::Mat gif = testing::ErrorDiffuse(astronaut, testing::MedianCutPalette(astronaut, 16),
                                            testing::Diffusion::kFloydSteinberg);
  const QaReport qa = qa_test::Qa(gif, Enlarged(UnditheredPicture(gif, *MeasureDither(gif).result.undither_sigma_px)));
  EXPECT_TRUE(qa.metrics.oversharpening_measured);
  EXPECT_EQ(qa_test::Check(qa, "halo_overshoot_pct").status, QaStatus::kPass);
  const AnalysisReport photo = Read(Photo("rocket"), "1024px");
  EXPECT_FALSE(photo.target->estimated_jpeg_bytes_undithered.has_value());
  EXPECT_FALSE(photo.target->estimated_png_bytes_undithered.has_value());
}

// QA reads its input's blur as analyze does (analyze.h PhotoPixels): of a
// soft photo's GIF, the photo's blur, not its dots' — the blur its output
// inherits. Before, QA read 0.05 px on the dots beside analyze's 1.37.
TEST(DitherAdviceTest, QaReadsASoftPhotosGifAtThePhotosBlur) {
  cv::Mat soft;
  cv::GaussianBlur(Photo("astronaut"), soft, cv::Size(), 1.5);
  const cv::Mat gif =
      testing::ErrorDiffuse(soft, testing::MedianCutPalette(soft, 16), testing::Diffusion::kFloydSteinberg);
  const AnalysisReport r = Read(gif, nullptr);
  ASSERT_TRUE(r.dither.detected.value_or(false));
  ASSERT_GT(r.sharpness.blur_sigma_px.value_or(0), 1.0);
  const QaReport qa = qa_test::Qa(gif, Enlarged(UnditheredPicture(gif, *r.dither.undither_sigma_px)));
  EXPECT_NEAR(qa.metrics.input_blur_sigma_px.value_or(0), *r.sharpness.blur_sigma_px, 0.05);
}

}  // namespace
}  // namespace acuity

// Pixel art enlarged by repeating pixels, through the advice: enlarged to
// its target by repeating them again (exact), not by a model and a
// sharpen; nothing invented is warned of; QA of the plan's output passes.
// A photo enlarged the same way is no pixel art: it keeps the model.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <variant>

#include <opencv2/imgproc.hpp>

#include "analysis/advice/advisor.h"
#include "analysis/advice/advisor_test_util.h"
#include "analysis/advice/qa_test_util.h"
#include "analysis/advice/verdicts.h"
#include "analysis/measurements/analyze.h"
#include "tests/testing/dithered_images.h"
#include "tests/testing/test_images.h"
#include "tests/testing/wrap_image.h"

namespace acuity {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

AnalysisReport Read(const cv::Mat& pixels, const char* target) {
  AnalyzeOptions options;
  options.target = *ParseTargetSpec(target);
  return Analyze(testing::WrapPixels(pixels), options);
}

bool Warns(const Plan& plan, const std::string& code) {
  return std::any_of(plan.warnings.begin(), plan.warnings.end(), [&](const Warning& w) { return w.code == code; });
}

// Before: "upscale ×2 (esrgan-thick), sharpen 80 %" and "fine detail will be
// invented by the model" on a sprite of 8×8-px squares.
TEST(PixelArtAdviceTest, SquaresAreRepeatedToTheTargetNotUpscaled) {
  const cv::Mat sprite = testing::PixelArt(32, 24, 8, 2, 4, 3);  // 256×192 px of 8-px squares
  const AnalysisReport r = Read(sprite, "512x384");
  ASSERT_EQ(r.resolution.pixel_block_px, 8);
  const Plan plan = Advise(r);
  EXPECT_THAT(advisor_test::Ops(plan), ElementsAre("nearest", "encode"));
  const auto& step = std::get<NearestStep>(plan.steps[0].params);
  EXPECT_EQ(step.width_px, 512);
  EXPECT_EQ(step.height_px, 384);
  EXPECT_THAT(plan.steps[0].reason, HasSubstr("8×8-px squares"));
  EXPECT_THAT(plan.steps[0].reason, HasSubstr("squares of 16 px"));
  EXPECT_FALSE(Warns(plan, "invented_detail"));
  // The words agree with the plan: the squares repeat exactly, the art is what it is.
  const Advice advice = Decide(r);
  EXPECT_EQ(advice.decisions.repeated_squares_px, 8);
  for (const PlainVerdict& v : DescribeMeasurements(r, advice.decisions)) {
    if (v.key == "resolution") {
      EXPECT_EQ(v.level, VerdictLevel::kFair) << v.words;
      EXPECT_THAT(v.words, HasSubstr("repeating them reaches it exactly"));
    }
    if (v.key == "native_scale") {
      EXPECT_THAT(v.words, HasSubstr("pixel art enlarged by repeating pixels"));
    }
  }
  // A fraction says which size keeps the squares even.
  const Plan uneven = Advise(Read(sprite, "640x480"));
  ASSERT_FALSE(uneven.steps.empty());
  EXPECT_THAT(uneven.steps[0].reason, HasSubstr("no whole factor"));
  // QA of the exact enlargement: its copies are the input's own squares.
  cv::Mat twice;
  cv::resize(sprite, twice, cv::Size(), 2, 2, cv::INTER_NEAREST_EXACT);
  const QaReport qa = qa_test::Qa(sprite, twice);
  EXPECT_EQ(qa.metrics.input_pixel_block_px, 8);
  EXPECT_EQ(qa_test::Check(qa, "repeated_pixels_added_pct").status, QaStatus::kPass);
  EXPECT_EQ(qa.verdict, QaStatus::kPass) << qa_test::Check(qa, "repeated_pixels_added_pct").message;
}

TEST(PixelArtAdviceTest, APhotoEnlargedByRepeatingPixelsKeepsTheModel) {
  const cv::Mat photo = testing::CentreCrop(testing::LoadPhoto("coffee"), 128);
  cv::Mat blocky;
  cv::resize(photo, blocky, cv::Size(), 2, 2, cv::INTER_NEAREST_EXACT);
  const AnalysisReport r = Read(blocky, "512x512");
  const Plan plan = Advise(r);
  EXPECT_TRUE(std::none_of(plan.steps.begin(), plan.steps.end(),
                           [](const PlanStep& s) { return std::holds_alternative<NearestStep>(s.params); }));
  EXPECT_TRUE(std::any_of(plan.steps.begin(), plan.steps.end(),
                          [](const PlanStep& s) { return std::holds_alternative<UpscaleStep>(s.params); }));
}

}  // namespace
}  // namespace acuity

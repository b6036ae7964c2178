// A scanned print (issue #25): a walk's photo printed through a 6-px screen
// at 45° and scanned with a 0.8 px blur read noise σ 7.3 "poor — denoise",
// over-sharpened and "already enlarged by an AI upscaler" (native scale
// 0.24): every reading took the print's dots for the scene. Its screen is
// found (halftone.h) and the readings follow from it: no noise (the dots are
// the print's), no native scale to read (the screen sets the detail), halos
// read on the picture with the dots smoothed, and the plan smooths them
// away before it enlarges.
#include <string>
#include <variant>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "analysis/advice/advisor.h"
#include "analysis/advice/verdicts.h"
#include "analysis/measurements/analyze.h"
#include "analysis/measurements/halftone.h"
#include "analysis/measurements/target_spec.h"
#include "tests/testing/dithered_images.h"
#include "tests/testing/test_images.h"
#include "tests/testing/wrap_image.h"

namespace acuity {
namespace {

PlainVerdict Row(const std::vector<PlainVerdict>& rows, const std::string& key) {
  for (const PlainVerdict& v : rows)
    if (v.key == key) return v;
  ADD_FAILURE() << "no row " << key;
  return {};
}

TEST(HalftoneAdviceTest, AScannedPrintIsReadAsItsScreen) {
  for (const char* name : {"camera", "motorcycle_left"}) {
    SCOPED_TRACE(name);
    const cv::Mat print = testing::Halftone(testing::LoadPhoto(name), 6.0, 45.0, 0.8);
    AnalyzeOptions options;
    options.target = *ParseTargetSpec(fmt::format("{}px", print.cols * 3));
    const AnalysisReport r = Analyze(testing::WrapPixels(print), options);
    ASSERT_TRUE(r.dither.screen_period_px.has_value());
    EXPECT_NEAR(*r.dither.screen_period_px, 6.0, 0.2);
    EXPECT_EQ(r.noise.luma_sigma.value_or(-1), 0.0);
    EXPECT_FALSE(r.oversharpening.detected.value_or(false)) << r.oversharpening.halo_score.value_or(-1);
    EXPECT_FALSE(r.resolution.native_scale.has_value()) << *r.resolution.native_scale;
    const Advice advice = Decide(r);
    ASSERT_FALSE(advice.plan.steps.empty());
    const auto* undither = std::get_if<UnditherStep>(&advice.plan.steps[0].params);
    ASSERT_NE(undither, nullptr) << advice.plan.steps[0].reason;
    EXPECT_NEAR(undither->sigma.value_or(0), DescreenSigmaPx(6.0), 0.1);
    EXPECT_NE(advice.plan.steps[0].reason.find("halftone screen"), std::string::npos) << advice.plan.steps[0].reason;
    for (const Warning& w : advice.plan.warnings) {
      EXPECT_NE(w.code, "already_upscaled") << w.message;
      EXPECT_NE(w.code, "oversharpened_input") << w.message;
    }
    const std::vector<PlainVerdict> rows = DescribeMeasurements(r, advice.decisions);
    EXPECT_NE(Row(rows, "noise").level, VerdictLevel::kPoor) << Row(rows, "noise").words;
    EXPECT_NE(Row(rows, "dither").words.find("halftone"), std::string::npos) << Row(rows, "dither").words;
    EXPECT_EQ(Row(rows, "native_scale").level, VerdictLevel::kNotMeasured);
  }
}

}  // namespace
}  // namespace acuity

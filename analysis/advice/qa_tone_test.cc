// QA of outputs whose tones were re-curved: a gamma or a levels curve is a
// colour change, not halos (tone_curve.h). QA of coffee ×2 with a gamma of
// 0.7 or 1.4 read halo_overshoot_pct 21 % and failed it, with a halo map
// lit along every edge.
#include <cmath>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include "analysis/advice/qa.h"
#include "analysis/advice/qa_test_util.h"
#include "analysis/json/qa_json.h"
#include "analysis/measurements/qa_measures.h"
#include "analysis/measurements/tone_curve.h"
#include "tests/testing/test_images.h"
#include "tests/testing/wild_degradations.h"

namespace acuity {
namespace {

using qa_test::Check;
using qa_test::Qa;

// 8-bit BGR through a gamma.
cv::Mat Gamma(const cv::Mat& bgr, double gamma) {
  cv::Mat lut(1, 256, CV_8U);
  for (int v = 0; v < 256; ++v) lut.at<uchar>(v) = cv::saturate_cast<uchar>(255.0 * std::pow(v / 255.0, gamma));
  cv::Mat out;
  cv::LUT(bgr, lut, out);
  return out;
}

struct Pair {
  cv::Mat input, plain;  // a photo halved, and its plain ×2 enlargement
};
Pair MakePair(const char* name) {
  Pair p;
  const cv::Mat photo = testing::LoadPhoto(name);
  cv::resize(photo, p.input, photo.size() / 2, 0, 0, cv::INTER_AREA);
  p.plain = PlainResize(p.input, p.input.size() * 2);
  return p;
}

TEST(QaTone, AGammaIsAColourChangeNotHalos) {
  for (const char* name : {"coffee", "chelsea", "rocket"}) {
    const Pair p = MakePair(name);
    for (double gamma : {0.7, 1.4}) {
      const std::string what = std::string(name) + " gamma " + std::to_string(gamma);
      const QaReport report = Qa(p.input, Gamma(p.plain, gamma));
      EXPECT_LT(report.metrics.halo_overshoot_pct, 2.0) << what;
      EXPECT_EQ(Check(report, "halo_overshoot_pct").status, QaStatus::kPass) << what;
      EXPECT_NE(Check(report, "halo_crispness").status, QaStatus::kFail) << what;
      EXPECT_EQ(Check(report, "color_delta_e00_mean").status, QaStatus::kFail) << what;
      // The report says why: the curve was read and applied, and the
      // colour and halo checks name it.
      EXPECT_TRUE(report.metrics.tone_curve_applied) << what;
      EXPECT_GE(report.metrics.tone_curve_rms_8bit, kToneChange8bit) << what;
      EXPECT_NE(Check(report, "color_delta_e00_mean").message.find("tones follow a global tone curve"), std::string::npos)
          << what << ": " << Check(report, "color_delta_e00_mean").message;
      EXPECT_NE(Check(report, "fidelity_psnr_db").message.find("tones follow a global tone curve"), std::string::npos) << what;
      EXPECT_NE(Check(report, "halo_overshoot_pct").message.find("own tone curve"), std::string::npos) << what;
    }
  }
}

// A plain enlargement keeps the tones: no curve applied, and nothing said.
TEST(QaTone, APlainEnlargementIsNotReadAsRecurved) {
  for (const char* name : {"coffee", "chelsea"}) {
    const Pair p = MakePair(name);
    const QaReport report = Qa(p.input, p.plain);
    EXPECT_FALSE(report.metrics.tone_curve_applied) << name;
    EXPECT_LT(report.metrics.tone_curve_rms_8bit, kToneChange8bit) << name;
    EXPECT_EQ(Check(report, "color_delta_e00_mean").message.find("tone curve"), std::string::npos) << name;
  }
}

// The JSON says what the report measured: tone_curve_rms_8bit to 3 places
// (1.996 must not print as 2.00 beside tone_curve_applied false) and
// tone_curve_applied, for a re-curved output and a plain one.
TEST(QaTone, TheJsonCarriesTheCurve) {
  const Pair p = MakePair("chelsea");
  for (double gamma : {1.0, 0.7}) {
    const QaReport report = Qa(p.input, gamma == 1.0 ? p.plain : Gamma(p.plain, gamma));
    const nlohmann::json j = QaReportToJson(report, {}, {}, nullptr);
    SCOPED_TRACE(j["metrics"].dump());
    ASSERT_TRUE(j["metrics"]["tone_curve_applied"].is_boolean());
    EXPECT_EQ(j["metrics"]["tone_curve_applied"].get<bool>(), report.metrics.tone_curve_applied);
    EXPECT_EQ(j["metrics"]["tone_curve_applied"].get<bool>(), gamma != 1.0);
    ASSERT_TRUE(j["metrics"]["tone_curve_rms_8bit"].is_number());
    EXPECT_NEAR(j["metrics"]["tone_curve_rms_8bit"].get<double>(), report.metrics.tone_curve_rms_8bit, 5e-4);
  }
}

// The same on a small crop (160×120 px), so that the sanitizer build, which
// leaves the whole-photo cases above to the main build, runs a QA that
// applies a curve: a gamma is read and applied, a plain enlargement is not.
TEST(QaToneSmall, AGammaOnASmallCropIsReadAndApplied) {
  const cv::Mat photo = testing::LoadPhoto("chelsea");
  ASSERT_FALSE(photo.empty());
  cv::Mat input;
  cv::resize(photo(cv::Rect(100, 60, 320, 240)), input, cv::Size(160, 120), 0, 0, cv::INTER_AREA);
  const cv::Mat plain = PlainResize(input, input.size() * 2);
  const QaReport recurved = Qa(input, Gamma(plain, 0.7));
  EXPECT_TRUE(recurved.metrics.tone_curve_applied);
  EXPECT_GE(recurved.metrics.tone_curve_rms_8bit, kToneChange8bit);
  EXPECT_EQ(Check(recurved, "halo_overshoot_pct").status, QaStatus::kPass)
      << Check(recurved, "halo_overshoot_pct").message;
  EXPECT_NE(Check(recurved, "color_delta_e00_mean").status, QaStatus::kPass);
  EXPECT_FALSE(Qa(input, plain).metrics.tone_curve_applied);
}

// Halos made before or after a re-curve are still halos.
TEST(QaTone, HalosUnderAGammaAreStillHalos) {
  for (const char* name : {"coffee", "chelsea"}) {
    const Pair p = MakePair(name);
    for (double gamma : {0.7, 1.4}) {
      const QaReport report = Qa(p.input, Gamma(testing::UnsharpMask(p.plain, 3.0, 1.5), gamma));
      EXPECT_EQ(Check(report, "halo_overshoot_pct").status, QaStatus::kFail) << name << " " << gamma;
    }
  }
}

}  // namespace
}  // namespace acuity

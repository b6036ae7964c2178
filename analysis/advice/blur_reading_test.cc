// The blur σ reading's uncertainty (kBlurSigmaUncertaintyFraction) measured
// on real photos blurred with a known σ, and the advice it makes stable:
// a reading within its uncertainty of a threshold is "borderline" and the
// plan is the same on both sides (issue #25: ten photos blurred with
// σ = 3.0 px read 2.75–3.11 px; two were told severe_blur, eight not).
//
// Re-measure the figure (prints every reading and the spread):
//   build/analysis/advice/advice_test --gtest_filter='BlurUncertaintyTest.*'
#include "analysis/advice/blur_reading.h"

#include <cmath>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "analysis/advice/advisor.h"
#include "analysis/advice/plan_ops.h"
#include "analysis/advice/verdicts.h"
#include "analysis/measurements/analyze.h"
#include "analysis/measurements/blur.h"
#include "tests/testing/test_images.h"
#include "tests/testing/wrap_image.h"

namespace acuity {
namespace {

// Ten of scikit-image's photos (brick, a periodic texture the blur reading
// is known to misjudge, and rocket, whose clean reading is 0, left out:
// datasets/RESULTS.md, "Blur").
const char* const kPhotos[] = {"astronaut", "coffee", "chelsea", "motorcycle_left", "camera",
                               "moon",      "coins",  "ihc",     "grass",           "gravel"};

// A clean version of the photo: area-downscaled 2× (as the datasets' ladders).
cv::Mat Clean(const std::string& name) {
  const cv::Mat photo = testing::LoadPhoto(name);
  cv::Mat half;
  cv::resize(photo, half, photo.size() / 2, 0, 0, cv::INTER_AREA);
  return half;
}

cv::Mat Blurred(const cv::Mat& in, double sigma_px) {
  cv::Mat out;
  cv::GaussianBlur(in, out, cv::Size(), sigma_px);
  return out;
}

std::optional<double> Reading(const cv::Mat& pixels) { return MeasureBlur(pixels).result.blur_sigma_px; }

// The error of the reading against √(σ₀² + s²) (σ₀: the clean photo's
// reading), relative, over every photo and s in {1.2, 2, 3} px: its root
// mean square (bias included) is the stated uncertainty at most, and no
// reading leaves the borderline band (kBlurBorderlineStdDevs of them).
TEST(BlurUncertaintyTest, ReadingsOfAKnownBlurStayWithinTheStatedUncertainty) {
  std::vector<double> relative;
  for (const char* name : kPhotos) {
    const cv::Mat clean = Clean(name);
    const std::optional<double> base = Reading(clean);
    ASSERT_TRUE(base.has_value()) << name;
    for (double s : {1.2, 2.0, 3.0}) {
      const std::optional<double> read = Reading(Blurred(clean, s));
      ASSERT_TRUE(read.has_value()) << name << " σ " << s;
      const double expected = std::sqrt(*base * *base + s * s);
      relative.push_back(*read / expected - 1);
      fmt::print("{:16} σ₀ {:.3f}  s {:.1f}  read {:.3f}  expected {:.3f}  {:+.1f} %\n", name, *base, s, *read,
                 expected, 100 * relative.back());
      EXPECT_LE(std::abs(relative.back()), kBlurBorderlineStdDevs * kBlurSigmaUncertaintyFraction)
          << name << " σ " << s;
    }
  }
  double mean = 0, square = 0, mean_square = 0;
  for (double r : relative) mean += r / relative.size();
  for (double r : relative) square += (r - mean) * (r - mean) / (relative.size() - 1);
  for (double r : relative) mean_square += r * r / relative.size();
  const double rms = std::sqrt(mean_square);
  fmt::print("relative error over {} readings: mean {:+.2f} %, standard deviation {:.2f} %, root mean square "
             "{:.2f} % (stated {:.1f} %)\n",
             relative.size(), 100 * mean, 100 * std::sqrt(square), 100 * rms, 100 * kBlurSigmaUncertaintyFraction);
  EXPECT_LE(rms, kBlurSigmaUncertaintyFraction);
}

std::string PlanShape(const Plan& plan) {
  std::string shape;
  for (const PlanStep& s : plan.steps) shape += std::string(OpOf(s).name) + " ";
  shape += "|";
  for (const Warning& w : plan.warnings) shape += " " + w.code;
  return shape;
}

// The case on our photos: every photo blurred with σ = 3.0 px (the
// severe_blur threshold) reads within the band, is called borderline, and
// gets the same plan: one sharpen, the borderline_blur note, no severe_blur.
TEST(BlurUncertaintyTest, PhotosBlurredAtTheSevereThresholdGetOnePlan) {
  const AdvisorThresholds t;
  std::set<std::string> shapes;
  for (const char* name : kPhotos) {
    const AnalysisReport report = Analyze(testing::WrapPixels(Blurred(Clean(name), t.severe_blur_above_px)));
    ASSERT_TRUE(report.sharpness.blur_sigma_px.has_value()) << name;
    const Advice advice = Decide(report, t);
    EXPECT_EQ(advice.decisions.blur.Against(t.severe_blur_above_px), BlurToActOn::Side::kBorderline)
        << name << " reads " << *report.sharpness.blur_sigma_px;
    shapes.insert(PlanShape(advice.plan));
    for (const PlainVerdict& v : DescribeMeasurements(report, advice.decisions, t)) {
      if (v.key != "sharpness") continue;
      EXPECT_EQ(v.level, VerdictLevel::kFair) << name << ": " << v.words;
      EXPECT_NE(v.words.find("borderline"), std::string::npos) << name << ": " << v.words;
    }
  }
  ASSERT_EQ(shapes.size(), 1u) << fmt::format("{}", fmt::join(shapes, "\n"));
  const std::string shape = *shapes.begin();
  EXPECT_NE(shape.find("sharpen"), std::string::npos) << shape;
  EXPECT_NE(shape.find("borderline_blur"), std::string::npos) << shape;
  EXPECT_EQ(shape.find("severe_blur"), std::string::npos) << shape;
}

// A 1200×800 report with no halos and no motion blur, noise σ `noise`
// (8-bit), for the blur readings a test sets.
AnalysisReport BlurOnlyReport(double noise) {
  AnalysisReport r;
  r.input.width = 1200;
  r.input.height = 800;
  r.noise.sigma = noise;
  r.oversharpening.detected = false;
  r.motion_blur.detected = false;
  return r;
}

// Within the band on either side of either threshold the plan is the same;
// outside it, it follows the threshold.
TEST(BlurReadingTest, ReadingsInsideTheBandGetOnePlan) {
  const AdvisorThresholds t;
  AnalysisReport r = BlurOnlyReport(0.5);
  for (double threshold : {t.sharpen_above_blur_px, t.severe_blur_above_px}) {
    const double band = BlurToActOn::BandPx(threshold);
    std::set<std::string> inside;
    for (double offset : {-0.9, -0.3, 0.0, 0.3, 0.9}) {
      r.sharpness.blur_sigma_px = threshold + offset * band;
      inside.insert(PlanShape(Advise(r, t)));
    }
    EXPECT_EQ(inside.size(), 1u) << threshold << ": " << fmt::format("{}", fmt::join(inside, " / "));
    EXPECT_NE(inside.begin()->find("borderline_blur"), std::string::npos) << *inside.begin();
    r.sharpness.blur_sigma_px = threshold - 1.1 * band;
    const std::string below = PlanShape(Advise(r, t));
    r.sharpness.blur_sigma_px = threshold + 1.1 * band;
    const std::string above = PlanShape(Advise(r, t));
    EXPECT_NE(below, above) << threshold;
  }
}

// Issue #25, the walk's dark noisy JPEG: its spectrum reads σ 1.34 px, but
// the noise leaves detail only to about 1.38 px, and a sharp photo reads
// that much. The threshold of 1.2 px is within that resolution: borderline,
// no sharpen (the plan sharpened 120 % and QA then warned of amplified
// noise). The same reading from a clean photo (resolution 0.45 px) is soft
// and sharpened; a reading well beyond the resolution still is.
TEST(BlurReadingTest, AThresholdInsideTheResolutionIsBorderline) {
  const AdvisorThresholds t;
  AnalysisReport r = BlurOnlyReport(3.9);
  r.sharpness.blur_sigma_px = 1.34;
  r.sharpness.blur_resolution_px = 1.38;
  Advice noisy = Decide(r, t);
  EXPECT_EQ(noisy.decisions.blur.Against(t.sharpen_above_blur_px), BlurToActOn::Side::kBorderline);
  EXPECT_EQ(PlanShape(noisy.plan).find("sharpen"), std::string::npos) << PlanShape(noisy.plan);
  EXPECT_NE(noisy.decisions.blur.BorderlineWords(t.sharpen_above_blur_px).find("noise leaves no detail finer"),
            std::string::npos);
  EXPECT_GT(noisy.decisions.blur.UncertaintyPx(), 0.5);

  r.sharpness.blur_resolution_px = 0.45;
  const Advice clean = Decide(r, t);
  EXPECT_EQ(clean.decisions.blur.Against(t.sharpen_above_blur_px), BlurToActOn::Side::kAbove);
  EXPECT_NE(PlanShape(clean.plan).find("sharpen"), std::string::npos);
  EXPECT_LT(clean.decisions.blur.UncertaintyPx(), 0.1);

  r.sharpness.blur_sigma_px = 2.2;  // 4.84 px²: beyond 1.44 + 1.38²
  r.sharpness.blur_resolution_px = 1.38;
  EXPECT_EQ(Decide(r, t).decisions.blur.Against(t.sharpen_above_blur_px), BlurToActOn::Side::kAbove);
}

}  // namespace
}  // namespace acuity

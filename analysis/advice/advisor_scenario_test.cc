// Scenario tests of the whole advice chain on real photos with known
// degradations: Analyze() measures, Advise() plans, and the plan must have
// the expected step kinds in the expected order.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "analysis/advice/advisor.h"
#include "analysis/advice/plan_ops.h"
#include "analysis/measurements/analyze.h"
#include "analysis/io/image_io.h"
#include "analysis/io/jpeg_codec.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Not;

const char* const kPhotos[] = {"coffee", "astronaut", "chelsea"};

// A clean version of a real photo: area-downscaled 2× (removes most of its
// own noise and compression), 8-bit BGR.
cv::Mat Clean(const std::string& name) {
  cv::Mat photo = testing::LoadPhoto(name), clean;
  cv::resize(photo, clean, photo.size() / 2, 0, 0, cv::INTER_AREA);
  return clean;
}

cv::Mat Blurred(const cv::Mat& in, double sigma_px) {
  cv::Mat out;
  cv::GaussianBlur(in, out, cv::Size(0, 0), sigma_px);
  return out;
}

cv::Mat Noisy(const cv::Mat& in, double sigma_8bit, int seed) {
  cv::Mat noise(in.size(), CV_32FC3), f;
  cv::RNG rng(seed);
  rng.fill(noise, cv::RNG::NORMAL, 0, sigma_8bit);
  in.convertTo(f, CV_32F);
  cv::Mat out;
  cv::Mat(f + noise).convertTo(out, CV_8U);  // rounds and clips like a real file
  return out;
}

cv::Mat Sharpened(const cv::Mat& in, double amount, double radius_px) {
  cv::Mat f, blur, out;
  in.convertTo(f, CV_32F);
  cv::GaussianBlur(f, blur, cv::Size(0, 0), radius_px);
  cv::Mat(f + amount * (f - blur)).convertTo(out, CV_8U);
  return out;
}

// Analyse and advise as `acuity advise` does; `jpeg_quality` > 0 goes through a real JPEG file.
// `model`: the user's --model ("" = the advisor chooses).
Plan AdviseOn(const cv::Mat& pixels, const char* target, int jpeg_quality = 0, const std::string& model = "") {
  Image image;
  if (jpeg_quality > 0) {
    JpegEncodeOptions options;
    options.quality = jpeg_quality;
    auto decoded = DecodeImage(*EncodeJpeg(pixels, options), "scenario.jpg");
    EXPECT_TRUE(decoded.ok()) << decoded.status();
    image = *decoded;
  } else {
    image.pixels = pixels;
    image.info.width = pixels.cols;
    image.info.height = pixels.rows;
    image.info.channels = 3;
    image.info.bit_depth = 8;
  }
  AnalyzeOptions options;
  if (target) options.target = *ParseTargetSpec(target);
  return Advise(Analyze(image, options), {}, model);
}

std::vector<std::string> Ops(const Plan& plan) {
  std::vector<std::string> ops;
  for (const auto& s : plan.steps)
    if (!std::holds_alternative<EncodeStep>(s.params)) ops.push_back(std::string(OpOf(s).name));
  return ops;
}

std::vector<std::string> Codes(const Plan& plan) {
  std::vector<std::string> codes;
  for (const auto& w : plan.warnings) codes.push_back(w.code);
  return codes;
}

class ScenarioTest : public ::testing::TestWithParam<const char*> {
 protected:
  cv::Mat clean_ = Clean(GetParam());
  std::string long_edge(double factor) const {
    return std::to_string(int(std::lround(std::max(clean_.cols, clean_.rows) * factor))) + "px";
  }
};

TEST_P(ScenarioTest, AlreadyFineIsEmpty) {
  Plan plan = AdviseOn(clean_, nullptr);
  EXPECT_THAT(Ops(plan), ElementsAre()) << GetParam();
  EXPECT_THAT(Codes(plan), ElementsAre());
}

// No repair; the upscale is followed by a sharpen, which the order ablation
// (datasets/ABLATION.md) measured as closer to the true large photo.
TEST_P(ScenarioTest, SmallAndSharpUpscalesWithoutRepair) {
  Plan plan = AdviseOn(clean_, long_edge(3).c_str());
  EXPECT_THAT(Ops(plan), ElementsAre("upscale", "sharpen")) << GetParam();
}

TEST_P(ScenarioTest, BigEnoughButSoftSharpensOnly) {
  Plan plan = AdviseOn(Blurred(clean_, 2.0), nullptr);
  EXPECT_THAT(Ops(plan), ElementsAre("sharpen")) << GetParam();
}

TEST_P(ScenarioTest, SmallAndSoftUpscalesThenSharpens) {
  Plan plan = AdviseOn(Blurred(clean_, 2.0), long_edge(2).c_str());
  EXPECT_THAT(Ops(plan), ElementsAre("upscale", "sharpen")) << GetParam();
}

// With a model that does not repair itself (the user's esrgan-thick) the
// noise goes first; the advisor's own choice for a noisy photo this small is
// Real-ESRGAN's general model, which removes the noise itself (no denoise).
TEST_P(ScenarioTest, NoisyDenoisesBeforeUpscaleAndSharpen) {
  const cv::Mat noisy = Noisy(clean_, 15, 7);
  Plan plan = AdviseOn(noisy, long_edge(2).c_str(), 0, "esrgan-thick");
  const auto ops = Ops(plan);
  ASSERT_FALSE(ops.empty()) << GetParam();
  EXPECT_EQ(ops.front(), "denoise") << GetParam();
  EXPECT_THAT(ops, Contains("upscale"));

  plan = AdviseOn(noisy, long_edge(2).c_str());
  EXPECT_THAT(Ops(plan), ElementsAre("upscale")) << GetParam();
  EXPECT_EQ(std::get<UpscaleStep>(plan.steps[0].params).model, "realesr-general-x4v3") << GetParam();
}

TEST_P(ScenarioTest, HeavyJpegDeblocksFirst) {
  Plan plan = AdviseOn(clean_, long_edge(2).c_str(), /*jpeg_quality=*/15, "esrgan-thick");
  const auto ops = Ops(plan);
  ASSERT_FALSE(ops.empty()) << GetParam();
  EXPECT_EQ(ops.front(), "deblock") << GetParam();
  EXPECT_THAT(Codes(plan), Contains("heavy_jpeg"));

  plan = AdviseOn(clean_, long_edge(2).c_str(), /*jpeg_quality=*/15);
  EXPECT_THAT(Ops(plan), ElementsAre("upscale")) << GetParam();
  EXPECT_THAT(Codes(plan), Contains("heavy_jpeg")) << GetParam();
}

TEST_P(ScenarioTest, SixTimesIsTwoPassesOrThicksOwnEight) {
  Plan plan = AdviseOn(clean_, long_edge(6).c_str(), 0, "esrgan-medium");
  EXPECT_THAT(Ops(plan), ElementsAre("upscale", "upscale", "sharpen")) << GetParam();
  EXPECT_THAT(Codes(plan), Contains("scale_above_4x"));
  plan = AdviseOn(clean_, long_edge(6).c_str(), 0, "esrgan-thick");
  EXPECT_THAT(Ops(plan), ElementsAre("upscale", "downscale", "sharpen")) << GetParam();
}

TEST_P(ScenarioTest, SevereBlurWarns) {
  Plan plan = AdviseOn(Blurred(clean_, 4.0), nullptr);
  EXPECT_THAT(Codes(plan), Contains("severe_blur")) << GetParam();
}

INSTANTIATE_TEST_SUITE_P(Photos, ScenarioTest, ::testing::ValuesIn(kPhotos));

// Over-sharpening is detected on photos with crisp edges; on the soft chelsea
// photo a 3× unsharp mask is not yet detected (see datasets/RESULTS.md).
class OversharpenedScenarioTest : public ScenarioTest {};

TEST_P(OversharpenedScenarioTest, GetsNoSharpenAndAWarning) {
  Plan plan = AdviseOn(Sharpened(clean_, 3.0, 1.5), long_edge(2).c_str());
  EXPECT_THAT(Ops(plan), Not(Contains("sharpen"))) << GetParam();
  EXPECT_THAT(Codes(plan), Contains("oversharpened_input")) << GetParam();
}

INSTANTIATE_TEST_SUITE_P(Photos, OversharpenedScenarioTest, ::testing::Values("coffee", "astronaut"));

}  // namespace
}  // namespace acuity

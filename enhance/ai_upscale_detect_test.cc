// An image enlarged by one of acuity's own networks reads as upscaled
// (issue #25, "AI-upscaled files are recognised"): native scale ≈ 1/f, an
// upscale kind other than "none", and `advise` warns already_upscaled —
// while a native crop of the same photo does not. (The measurement's own tests, without a model,
// are in analysis/measurements/native_scale_test.cc; the accuracy on every
// model is datasets/ai_upscale_evaluate → datasets/RESULTS.md.)
#include <algorithm>
#include <string>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "analysis/advice/advisor.h"
#include "analysis/io/image_io.h"
#include "analysis/io/jpeg_codec.h"
#include "analysis/measurements/analyze.h"
#include "analysis/measurements/sr_classifier.h"
#include "enhance/upscale_test_options.h"
#include "enhance/upscaler.h"
#include "tests/testing/test_images.h"
#include "tests/testing/wrap_image.h"

namespace acuity {
namespace {

bool Warns(const Plan& plan, const std::string& code) {
  return std::any_of(plan.warnings.begin(), plan.warnings.end(), [&](const Warning& w) { return w.code == code; });
}

TEST(AiUpscaleDetectTest, SlimOutputsReadTheirFactorAndWarn) {
  // A 96-px crop of a photo the detector was not calibrated on.
  const cv::Mat source = testing::LoadPhoto("motorcycle_left")(cv::Rect(300, 150, 96, 96)).clone();
  AnalyzeOptions options;
  options.compute_maps = false;
  for (int f : {3, 4}) {  // ×4 repeats one column in four: read through the repeats
    absl::StatusOr<UpscaleResult> up = Upscale(source, TestUpscaleOptions("esrgan-slim", f));
    ASSERT_TRUE(up.ok()) << up.status();
    const AnalysisReport report = Analyze(testing::WrapPixels(up->pixels), options);
    ASSERT_TRUE(report.resolution.native_scale && report.resolution.upscale_kind);
    EXPECT_NEAR(*report.resolution.native_scale * f, 1.0, 0.2) << f << "×";  // within 20 % of 1/f
    // slim's output is soft: the interpolation test may read it first.
    EXPECT_NE(*report.resolution.upscale_kind, UpscaleKind::kNone) << f << "×";
    EXPECT_TRUE(Warns(Advise(report), "already_upscaled")) << f << "×";
  }

  // A native crop of the same photo, of the same size: not upscaled.
  const cv::Mat native = testing::LoadPhoto("motorcycle_left")(cv::Rect(150, 50, 288, 288)).clone();
  const AnalysisReport native_report = Analyze(testing::WrapPixels(native), options);
  ASSERT_TRUE(native_report.resolution.upscale_kind.has_value());
  EXPECT_EQ(*native_report.resolution.upscale_kind, UpscaleKind::kNone);
  EXPECT_FALSE(Warns(Advise(native_report), "already_upscaled"));
}

// `pixels` saved as a JPEG of `quality` and decoded as `analyze` reads a file.
Image AsJpegFile(const cv::Mat& pixels, int quality) {
  JpegEncodeOptions options;
  options.quality = quality;
  absl::StatusOr<std::string> bytes = EncodeJpeg(pixels, options);
  EXPECT_TRUE(bytes.ok());
  absl::StatusOr<Image> image = DecodeImage(bytes.ok() ? *bytes : std::string(), "supplier.jpg");
  EXPECT_TRUE(image.ok()) << image.status();
  return image.ok() ? *image : Image();
}

// `report` reads an f× network's output: upscale kind "ai", native scale
// within 20 % of 1/f, the learned test at least the flag line of that
// factor, and `advise` warns already_upscaled.
void ExpectReadAsANetworksOutput(const AnalysisReport& report, int factor, const std::string& what) {
  ASSERT_TRUE(report.resolution.native_scale && report.resolution.upscale_kind) << what;
  EXPECT_EQ(*report.resolution.upscale_kind, UpscaleKind::kAi) << what;
  EXPECT_NEAR(*report.resolution.native_scale * factor, 1.0, 0.2) << what;
  ASSERT_TRUE(report.resolution.network_probability.has_value()) << what;
  EXPECT_GE(*report.resolution.network_probability,
            factor == 2 ? kSrClassifierX2FlagProbability : kSrClassifierFlagProbability)
      << what;
  EXPECT_TRUE(Warns(Advise(report), "already_upscaled")) << what;
}

// realesrgan-x4plus images no source grid (sr_upscale_evidence.h's test
// read 1 of 8 of its outputs), and an output saved as a JPEG loses the grid
// of the others: the learned test (sr_classifier.h) reads the invented
// texture itself. Photos the classifier was not fitted on.
TEST(AiUpscaleDetectTest, RealEsrganX4plusOutputsAreRecognisedAsPngAndAsJpeg) {
  AnalyzeOptions options;
  options.compute_maps = false;
  struct Case {
    const char* photo;
    cv::Rect crop;
  };
  for (const Case& c : {Case{"motorcycle_right", {330, 120, 64, 64}}, Case{"coins", {120, 90, 64, 64}}}) {
    const cv::Mat source = testing::LoadPhoto(c.photo)(c.crop).clone();
    UpscaleOptions x4plus = TestUpscaleOptions("realesrgan-x4plus", 4);
    x4plus.overlap_px = 16;  // one tile: its default margin of 80 px would cost 12× (a minute)
    absl::StatusOr<UpscaleResult> up = Upscale(source, x4plus);
    ASSERT_TRUE(up.ok()) << up.status();
    for (const int quality : {0, 90}) {
      const Image file = quality ? AsJpegFile(up->pixels, quality) : testing::WrapPixels(up->pixels);
      const AnalysisReport report = Analyze(file, options);
      ExpectReadAsANetworksOutput(report, 4, std::string(c.photo) + (quality ? " as JPEG q90" : " as PNG"));
    }
  }
  // The same photos halved (as a shop reduces them), as PNG and as JPEG
  // q90: no network.
  for (const char* photo : {"motorcycle_right", "rocket"}) {
    cv::Mat reduced;
    cv::resize(testing::LoadPhoto(photo), reduced, cv::Size(), 0.5, 0.5, cv::INTER_AREA);
    for (const int quality : {0, 90}) {
      const Image file = quality ? AsJpegFile(reduced, quality) : testing::WrapPixels(reduced);
      const AnalysisReport report = Analyze(file, options);
      ASSERT_TRUE(report.resolution.upscale_kind.has_value()) << photo;
      EXPECT_EQ(*report.resolution.upscale_kind, UpscaleKind::kNone) << photo << " q" << quality;
      EXPECT_FALSE(Warns(Advise(report), "already_upscaled")) << photo << " q" << quality;
    }
  }
}

// A ×2 output saved as a JPEG keeps little of the source grid its PNG shows
// (sr_upscale_evidence.h; in a JPEG file that grid alone reads "unknown":
// a kernel leaves it too), and a ×2 network's output is as smooth as a soft
// photo: the learned test names factor 2 above a higher line
// (kSrClassifierX2FlagProbability), which soft full-size photos and scanned
// drawings stay under (sr_classifier_test.cc). Crops of a photo the
// classifier was not fitted on, through esrgan-medium and esrgan-slim ×2,
// saved as JPEG q90: read "ai" at ½. Not every such file is
// (datasets/RESULTS.md, "AI-upscaled files": 13–42 % of the ×2 outputs
// saved as JPEG q90 are recognised, by model).
TEST(AiUpscaleDetectTest, TwofoldOutputsSavedAsJpegAreReadAsNetworkOutputs) {
  AnalyzeOptions options;
  options.compute_maps = false;
  struct Case {
    const char* model;
    cv::Rect crop;
  };
  for (const Case& c : {Case{"esrgan-medium", {200, 150, 128, 128}}, Case{"esrgan-slim", {150, 100, 128, 128}}}) {
    const cv::Mat source = testing::LoadPhoto("coins")(c.crop).clone();
    absl::StatusOr<UpscaleResult> up = Upscale(source, TestUpscaleOptions(c.model, 2));
    ASSERT_TRUE(up.ok()) << up.status();
    ExpectReadAsANetworksOutput(Analyze(AsJpegFile(up->pixels, 90), options), 2, c.model);
  }
}

}  // namespace
}  // namespace acuity

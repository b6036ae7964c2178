#include "enhance/pipeline.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "analysis/io/image_io.h"
#include "analysis/io/jpeg_codec.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

using ::testing::HasSubstr;

Image PhotoImage(int side = 64) {
  Image image;
  image.pixels = testing::LoadPhoto("astronaut")(cv::Rect(150, 40, side, side)).clone();
  image.info.width = image.info.height = side;
  return image;
}

TEST(ParseStepsTest, TheFullExample) {
  auto plan = ParseSteps("upscale:4,sharpen:0.4,denoise:12,deblock,downscale:0.5,encode:jpeg:85");
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_EQ(plan->steps.size(), 6u);
  EXPECT_EQ(plan->steps[0].op, "upscale");
  EXPECT_EQ(plan->steps[0].params["factor"], 4.0);
  EXPECT_EQ(plan->steps[1].op, "sharpen");
  EXPECT_EQ(plan->steps[1].params["amount"], 0.4);
  EXPECT_EQ(plan->steps[1].params["radius"], 1.0);  // default filled in
  EXPECT_EQ(plan->steps[2].params["sigma"], 12.0);
  EXPECT_EQ(plan->steps[3].op, "deblock");
  EXPECT_TRUE(plan->steps[3].params.empty());
  EXPECT_EQ(plan->steps[4].params["factor"], 0.5);
  EXPECT_EQ(plan->steps[5].params["format"], "jpeg");
  EXPECT_EQ(plan->steps[5].params["quality"], 85);
}

TEST(ParseStepsTest, OtherSpellings) {
  auto plan = ParseSteps(" upscale:x3:esrgan-thick , sharpen:amount=30%:radius=1.5,downscale:1600x1200,"
                         "upscale:factor=2:model=/m/mine.pt,deblock:strength=0.5,encode:JPG,upscale");
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_EQ(plan->steps.size(), 7u);
  EXPECT_EQ(plan->steps[0].params["factor"], 3.0);
  EXPECT_EQ(plan->steps[0].params["model"], "esrgan-thick");
  EXPECT_DOUBLE_EQ(plan->steps[1].params["amount"].get<double>(), 0.3);
  EXPECT_EQ(plan->steps[1].params["radius"], 1.5);
  EXPECT_EQ(plan->steps[2].params["width_px"], 1600);
  EXPECT_EQ(plan->steps[2].params["height_px"], 1200);
  EXPECT_EQ(plan->steps[3].params["model"], "/m/mine.pt");
  EXPECT_EQ(plan->steps[4].params["strength"], 0.5);
  EXPECT_EQ(plan->steps[5].params["format"], "jpeg");
  EXPECT_FALSE(plan->steps[6].params.contains("factor"));  // the target decides
}

TEST(ParseStepsTest, ClearErrors) {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"blur:2", "unknown operation 'blur'"},
      {"sharpen:abc", "amount 'abc' is not a number"},
      {"upscale:0.5", "outside 1–16"},
      {"downscale:2", "use upscale to enlarge"},
      {"encode:gif", "unknown format 'gif'"},
      {"sharpen:0.4:1:3", "too many values"},
      {"sharpen,,denoise", "empty step"},
      {"downscale", "downscale needs a factor"},
      {"denoise:sigma=", "sigma is empty"},
      {"sharpen:depth=2", "sharpen has no parameter 'depth'"},
      {"deblock:150", "quality 150 is outside 1–100"},
      {"", "no steps given"},
  };
  for (const auto& [steps, message] : cases) {
    auto plan = ParseSteps(steps);
    ASSERT_FALSE(plan.ok()) << steps;
    EXPECT_EQ(plan.status().code(), absl::StatusCode::kInvalidArgument) << steps;
    EXPECT_THAT(std::string(plan.status().message()), HasSubstr(message)) << steps;
  }
}

TEST(RunPlanTest, RunsStepsInOrderWithLogAndProgress) {
  const Image image = PhotoImage(64);
  auto plan = ParseSteps("sharpen:0.4,downscale:0.5,encode:png");
  ASSERT_TRUE(plan.ok());
  std::vector<double> fractions;
  std::vector<std::string> names;
  PipelineOptions options;
  options.progress = [&](double f, const std::string& step) {
    fractions.push_back(f);
    names.push_back(step);
    return true;
  };
  auto result = RunPlan(image, *plan, options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->pixels.size(), cv::Size(32, 32));
  EXPECT_EQ(result->pixels.type(), CV_8UC3);
  ASSERT_EQ(result->log.size(), 3u);
  EXPECT_THAT(result->log[0].step, HasSubstr("sharpen 40 %"));
  EXPECT_EQ(result->log[0].width, 64);
  EXPECT_EQ(result->log[1].step, "downscale to 32×32 px");
  EXPECT_EQ(result->log[1].width, 32);
  EXPECT_EQ(result->encode_format, ImageFormat::kPng);
  ASSERT_FALSE(fractions.empty());
  EXPECT_TRUE(std::is_sorted(fractions.begin(), fractions.end()));
  EXPECT_EQ(fractions.back(), 1.0);
  EXPECT_THAT(names, ::testing::Contains(HasSubstr("downscale")));
  // The input is left as it was.
  EXPECT_EQ(cv::norm(image.pixels, PhotoImage(64).pixels, cv::NORM_INF), 0.0);
}

TEST(RunPlanTest, CancelsBetweenSteps) {
  auto plan = ParseSteps("sharpen:0.4,sharpen:0.2,sharpen:0.1");
  ASSERT_TRUE(plan.ok());
  int calls = 0;
  PipelineOptions options;
  options.progress = [&](double, const std::string&) { return ++calls < 3; };
  auto result = RunPlan(PhotoImage(), *plan, options);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kCancelled);
}

TEST(RunPlanTest, UpscaleWithoutFactorIsAnError) {
  auto plan = ParseSteps("upscale");
  ASSERT_TRUE(plan.ok());
  auto result = RunPlan(PhotoImage(), *plan);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(result.status().message()), HasSubstr("needs a factor"));
}

TEST(RunPlanTest, DeblockUsesTheFilesTablesOrEstimatesThem) {
  const cv::Mat clean = PhotoImage(96).pixels;
  JpegEncodeOptions jpeg;
  jpeg.quality = 20;
  auto bytes = EncodeJpeg(clean, jpeg);
  ASSERT_TRUE(bytes.ok());
  auto file = DecodeImage(*bytes, "x.jpg");
  ASSERT_TRUE(file.ok());
  auto plan = ParseSteps("deblock");
  ASSERT_TRUE(plan.ok());

  auto from_file = RunPlan(*file, *plan);
  ASSERT_TRUE(from_file.ok()) << from_file.status();
  EXPECT_EQ(from_file->log[0].note, "the file's own quantization tables");
  EXPECT_GT(cv::PSNR(clean, from_file->pixels), cv::PSNR(clean, file->pixels));

  Image resaved = *file;  // the same pixels, as if re-saved as PNG
  resaved.info.jpeg.reset();
  auto estimated = RunPlan(resaved, *plan);
  ASSERT_TRUE(estimated.ok()) << estimated.status();
  EXPECT_THAT(estimated->log[0].note, HasSubstr("estimated from the pixels"));
  EXPECT_GT(cv::PSNR(clean, estimated->pixels), cv::PSNR(clean, file->pixels));
}

TEST(RunPlanTest, DenoiseMeasuresSigmaWhenNotGiven) {
  Image image = PhotoImage(96);
  cv::Mat noise(image.pixels.size(), CV_32FC3), noisy;
  cv::RNG(3).fill(noise, cv::RNG::NORMAL, 0, 12);
  image.pixels.convertTo(noisy, CV_32F);
  cv::Mat(noisy + noise).convertTo(image.pixels, CV_8U);
  auto plan = ParseSteps("denoise");
  ASSERT_TRUE(plan.ok());
  auto result = RunPlan(image, *plan);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_THAT(result->log[0].note, HasSubstr("measured"));
  EXPECT_GT(cv::norm(result->pixels, image.pixels, cv::NORM_L1), 0.0);
}

TEST(RunPlanTest, UpscaleStepCallsTheUpscaler) {
  Image image = PhotoImage(24);
  auto plan = ParseSteps("upscale:2:esrgan-slim");
  ASSERT_TRUE(plan.ok());
  PipelineOptions options;
  options.upscale.model_dir = ACUITY_TEST_MODEL_DIR;
  auto result = RunPlan(image, *plan, options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->pixels.size(), cv::Size(48, 48));
  EXPECT_THAT(result->log[0].step, HasSubstr("esrgan-slim"));
}

}  // namespace
}  // namespace acuity

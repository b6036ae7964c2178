#include "enhance/pipeline.h"

#include <algorithm>

#include <gmock/gmock.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <gtest/gtest.h>

#include "analysis/advice/advisor.h"
#include "analysis/advice/parse_steps.h"
#include "analysis/advice/plan_ops.h"
#include "analysis/measurements/analyze.h"
#include "analysis/measurements/dither.h"
#include "analysis/measurements/target_fit.h"
#include "analysis/io/image_io.h"
#include "analysis/io/image_writer.h"
#include "enhance/alpha_bleed.h"
#include "enhance/denoise.h"
#include "analysis/io/jpeg_codec.h"
#include "analysis/measurements/image_ops.h"
#include "analysis/measurements/visible_part.h"
#include "tests/testing/dithered_images.h"
#include "tests/testing/non_ijg_tables.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Image PhotoImage(int side = 64) {
  Image image;
  image.pixels = testing::LoadPhoto("astronaut")(cv::Rect(150, 40, side, side)).clone();
  image.info.width = image.info.height = side;
  return image;
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

// `nearest` repeats each pixel into a square: exact at a whole factor (a
// sprite ×4 is each cell 4×4 px), the input's colours only at a fraction;
// `undither` without a σ leaves a picture without dither as it is, and says so.
TEST(RunPlanTest, NearestRepeatsPixelsAndUnditherMeasuresFirst) {
  Image art;
  art.pixels = testing::PixelArt(40, 30, 8, 1, 1, 7);
  art.info.width = 40;
  art.info.height = 30;
  auto plan = ParseSteps("nearest:160x120");
  ASSERT_TRUE(plan.ok()) << plan.status();
  auto result = RunPlan(art, *plan, {});
  ASSERT_TRUE(result.ok()) << result.status();
  for (int y = 0; y < 120; ++y)
    for (int x = 0; x < 160; ++x)
      ASSERT_EQ(result->pixels.at<cv::Vec3b>(y, x), art.pixels.at<cv::Vec3b>(y / 4, x / 4)) << x << "," << y;
  EXPECT_THAT(result->log[0].step, HasSubstr("repeat pixels to 160×120 px"));
  auto fraction = RunPlan(art, *ParseSteps("nearest:100"), {});
  ASSERT_TRUE(fraction.ok());
  EXPECT_EQ(fraction->pixels.size(), cv::Size(100, 75));
  EXPECT_EQ(DistinctColours(fraction->pixels, cv::Mat()), DistinctColours(art.pixels, cv::Mat()));
  auto left = RunPlan(PhotoImage(64), *ParseSteps("undither"), {});
  ASSERT_TRUE(left.ok()) << left.status();
  EXPECT_EQ(cv::norm(left->pixels, PhotoImage(64).pixels, cv::NORM_INF), 0.0);
  EXPECT_THAT(left->log[0].note, HasSubstr("left as it is"));
}

// A plain `undither` reads the dither as analyze reads the file: a
// 32-colour dithered picture with a soft transparent edge, written as JPEG,
// is flattened onto white first, and the blends of its edge took it over
// 256 colours: the step read "dither not measured" and left the dots where
// analyze had said "dithered". It now reads the file with its hidden
// colour filled, as analyze does (MeasureDither of FillUnderTransparency
// stands for analyze here), and undithers the flattened picture at the σ
// read there.
TEST(RunPlanTest, UnditherOfAFlattenedCutOutReadsTheFileAsAnalyzeDoes) {
  const cv::Mat photo = testing::CentreCrop(testing::LoadPhoto("coffee"), 256);
  const cv::Mat dots =
      testing::ErrorDiffuse(photo, testing::MedianCutPalette(photo, 32), testing::Diffusion::kFloydSteinberg);
  Image cut;
  cv::cvtColor(dots, cut.pixels, cv::COLOR_BGR2BGRA);
  for (int y = 0; y < cut.pixels.rows; ++y)
    for (int x = 0; x < cut.pixels.cols; ++x) {
      const int edge = std::min({x, y, cut.pixels.cols - 1 - x, cut.pixels.rows - 1 - y});
      cut.pixels.at<cv::Vec4b>(y, x)[3] = cv::saturate_cast<uchar>(edge * 255 / 16);  // 16-px soft edge
    }
  cut.info.width = cut.pixels.cols;
  cut.info.height = cut.pixels.rows;
  const DitherResult as_read = MeasureDither(FillUnderTransparency(cut.pixels)).result;
  ASSERT_TRUE(as_read.detected.value_or(false)) << as_read.not_measured_reason.value_or("");
  ASSERT_FALSE(MeasureDither(FlattenOntoWhite(cut.pixels)).result.detected.has_value());  // over 256 colours
  auto result = RunPlan(cut, *ParseSteps("undither,encode:jpeg"), {});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_THAT(result->log[0].step, HasSubstr("undither σ"));
  EXPECT_THAT(result->log[0].note, HasSubstr("dither of 32 colours measured"));
  const cv::Mat expected = UnditheredPicture(FlattenOntoWhite(cut.pixels), *as_read.undither_sigma_px);
  EXPECT_EQ(cv::norm(result->pixels, expected, cv::NORM_INF), 0.0);
  EXPECT_GT(cv::norm(result->pixels, FlattenOntoWhite(cut.pixels), cv::NORM_L1), 0.0);  // the dots smoothed
}

// The step's own fraction comes beside every overall one: within [0, 1],
// back to 0 when a step starts, and between for a step that reports (deblock,
// strip by strip).
TEST(RunPlanTest, ReportsTheFractionOfTheStepRunning) {
  auto plan = ParseSteps("sharpen:0.4,deblock:50");
  ASSERT_TRUE(plan.ok());
  std::vector<double> overall, step;
  PipelineOptions options;
  options.step_progress = [&](double f) { step.push_back(f); };
  options.progress = [&](double f, const std::string&) {
    overall.push_back(f);
    return true;
  };
  Image big;  // more deblocking strips (256 rows) than worker threads
  cv::resize(testing::LoadPhoto("astronaut"), big.pixels, cv::Size(1100, 1100), 0, 0, cv::INTER_CUBIC);
  big.info.width = big.info.height = 1100;
  auto result = RunPlan(big, *plan, options);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(step.size() + 1, overall.size());  // the last overall call is "done"
  for (double f : step) {
    EXPECT_GE(f, 0.0);
    EXPECT_LE(f, 1.0);
  }
  EXPECT_EQ(step.front(), 0.0);
  EXPECT_TRUE(std::any_of(step.begin(), step.end(), [](double f) { return f > 0 && f < 1; }));
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

  auto ijg = RunPlan(*file, *ParseSteps("deblock:20"));  // a quality given: IJG's tables of it
  ASSERT_TRUE(ijg.ok()) << ijg.status();
  EXPECT_EQ(ijg->log[0].note, "IJG tables of quality 20");
  EXPECT_GT(cv::PSNR(clean, ijg->pixels), cv::PSNR(clean, file->pixels));
}

// The advisor's plan on a JPEG whose tables are not IJG's (as a camera's):
// the deblock step names no quality, and the pipeline repairs with the
// file's own tables, not IJG tables of the equivalent quality.
TEST(RunPlanTest, AdvisedDeblockUsesTheFilesOwnNonIjgTables) {
  const cv::Mat clean = PhotoImage(96).pixels;
  JpegEncodeOptions jpeg;
  jpeg.quant_tables = testing::NonIjgQuantTables(25);
  auto bytes = EncodeJpeg(clean, jpeg);
  ASSERT_TRUE(bytes.ok());
  auto file = DecodeImage(*bytes, "camera.jpg");
  ASSERT_TRUE(file.ok()) << file.status();
  const AnalysisReport report = Analyze(*file);
  ASSERT_EQ(report.compression.quality_source, "quant_tables");
  const Plan plan = Advise(report);
  ASSERT_FALSE(plan.steps.empty());
  const auto* deblock = std::get_if<DeblockStep>(&plan.steps[0].params);
  ASSERT_NE(deblock, nullptr) << StepText(plan.steps[0]);
  EXPECT_FALSE(deblock->quality.has_value());

  const Plan deblock_only{{plan.steps[0]}, {}};
  auto result = RunPlan(*file, deblock_only);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->log[0].note, "the file's own quantization tables");
  EXPECT_GT(cv::PSNR(clean, result->pixels), cv::PSNR(clean, file->pixels));
}

TEST(RunPlanTest, EncodeStepSaysHowToWrite) {
  auto plan = ParseSteps("encode:webp:70");
  ASSERT_TRUE(plan.ok());
  auto result = RunPlan(PhotoImage(), *plan);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->encode_format, ImageFormat::kWebp);
  EXPECT_EQ(result->encode_quality, 70);
  EXPECT_EQ(result->log[0].step, "encode webp q70");
}

TEST(RunPlanTest, EncodeStepsPngLevelReachesTheWriter) {
  auto plan = ParseSteps("encode:png:png_level=2");
  ASSERT_TRUE(plan.ok()) << plan.status();
  const Image image = PhotoImage();
  auto result = RunPlan(image, *plan);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->encode_png_level, 2);
  EXPECT_EQ(ResultWriteOptions(image.info, *result, std::nullopt, std::nullopt).png_level, 2);
  auto plain = RunPlan(image, *ParseSteps("encode:png"));
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(ResultWriteOptions(image.info, *plain, std::nullopt, std::nullopt).png_level, kDefaultPngLevel);
  EXPECT_FALSE(ParseSteps("encode:png:png_level=10").ok());
  EXPECT_FALSE(ParseSteps("encode:png:png_level=1.5").ok());
  // The table's word for an absent level (--help, docs/commands.md) is the writer's default.
  const OpSpec* encode = FindOp("encode");
  ASSERT_NE(encode, nullptr);
  const auto level = std::find_if(encode->params.begin(), encode->params.end(),
                                  [](const ParamSpec& p) { return p.name == "png_level"; });
  ASSERT_NE(level, encode->params.end());
  EXPECT_EQ(level->absent, std::to_string(kDefaultPngLevel));
  // The step's log names the level.
  EXPECT_EQ(result->log[0].step, "encode png level 2");
}

TEST(RunPlanTest, DownscaleToAWidthKeepsTheAspectRatio) {
  auto plan = ParseSteps("downscale:width_px=32");
  ASSERT_TRUE(plan.ok()) << plan.status();
  auto result = RunPlan(PhotoImage(64), *plan);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->pixels.size(), cv::Size(32, 32));
}

// A crop keeps exactly the window asked for; without a corner, the window
// with the detail (the photo pasted left of a flat field), said in the log.
TEST(RunPlanTest, CropKeepsTheWindowAskedForOrTheDetail) {
  const Image image = PhotoImage(64);
  auto plan = ParseSteps("crop:40x30:x_px=10:y_px=20");
  ASSERT_TRUE(plan.ok()) << plan.status();
  auto result = RunPlan(image, *plan);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(cv::norm(result->pixels, image.pixels(cv::Rect(10, 20, 40, 30)), cv::NORM_INF), 0.0);

  Image wide;
  wide.pixels = cv::Mat(64, 192, CV_8UC3, cv::Scalar(90, 90, 90));
  image.pixels.copyTo(wide.pixels(cv::Rect(0, 0, 64, 64)));
  plan = ParseSteps("crop:64x64");
  ASSERT_TRUE(plan.ok());
  result = RunPlan(wide, *plan);
  ASSERT_TRUE(result.ok()) << result.status();
  const cv::Point at = DetailWindow(wide.pixels, cv::Size(64, 64));
  EXPECT_LE(at.x, 2);  // the photo's window (its edge against the field counts as detail too)
  EXPECT_EQ(cv::norm(result->pixels, wide.pixels(cv::Rect(at, cv::Size(64, 64))), cv::NORM_INF), 0.0);
  EXPECT_EQ(result->log[0].note, "at (" + std::to_string(at.x) + ", 0), where the detail is");
}

// Pad centres the image on the colour, in the image's depth and layout
// (alpha opaque in the border).
TEST(RunPlanTest, PadCentresTheImageOnTheColour) {
  const Image image = PhotoImage(64);
  auto plan = ParseSteps("pad:100x64:#102030");
  ASSERT_TRUE(plan.ok()) << plan.status();
  auto result = RunPlan(image, *plan);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->pixels.size(), cv::Size(100, 64));
  EXPECT_EQ(result->pixels.at<cv::Vec3b>(10, 5), cv::Vec3b(0x30, 0x20, 0x10));  // BGR
  EXPECT_EQ(result->pixels.at<cv::Vec3b>(10, 95), cv::Vec3b(0x30, 0x20, 0x10));
  EXPECT_EQ(cv::norm(result->pixels(cv::Rect(18, 0, 64, 64)), image.pixels, cv::NORM_INF), 0.0);

  Image deep;
  cv::Mat bgra;
  cv::cvtColor(image.pixels, bgra, cv::COLOR_BGR2BGRA);
  bgra.convertTo(deep.pixels, CV_16UC4, 257.0);
  plan = ParseSteps("pad:64x80");
  ASSERT_TRUE(plan.ok());
  result = RunPlan(deep, *plan);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->pixels.type(), CV_16UC4);
  EXPECT_EQ(result->pixels.at<cv::Vec4w>(2, 2), cv::Vec4w(65535, 65535, 65535, 65535));
}

// Resize reaches exactly the size asked, up (Lanczos) or down (area).
TEST(RunPlanTest, ResizeReachesTheExactSize) {
  auto plan = ParseSteps("resize:65x63,resize:31x30");
  ASSERT_TRUE(plan.ok()) << plan.status();
  auto result = RunPlan(PhotoImage(64), *plan);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->log[0].width, 65);
  EXPECT_EQ(result->log[0].height, 63);
  EXPECT_EQ(result->pixels.size(), cv::Size(31, 30));
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

// PSNR of the luma (BT.601 Y) and of the colour (Cr, Cb) of `a` against
// `b`, dB.
std::pair<double, double> LumaAndColourPsnr(const cv::Mat& a, const cv::Mat& b) {
  cv::Mat ya, yb;
  cv::cvtColor(a, ya, cv::COLOR_BGR2YCrCb);
  cv::cvtColor(b, yb, cv::COLOR_BGR2YCrCb);
  std::vector<cv::Mat> pa, pb;
  cv::split(ya, pa);
  cv::split(yb, pb);
  cv::Mat ca, cb;
  cv::hconcat(pa[1], pa[2], ca);
  cv::hconcat(pb[1], pb[2], cb);
  return {cv::PSNR(pa[0], pb[0]), cv::PSNR(ca, cb)};
}

// A walk (#25): noise in the colour alone (a phone's chroma blotches; luma
// σ 0.86, colour 11.9) planned "denoise σ 15.9", whose luma strength took
// 5–10 dB of the luma's PSNR, detail acuity itself had read as clean. The
// luma's strength now follows its own share of the noise; noise alike in
// every channel is denoised as before.
TEST(RunPlanTest, NoiseInTheColourAloneLeavesTheLumaBe) {
  Image clean;
  cv::resize(testing::LoadPhoto("chelsea"), clean.pixels, cv::Size(300, 200), 0, 0, cv::INTER_AREA);
  clean.info.width = 300, clean.info.height = 200;
  cv::Mat ycc, noise(clean.pixels.size(), CV_32FC2);
  cv::cvtColor(clean.pixels, ycc, cv::COLOR_BGR2YCrCb);
  ycc.convertTo(ycc, CV_32FC3);
  cv::RNG(11).fill(noise, cv::RNG::NORMAL, 0, 12);
  std::vector<cv::Mat> planes, colour;
  cv::split(ycc, planes);
  cv::split(noise, colour);
  planes[1] += colour[0];
  planes[2] += colour[1];
  cv::merge(planes, ycc);
  ycc.convertTo(ycc, CV_8UC3);
  Image noisy{cv::Mat(), clean.info};
  cv::cvtColor(ycc, noisy.pixels, cv::COLOR_YCrCb2BGR);
  const auto [luma_before, colour_before] = LumaAndColourPsnr(noisy.pixels, clean.pixels);
  absl::StatusOr<PipelineResult> result = RunPlan(noisy, *ParseSteps("denoise:15"));
  ASSERT_TRUE(result.ok()) << result.status();
  const auto [luma_after, colour_after] = LumaAndColourPsnr(result->pixels, clean.pixels);
  // The same σ at the luma's full strength, as before: 34.2 dB here, where
  // the luma's own share keeps 39.6 (the Lab filter's colour smoothing still
  // moves BT.601's luma some), the colour 26.6 → 36.7 dB either way.
  DenoiseOptions full;
  full.sigma = 15;
  absl::StatusOr<cv::Mat> at_full = Denoise(noisy.pixels, full);
  ASSERT_TRUE(at_full.ok()) << at_full.status();
  const double luma_full = LumaAndColourPsnr(*at_full, clean.pixels).first;
  EXPECT_GT(luma_after, luma_full + 3.0) << "before " << luma_before;
  EXPECT_GT(colour_after, colour_before + 5.0);
  EXPECT_THAT(result->log[0].note, HasSubstr("mostly in the colour"));
  // Noise alike in R, G and B: the luma denoised at the full strength.
  Image grainy{cv::Mat(), clean.info};
  cv::Mat white(clean.pixels.size(), CV_32FC3), f;
  cv::RNG(12).fill(white, cv::RNG::NORMAL, 0, 12);
  clean.pixels.convertTo(f, CV_32F);
  cv::Mat(f + white).convertTo(grainy.pixels, CV_8U);
  const double grain_before = LumaAndColourPsnr(grainy.pixels, clean.pixels).first;
  absl::StatusOr<PipelineResult> denoised = RunPlan(grainy, *ParseSteps("denoise:12"));
  ASSERT_TRUE(denoised.ok()) << denoised.status();
  EXPECT_GT(LumaAndColourPsnr(denoised->pixels, clean.pixels).first, grain_before + 3.0);
  EXPECT_THAT(denoised->log[0].note, Not(HasSubstr("colour")));
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

// A cut-out: a photo inside a soft-edged ellipse, the colour under its fully
// transparent pixels `hidden` (editors store black, white or anything).
Image CutOut(const cv::Scalar& hidden) {
  Image image = PhotoImage(48);
  cv::Mat alpha = cv::Mat::zeros(image.pixels.size(), CV_8U);
  cv::ellipse(alpha, {24, 24}, {15, 18}, 0, 0, 360, cv::Scalar(255), cv::FILLED);
  cv::GaussianBlur(alpha, alpha, cv::Size(), 1.0);
  cv::Mat bgra;
  cv::cvtColor(image.pixels, bgra, cv::COLOR_BGR2BGRA);
  bgra.setTo(hidden, alpha == 0);
  cv::insertChannel(alpha, bgra, 3);
  image.pixels = bgra;
  return image;
}

// The colour hidden under transparency never shows in the result: a cut-out
// storing black there and the same storing white come out the same, as a
// page shows them (before, an upscale and a sharpen spread the hidden
// colour into the soft edge: a dark or light fringe, and QA's halo check
// failed a cut-out whose plain shot passed). Written as a PNG the alpha is
// kept; as a JPEG the input is flattened onto white before the steps.
TEST(RunPlanTest, TheColourHiddenUnderTransparencyNeverShows) {
  const Image black = CutOut(cv::Scalar(0, 0, 0, 0)), white = CutOut(cv::Scalar(255, 255, 255, 0));
  const cv::Mat bled = BleedUnderTransparency(black.pixels);
  EXPECT_EQ(cv::norm(bled, BleedUnderTransparency(white.pixels), cv::NORM_INF), 0.0);
  cv::Mat alpha_before, alpha_after;
  cv::extractChannel(black.pixels, alpha_before, 3);
  cv::extractChannel(bled, alpha_after, 3);
  EXPECT_EQ(cv::norm(alpha_before, alpha_after, cv::NORM_INF), 0.0) << "alpha kept";
  auto plan = ParseSteps("upscale:2:esrgan-slim,sharpen:1.0");
  ASSERT_TRUE(plan.ok());
  for (ImageFormat format : {ImageFormat::kPng, ImageFormat::kJpeg}) {
    SCOPED_TRACE(ImageFormatName(format));
    PipelineOptions options;
    options.upscale.model_dir = ACUITY_TEST_MODEL_DIR;
    options.output_format = format;
    auto a = RunPlan(black, *plan, options), b = RunPlan(white, *plan, options);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(a->pixels.channels(), format == ImageFormat::kPng ? 4 : 3);
    EXPECT_LE(cv::norm(FlattenOntoWhite(a->pixels), FlattenOntoWhite(b->pixels), cv::NORM_INF), 1.0);
    if (format == ImageFormat::kJpeg) {
      EXPECT_THAT(a->log[0].note, HasSubstr("flattened onto white first"));
    }
  }
}

// A user's model file that is not TorchScript: the failure is marked as the
// file's fault (the CLI's exit code 3), with the step named; a built-in
// model missing from the model directory is not.
TEST(RunPlanTest, ABadModelFileIsTheFilesFault) {
  testing::ScratchDir dir;
  testing::WriteBytes(dir.Path("bad.pt"), "this is not a TorchScript archive");
  auto plan = ParseSteps("upscale:2");
  ASSERT_TRUE(plan.ok());
  PipelineOptions options;
  options.upscale.model = dir.Path("bad.pt");
  options.upscale.model_scale = 2;
  options.upscale.model_input_range = 255;
  auto result = RunPlan(PhotoImage(24), *plan, options);
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(IsModelFileError(result.status())) << result.status();
  EXPECT_THAT(std::string(result.status().message()), HasSubstr("upscale 2×: "));
  EXPECT_THAT(std::string(result.status().message()), HasSubstr("bad.pt"));

  options.upscale.model = "esrgan-slim";
  options.upscale.model_dir = dir.path();  // holds no built-in model
  result = RunPlan(PhotoImage(24), *plan, options);
  ASSERT_FALSE(result.ok());
  EXPECT_FALSE(IsModelFileError(result.status())) << result.status();
}

}  // namespace
}  // namespace acuity

namespace acuity {
namespace {

// The record a run leaves for the file it writes (acuity_record.h): the
// source's enlargement times this run's, a sharpen counted until a later
// enlargement softens it, the steps named (the encode left out); and the
// writer puts it in the file, where LoadImage reads it back.
TEST(RunPlanTest, TheRecordCarriesTheFilesHistoryOn) {
  Image image = PhotoImage(64);
  image.info.acuity_record = AcuityRecord{2.0, true, "upscale 2× (esrgan-slim), sharpen 80 %"};
  auto plain = RunPlan(image, *ParseSteps("upscale:2:esrgan-slim,encode:png"));
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_DOUBLE_EQ(plain->record.enlargement, 4.0);
  EXPECT_FALSE(plain->record.sharpened);  // the new enlargement softened it
  EXPECT_EQ(plain->record.steps, "upscale 2× (esrgan-slim)");
  auto sharpened = RunPlan(image, *ParseSteps("downscale:0.5,sharpen:0.4"));
  ASSERT_TRUE(sharpened.ok()) << sharpened.status();
  EXPECT_DOUBLE_EQ(sharpened->record.enlargement, 1.0);
  EXPECT_TRUE(sharpened->record.sharpened);
  // A downscale makes a picture native again: never below 1, and a ×4 of a
  // half-size copy is a ×4 enlargement.
  Image native = PhotoImage(64);
  auto halved = RunPlan(native, *ParseSteps("downscale:0.5"));
  ASSERT_TRUE(halved.ok()) << halved.status();
  EXPECT_DOUBLE_EQ(halved->record.enlargement, 1.0);
  native.info.acuity_record = halved->record;
  auto enlarged = RunPlan(native, *ParseSteps("upscale:4:esrgan-slim"));
  ASSERT_TRUE(enlarged.ok()) << enlarged.status();
  EXPECT_DOUBLE_EQ(enlarged->record.enlargement, 4.0);
  auto untouched = RunPlan(image, *ParseSteps("encode:jpeg:90"));
  ASSERT_TRUE(untouched.ok()) << untouched.status();
  EXPECT_DOUBLE_EQ(untouched->record.enlargement, 2.0);
  EXPECT_TRUE(untouched->record.sharpened);  // nothing enlarged it since

  testing::ScratchDir dir;
  for (const char* name : {"out.png", "out.jpg", "out.tif", "out.webp"}) {
    SCOPED_TRACE(name);
    const std::string path = dir.Path(name);
    ASSERT_TRUE(WriteImage(path, plain->pixels, ResultWriteOptions(image.info, *plain, std::nullopt, std::nullopt)).ok());
    absl::StatusOr<Image> back = LoadImage(path);
    ASSERT_TRUE(back.ok()) << back.status();
    ASSERT_TRUE(back->info.acuity_record.has_value());
    EXPECT_DOUBLE_EQ(back->info.acuity_record->enlargement, 4.0);
    EXPECT_FALSE(back->info.acuity_record->sharpened);
    EXPECT_EQ(back->info.acuity_record->steps, "upscale 2× (esrgan-slim)");
  }
  // A file acuity did not make has none.
  ASSERT_TRUE(cv::imwrite(dir.Path("other.png"), image.pixels));
  absl::StatusOr<Image> other = LoadImage(dir.Path("other.png"));
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_FALSE(other->info.acuity_record.has_value());
}

// The written DPI follows how much the picture was resampled, not its size
// against the input's: a crop or a pad changes the frame, not the print
// size of what is kept. A 192×256 px 72-dpi photo cropped to 192×192 and
// enlarged 2.083× (to 400×400) prints at 150 × 150 dpi; before, each axis
// was scaled by output over input size (150 × 112.5 dpi: a stretched print,
// and in a JPEG a JFIF and an EXIF that disagreed).
TEST(RunPlanTest, TheWrittenDpiFollowsTheResamplingNotTheFrame) {
  Image image;
  image.pixels = testing::LoadPhoto("astronaut")(cv::Rect(100, 40, 192, 256)).clone();
  image.info.width = 192;
  image.info.height = 256;
  image.info.dpi = 72;
  struct Case {
    const char* steps;
    double dpi;
  } cases[] = {{"crop:192x192,resize:400x400", 150.0},
               {"resize:450x600,pad:600x600", 168.75},
               {"pad:256x256,crop:200x256,resize:400x512", 144.0},
               {"resize:384x512", 144.0}};
  testing::ScratchDir dir;
  for (const Case& c : cases) {
    for (const char* name : {"out.png", "out.jpg", "out.tif"}) {
      SCOPED_TRACE(std::string(c.steps) + " " + name);
      absl::StatusOr<PipelineResult> result = RunPlan(image, *ParseSteps(c.steps));
      ASSERT_TRUE(result.ok()) << result.status();
      const std::string path = dir.Path(name);
      absl::StatusOr<WriteReport> written =
          WriteImage(path, result->pixels, ResultWriteOptions(image.info, *result, std::nullopt, std::nullopt));
      ASSERT_TRUE(written.ok()) << written.status();
      EXPECT_NEAR(written->dpi_x.value_or(0), c.dpi, 0.01);
      EXPECT_NEAR(written->dpi_y.value_or(0), c.dpi, 0.01);
      absl::StatusOr<Image> back = LoadImage(path);
      ASSERT_TRUE(back.ok()) << back.status();
      EXPECT_NEAR(back->info.dpi.value_or(0), c.dpi, 0.6);  // PNG keeps px per metre
      EXPECT_NEAR(back->info.dpi_y.value_or(back->info.dpi.value_or(0)), c.dpi, 0.6);
    }
  }
}

}  // namespace
}  // namespace acuity

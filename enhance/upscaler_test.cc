#include "enhance/upscaler.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "analysis/measurements/quality_metrics.h"
#include "enhance/compute_threads.h"
#include "enhance/resize.h"
#include "enhance/sr_model.h"
#include "enhance/upscale_test_options.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

const char* const kModelDir = ACUITY_TEST_MODEL_DIR;

// The program's start-up thread settings (cli/main.cc), for every test of
// this binary (the upscaler and the pipeline tests upscale).
class ComputeThreadsEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { SetComputeThreads(0); }
};
::testing::Environment* const kComputeThreads = ::testing::AddGlobalTestEnvironment(new ComputeThreadsEnvironment);

// Tiled output must equal untiled output within 1/255 (issue 4): 1 level at 8 bits.
constexpr double kTiledTolerance8Bit = 1.0;
// Alpha goes through Lanczos-4 only: equal to acuity::Resize up to rounding.
constexpr double kAlphaTolerance8Bit = 1.0;
// 16-bit and 8-bit runs see the same photo; their 8-bit renderings may differ
// by the 8-bit input rounding amplified a little by the network.
constexpr double kDepthAgreementMean8Bit = 0.5;
// Gray out = BT.601 luma of the model's RGB output on the replicated gray.
constexpr double kGrayLumaTolerance8Bit = 1.0;

UpscaleOptions Options(const std::string& model, double factor) {
  return TestUpscaleOptions(model, factor);
}

// A small crop of a real photo (textured: hair, edges, colours).
cv::Mat Crop(const std::string& photo, cv::Rect r) { return testing::LoadPhoto(photo)(r).clone(); }

double MaxAbsDiff(const cv::Mat& a, const cv::Mat& b) {
  cv::Mat d;
  cv::absdiff(a.reshape(1), b.reshape(1), d);
  double hi;
  cv::minMaxLoc(d, nullptr, &hi);
  return hi;
}

struct TiledCase {
  std::string model;
  int factor;
  int width, height;  // crop, px
  int tile_px;
};

class TiledTest : public ::testing::TestWithParam<TiledCase> {};

// Several tiles with interior seams; the overlap is the model's own (from its
// receptive radius). thick's 154-px radius is the hard case.
TEST_P(TiledTest, TiledEqualsUntiledOnPhoto) {
  const TiledCase c = GetParam();
  const cv::Mat crop = Crop("astronaut", cv::Rect(150, 60, c.width, c.height));
  UpscaleOptions whole = Options(c.model, c.factor);
  whole.tile_px = 4096;
  UpscaleOptions tiled = whole;
  tiled.tile_px = c.tile_px;
  absl::StatusOr<UpscaleResult> a = Upscale(crop, whole);
  absl::StatusOr<UpscaleResult> b = Upscale(crop, tiled);
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  ASSERT_EQ(a->pixels.size(), cv::Size(c.width * c.factor, c.height * c.factor));
  EXPECT_LE(MaxAbsDiff(a->pixels, b->pixels), kTiledTolerance8Bit);
}

INSTANTIATE_TEST_SUITE_P(Models, TiledTest,
                         ::testing::Values(TiledCase{"esrgan-slim", 4, 96, 72, 24},
                                           TiledCase{"esrgan-medium", 2, 96, 72, 32},
                                           TiledCase{"esrgan-thick", 2, 64, 48, 24}),
                         [](const auto& info) {
                           std::string n = info.param.model.substr(7);
                           return n + "_x" + std::to_string(info.param.factor);
                         });

// Measured ground truth: a photo crop shrunk 4× with area averaging and
// brought back; the RRDN restores more than bicubic interpolation does
// (models/RESULTS.md: +0.54 dB PSNR-Y on average over six photos at ×4).
// A product shot on pure white keeps a white border: the networks pad their
// feature maps with zeros, and a tile ending at the image's edge saw black
// beyond it (an all-white 148-px image through esrgan-slim ×3 came out with
// corners of 173–226 and a first row of 247; marketplace QA then read the
// border as barely white). The image is read framed by mirrored pixels.
TEST(UpscalerTest, AWhiteBorderStaysWhiteToTheImagesEdge) {
  cv::Mat shot(120, 96, CV_8UC3, cv::Scalar::all(255));
  Crop("coffee", cv::Rect(200, 100, 40, 50)).copyTo(shot(cv::Rect(28, 35, 40, 50)));
  for (const auto& [model, factor] : {std::pair<std::string, int>{"esrgan-slim", 3}, {"esrgan-medium", 2},
                                      {"esrgan-thick", 2}, {"realesr-general-x4v3", 4}}) {
    absl::StatusOr<UpscaleResult> r = Upscale(shot, Options(model, factor));
    ASSERT_TRUE(r.ok()) << model << ": " << r.status();
    const cv::Mat& out = r->pixels;
    ASSERT_EQ(out.size(), cv::Size(96 * factor, 120 * factor)) << model;
    // The outer 10 % of every side: white (≥ 250 in every channel), corners included.
    const int mx = out.cols / 10, my = out.rows / 10;
    for (const cv::Rect& band : {cv::Rect(0, 0, out.cols, my), cv::Rect(0, out.rows - my, out.cols, my),
                                 cv::Rect(0, 0, mx, out.rows), cv::Rect(out.cols - mx, 0, mx, out.rows)}) {
      double lo = 0;
      cv::minMaxLoc(out(band).reshape(1), &lo);
      EXPECT_GE(lo, 250) << model << " band at (" << band.x << ", " << band.y << ")";
    }
  }
}

// A product shot on a flat colour: the network runs over the object and its
// margin only, the surround is the network's response to the flat colour
// (tiled_pass.h), and the result is the every-pixel one within the tiling
// tolerance, for each built-in family (x4plus's 80-px margin needs a larger
// shot than a unit test affords; upscale_bench flat measures the gain).
TEST(UpscalerTest, AFlatSurroundSkippedEqualsEveryPixelRun) {
  struct Case {
    std::string model;
    int factor;
    cv::Scalar background;
    cv::Size canvas;  // px, the 40×30 object centred: large enough that the surround is skipped
  };
  for (const Case& c : {Case{"esrgan-slim", 4, cv::Scalar(40, 90, 160), {180, 140}},
                        Case{"esrgan-thick", 2, cv::Scalar::all(255), {100, 80}},
                        Case{"realesr-general-x4v3", 4, cv::Scalar(250, 250, 250), {260, 200}}}) {
    const auto& [model, factor, background, canvas] = c;
    {
      cv::Mat shot(canvas, CV_8UC3, background);
      Crop("coffee", cv::Rect(200, 100, 40, 30))
          .copyTo(shot(cv::Rect((canvas.width - 40) / 2, (canvas.height - 30) / 2, 40, 30)));
      UpscaleOptions skipping = Options(model, factor), every = skipping;
      every.skip_flat_surround = false;
      absl::StatusOr<UpscaleResult> a = Upscale(shot, every);
      absl::StatusOr<UpscaleResult> b = Upscale(shot, skipping);
      ASSERT_TRUE(a.ok()) << model << ": " << a.status();
      ASSERT_TRUE(b.ok()) << model << ": " << b.status();
      EXPECT_LE(MaxAbsDiff(a->pixels, b->pixels), kTiledTolerance8Bit) << model << " on " << background;
    }
  }
}

TEST(UpscalerTest, ThickBeatsBicubicOnShrunkPhoto) {
  constexpr double kMinGainDb = 0.3;
  const cv::Mat truth = Crop("coffee", cv::Rect(200, 100, 160, 160));
  cv::Mat small, bicubic;
  cv::resize(truth, small, cv::Size(40, 40), 0, 0, cv::INTER_AREA);
  cv::resize(small, bicubic, truth.size(), 0, 0, cv::INTER_CUBIC);
  absl::StatusOr<UpscaleResult> r = Upscale(small, Options("esrgan-thick", 4));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->model_used, "esrgan-thick");
  EXPECT_EQ(r->passes, (std::vector<std::string>{"esrgan-thick x4"}));
  EXPECT_GT(PsnrY(truth, r->pixels, 4), PsnrY(truth, bicubic, 4) + kMinGainDb);
}

TEST(UpscalerTest, FractionalFactorGivesExactSize) {
  const cv::Mat crop = Crop("chelsea", cv::Rect(100, 50, 33, 21));
  absl::StatusOr<UpscaleResult> r = Upscale(crop, Options("esrgan-slim", 2.5));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->pixels.size(), cv::Size(83, 53));  // round(82.5), round(52.5)
  EXPECT_EQ(r->pixels.type(), crop.type());
  ASSERT_EQ(r->passes.size(), 2u);
  EXPECT_EQ(r->passes[0], "esrgan-slim x3");
  EXPECT_EQ(r->passes[1].rfind("area down", 0), 0u);
}

TEST(UpscalerTest, FactorSixIsTwoPasses) {
  const cv::Mat crop = Crop("chelsea", cv::Rect(100, 50, 10, 8));
  absl::StatusOr<UpscaleResult> r = Upscale(crop, Options("esrgan-slim", 6));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->pixels.size(), cv::Size(60, 48));
  EXPECT_EQ(r->passes, (std::vector<std::string>{"esrgan-slim x3", "esrgan-slim x2"}));
}

TEST(UpscalerTest, FactorOneCopiesAndBelowOneIsRejected) {
  const cv::Mat crop = Crop("chelsea", cv::Rect(0, 0, 16, 16));
  absl::StatusOr<UpscaleResult> same = Upscale(crop, Options("esrgan-slim", 1.0));
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_EQ(MaxAbsDiff(same->pixels, crop), 0);
  EXPECT_NE(same->pixels.data, crop.data);
  EXPECT_EQ(Upscale(crop, Options("esrgan-slim", 0.5)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(UpscalerTest, AlphaIsUpscaledSeparatelyAndKept) {
  cv::Mat bgr = Crop("astronaut", cv::Rect(200, 100, 40, 32));
  cv::Mat alpha(bgr.size(), CV_8U);
  for (int y = 0; y < alpha.rows; ++y)
    for (int x = 0; x < alpha.cols; ++x) alpha.at<uint8_t>(y, x) = x < 20 ? 255 : (y * 8) % 256;
  cv::Mat bgra;
  cv::merge(std::vector<cv::Mat>{bgr, alpha}, bgra);
  absl::StatusOr<UpscaleResult> with_alpha = Upscale(bgra, Options("esrgan-slim", 2));
  absl::StatusOr<UpscaleResult> without = Upscale(bgr, Options("esrgan-slim", 2));
  ASSERT_TRUE(with_alpha.ok()) << with_alpha.status();
  ASSERT_TRUE(without.ok()) << without.status();
  ASSERT_EQ(with_alpha->pixels.type(), CV_8UC4);
  ASSERT_EQ(with_alpha->pixels.size(), cv::Size(80, 64));
  cv::Mat out_bgr, out_alpha;
  cv::cvtColor(with_alpha->pixels, out_bgr, cv::COLOR_BGRA2BGR);
  cv::extractChannel(with_alpha->pixels, out_alpha, 3);
  EXPECT_EQ(MaxAbsDiff(out_bgr, without->pixels), 0) << "alpha leaked into the colour";
  EXPECT_LE(MaxAbsDiff(out_alpha, Resize(alpha, 80, 64)), kAlphaTolerance8Bit);
  EXPECT_EQ(out_alpha.at<uint8_t>(10, 10), 255);  // opaque stays opaque
}

TEST(UpscalerTest, SixteenBitStaysSixteenBit) {
  const cv::Mat bgr8 = Crop("coffee", cv::Rect(250, 150, 32, 32));
  cv::Mat bgr16;
  bgr8.convertTo(bgr16, CV_16U, 257.0);
  // A smooth 16-bit ramp on top so that the input itself has fine levels.
  for (int y = 0; y < bgr16.rows; ++y)
    for (int x = 0; x < bgr16.cols; ++x)
      for (int c = 0; c < 3; ++c) {
        auto& v = bgr16.at<cv::Vec3w>(y, x)[c];
        v = cv::saturate_cast<uint16_t>(v * 0.9 + x * 37 + y * 11);
      }
  absl::StatusOr<UpscaleResult> r16 = Upscale(bgr16, Options("esrgan-slim", 2));
  ASSERT_TRUE(r16.ok()) << r16.status();
  ASSERT_EQ(r16->pixels.type(), CV_16UC3);
  const cv::Mat flat = r16->pixels.reshape(1);
  const std::set<uint16_t> levels(flat.begin<uint16_t>(), flat.end<uint16_t>());
  EXPECT_GT(levels.size(), 256u) << "16-bit output was flattened to 8 bits";

  // Same picture as 8 bits: the 16-bit result rendered to 8 bits agrees.
  cv::Mat in8;
  bgr16.convertTo(in8, CV_8U, 1.0 / 257);
  absl::StatusOr<UpscaleResult> r8 = Upscale(in8, Options("esrgan-slim", 2));
  ASSERT_TRUE(r8.ok()) << r8.status();
  cv::Mat as8, diff;
  r16->pixels.convertTo(as8, CV_8U, 1.0 / 257);
  cv::absdiff(as8, r8->pixels, diff);
  EXPECT_LE(cv::mean(diff.reshape(1))[0], kDepthAgreementMean8Bit);
}

TEST(UpscalerTest, GrayInGrayOutIsLumaOfModelOutput) {
  cv::Mat gray = testing::LoadPhoto("camera", /*keep_gray=*/true)(cv::Rect(200, 100, 40, 30)).clone();
  ASSERT_EQ(gray.type(), CV_8UC1);
  absl::StatusOr<UpscaleResult> g = Upscale(gray, Options("esrgan-slim", 3));
  ASSERT_TRUE(g.ok()) << g.status();
  ASSERT_EQ(g->pixels.type(), CV_8UC1);
  ASSERT_EQ(g->pixels.size(), cv::Size(120, 90));
  cv::Mat bgr, luma;
  cv::cvtColor(gray, bgr, cv::COLOR_GRAY2BGR);
  absl::StatusOr<UpscaleResult> c = Upscale(bgr, Options("esrgan-slim", 3));
  ASSERT_TRUE(c.ok()) << c.status();
  cv::cvtColor(c->pixels, luma, cv::COLOR_BGR2GRAY);
  EXPECT_LE(MaxAbsDiff(g->pixels, luma), kGrayLumaTolerance8Bit);
}

TEST(UpscalerTest, ChannelOrderIsKept) {
  // A red patch must stay red (BGR in, BGR out; the model sees RGB).
  cv::Mat red(16, 16, CV_8UC3, cv::Scalar(20, 30, 220));
  absl::StatusOr<UpscaleResult> r = Upscale(red, Options("esrgan-slim", 2));
  ASSERT_TRUE(r.ok()) << r.status();
  const cv::Scalar m = cv::mean(r->pixels);
  EXPECT_NEAR(m[0], 20, 4);
  EXPECT_NEAR(m[2], 220, 4);
}

TEST(UpscalerTest, ProgressReachesOneAndCancelStops) {
  const cv::Mat crop = Crop("astronaut", cv::Rect(0, 0, 48, 48));
  UpscaleOptions o = Options("esrgan-slim", 2);
  o.tile_px = 16;  // 9 tiles
  std::vector<double> seen;
  o.progress = [&](double f) {
    seen.push_back(f);
    return true;
  };
  ASSERT_TRUE(Upscale(crop, o).ok());
  ASSERT_GE(seen.size(), 10u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(seen.back(), 1.0);

  // One worker: the third report cancels and nothing runs after it.
  int calls = 0;
  o.threads = 1;
  o.progress = [&](double) { return ++calls < 3; };
  absl::StatusOr<UpscaleResult> cancelled = Upscale(crop, o);
  EXPECT_EQ(cancelled.status().code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(calls, 3);

  // Two tile workers: the tile in flight on the other worker may still report.
  calls = 0;
  o.threads = 2;
  cancelled = Upscale(crop, o);
  EXPECT_EQ(cancelled.status().code(), absl::StatusCode::kCancelled);
  EXPECT_LE(calls, 4);
}

// LibTorch's and OpenCV's thread counts are process-wide: set by the program
// at start-up (compute_threads.h), never by an Upscale call, so concurrent
// callers (the viewer's workers) cannot race on them.
TEST(UpscalerTest, LeavesProcessWideThreadSettingsAlone) {
  const int torch_before = InferenceThreads(), opencv_before = cv::getNumThreads();
  const cv::Mat crop = Crop("chelsea", cv::Rect(0, 0, 48, 48));
  for (ThreadMode mode : {ThreadMode::kTiles, ThreadMode::kIntraOp}) {
    UpscaleOptions o = Options("esrgan-slim", 2);
    o.threads = 2;
    o.thread_mode = mode;
    ASSERT_TRUE(Upscale(crop, o).ok());
    EXPECT_EQ(InferenceThreads(), torch_before);
    EXPECT_EQ(cv::getNumThreads(), opencv_before);
  }
}

TEST(UpscalerTest, BadModelsGiveClearErrors) {
  const cv::Mat crop = Crop("chelsea", cv::Rect(0, 0, 8, 8));
  testing::ScratchDir dir;
  testing::WriteBytes(dir.Path("broken.pt"), "not a model");
  UpscaleOptions o = Options(dir.Path("broken.pt"), 2);
  o.model_input_range = 255;
  EXPECT_EQ(Upscale(crop, o).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Upscale(crop, Options(dir.Path("absent.pt"), 2)).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Upscale(crop, Options("esrgan-huge", 2)).status().code(),
            absl::StatusCode::kInvalidArgument);
  UpscaleOptions empty_dir = Options("esrgan-slim", 2);
  empty_dir.model_dir = dir.path();
  EXPECT_EQ(Upscale(crop, empty_dir).status().code(), absl::StatusCode::kNotFound);
}

TEST(UpscalerTest, UserModelFileRunsWithSidecar) {
  // A pinned model used as "the user's own": same result as by name.
  const cv::Mat crop = Crop("coffee", cv::Rect(100, 100, 20, 20));
  UpscaleOptions own = Options(std::string(kModelDir) + "/esrgan-slim-x2.pt", 4);
  absl::StatusOr<UpscaleResult> a = Upscale(crop, own);
  absl::StatusOr<UpscaleResult> b = Upscale(crop, Options("esrgan-slim", 4));
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(a->passes, (std::vector<std::string>{"esrgan-slim x2", "esrgan-slim x2"}));
  EXPECT_EQ(a->pixels.size(), b->pixels.size());
}

TEST(UpscalerTest, AutoChoiceSaysWhichModel) {
  const cv::Mat crop = Crop("chelsea", cv::Rect(0, 0, 12, 12));
  absl::StatusOr<UpscaleResult> r = Upscale(crop, Options("", 2));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->model_used.rfind("esrgan-", 0), 0u) << r->model_used;
}

}  // namespace
}  // namespace acuity

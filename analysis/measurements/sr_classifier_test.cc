#include "analysis/measurements/sr_classifier.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "analysis/measurements/image_ops.h"
#include "analysis/measurements/native_scale.h"
#include "tests/testing/test_images.h"
#include "tests/testing/wild_degradations.h"

namespace acuity {
namespace {

struct GoldenPatch {
  std::vector<double> probability;  // torch's: native, ×2, ×3, ×4
  cv::Mat luma;                     // 64×64, CV_8UC1
};

// tests/data/sr_classifier_golden.txt, written by
// datasets/sr_classifier_train.py from the network it fitted.
std::vector<GoldenPatch> LoadGolden() {
  std::ifstream in(testing::SourceDir() + "/tests/data/sr_classifier_golden.txt");
  std::vector<GoldenPatch> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    GoldenPatch g;
    g.probability.resize(4);
    for (double& p : g.probability) fields >> p;
    std::string hex;
    fields >> hex;
    g.luma.create(kSrClassifierPatchPx, kSrClassifierPatchPx, CV_8UC1);
    if (hex.size() != g.luma.total() * 2) return {};
    for (size_t i = 0; i < g.luma.total(); ++i) g.luma.data[i] = uchar(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
    out.push_back(g);
  }
  return out;
}

TEST(SrClassifierTest, MatchesTheReferenceNetwork) {
  const std::vector<GoldenPatch> golden = LoadGolden();
  ASSERT_EQ(golden.size(), 8u) << "tests/data/sr_classifier_golden.txt missing or malformed";
  for (size_t i = 0; i < golden.size(); ++i) {
    // Nine copies of the patch: nine textured patches, each the same.
    cv::Mat tiled;
    cv::repeat(golden[i].luma, 3, 3, tiled);
    const std::optional<SrClassifierReading> r = ClassifySrUpscale(tiled);
    ASSERT_TRUE(r.has_value()) << i;
    EXPECT_EQ(r->patches, 9);
    EXPECT_NEAR(r->network_probability, 1.0 - golden[i].probability[0], 1e-4) << "patch " << i;
    std::vector<double> factors(golden[i].probability.begin() + 1, golden[i].probability.end());
    const int torch_factor = 2 + int(std::max_element(factors.begin(), factors.end()) - factors.begin());
    std::sort(factors.begin(), factors.end());
    if (factors[2] - factors[1] > 1e-3) {  // not a near-tie
      EXPECT_EQ(r->factor, torch_factor) << "patch " << i;
    }
  }
  // The patches cover both answers, so that agreement means something.
  int native = 0;
  for (const GoldenPatch& g : golden) native += g.probability[0] > 0.5;
  EXPECT_GT(native, 0);
  EXPECT_LT(native, int(golden.size()));
}

// The flag rule at its lines (datasets/sr_classifier_train.py's flagged_by
// is the same): ×2 from kSrClassifierX2FlagProbability, ×3 and ×4 from
// kSrClassifierFlagProbability.
TEST(SrClassifierTest, EachFactorIsFlaggedFromItsOwnLine) {
  const auto reading = [](double p, int factor) {
    SrClassifierReading r;
    r.network_probability = p;
    r.factor = factor;
    r.patches = kSrClassifierMinPatches;
    return r;
  };
  EXPECT_GT(kSrClassifierX2FlagProbability, kSrClassifierFlagProbability);
  EXPECT_FALSE(SrClassifierFlags(reading(kSrClassifierX2FlagProbability - 0.01, 2)));
  EXPECT_TRUE(SrClassifierFlags(reading(kSrClassifierX2FlagProbability, 2)));
  for (const int f : {3, 4}) {
    EXPECT_FALSE(SrClassifierFlags(reading(kSrClassifierFlagProbability - 0.01, f))) << f;
    EXPECT_TRUE(SrClassifierFlags(reading(kSrClassifierFlagProbability, f))) << f;
  }
  EXPECT_FALSE(SrClassifierFlags(reading(0.99, 0)));  // no factor read
}

TEST(SrClassifierTest, FlatOrTinyPicturesAreNotMeasured) {
  EXPECT_FALSE(ClassifySrUpscale(cv::Mat(256, 256, CV_32FC1, cv::Scalar(128))).has_value());
  cv::Mat ramp(256, 256, CV_32FC1);
  for (int y = 0; y < ramp.rows; ++y) ramp.row(y).setTo(y * 0.9);
  EXPECT_FALSE(ClassifySrUpscale(ramp).has_value());  // no texture anywhere
  const cv::Mat photo = LumaF32(testing::LoadPhoto("coins"));
  EXPECT_FALSE(ClassifySrUpscale(photo(cv::Rect(0, 0, 100, 63))).has_value());  // under one patch
  EXPECT_FALSE(ClassifySrUpscale(photo(cv::Rect(0, 0, 192, 128))).has_value());  // 6 patches: too few to judge
  EXPECT_FALSE(ClassifySrUpscale(cv::Mat()).has_value());
  EXPECT_TRUE(ClassifySrUpscale(photo).has_value());
}

// The patches cover the whole picture: a side a few pixels short of a
// multiple of 64 px loses no strip (a 192-px ×2 output whose frame is
// trimmed to 190 px was read from 4 patches and not judged).
TEST(SrClassifierTest, PatchesCoverTheWholePicture) {
  EXPECT_TRUE(SrClassifierPatchOrigins(63).empty());
  EXPECT_EQ(SrClassifierPatchOrigins(64), std::vector<int>({0}));
  EXPECT_EQ(SrClassifierPatchOrigins(190), std::vector<int>({0, 63, 126}));
  EXPECT_EQ(SrClassifierPatchOrigins(192), std::vector<int>({0, 64, 128}));
  EXPECT_EQ(SrClassifierPatchOrigins(129), std::vector<int>({0, 33, 65}));
  for (int length = 64; length <= 700; ++length) {
    const std::vector<int> o = SrClassifierPatchOrigins(length);
    ASSERT_EQ(int(o.size()), (length + kSrClassifierPatchPx - 1) / kSrClassifierPatchPx) << length;
    EXPECT_EQ(o.back(), length - kSrClassifierPatchPx) << length;  // flush with the far edge
    for (size_t i = 1; i < o.size(); ++i) {
      EXPECT_GT(o[i], o[i - 1]) << length;
      EXPECT_LE(o[i] - o[i - 1], kSrClassifierPatchPx) << length;  // no strip left unread
    }
  }
  // A 190-px textured picture is read from 9 patches (4 before).
  const cv::Mat gravel = LumaF32(testing::LoadPhoto("gravel"));
  const std::optional<SrClassifierReading> r = ClassifySrUpscale(gravel(cv::Rect(0, 0, 190, 190)));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->patches, 9);
  // Texture only in the bottom 62 rows of a 190-px-high picture: read
  // (the grid from the corner ended at row 128).
  // (9 columns of patches, above kSrClassifierMinPatches, so that the count
  // read is not the minimum's.)
  cv::Mat strip(190, 576, CV_32FC1, cv::Scalar(128));
  gravel(cv::Rect(0, 0, 512, 62)).copyTo(strip(cv::Rect(0, 128, 512, 62)));
  gravel(cv::Rect(0, 100, 64, 62)).copyTo(strip(cv::Rect(512, 128, 64, 62)));
  const std::optional<SrClassifierReading> bottom = ClassifySrUpscale(strip);
  ASSERT_TRUE(bottom.has_value());
  EXPECT_EQ(bottom->patches, 9);
}

// BGR, BGRA, 16-bit, a region of a larger picture and its luma as float all
// read as the same 8-bit luma; other types are not read.
TEST(SrClassifierTest, EveryPixelTypeReadsAsItsLuma) {
  const cv::Mat bgr = testing::LoadPhoto("motorcycle_right");
  constexpr int kMaxPatches = 16;  // fewer than the default 64: as telling, and quicker under the sanitizers
  const std::optional<SrClassifierReading> want = ClassifySrUpscale(LumaF32(bgr), kMaxPatches);
  ASSERT_TRUE(want.has_value());
  EXPECT_EQ(want->patches, kMaxPatches);  // a 1.6 MP photo has more textured patches than are read
  cv::Mat bgra, wide16, framed(bgr.rows + 40, bgr.cols + 40, CV_8UC3, cv::Scalar(0, 0, 0));
  cv::cvtColor(bgr, bgra, cv::COLOR_BGR2BGRA);
  bgr.convertTo(wide16, CV_16UC3, 257);
  bgr.copyTo(framed(cv::Rect(20, 20, bgr.cols, bgr.rows)));
  const cv::Mat region = framed(cv::Rect(20, 20, bgr.cols, bgr.rows));  // not continuous
  for (const cv::Mat* pixels : std::vector<const cv::Mat*>{&bgr, &bgra, &wide16, &region}) {
    const std::optional<SrClassifierReading> r = ClassifySrUpscale(*pixels, kMaxPatches);
    ASSERT_TRUE(r.has_value()) << pixels->type();
    EXPECT_NEAR(r->network_probability, want->network_probability, 1e-9) << pixels->type();
    EXPECT_EQ(r->patches, want->patches);
  }
  cv::Mat f3;
  bgr.convertTo(f3, CV_32FC3);
  EXPECT_FALSE(ClassifySrUpscale(f3, kMaxPatches).has_value());
  EXPECT_FALSE(ClassifySrUpscale(cv::Mat(256, 256, CV_8UC2, cv::Scalar(10, 200))).has_value());
}

// A full-size photo blurred by about 1 px is as smooth as a network's ×2
// output, with some texture left: the first fit read 13 of 22 such photos
// (σ 1 px, PNG and JPEG q85) as ×2 network outputs, "already upscaled". The
// fit since has more soft full-size natives. Photos of both sets, as
// MeasureNativeScale reads them (the learned test runs where no
// interpolation shows), on a 384-px crop of each (36 patches; chelsea's,
// 300 px high, 16; at full size:
// a crop is no less a full-size photo, and the sanitizer run reads them in a
// third of the time).
TEST(SrClassifierTest, SoftFullSizePhotosAreNoNetworksOutput) {
  int measured = 0, files = 0;
  for (const char* photo : {"motorcycle_left", "motorcycle_right", "rocket", "astronaut", "chelsea", "coffee"}) {
    const cv::Mat whole = testing::LoadPhoto(photo);
    const int side_px = std::min({384, whole.cols, whole.rows});  // chelsea is 300 px high
    const cv::Mat sharp = whole(cv::Rect((whole.cols - side_px) / 2, (whole.rows - side_px) / 2, side_px, side_px));
    for (const double sigma_px : {0.7, 1.0, 1.3}) {
      cv::Mat soft;
      cv::GaussianBlur(sharp, soft, cv::Size(), sigma_px, sigma_px, cv::BORDER_REFLECT);
      for (const int quality : {0, 85}) {
        NativeScaleOptions options;
        options.coding_block_px = quality ? 8 : 0;
        options.lossless = quality == 0;
        const ResolutionResult r = MeasureNativeScale(quality ? testing::JpegRoundTrip(soft, quality) : soft, options);
        ASSERT_TRUE(r.native_scale && r.upscale_kind) << photo;
        measured += r.network_probability.has_value();  // too few textured patches: not read
        EXPECT_NE(*r.upscale_kind, UpscaleKind::kAi)
            << photo << " σ " << sigma_px << " q" << quality << ": " << r.network_probability.value_or(-1);
        EXPECT_GE(*r.native_scale, 0.75) << photo << " σ " << sigma_px << " q" << quality;
        ++files;
      }
    }
  }
  // The learned test read nearly all of them (not skipped for too few patches).
  EXPECT_GE(measured, files - 6) << measured << " of " << files;
}

// A line drawing on paper as a scanner leaves it: soft dark strokes on a
// flat, grainy ground, which is what a network's output looks like to a fit
// that never saw one (a scanned pencil sketch, 615×1029 px, read 0.94 as a
// ×2 output before drawings were among the fit's natives; this test's
// drawings of coins, rocket and hubble_deep_field read 0.85–1.00 under a fit
// without drawings). Made here
// from held-out photos by another recipe than the fit's
// (testing::ScannedDrawing: Canny's edges), at full size, as PNG and JPEG q85.
TEST(SrClassifierTest, DrawingsOnPaperAreNoNetworksOutput) {
  for (const char* photo : {"motorcycle_right", "coins", "rocket", "hubble_deep_field"}) {
    const cv::Mat scanned = testing::ScannedDrawing(testing::LoadPhoto(photo), 19);
    for (const int quality : {0, 85}) {
      NativeScaleOptions options;
      options.coding_block_px = quality ? 8 : 0;
      options.lossless = quality == 0;
      const ResolutionResult r = MeasureNativeScale(quality ? testing::JpegRoundTrip(scanned, quality) : scanned, options);
      ASSERT_TRUE(r.native_scale.has_value()) << photo;
      // The learned test read it (not skipped as drawn content or as too few patches).
      ASSERT_TRUE(r.network_probability.has_value()) << photo << " q" << quality;
      EXPECT_NE(r.upscale_kind, std::optional<UpscaleKind>(UpscaleKind::kAi))
          << photo << " q" << quality << ": " << r.network_probability.value_or(-1);
      EXPECT_GE(*r.native_scale, 0.75) << photo << " q" << quality;
    }
  }
}

}  // namespace
}  // namespace acuity

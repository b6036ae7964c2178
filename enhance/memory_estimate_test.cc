#include "enhance/memory_estimate.h"

#include <optional>
#include <string>

#include <gtest/gtest.h>

namespace acuity {
namespace {

ImageGeometry Size(int w, int h) {
  ImageGeometry g;
  g.width_px = w;
  g.height_px = h;
  return g;
}

Plan Steps(std::vector<StepParams> params) {
  Plan plan;
  for (StepParams& p : params) plan.steps.push_back({std::move(p), ""});
  return plan;
}

UpscaleOptions Threads(int n) {
  UpscaleOptions o;
  o.threads = n;
  return o;
}

TEST(MemoryEstimateTest, AnalysisGrowsWithThePixelCount) {
  const int64_t small = EstimatePeakMemoryBytes(Size(640, 480), false);
  const int64_t big = EstimatePeakMemoryBytes(Size(4000, 3000), false);
  EXPECT_GT(small, 640 * 480 * 3);  // at least the pixels themselves
  EXPECT_GT(big, small);
  EXPECT_GT(big, 4000 * 3000 * 3);
}

// The measured peaks of memory_estimate.h's table (max RSS of the acuity
// program minus its base, on the 2-core machine: 2 tile workers): every
// estimate lies above, and not far above.
struct Measured {
  int width, height;
  std::optional<UpscaleStep> upscale;  // nullopt: analyze (advise with `content`)
  double rss_mb;
  bool content = false;
};

// The program's own resident memory when the analysis rows were measured
// (nothing loaded yet); the upscale rows were measured with LibTorch linked
// in, kProcessBaseMemoryBytes.
constexpr double kAnalyzeBaseMb = 24;

TEST(MemoryEstimateTest, EstimatesLieAboveTheMeasuredPeaks) {
  const Measured measured[] = {
      {64, 48, std::nullopt, 24},
      {1024, 768, std::nullopt, 97},
      {2048, 1536, std::nullopt, 136},
      {4096, 3072, std::nullopt, 242},
      {6000, 4000, std::nullopt, 457},
      {8000, 6000, std::nullopt, 610},  // the JPEG's: 605 as PNG
      {1024, 768, std::nullopt, 238, true},
      {2048, 1536, std::nullopt, 252, true},
      {4096, 3072, std::nullopt, 415, true},
      {6000, 4000, std::nullopt, 506, true},
      {8000, 6000, std::nullopt, 777, true},
      {256, 192, UpscaleStep{2.0, "esrgan-slim"}, 221},
      {256, 192, UpscaleStep{4.0, "esrgan-slim"}, 222},
      {512, 384, UpscaleStep{2.0, "esrgan-slim"}, 260},
      {512, 384, UpscaleStep{4.0, "esrgan-slim"}, 282},
      {128, 96, UpscaleStep{4.0, "esrgan-medium"}, 242},
      {128, 96, UpscaleStep{4.0, "esrgan-thick"}, 286},
      {128, 96, UpscaleStep{4.0, "realesr-general-x4v3"}, 202},
      {64, 48, UpscaleStep{4.0, "realesrgan-x4plus"}, 444},
      {1024, 768, UpscaleStep{2.0, "esrgan-slim"}, 285},
      {384, 288, UpscaleStep{4.0, "esrgan-medium"}, 385},
      {384, 288, UpscaleStep{4.0, "esrgan-thick"}, 481},
      {384, 288, UpscaleStep{4.0, "realesr-general-x4v3"}, 265},
      {256, 192, UpscaleStep{4.0, "realesrgan-x4plus"}, 1240},
  };
  constexpr double kMb = 1024.0 * 1024.0;
  for (const Measured& m : measured) {
    const ImageGeometry g = Size(m.width, m.height);
    const int64_t job = m.upscale ? EstimatePeakMemoryBytes(g, Steps({*m.upscale}), Threads(2))
                                  : EstimatePeakMemoryBytes(g, m.content);
    const double estimate_mb = (m.upscale ? kProcessBaseMemoryBytes / kMb : kAnalyzeBaseMb) + job / kMb;
    const std::string what = (m.upscale ? "upscale " + m.upscale->model : std::string(m.content ? "advise" : "analyze")) +
                             " " + std::to_string(m.width) + "x" + std::to_string(m.height);
    EXPECT_GE(estimate_mb, m.rss_mb * 0.97) << what;  // the base itself varies by a few MB
    EXPECT_LE(estimate_mb, m.rss_mb * 2.5 + 100) << what;
  }
}

TEST(MemoryEstimateTest, UpscaleCountsTheOutputTheModelAndTheTileWorkers) {
  const ImageGeometry g = Size(1000, 750);
  const UpscaleOptions one = Threads(1);
  const int64_t x2 = EstimatePeakMemoryBytes(g, Steps({UpscaleStep{2.0, "esrgan-slim"}}), one);
  const int64_t x4 = EstimatePeakMemoryBytes(g, Steps({UpscaleStep{4.0, "esrgan-slim"}}), one);
  const int64_t x4_thick = EstimatePeakMemoryBytes(g, Steps({UpscaleStep{4.0, "esrgan-thick"}}), one);
  const int64_t x4_plus = EstimatePeakMemoryBytes(g, Steps({UpscaleStep{4.0, "realesrgan-x4plus"}}), one);
  const int64_t x4_two_workers = EstimatePeakMemoryBytes(g, Steps({UpscaleStep{4.0, "esrgan-slim"}}), Threads(2));
  EXPECT_GE(x4, x2 + 3 * (16 - 4) * 1000 * 750);  // at least the bigger output
  EXPECT_GT(EstimatePeakMemoryBytes(g, Steps({UpscaleStep{3.5, "esrgan-slim"}}), one),
            EstimatePeakMemoryBytes(g, Steps({UpscaleStep{3.0, "esrgan-slim"}}), one));
  EXPECT_GT(x4_thick, x4);
  EXPECT_GT(x4_plus, x4_thick);
  EXPECT_GT(x4_two_workers, x4);
  // A user's model file: unknown, counted as the heaviest built-in one.
  EXPECT_EQ(EstimatePeakMemoryBytes(g, Steps({UpscaleStep{4.0, "/models/mine.pt"}}), one), x4_plus);
  // A larger tile holds more.
  UpscaleOptions big_tiles = one;
  big_tiles.tile_px = 512;
  EXPECT_GT(EstimatePeakMemoryBytes(g, Steps({UpscaleStep{4.0, "esrgan-slim"}}), big_tiles), x4);
  // thick's ×6 runs its ×8 model, then down: the ×8 result is held before the
  // downscale (3 bytes × 64 × the input's px at least, beyond ×6's output).
  const int64_t x6_thick = EstimatePeakMemoryBytes(g, Steps({UpscaleStep{6.0, "esrgan-thick"}}), one);
  EXPECT_GE(x6_thick, x4_thick + 3 * (64 - 16) * 1000 * 750);
}

TEST(MemoryEstimateTest, APlanPeaksAtItsLargestStep) {
  const ImageGeometry g = Size(800, 600);
  const UpscaleOptions o = Threads(2);
  const int64_t up = EstimatePeakMemoryBytes(g, Steps({UpscaleStep{4.0, "esrgan-medium"}}), o);
  const int64_t plan =
      EstimatePeakMemoryBytes(g, Steps({DenoiseStep{}, UpscaleStep{4.0, "esrgan-medium"}, SharpenStep{}}), o);
  EXPECT_GE(plan, up);
  EXPECT_LT(EstimatePeakMemoryBytes(g, Steps({SharpenStep{}}), o), up);
  // Nothing to do still holds the image and its writing.
  EXPECT_GT(EstimatePeakMemoryBytes(g, Plan{}, o), 800 * 600 * 3);
}

TEST(MemoryEstimateTest, SixteenBitImagesHoldTwiceTheBytes) {
  ImageGeometry g16 = Size(1000, 1000);
  g16.bytes_per_channel = 2;
  const Plan plan = Steps({UpscaleStep{2.0, "esrgan-slim"}});
  EXPECT_GT(EstimatePeakMemoryBytes(g16, plan, Threads(1)), EstimatePeakMemoryBytes(Size(1000, 1000), plan, Threads(1)));
}

TEST(MemoryEstimateTest, GeometryAfterFollowsTheSteps) {
  const ImageGeometry after =
      GeometryAfter(Size(100, 50), Steps({UpscaleStep{4.0, ""}, DownscaleStep{0.5, {}, {}}, SharpenStep{}}));
  EXPECT_EQ(after.width_px, 200);
  EXPECT_EQ(after.height_px, 100);
  DownscaleStep to_width;
  to_width.width_px = 40;
  EXPECT_EQ(GeometryAfter(Size(100, 50), Steps({to_width})).height_px, 20);
}

// QA's measured peaks (memory_estimate.h's table: max RSS of `acuity qa`,
// MiB, on top of the program's 24): every estimate above, and not far above.
TEST(MemoryEstimateTest, QaEstimatesLieAboveTheMeasuredPeaks) {
  struct QaMeasured {
    int in_w, in_h, out_w, out_h;
    double rss_mb;
  };
  const QaMeasured measured[] = {{1155, 866, 1155, 866, 213},     {2309, 1732, 2309, 1732, 444},
                                 {4000, 3000, 4000, 3000, 1111},  {1000, 750, 4000, 3000, 488},
                                 {2000, 1500, 4000, 3000, 495},   {2828, 2121, 4000, 3000, 611},
                                 {3600, 2700, 4000, 3000, 974}};
  for (const QaMeasured& m : measured) {
    const double estimate_mb =
        kAnalyzeBaseMb + EstimateQaPeakMemoryBytes(Size(m.in_w, m.in_h), Size(m.out_w, m.out_h)) / 1048576.0;
    const std::string what = std::to_string(m.in_w) + "x" + std::to_string(m.in_h) + " -> " +
                             std::to_string(m.out_w) + "x" + std::to_string(m.out_h);
    EXPECT_GE(estimate_mb, m.rss_mb) << what;
    EXPECT_LE(estimate_mb, m.rss_mb * 1.5 + 50) << what;
  }
}

// QA holds both images and grows with either; it is not an analysis of the
// output (an enlargement of 0.75 MP to 12 MP peaked at 488 MiB, under the
// 12 MP analysis with content).
TEST(MemoryEstimateTest, QaHoldsBothImages) {
  const int64_t qa = EstimateQaPeakMemoryBytes(Size(500, 500), Size(2000, 2000));
  EXPECT_GT(qa, 500 * 500 * 3 + 2000 * 2000 * 3);
  EXPECT_GT(qa, EstimateQaPeakMemoryBytes(Size(250, 250), Size(2000, 2000)));
  EXPECT_GT(qa, EstimateQaPeakMemoryBytes(Size(500, 500), Size(1000, 1000)));
  // Looking for faces and text costs its detectors' data on top.
  EXPECT_GT(EstimatePeakMemoryBytes(Size(2000, 2000), true), EstimatePeakMemoryBytes(Size(2000, 2000), false) + (100 << 20));
}

TEST(MemoryEstimateTest, AvailableMemoryIsReadFromProcMeminfo) {
  EXPECT_GT(AvailableMemoryBytes(), int64_t{64} << 20);  // any machine that runs the tests has 64 MB
}

}  // namespace
}  // namespace acuity

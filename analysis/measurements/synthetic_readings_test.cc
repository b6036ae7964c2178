// Screenshots and charts measured as graphics: their exactly flat areas hold
// no noise and their 1-px steps are full resolution, while the same
// measurements keep finding real noise and real enlargements in them.
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "analysis/measurements/image_ops.h"
#include "analysis/measurements/native_scale.h"
#include "analysis/measurements/noise.h"
#include "analysis/measurements/qa_measures.h"
#include "tests/testing/synthetic_images.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

using testing::UiStyle;

// The tuned-on screenshot (kLight) and the chart; kDark is the held-out style.
cv::Mat Screenshot() { return testing::UiScreenshot(UiStyle::kLight, 1); }

cv::Mat Enlarged(const cv::Mat& image, double factor, int interpolation) {
  cv::Mat out;
  cv::resize(image, out, cv::Size(), factor, factor, interpolation);
  return out;
}

TEST(SyntheticReadingsTest, FlatAreasHoldNoNoise) {
  for (const cv::Mat& image : {Screenshot(), testing::BarChart(3)}) {
    const NoiseResult n = MeasureNoise(image).result;
    ASSERT_TRUE(n.sigma && n.luma_sigma);
    EXPECT_LT(*n.sigma, 0.5);
    EXPECT_LT(*n.luma_sigma, 0.5);
    for (const NoiseLevelBin& bin : n.level_function) {
      if (bin.sigma) {
        EXPECT_LT(*bin.sigma, 0.5) << bin.level_from_8bit;
      }
    }
  }
}

TEST(SyntheticReadingsTest, PixelExactEdgesAreFullResolution) {
  for (const cv::Mat& image : {Screenshot(), testing::BarChart(3)}) {
    const ResolutionResult r = MeasureNativeScale(image);
    ASSERT_TRUE(r.native_scale);
    EXPECT_GE(*r.native_scale, 0.9) << image.cols << " kind " << (r.upscale_kind ? UpscaleKindName(*r.upscale_kind) : "-") << " coh " << r.source_grid_coherence.value_or(-1);
  }
}

TEST(SyntheticReadingsTest, EnlargedScreenshotStillReadsEnlarged) {
  const cv::Mat ui = Screenshot();
  for (double factor : {2.0, 3.0}) {
    const ResolutionResult r = MeasureNativeScale(Enlarged(ui, factor, cv::INTER_NEAREST));
    ASSERT_TRUE(r.native_scale);
    EXPECT_NEAR(*r.native_scale, 1.0 / factor, 0.02) << "nearest ×" << factor;
  }
  // Bilinear: enlarged (below the advisor's 0.75), though its cyclic
  // spectrum, ruled by the glyph pitch, does not give the factor itself.
  const ResolutionResult r = MeasureNativeScale(Enlarged(ui, 2.0, cv::INTER_LINEAR));
  ASSERT_TRUE(r.native_scale);
  EXPECT_LT(*r.native_scale, 0.75);
}

// A plain Lanczos enlargement keeps the screenshot's flat panels flat (they
// were plateaus already: nothing painted) and its text lines at their pitch
// (content, not seams); a real tile grid added on top is still found.
TEST(SyntheticReadingsTest, QaSeesTheContentNotSeams) {
  const cv::Mat ui = Screenshot();
  const cv::Mat output = PlainResize(ui, ui.size() * 2);
  const cv::Mat plain = LumaF32(PlainResize(ui, ui.size() * 2));
  const TileSeamMeasure seams = DetectTileSeams(LumaF32(output), plain);
  EXPECT_LT(seams.strength, 1.6) << "every " << seams.period_px << " px";
  cv::Mat unclipped;  // room for the seams' offsets above the white panels
  output.convertTo(unclipped, CV_8U, 0.9, 12.0);
  const TileSeamMeasure tiled =
      DetectTileSeams(LumaF32(testing::TileSeams(unclipped, 192)), LumaF32(PlainResize(unclipped, unclipped.size())));
  EXPECT_GT(tiled.strength, 1.6) << tiled.period_px;  // flagged (QA warns from 1.6)
  EXPECT_EQ(tiled.period_px, 192);

  // Painted flats, even with a noise σ that wrongly says the input is noisy.
  const PaintedFlatMeasure painted = MeasurePaintedFlats(LumaF32(ui), LumaF32(ui), 15.0);
  EXPECT_LT(painted.painted_pct, 10.0) << painted.noisy_flat_area_pct << " % noisy flat";
}

}  // namespace
}  // namespace acuity

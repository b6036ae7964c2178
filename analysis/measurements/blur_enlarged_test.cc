// The blur of an enlarged picture (blur.h): read by its edges alone, wide
// ones at the native picture's scales. On photos that were not used to
// choose the constants (they were chosen on coffee, astronaut, chelsea,
// rocket, camera and motorcycle_left): a photo blurred 2 px and enlarged 4×
// reads about 4 × 2 px, as its edges are, and a sharp photo's enlargement
// reads the soft edges of an enlargement, no wider.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "analysis/measurements/analyze.h"
#include "analysis/measurements/blur.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

const std::vector<std::string> kHeldOut = {"motorcycle_right", "ihc", "coins"};

// `name` at 256 px wide, blurred by `blur_px` (none at 0), enlarged 4× by
// Lanczos.
Image Enlarged(const std::string& name, double blur_px) {
  const cv::Mat photo = testing::LoadPhoto(name);
  cv::Mat small, enlarged;
  cv::resize(photo, small, cv::Size(256, photo.rows * 256 / photo.cols), 0, 0, cv::INTER_AREA);
  if (blur_px > 0) cv::GaussianBlur(small, small, cv::Size(), blur_px);
  cv::resize(small, enlarged, small.size() * 4, 0, 0, cv::INTER_LANCZOS4);
  Image image;
  image.pixels = enlarged;
  image.info.width = enlarged.cols;
  image.info.height = enlarged.rows;
  return image;
}

// The picture's enlargement, as the native scale gives it (4×: the
// native-scale reading is tested in native_scale_test.cc).
BlurOptions EnlargedFourTimes() {
  BlurOptions options;
  options.px_per_native_px = 4.0;
  return options;
}

// Truth: 2 px at 256 px is 8 px at 1024, with the photo's own softness and
// the kernel's (a sharp photo's enlargement reads 1.8–2.5 px) about 8.2 px.
// The fine scales and the spectrum read 6.3–6.6 px: they do not resolve
// edges that wide, and the spectrum holds the kernel's ringing.
TEST(BlurEnlargedTest, ABlurredPhotosEnlargementReadsItsWholeBlur) {
  for (const std::string& name : kHeldOut) {
    const BlurMeasurement m = MeasureBlur(Enlarged(name, 2.0).pixels, EnlargedFourTimes());
    ASSERT_TRUE(m.result.blur_sigma_px) << name;
    EXPECT_GT(*m.result.blur_sigma_px, 7.0) << name;
    EXPECT_LT(*m.result.blur_sigma_px, 9.5) << name;
    // Evenly blurred: no part in focus.
    EXPECT_FALSE(m.result.in_focus_blur_sigma_px) << name << " in focus " << *m.result.in_focus_blur_sigma_px;
  }
}

TEST(BlurEnlargedTest, ASharpPhotosEnlargementReadsAsAnEnlargementIs) {
  for (const std::string& name : kHeldOut) {
    const BlurMeasurement m = MeasureBlur(Enlarged(name, 0.0).pixels, EnlargedFourTimes());
    ASSERT_TRUE(m.result.blur_sigma_px) << name;
    EXPECT_GT(*m.result.blur_sigma_px, 1.5) << name;
    EXPECT_LT(*m.result.blur_sigma_px, 2.8) << name;
  }
}

// A picture enlarged more than the coarse scales need is read at 8× them
// (an enlargement of 10 000× from a file's record made kernels of 120 000
// px: minutes, then no edge at all), and a thin one, whose coarse kernels
// fit around few of its points, keeps the fine reading there.
TEST(BlurEnlargedTest, AHugeEnlargementOrAThinPictureStillReads) {
  const cv::Mat picture = Enlarged("motorcycle_right", 2.0).pixels;
  BlurOptions eight, huge;
  eight.px_per_native_px = 8.0;
  huge.px_per_native_px = 1e4;
  const BlurMeasurement at_eight = MeasureBlur(picture, eight), at_huge = MeasureBlur(picture, huge);
  ASSERT_TRUE(at_eight.result.blur_sigma_px && at_huge.result.blur_sigma_px);
  EXPECT_EQ(*at_huge.result.blur_sigma_px, *at_eight.result.blur_sigma_px);
  // A banner 1024×96 px of the same enlargement: its coarse kernels (4×:
  // 49 px around) fit around the middle rows only.
  const cv::Mat banner = picture(cv::Rect(0, picture.rows / 2, picture.cols, 96));
  const BlurMeasurement thin = MeasureBlur(banner, EnlargedFourTimes());
  ASSERT_TRUE(thin.result.blur_sigma_px);
  EXPECT_GT(*thin.result.blur_sigma_px, 5.0);
}

// A picture over 1 MP is read on a sample of 256-px blocks, each with its
// margin of context: the coarse scales' margin is wide (97 px at 8×), and
// its points, read at the fine scales only, were counted as the block's too
// (a review): a 2400×1600 enlargement of a photo blurred 2 px read 8.8 px,
// a 1200×800 crop of it 11.1, where the truth is about 16.5.
TEST(BlurEnlargedTest, ASampledPictureReadsAsAPartOfIt) {
  const cv::Mat photo = testing::LoadPhoto("motorcycle_right");
  cv::Mat small, big;
  cv::resize(photo, small, cv::Size(300, 200), 0, 0, cv::INTER_AREA);
  cv::GaussianBlur(small, small, cv::Size(), 2.0);
  cv::resize(small, big, small.size() * 8, 0, 0, cv::INTER_LANCZOS4);  // 2400×1600: sampled
  BlurOptions eight;
  eight.px_per_native_px = 8.0;
  const BlurMeasurement whole = MeasureBlur(big, eight);
  const BlurMeasurement part = MeasureBlur(big(cv::Rect(600, 400, 1200, 800)), eight);  // read whole
  ASSERT_TRUE(whole.result.blur_sigma_px && part.result.blur_sigma_px);
  EXPECT_NEAR(*whole.result.blur_sigma_px, *part.result.blur_sigma_px, 0.1 * *part.result.blur_sigma_px);
  EXPECT_GT(*whole.result.blur_sigma_px, 13.0);  // 2 px × 8 and the kernel: about 16.5
}

}  // namespace
}  // namespace acuity

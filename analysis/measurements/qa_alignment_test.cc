#include "analysis/measurements/qa_alignment.h"

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "tests/testing/test_images.h"

namespace acuity {
namespace {

// Rectangles equal within `tolerance_px` on every edge.
void ExpectRectNear(const cv::Rect& actual, const cv::Rect& expected, int tolerance_px) {
  EXPECT_NEAR(actual.x, expected.x, tolerance_px) << actual << " vs " << expected;
  EXPECT_NEAR(actual.y, expected.y, tolerance_px) << actual << " vs " << expected;
  EXPECT_NEAR(actual.br().x, expected.br().x, tolerance_px) << actual << " vs " << expected;
  EXPECT_NEAR(actual.br().y, expected.br().y, tolerance_px) << actual << " vs " << expected;
}

cv::Mat Enlarge(const cv::Mat& bgr, double factor) {
  cv::Mat out;
  cv::resize(bgr, out, cv::Size(), factor, factor, cv::INTER_LANCZOS4);
  return out;
}

// What an unsharp mask does to an enhancer's output: the alignment must not
// depend on the output being a plain enlargement.
cv::Mat Sharpened(const cv::Mat& bgr) {
  cv::Mat blurred, out;
  cv::GaussianBlur(bgr, blurred, cv::Size(), 1.5);
  cv::addWeighted(bgr, 1.8, blurred, -0.8, 0, out);
  return out;
}

TEST(AlignForQaTest, SameAspectNeedsNoSearch) {
  const cv::Mat photo = testing::LoadPhoto("coffee");  // 600×400
  const QaAlignment a = AlignForQa(photo, Enlarge(photo, 2.0));
  EXPECT_EQ(a.geometry, QaGeometry::kSame);
  EXPECT_EQ(a.input_rect, cv::Rect(0, 0, 600, 400));
  EXPECT_EQ(a.output_rect, cv::Rect(0, 0, 1200, 800));
}

TEST(AlignForQaTest, OnePixelOfRoundingIsTheSameGeometry) {
  // `--target 451x300` of a 226×150 image: 1.9956× by 2×.
  const cv::Mat photo = testing::LoadPhoto("coffee");
  cv::Mat small, out;
  cv::resize(photo, small, cv::Size(226, 150), 0, 0, cv::INTER_AREA);
  cv::resize(small, out, cv::Size(451, 300), 0, 0, cv::INTER_LANCZOS4);
  const QaAlignment a = AlignForQa(small, out);
  EXPECT_EQ(a.geometry, QaGeometry::kSame);
  EXPECT_LT(a.aspect_change_pct, 0.5);
}

// A print's crop of a row or a few columns (a walk, #25): a 256×168 px
// photo cut to 252×168 (4x6 paper is 1.50:1, the photo 1.52:1) and a
// 256×172 one cut to 256×171, each enlarged to 900×600. They read `same`
// before (the aspect check allowed a pixel of the input's sides, which is
// the crop itself, and the search snapped a row's difference to the whole
// extent), and QA compared the output with the whole input stretched:
// misregistered by up to 2 px at the sides, it failed ΔE00 p95 and PSNR.
TEST(AlignForQaTest, APrintsCropOfAFewPixelsIsFound) {
  const cv::Mat photo = testing::LoadPhoto("astronaut");
  struct Case {
    cv::Size input;
    cv::Rect kept;
  } cases[] = {{{256, 168}, {2, 0, 252, 168}}, {{256, 172}, {0, 0, 256, 171}}, {{300, 199}, {1, 0, 299, 199}}};
  for (const Case& c : cases) {
    SCOPED_TRACE(::testing::Message() << c.input << " kept " << c.kept);
    cv::Mat small, out;
    cv::resize(photo, small, c.input, 0, 0, cv::INTER_AREA);
    cv::resize(small(c.kept), out, cv::Size(900, 600), 0, 0, cv::INTER_LANCZOS4);
    const QaAlignment a = AlignForQa(small, Sharpened(out));
    ASSERT_EQ(a.geometry, QaGeometry::kCrop);
    ExpectRectNear(a.input_rect, c.kept, 1);
    EXPECT_LT(a.aspect_change_pct, 0.5);
    EXPECT_LT(a.match_rmse_8bit, a.stretch_rmse_8bit);
  }
}

TEST(AlignForQaTest, BandCutAfterUpscaleIsFound) {
  // A 3:2 photo enlarged 3× and cut to 16:9 at 57 output px from the top
  // (off centre, as a crop on the detail is): 1800×1012 of 1800×1200.
  const cv::Mat photo = testing::LoadPhoto("coffee");
  const cv::Mat big = Enlarge(photo, 3.0);
  const cv::Mat out = Sharpened(big(cv::Rect(0, 57, 1800, 1012)).clone());
  const QaAlignment a = AlignForQa(photo, out);
  ASSERT_EQ(a.geometry, QaGeometry::kCrop);
  // Input rows 19 .. 356.33: whole rows 19..356.
  ExpectRectNear(a.input_rect, cv::Rect(0, 19, 600, 337), 1);
  ExpectRectNear(a.output_rect, cv::Rect(0, 0, 1800, 1011), 2);
  EXPECT_LT(a.aspect_change_pct, 0.5);
  EXPECT_LT(a.match_rmse_8bit, 0.5 * a.stretch_rmse_8bit);
}

TEST(AlignForQaTest, PortraitCutOfALandscapePhotoIsFound) {
  // Held out: another photo, cut on the other axis (a square shop canvas
  // cropped from a 4:3 photo, enlarged 2×).
  const cv::Mat photo = testing::LoadPhoto("chelsea");  // 451×300
  const cv::Mat big = Enlarge(photo, 2.0);                // 902×600
  const cv::Mat out = big(cv::Rect(140, 0, 600, 600)).clone();
  const QaAlignment a = AlignForQa(photo, out);
  ASSERT_EQ(a.geometry, QaGeometry::kCrop);
  ExpectRectNear(a.input_rect, cv::Rect(70, 0, 300, 300), 1);
  ExpectRectNear(a.output_rect, cv::Rect(0, 0, 600, 600), 2);
}

TEST(AlignForQaTest, BorderedCanvasIsFound) {
  // A 3:2 photo enlarged 2× and centred on a white square canvas.
  const cv::Mat photo = testing::LoadPhoto("coffee");
  const cv::Mat big = Enlarge(photo, 2.0);  // 1200×800
  cv::Mat out;
  cv::copyMakeBorder(big, out, 200, 200, 0, 0, cv::BORDER_CONSTANT, cv::Scalar(255, 255, 255));
  const QaAlignment a = AlignForQa(photo, out);
  ASSERT_EQ(a.geometry, QaGeometry::kPad);
  EXPECT_EQ(a.input_rect, cv::Rect(0, 0, 600, 400));
  ExpectRectNear(a.output_rect, cv::Rect(0, 200, 1200, 800), 1);
}

TEST(AlignForQaTest, WindowCutAtOneToOneIsFound) {
  const cv::Mat photo = testing::LoadPhoto("astronaut");  // 512×512
  const cv::Mat out = photo(cv::Rect(50, 40, 300, 200)).clone();
  const QaAlignment a = AlignForQa(photo, out);
  ASSERT_EQ(a.geometry, QaGeometry::kCrop);
  ExpectRectNear(a.input_rect, cv::Rect(50, 40, 300, 200), 1);
  ExpectRectNear(a.output_rect, cv::Rect(0, 0, 300, 200), 1);
}

TEST(AlignForQaTest, SquashedOutputIsAStretch) {
  // The whole photo, twice as wide: no crop or border explains it.
  const cv::Mat photo = testing::LoadPhoto("coffee");
  cv::Mat out;
  cv::resize(photo, out, cv::Size(1200, 400), 0, 0, cv::INTER_LANCZOS4);
  const QaAlignment a = AlignForQa(photo, out);
  EXPECT_EQ(a.geometry, QaGeometry::kStretch);
  EXPECT_NEAR(a.aspect_change_pct, 100.0, 0.5);
  EXPECT_EQ(a.input_rect, cv::Rect(0, 0, 600, 400));
  EXPECT_EQ(a.output_rect, cv::Rect(0, 0, 1200, 400));
}

TEST(AlignForQaTest, FlatImagesAndTinyImagesCompareWhole) {
  const cv::Mat flat(300, 200, CV_8UC3, cv::Scalar(90, 120, 150));
  const cv::Mat flat_out(300, 300, CV_8UC3, cv::Scalar(90, 120, 150));
  const QaAlignment a = AlignForQa(flat, flat_out);
  EXPECT_EQ(a.input_rect, cv::Rect(0, 0, 200, 300));
  EXPECT_EQ(a.output_rect, cv::Rect(0, 0, 300, 300));
  const QaAlignment tiny = AlignForQa(cv::Mat(5, 3, CV_8UC1, cv::Scalar(7)), cv::Mat(5, 9, CV_8UC1, cv::Scalar(7)));
  EXPECT_EQ(tiny.geometry, QaGeometry::kStretch);
  EXPECT_EQ(tiny.output_rect, cv::Rect(0, 0, 9, 5));
}

TEST(AlignForQaTest, SixteenBitAndGrayInputsAlign) {
  const cv::Mat gray = testing::LoadPhoto("camera", /*keep_gray=*/true);  // 512×512
  cv::Mat gray16;
  gray.convertTo(gray16, CV_16U, 257.0);
  const cv::Mat big = Enlarge(gray16, 2.0);
  const cv::Mat out = big(cv::Rect(0, 100, 1024, 576)).clone();
  const QaAlignment a = AlignForQa(gray16, out);
  ASSERT_EQ(a.geometry, QaGeometry::kCrop);
  ExpectRectNear(a.input_rect, cv::Rect(0, 50, 512, 288), 1);
}

}  // namespace
}  // namespace acuity

#include "analysis/measurements/product_shot.h"

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "tests/testing/product_shots.h"

namespace acuity {
namespace {

using testing::ProductShot;

// The generated object spans `fill` of the width: the reading finds it
// within 1.5 % of the frame, on white, grey and off-white alike.
TEST(ProductShotTest, ObjectOnWhite) {
  const ProductShotReading r = MeasureProductShot(ProductShot({800, 800}, 0.9, cv::Scalar::all(255)));
  EXPECT_TRUE(r.background_white());
  EXPECT_GT(r.border_white_pct, 99.0);
  EXPECT_NEAR(r.product_fill_pct, 90, 1.5);
  EXPECT_NEAR(r.product_box_px.width, 720, 12);
}

// The reading leaves the photo's pixels as they were (8-bit BGR up to
// 1024 px is read in place: its median filter once wrote into them).
TEST(ProductShotTest, ThePhotoIsNotChanged) {
  for (cv::Size size : {cv::Size(600, 400), cv::Size(2000, 1500)}) {
    const cv::Mat photo = ProductShot(size, 0.7, cv::Scalar::all(255));
    cv::Mat noisy(photo.size(), photo.type());
    cv::randu(noisy, 0, 256);
    const cv::Mat before = noisy.clone();
    MeasureProductShot(noisy);
    EXPECT_EQ(cv::norm(noisy, before, cv::NORM_INF), 0.0) << size;
  }
}

// A cut-out (transparent around the product) is read on white, as the plan
// flattens it for a white-background marketplace: its border was read black
// (RGB 0, 0, 0 under the transparency), background_not_white, before.
TEST(ProductShotTest, ACutOutIsReadOnWhite) {
  cv::Mat cutout(600, 600, CV_8UC4, cv::Scalar(0, 0, 0, 0));
  cv::circle(cutout, {300, 300}, 250, cv::Scalar(40, 90, 200, 255), cv::FILLED);
  const ProductShotReading r = MeasureProductShot(cutout);
  EXPECT_TRUE(r.background_white()) << r.border_white_pct;
  EXPECT_NEAR(r.product_fill_pct, 500.0 / 6, 2.0);
}

TEST(ProductShotTest, ObjectOnGreyIsNotWhite) {
  const ProductShotReading r = MeasureProductShot(ProductShot({800, 600}, 0.9, cv::Scalar::all(128)));
  EXPECT_FALSE(r.background_white());
  EXPECT_LT(r.border_white_pct, 1.0);
  EXPECT_EQ(r.border_median_8bit, cv::Vec3b(128, 128, 128));
  EXPECT_NEAR(r.product_fill_pct, 90, 1.5);  // measured against the grey
}

TEST(ProductShotTest, OffWhiteIsNotWhite) {
  const ProductShotReading r = MeasureProductShot(ProductShot({600, 600}, 0.9, cv::Scalar::all(245)));
  EXPECT_FALSE(r.background_white());
}

TEST(ProductShotTest, SmallAndLargeObjects) {
  const ProductShotReading small = MeasureProductShot(ProductShot({1000, 1000}, 0.4, cv::Scalar::all(255)));
  EXPECT_NEAR(small.product_fill_pct, 40, 1.5);
  EXPECT_TRUE(small.background_white());
  const ProductShotReading large = MeasureProductShot(ProductShot({1000, 1000}, 0.99, cv::Scalar::all(255)));
  EXPECT_NEAR(large.product_fill_pct, 99, 1.5);
  EXPECT_TRUE(large.background_white());
  // A 16-bit copy reads the same.
  cv::Mat wide;
  ProductShot({1000, 1000}, 0.4, cv::Scalar::all(255)).convertTo(wide, CV_16U, 257);
  EXPECT_NEAR(MeasureProductShot(wide).product_fill_pct, small.product_fill_pct, 0.5);
}

TEST(ProductShotTest, EmptyFrameHasNoProduct) {
  const ProductShotReading r = MeasureProductShot(cv::Mat(300, 300, CV_8UC3, cv::Scalar::all(255)));
  EXPECT_TRUE(r.background_white());
  EXPECT_EQ(r.product_fill_pct, 0);
}

}  // namespace
}  // namespace acuity

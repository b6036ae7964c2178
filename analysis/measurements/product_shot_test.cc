#include "analysis/measurements/product_shot.h"

#include <algorithm>

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
  EXPECT_FALSE(r.product_found());
}

// A walk (#24): a box drawn at exactly known pixels of a 1200×600 shot read
// 200×202 px at y 199 (and 400 px as 401), and its fill disagreed with its
// box: the box was found on a copy reduced to 1024 px and scaled back. Its
// edges are now read again at full size, for a flat and a textured box, at
// sizes that are reduced by different factors; the fill is the box's.
TEST(ProductShotTest, TheBoxIsExactAtFullSize) {
  cv::RNG rng(4);
  for (const cv::Size canvas : {cv::Size(1200, 600), cv::Size(600, 1200), cv::Size(2500, 1700), cv::Size(900, 600)}) {
    for (const bool textured : {false, true}) {
      cv::Mat shot(canvas, CV_8UC3, cv::Scalar::all(255));
      const cv::Rect box(canvas.width * 3 / 4 - 17, canvas.height / 3 + 1, canvas.width / 6 + 3, canvas.height / 3);
      cv::Mat product(box.size(), CV_8UC3, cv::Scalar(40, 40, 200));
      if (textured) {
        cv::Mat texture(box.size(), CV_8UC3);
        rng.fill(texture, cv::RNG::UNIFORM, 0, 40);
        product += texture;
      }
      product.copyTo(shot(box));
      const ProductShotReading r = MeasureProductShot(shot);
      EXPECT_EQ(r.product_box_px, box) << canvas << (textured ? " textured" : " flat");
      EXPECT_DOUBLE_EQ(r.product_fill_pct, 100.0 * std::max(double(box.width) / canvas.width,
                                                            double(box.height) / canvas.height));
    }
  }
}

// A walk (#24): a textured product filling the whole frame read "fill 0 %:
// crop closer to the product": the border's colour is the product's, and
// nothing differs from it. Nothing found is not a fill of 0.
TEST(ProductShotTest, AFrameFillingProductIsNotAnEmptyFrame) {
  cv::Mat shot(800, 800, CV_8UC3, cv::Scalar(40, 40, 200)), texture(shot.size(), CV_8UC3);
  cv::RNG(2).fill(texture, cv::RNG::UNIFORM, 0, 40);
  shot += texture;
  const ProductShotReading r = MeasureProductShot(shot);
  EXPECT_FALSE(r.background_white());
  EXPECT_FALSE(r.product_found());
}

}  // namespace
}  // namespace acuity

// The part in focus of a photo with a shallow depth of field (blur_focus.h),
// on photos that were not used to choose the method's constants (those were
// chosen on astronaut, chelsea, coffee, motorcycle_left, rocket, camera,
// coins and horse): a sharp subject against a background blurred by 3–5 px
// is read at the subject's blur, a soft subject at its own, and a photo
// blurred evenly is never read as shallow.
#include "analysis/measurements/blur_focus.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <opencv2/imgproc.hpp>

#include "analysis/measurements/analyze.h"
#include "analysis/measurements/blur.h"
#include "analysis/measurements/noise_test_photos.h"
#include "tests/testing/test_images.h"
#include "tests/testing/wild_degradations.h"
#include "tests/testing/wrap_image.h"

namespace acuity {
namespace {

// Held out: photos with detail over most of the frame, 512 px on the long side.
const std::vector<std::string> kHeldOut = {"motorcycle_right", "ihc", "retina", "brick"};

cv::Mat Photo(const std::string& name) {
  const cv::Mat photo = testing::LoadPhoto(name);
  cv::Mat half;
  const double f = 512.0 / std::max(photo.cols, photo.rows);
  cv::resize(photo, half, cv::Size(), f, f, cv::INTER_AREA);
  return half;
}

// The blur the advice acts on: the part in focus when one was found.
double ActedOn(const SharpnessResult& r) {
  return r.in_focus_blur_sigma_px ? *r.in_focus_blur_sigma_px : r.blur_sigma_px.value_or(99);
}

SharpnessResult Read(const cv::Mat& pixels) { return MeasureBlur(pixels).result; }

TEST(BlurFocusTest, AnEvenlyBlurredPhotoIsNeverReadAsShallow) {
  for (const std::string& name : kHeldOut) {
    const cv::Mat clean = Photo(name);
    for (double s : {0.0, 1.2, 2.0, 3.0}) {
      const SharpnessResult r = Read(testing::AddBlur(clean, s));
      EXPECT_FALSE(r.in_focus_blur_sigma_px.has_value())
          << name << " blurred " << s << " px reads " << r.in_focus_blur_sigma_px.value_or(0) << " px in focus";
    }
  }
}

// A sharp subject on 6–25 % of the frame, the rest blurred 3 or 5 px: the
// reading acted on is sharp (≤ 1 px) in 20 of the 24 cases (the whole-frame
// reading alone: 14); brick, a texture of weak edges, is the worst photo
// (its subject is found only where the whole frame reads sharp already).
TEST(BlurFocusTest, ASharpSubjectIsReadSharp) {
  int sharp = 0, cases = 0;
  for (const std::string& name : kHeldOut) {
    const cv::Mat clean = Photo(name);
    for (double share : {0.06, 0.12, 0.25})
      for (double background : {3.0, 5.0}) {
        const SharpnessResult r = Read(testing::ShallowDepthOfField(clean, share, {0.45, 0.55}, background));
        ++cases;
        sharp += ActedOn(r) <= 1.0;
        if (r.in_focus_blur_sigma_px) {
          EXPECT_GT(*r.out_of_focus_blur_sigma_px, 0.75 * background) << name;
          // A lower bound: flat parts of the subject have no edges to read.
          EXPECT_GE(*r.in_focus_area_pct, kFocusShare * 100) << name;
          EXPECT_LT(*r.in_focus_area_pct, 2.0 * share * 100) << name;
        }
      }
  }
  EXPECT_GE(sharp, 20) << "of " << cases;
}

// A soft subject (1.5 px) against a softer background: where the part in
// focus is found it reads the subject's own blur, √(σ₀² + 1.5²) within
// 0.3 px; the reading acted on never calls it sharp.
TEST(BlurFocusTest, ASoftSubjectReadsItsOwnBlur) {
  int found = 0;
  for (const std::string& name : kHeldOut) {
    const cv::Mat clean = Photo(name);
    const double sigma0 = Read(clean).blur_sigma_px.value_or(0);
    const double truth = std::sqrt(sigma0 * sigma0 + 1.5 * 1.5);
    for (double share : {0.06, 0.12, 0.25})
      for (double background : {3.0, 5.0}) {
        const SharpnessResult r = Read(testing::ShallowDepthOfField(clean, share, {0.45, 0.55}, background, 1.5));
        EXPECT_GT(ActedOn(r), 1.2) << name << " share " << share << " background " << background;
        if (!r.in_focus_blur_sigma_px) continue;
        ++found;
        EXPECT_NEAR(*r.in_focus_blur_sigma_px, truth, 0.3) << name << " share " << share;
      }
  }
  EXPECT_GE(found, 6);
}

// A walk (issue #25): an evenly sharp 200-px crop enlarged ×3 by Lanczos
// read "14 % in focus, the rest blurred 2 px as by a shallow depth of field":
// an enlargement makes every edge's σ, and the gap between them, f times
// larger, and the gap was judged in the enlarged px (coffee ×2 and ×3,
// rocket ×3 read shallow so). Judged in native px (Analyze reads the native
// scale first), no plain enlargement reads shallow, and a shallow photo
// enlarged still does where the reading sees its background.
TEST(BlurFocusTest, AnEnlargementIsNotAShallowDepthOfField) {
  for (const char* name : {"coffee", "rocket", "motorcycle_right", "ihc", "retina", "brick"}) {
    const cv::Mat full = testing::LoadPhoto(name);
    const cv::Mat crop = full(cv::Rect(150, 100, 200, 200));  // the walk's crop of coffee
    for (double f : {2.0, 3.0})
      for (int kernel : {cv::INTER_LANCZOS4, cv::INTER_CUBIC}) {
        cv::Mat big;
        cv::resize(crop, big, cv::Size(), f, f, kernel);
        const AnalysisReport r = Analyze(testing::WrapPixels(big));
        EXPECT_FALSE(r.sharpness.in_focus_blur_sigma_px.has_value())
            << name << " ×" << f << " reads " << r.sharpness.in_focus_area_pct.value_or(0) << " % in focus at "
            << r.sharpness.in_focus_blur_sigma_px.value_or(0) << " px (native scale "
            << r.resolution.native_scale.value_or(-1) << ")";
      }
  }
  int shallow = 0, shallow_found = 0;
  for (const std::string& name : kHeldOut) {
    const cv::Mat photo = Photo(name);
    // A subject sharp on a quarter of the frame, the rest blurred 5 px,
    // enlarged ×2: read shallow where it was unenlarged, unless the step
    // model no longer reads the widened background (ihc: its 10 px edges
    // read within 2 px of the subject's).
    const cv::Mat dof = testing::ShallowDepthOfField(photo, 0.25, {0.45, 0.55}, 5.0);
    cv::Mat big;
    cv::resize(dof, big, cv::Size(), 2, 2, cv::INTER_LANCZOS4);
    if (!Analyze(testing::WrapPixels(dof)).sharpness.in_focus_blur_sigma_px) continue;
    ++shallow;
    shallow_found += Analyze(testing::WrapPixels(big)).sharpness.in_focus_blur_sigma_px.has_value();
  }
  EXPECT_EQ(shallow, 2);  // motorcycle_right, ihc
  EXPECT_GE(shallow_found, 1) << "of " << shallow;  // measured: motorcycle_right
}

}  // namespace
}  // namespace acuity

#include "analysis/measurements/visible_part.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "analysis/measurements/analyze.h"
#include "tests/testing/test_images.h"
#include "tests/testing/wrap_image.h"

namespace acuity {
namespace {

// What editors store under transparency: black, white, the photo the
// cut-out was made from, or leftovers (uniform noise).
enum class Under { kBlack, kWhite, kPhoto, kNoise };
const Under kEveryUnder[] = {Under::kBlack, Under::kWhite, Under::kPhoto, Under::kNoise};

std::string Name(Under u) {
  switch (u) {
    case Under::kBlack: return "black";
    case Under::kWhite: return "white";
    case Under::kPhoto: return "photo";
    case Under::kNoise: return "noise";
  }
  return "";
}

// BGRA: `bgr` where `shown` (CV_8U) is set, opaque; elsewhere alpha 0 and
// the colour `under` says.
cv::Mat CutOut(const cv::Mat& bgr, const cv::Mat& shown, Under under) {
  cv::Mat colour = bgr.clone();
  cv::Mat stored(bgr.size(), CV_8UC3);
  switch (under) {
    case Under::kBlack: stored.setTo(cv::Scalar::all(0)); break;
    case Under::kWhite: stored.setTo(cv::Scalar::all(255)); break;
    case Under::kPhoto: stored = bgr; break;
    case Under::kNoise: cv::randu(stored, 0, 256); break;
  }
  stored.copyTo(colour, shown == 0);
  cv::Mat out;
  cv::merge(std::vector<cv::Mat>{colour, shown}, out);  // shown (0 or 255) is the alpha
  return out;
}

// An ellipse filling the middle of the frame (70 % × 60 %).
cv::Mat Ellipse(cv::Size size) {
  cv::Mat shown = cv::Mat::zeros(size, CV_8U);
  cv::ellipse(shown, cv::Point(size.width / 2, size.height / 2), cv::Size(size.width * 3 / 10, size.height * 35 / 100),
              0, 0, 360, cv::Scalar(255), cv::FILLED);
  return shown;
}

TEST(VisiblePartTest, HiddenMaskIsAlphaUnderHalf) {
  cv::Mat bgra(4, 4, CV_8UC4, cv::Scalar(10, 20, 30, 255));
  EXPECT_TRUE(HiddenMask(bgra).empty());
  EXPECT_TRUE(HiddenMask(cv::Mat(4, 4, CV_8UC3, cv::Scalar::all(0))).empty());
  bgra.at<cv::Vec4b>(1, 2)[3] = 127;
  bgra.at<cv::Vec4b>(2, 2)[3] = 128;
  const cv::Mat hidden = HiddenMask(bgra);
  ASSERT_FALSE(hidden.empty());
  EXPECT_EQ(cv::countNonZero(hidden), 1);
  EXPECT_NE(hidden.at<uchar>(1, 2), 0);
  cv::Mat deep;
  bgra.convertTo(deep, CV_16U, 257.0);
  EXPECT_EQ(cv::countNonZero(HiddenMask(deep)), 1);
}

// The fill keeps every shown pixel and the alpha, replaces only the hidden
// colour, is the same whatever was stored there, and is smooth: hardly a
// step between hidden neighbours, and none at the outline larger than the
// photo's own.
TEST(VisiblePartTest, TheFillIsTheSameWhateverIsStoredAndMeetsTheOutlineWithoutAStep) {
  cv::Mat photo;
  cv::GaussianBlur(testing::LoadPhoto("coffee"), photo, cv::Size(), 2.0);
  const cv::Mat shown = Ellipse(photo.size());
  const cv::Mat reference = FillUnderTransparency(CutOut(photo, shown, Under::kBlack));
  ASSERT_EQ(reference.type(), CV_8UC4);
  for (Under under : kEveryUnder) {
    SCOPED_TRACE(Name(under));
    const cv::Mat cut = CutOut(photo, shown, under);
    const cv::Mat filled = FillUnderTransparency(cut);
    cv::Mat diff;
    cv::absdiff(filled, reference, diff);
    EXPECT_EQ(cv::countNonZero(diff.reshape(1)), 0);
    cv::absdiff(filled, cut, diff);
    cv::Mat changed;
    cv::transform(diff, changed, cv::Matx14f(1, 1, 1, 1));
    EXPECT_EQ(cv::countNonZero(changed & shown), 0) << "a shown pixel or the alpha changed";
  }
  // Steps between horizontal neighbours, in luma: hidden ones, and a shown
  // pixel beside a hidden one, against the shown photo's own steps.
  cv::Mat luma;
  cv::cvtColor(reference, luma, cv::COLOR_BGRA2GRAY);
  luma.convertTo(luma, CV_32F);
  std::vector<float> inside, hidden_steps, outline;
  for (int y = 0; y < luma.rows; ++y)
    for (int x = 0; x + 1 < luma.cols; ++x) {
      const float step = std::abs(luma.at<float>(y, x + 1) - luma.at<float>(y, x));
      const bool a = shown.at<uchar>(y, x) != 0, b = shown.at<uchar>(y, x + 1) != 0;
      (a && b ? inside : !a && !b ? hidden_steps : outline).push_back(step);
    }
  auto top = [](std::vector<float> v, double q) {
    std::sort(v.begin(), v.end());
    return v[size_t(q * double(v.size() - 1))];
  };
  ASSERT_FALSE(outline.empty());
  // Measured: hidden steps 1 level at the 99th percentile; at the outline
  // 3 / 9 / 24 levels at the 50th / 90th / 99th, the photo's own 1 / 7 / 21
  // (black stored there: steps of a hundred levels all along it).
  EXPECT_LE(top(hidden_steps, 0.99), 2.0f);
  EXPECT_LE(top(outline, 0.9), top(inside, 0.9) + 3.0f);
  EXPECT_LE(top(outline, 0.99), 1.25f * top(inside, 0.99));
}

// A wide strip (a banner) and a thin one, 8- and 16-bit, hidden on their
// left 40 %: the fill continues the shown colour, never darker or lighter
// than it (the pyramid stopped when one side reached 1 px and filled the
// cells still empty with black); nothing shown: a flat black colour.
TEST(VisiblePartTest, AStripIsFilledWithItsOwnColour) {
  for (const cv::Size size : {cv::Size(1920, 100), cv::Size(1, 300), cv::Size(300, 2)}) {
    for (const int depth : {CV_8U, CV_16U}) {
      SCOPED_TRACE(std::to_string(size.width) + "x" + std::to_string(size.height) + (depth == CV_8U ? " 8-bit" : " 16-bit"));
      const double white = depth == CV_8U ? 255 : 65535;
      cv::Mat colour(size, CV_32FC3);
      cv::randu(colour, 0.4 * white, 0.6 * white);
      cv::Mat shown = cv::Mat::zeros(size, CV_8U);
      const bool across = size.width > size.height;
      shown(across ? cv::Rect(size.width * 2 / 5, 0, size.width - size.width * 2 / 5, size.height)
                   : cv::Rect(0, size.height * 2 / 5, size.width, size.height - size.height * 2 / 5))
          .setTo(255);
      cv::Mat stored = colour.clone();
      stored.setTo(cv::Scalar::all(0), shown == 0);
      cv::Mat alpha, bgra;
      shown.convertTo(alpha, CV_32F, white / 255.0);
      cv::merge(std::vector<cv::Mat>{stored, alpha}, bgra);
      bgra.convertTo(bgra, depth);
      const cv::Mat filled = FillUnderTransparency(bgra);
      cv::Mat filled_colour;
      cv::cvtColor(filled, filled_colour, cv::COLOR_BGRA2BGR);
      double lo = 0, hi = 0;
      cv::minMaxLoc(filled_colour.reshape(1), &lo, &hi);
      EXPECT_GE(lo, 0.4 * white - 1);
      EXPECT_LE(hi, 0.6 * white + 1);
      const cv::Mat none = bgra.clone();
      std::vector<cv::Mat> planes;
      cv::split(none, planes);
      planes[3].setTo(0);
      cv::Mat hidden_all;
      cv::merge(planes, hidden_all);
      const cv::Mat flat = FillUnderTransparency(hidden_all);
      cv::Mat flat_colour;
      cv::cvtColor(flat, flat_colour, cv::COLOR_BGRA2BGR);
      EXPECT_EQ(cv::countNonZero(flat_colour.reshape(1)), 0);
    }
  }
}

// Bug (#25, a newcomer's walk): a cut-out's readings came from the colour
// stored under its transparency. A photo blurred by 2 px, cut out, read
// blur 1.0–1.3 px with black or white stored there (the outline read as a
// crisp edge), no blur and noise σ 57 with leftovers, and 'mixed' content.
// Now every reading is the same whatever is stored, and near the opaque
// photo's.
TEST(VisiblePartTest, ACutOutReadsTheSameWhateverIsStoredUnderItsTransparency) {
  for (const char* name : {"astronaut", "chelsea"}) {
    SCOPED_TRACE(name);
    cv::Mat photo, noise(testing::LoadPhoto(name).size(), CV_16SC3);
    cv::GaussianBlur(testing::LoadPhoto(name), photo, cv::Size(), 2.0);
    cv::theRNG().state = 7;
    cv::randn(noise, 0, 3);
    cv::add(photo, noise, photo, cv::noArray(), CV_8UC3);
    const AnalysisReport opaque = Analyze(testing::WrapPixels(photo));
    ASSERT_TRUE(opaque.sharpness.blur_sigma_px && opaque.noise.sigma);
    const cv::Mat shown = Ellipse(photo.size());
    std::vector<AnalysisReport> reads;
    for (Under under : kEveryUnder) {
      SCOPED_TRACE(Name(under));
      reads.push_back(Analyze(testing::WrapPixels(CutOut(photo, shown, under))));
      const AnalysisReport& r = reads.back();
      ASSERT_TRUE(r.sharpness.blur_sigma_px && r.noise.sigma);
      EXPECT_NEAR(*r.sharpness.blur_sigma_px, *opaque.sharpness.blur_sigma_px, 0.25);
      EXPECT_NEAR(*r.noise.sigma, *opaque.noise.sigma, 0.1 * *opaque.noise.sigma);
      EXPECT_EQ(r.content.kind, ContentKind::kPhoto);
      EXPECT_EQ(r.resolution.native_scale, opaque.resolution.native_scale);
      EXPECT_EQ(r.resolution.upscale_kind, opaque.resolution.upscale_kind);
      EXPECT_FALSE(r.oversharpening.detected.value_or(false));
      EXPECT_FALSE(r.motion_blur.detected.value_or(false));
      EXPECT_EQ(r.sharpness.blur_sigma_px, reads.front().sharpness.blur_sigma_px);
      EXPECT_EQ(r.noise.sigma, reads.front().noise.sigma);
      EXPECT_EQ(r.oversharpening.halo_score, reads.front().oversharpening.halo_score);
      EXPECT_EQ(r.compression.blockiness, reads.front().compression.blockiness);
      EXPECT_EQ(r.resolution.native_scale, reads.front().resolution.native_scale);
    }
  }
}

// A logo on transparency (flat shapes and letters): drawn content, whatever
// is stored under it — leftovers of noise there read 'photo' before.
TEST(VisiblePartTest, ALogoOnTransparencyIsDrawnContentWhateverIsStoredUnderIt) {
  cv::Mat logo(400, 600, CV_8UC3, cv::Scalar::all(0)), shown = cv::Mat::zeros(400, 600, CV_8U);
  cv::rectangle(logo, cv::Rect(50, 50, 250, 150), cv::Scalar(48, 48, 208), cv::FILLED);
  cv::rectangle(shown, cv::Rect(50, 50, 250, 150), cv::Scalar(255), cv::FILLED);
  cv::circle(logo, cv::Point(420, 250), 90, cv::Scalar(192, 64, 32), cv::FILLED);
  cv::circle(shown, cv::Point(420, 250), 90, cv::Scalar(255), cv::FILLED);
  cv::putText(logo, "ACME", cv::Point(80, 150), cv::FONT_HERSHEY_SIMPLEX, 2.5, cv::Scalar(250, 250, 250), 6);
  for (Under under : kEveryUnder) {
    SCOPED_TRACE(Name(under));
    const AnalysisReport r = Analyze(testing::WrapPixels(CutOut(logo, shown, under)));
    EXPECT_EQ(r.content.kind, ContentKind::kSynthetic);
    EXPECT_FALSE(r.motion_blur.detected.value_or(false));
  }
}

}  // namespace
}  // namespace acuity

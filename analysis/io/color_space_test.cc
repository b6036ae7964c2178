#include "analysis/io/color_space.h"

#include <cstdlib>

#include <gtest/gtest.h>
#include <lcms2.h>

namespace acuity {
namespace {

// Adobe RGB (1998)'s primaries and white with a 2.2 gamma, serialised.
std::vector<uint8_t> AdobeRgbLikeProfile() {
  cmsCIExyY white{0.3127, 0.3290, 1.0};
  cmsCIExyYTRIPLE primaries{{0.64, 0.33, 1.0}, {0.21, 0.71, 1.0}, {0.15, 0.06, 1.0}};
  cmsToneCurve* gamma = cmsBuildGamma(nullptr, 2.2);
  cmsToneCurve* curves[3] = {gamma, gamma, gamma};
  cmsHPROFILE p = cmsCreateRGBProfile(&white, &primaries, curves);
  cmsFreeToneCurve(gamma);
  cmsUInt32Number size = 0;
  cmsSaveProfileToMem(p, nullptr, &size);
  std::vector<uint8_t> bytes(size);
  cmsSaveProfileToMem(p, bytes.data(), &size);
  cmsCloseProfile(p);
  return bytes;
}

// What is known of Adobe RGB against sRGB: the same white (greys stay
// grey), and a wider green primary: a green in Adobe RGB needs less red and
// blue in sRGB to be as saturated.
TEST(ColorSpaceTest, AdobeRgbToSrgb) {
  cv::Mat pixels(2, 1, CV_8UC3);
  pixels.at<cv::Vec3b>(0) = {128, 128, 128};  // BGR grey
  pixels.at<cv::Vec3b>(1) = {100, 160, 100};  // a muted green
  absl::StatusOr<cv::Mat> srgb = ConvertToSrgb(pixels, AdobeRgbLikeProfile());
  ASSERT_TRUE(srgb.ok()) << srgb.status();
  const cv::Vec3b grey = srgb->at<cv::Vec3b>(0), green = srgb->at<cv::Vec3b>(1);
  EXPECT_LE(std::abs(grey[0] - grey[2]), 1);
  EXPECT_LE(std::abs(grey[1] - grey[2]), 1);
  EXPECT_LT(green[2], 100);  // red
  EXPECT_LT(green[0], 100);  // blue
  EXPECT_GT(green[1], 140);  // green
  // 16-bit and BGRA keep their layout; alpha is copied.
  cv::Mat wide;
  pixels.convertTo(wide, CV_16U, 257);
  absl::StatusOr<cv::Mat> srgb16 = ConvertToSrgb(wide, AdobeRgbLikeProfile());
  ASSERT_TRUE(srgb16.ok());
  EXPECT_EQ(srgb16->type(), CV_16UC3);
  EXPECT_NEAR(srgb16->at<cv::Vec3w>(1)[2] / 257.0, green[2], 1.5);
}

TEST(ColorSpaceTest, SrgbFilesAndBadProfiles) {
  ImageInfo none;
  EXPECT_TRUE(IsSrgb(none));
  ImageInfo adobe;
  adobe.has_icc = true;
  adobe.icc_description = "Adobe RGB (1998)";
  EXPECT_FALSE(IsSrgb(adobe));
  ImageInfo srgb = adobe;
  srgb.icc_description = "sRGB IEC61966-2.1";
  EXPECT_TRUE(IsSrgb(srgb));
  EXPECT_FALSE(SrgbIccProfile().empty());
  const std::vector<uint8_t> junk = {1, 2, 3};
  absl::StatusOr<cv::Mat> bad = ConvertToSrgb(cv::Mat(2, 2, CV_8UC3, cv::Scalar::all(9)), junk);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace acuity

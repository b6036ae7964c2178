// Print-prepared JPEGs for the tests: CMYK ink written as Photoshop writes
// it (an Adobe marker, ink inverted: 255 = none), optionally with a CMYK ICC
// profile — and such a profile, made here with a known mapping, since
// Debian ships no CMYK profile; and a wide-gamut RGB profile.
//
//   std::string file = acuity::testing::CmykJpeg(ink, 90, acuity::testing::LightCmykProfile());
//   cv::Vec3b expected = acuity::testing::LightCmykToBgr({128, 0, 0, 0});  // what the profile says
#ifndef ACUITY_TESTS_TESTING_CMYK_JPEG_H_
#define ACUITY_TESTS_TESTING_CMYK_JPEG_H_

#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace acuity::testing {

// `ink`: CV_8UC4, C M Y K, 0 = no ink, 255 = full. A baseline JPEG of
// IJG quality `quality` in libjpeg's CMYK layout (every component on
// quantization slot 0), with `icc` embedded when non-empty.
std::string CmykJpeg(const cv::Mat& ink, int quality, const std::vector<uint8_t>& icc = {});

// A CMYK output profile ("acuity test CMYK (light)") whose colours are
// lighter than 255 − ink: each sRGB channel is 255 · ((1 − ink) (1 − K))^0.6
// (inks 0–1), so a decoder that used it is told from one that did not.
std::vector<uint8_t> LightCmykProfile();

// An RGB profile with Adobe RGB (1998)'s primaries and white and a 2.2
// gamma, serialised: a wide-gamut photo's colours for the tests.
std::vector<uint8_t> AdobeRgbLikeProfile();

// A gray profile of D50 white and a tone curve of gamma `gamma` (1.8: a
// print's; far from sRGB's 2.2-like curve), serialised.
std::vector<uint8_t> GammaGrayProfile(double gamma);

// What LightCmykProfile says `ink` (C, M, Y, K, 0–255) looks like, 8-bit BGR.
cv::Vec3b LightCmykToBgr(const cv::Vec4b& ink);

}  // namespace acuity::testing

#endif  // ACUITY_TESTS_TESTING_CMYK_JPEG_H_

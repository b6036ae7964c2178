// An acuity::Image around bare pixels, as a decoder would have returned them:
// the measurement, advice and QA entry points take an Image, while tests and
// evaluation tools build their inputs as cv::Mat. OpenCV only (no
// GoogleTest), so that the evaluation tools (datasets/) link it too.
//
//   const acuity::Image input = acuity::testing::WrapPixels(photo);
//   absl::StatusOr<acuity::QaReport> r = acuity::RunQa(input, WrapPixels(out), nullptr, thresholds);
#ifndef ACUITY_TESTS_TESTING_WRAP_IMAGE_H_
#define ACUITY_TESTS_TESTING_WRAP_IMAGE_H_

#include <opencv2/core.hpp>

#include "analysis/io/image.h"

namespace acuity::testing {

// `pixels` (shared, not copied: 8- or 16-bit, 1, 3 or 4 channels) with the
// info a decoder would fill from them: width, height, channels, bit depth
// (8 or 16) and alpha; no path, format or metadata.
Image WrapPixels(const cv::Mat& pixels);

}  // namespace acuity::testing

#endif  // ACUITY_TESTS_TESTING_WRAP_IMAGE_H_

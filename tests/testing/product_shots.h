// Generated product shots for the marketplace tests: a real object (a crop
// of a photo from scikit-image's data, with rounded corners) centred on a
// plain background, filling a chosen share of the frame.
//
//   cv::Mat shot = acuity::testing::ProductShot({500, 500}, /*fill=*/0.9, cv::Scalar::all(255));
//   // the object spans 90 % of the frame's width and less of its height, on pure white
#ifndef ACUITY_TESTS_TESTING_PRODUCT_SHOTS_H_
#define ACUITY_TESTS_TESTING_PRODUCT_SHOTS_H_

#include <opencv2/core.hpp>

namespace acuity::testing {

// 8-bit BGR `canvas` on `background`; the object spans `fill` (0–1) of the
// canvas along its longer side (width for a landscape object), 3:2.
cv::Mat ProductShot(cv::Size canvas, double fill, cv::Scalar background);

}  // namespace acuity::testing

#endif  // ACUITY_TESTS_TESTING_PRODUCT_SHOTS_H_

// Text with a known size for the tests and the calibration of text
// measurements (analysis/measurements/text_layout.h): drawn with Debian's
// DejaVu Sans (fonts-dejavu-core) through OpenCV's freetype module, the
// x-height measured on the drawn "x" (rows at least half inked), not assumed.
//
//   cv::Mat page(200, 800, CV_8UC3, cv::Scalar::all(255));
//   acuity::testing::DrawnText t = acuity::testing::DrawText(page, "The quick brown fox", {20, 40}, 8.0);
//   // t.image holds the line; t.box its ink; t.x_height_px the "x" as drawn
#ifndef ACUITY_TESTS_TESTING_RENDERED_TEXT_H_
#define ACUITY_TESTS_TESTING_RENDERED_TEXT_H_

#include <string>

#include <opencv2/core.hpp>

namespace acuity::testing {

// DejaVu Sans's file; "" when fonts-dejavu-core is not installed.
std::string DejaVuSansPath();

struct DrawnText {
  cv::Mat image;             // the background with the text drawn on it
  cv::Rect box;              // the line's ink, px
  double x_height_px = 0;    // of the drawn "x", px (0 when no font)
  std::string text;
};

// Draws `text` on a copy of `background` (8-bit BGR) with its top-left
// corner at `at`, sized so that a lowercase "x" is about `x_height_px` tall,
// in `color` (dark on light backgrounds: black). Empty image when the font
// is missing.
DrawnText DrawText(const cv::Mat& background, const std::string& text, cv::Point at, double x_height_px,
                   cv::Scalar color = cv::Scalar::all(0));

}  // namespace acuity::testing

#endif  // ACUITY_TESTS_TESTING_RENDERED_TEXT_H_

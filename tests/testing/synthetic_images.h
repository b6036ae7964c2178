// Synthetic test inputs drawn with OpenCV: UI screenshots (title bar, flat
// panels, 11-px anti-aliased text, buttons, 1-px rules; few colours) and a
// chart, deterministic for a given seed. For the tests of content kind and of
// every reading that must treat graphics as graphics (noise, native scale,
// QA, encode).
//
//   cv::Mat ui = acuity::testing::UiScreenshot(acuity::testing::UiStyle::kLight, 1);  // 8-bit BGR
//   cv::Mat chart = acuity::testing::BarChart(3);
#ifndef ACUITY_TESTS_TESTING_SYNTHETIC_IMAGES_H_
#define ACUITY_TESTS_TESTING_SYNTHETIC_IMAGES_H_

#include <cstdint>

#include <opencv2/core.hpp>

namespace acuity::testing {

enum class UiStyle {
  kLight,  // dark title bar, light panels, Hershey Simplex text, 15-px lines
  kDark,   // dark theme, sidebar, Hershey Plain/Duplex text, 18-px lines
};

// An 800×600 screenshot of an application window in `style`; `seed` picks
// the words.
cv::Mat UiScreenshot(UiStyle style, uint64_t seed);

// A 640×480 bar chart with axes, grid lines, tick labels and a legend.
cv::Mat BarChart(uint64_t seed);

}  // namespace acuity::testing

#endif  // ACUITY_TESTS_TESTING_SYNTHETIC_IMAGES_H_

#include "report/catalogue_report.h"

#include <gtest/gtest.h>

namespace acuity::report {
namespace {

// A 300×200 input padded to a 600×600 square (QA: the input's whole frame
// lies at (0, 100) 600×400 of the output): the centre crop of the part
// that shows the input, and the input's matching square at half the size.
// Before, the input was stretched over the whole output: the "before" crop
// was 100×67 input px shown as a square, the picture squashed.
TEST(CorrespondingCropsTest, APaddedResultCropsTheSameContentAtItsAspect) {
  const auto [in, out] =
      CorrespondingCrops({300, 200}, {600, 600}, cv::Rect(0, 0, 300, 200), cv::Rect(0, 100, 600, 400), 200);
  EXPECT_EQ(out, cv::Rect(200, 200, 200, 200));
  EXPECT_EQ(in, cv::Rect(100, 50, 100, 100));
}

// A result cropped from the input's middle third (input px 100–200 of 300)
// and enlarged 3×: the crop of the output maps into that third.
TEST(CorrespondingCropsTest, ACroppedResultMapsIntoTheKeptPart) {
  const auto [in, out] =
      CorrespondingCrops({300, 100}, {300, 300}, cv::Rect(100, 0, 100, 100), cv::Rect(0, 0, 300, 300), 90);
  EXPECT_EQ(out, cv::Rect(105, 105, 90, 90));
  EXPECT_EQ(in, cv::Rect(135, 35, 30, 30));
}

// Without QA's regions (or with regions outside the images) the whole
// frames correspond, as for a plain enlargement; a crop never exceeds the
// output.
TEST(CorrespondingCropsTest, WithoutRegionsTheFramesCorrespond) {
  const auto [in, out] = CorrespondingCrops({100, 100}, {400, 400}, std::nullopt, std::nullopt, 96);
  EXPECT_EQ(out, cv::Rect(152, 152, 96, 96));
  EXPECT_EQ(in, cv::Rect(38, 38, 24, 24));
  const auto [in2, out2] =
      CorrespondingCrops({100, 100}, {400, 400}, cv::Rect(0, 0, 500, 100), cv::Rect(0, 0, 400, 400), 96);
  EXPECT_EQ(in2, in);
  EXPECT_EQ(out2, out);
  const auto [in3, out3] = CorrespondingCrops({100, 100}, {50, 40}, std::nullopt, std::nullopt, 96);
  EXPECT_EQ(out3, cv::Rect(5, 0, 40, 40));
  EXPECT_EQ(CorrespondingCrops({0, 0}, {10, 10}, std::nullopt, std::nullopt, 8).first, cv::Rect());
}

}  // namespace
}  // namespace acuity::report

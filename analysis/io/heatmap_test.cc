#include "analysis/io/heatmap.h"

#include <filesystem>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "analysis/io/atomic_file.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

TEST(HeatmapTest, HotterValuesAreBrighterAndNanIsGrey) {
  MeasurementMap map{"blur", "px", cv::Mat(2, 2, CV_32F), 4.0};
  map.values.at<float>(0, 0) = 0.0f;
  map.values.at<float>(0, 1) = 2.0f;
  map.values.at<float>(1, 0) = 4.0f;
  map.values.at<float>(1, 1) = std::nanf("");
  cv::Mat bgr = RenderHeatmap(map, cv::Size(20, 20));
  ASSERT_EQ(bgr.size(), cv::Size(20, 20));
  auto brightness = [&](int x, int y) { return cv::sum(bgr.at<cv::Vec3b>(y, x))[0]; };
  EXPECT_LT(brightness(2, 2), brightness(15, 2));
  EXPECT_LT(brightness(15, 2), brightness(2, 15));
  EXPECT_EQ(bgr.at<cv::Vec3b>(15, 15), cv::Vec3b(128, 128, 128));
}

TEST(AtomicFileTest, WritesWholeFileAndLeavesNoTemporary) {
  testing::ScratchDir dir;
  const std::string path = dir.Path("out.bin");
  ASSERT_TRUE(WriteFileAtomically(path, "first").ok());
  ASSERT_TRUE(WriteFileAtomically(path, "second version").ok());
  EXPECT_EQ(testing::ReadBytes(path), "second version");
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) ++files, (void)entry;
  EXPECT_EQ(files, 1);
  EXPECT_FALSE(WriteFileAtomically(dir.Path("no/such/dir/x"), "x").ok());
  EXPECT_TRUE(SameFile(path, dir.path() + "/./out.bin"));
  EXPECT_FALSE(SameFile(path, dir.Path("other")));
}

}  // namespace
}  // namespace acuity

#include "analysis/io/heatmap.h"

#include <filesystem>
#include <vector>

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

TEST(HeatmapTest, WriteHeatmapsNamesEachFileAfterStemAndMap) {
  testing::ScratchDir dir;
  const std::vector<MeasurementMap> maps = {{"blur", "px", cv::Mat(4, 4, CV_32F, cv::Scalar(1)), 0},
                                            {"noise", "8-bit", cv::Mat(2, 2, CV_32F, cv::Scalar(3)), 0}};
  const std::vector<WrittenHeatmap> written = WriteHeatmaps(maps, cv::Size(16, 12), dir.path(), "photo");
  ASSERT_EQ(written.size(), 2u);
  EXPECT_EQ(written[0].path, dir.Path("photo.blur.png"));
  EXPECT_EQ(written[1].path, dir.Path("photo.noise.png"));
  for (const WrittenHeatmap& w : written) {
    ASSERT_TRUE(w.status.ok()) << w.status;
    const cv::Mat png = cv::imread(w.path, cv::IMREAD_UNCHANGED);
    EXPECT_EQ(png.size(), cv::Size(16, 12));
    EXPECT_EQ(png.type(), CV_8UC3);
  }
  // A directory that does not exist: each map fails on its own, with its path.
  const std::vector<WrittenHeatmap> failed = WriteHeatmaps(maps, cv::Size(16, 12), dir.Path("missing"), "photo");
  ASSERT_EQ(failed.size(), 2u);
  EXPECT_FALSE(failed[0].status.ok());
  EXPECT_FALSE(failed[1].status.ok());
  EXPECT_EQ(failed[1].path, dir.Path("missing") + "/photo.noise.png");
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

#include "viewer/session.h"

#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "tests/testing/test_images.h"
#include "viewer/jobs.h"

namespace acuity::viewer {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

TEST(JobRunnerTest, ResultsRunOnThePollingThread) {
  JobRunner jobs;
  const std::thread::id ui = std::this_thread::get_id();
  std::thread::id worker, finished_on;
  int value = 0;
  jobs.Start("square", [&] {
    worker = std::this_thread::get_id();
    const int result = 7 * 7;
    return [&, result] {
      finished_on = std::this_thread::get_id();
      value = result;
    };
  });
  EXPECT_EQ(jobs.Pending(), 1);
  jobs.WaitAll();
  EXPECT_EQ(value, 49);
  EXPECT_NE(worker, ui);
  EXPECT_EQ(finished_on, ui);
  EXPECT_EQ(jobs.Pending(), 0);
}

TEST(JobRunnerTest, AFinishedJobMayStartAnother) {
  int wakes = 0;
  JobRunner jobs([&] { ++wakes; });
  std::vector<int> order;
  jobs.Start("first", [&] {
    return [&] {
      order.push_back(1);
      jobs.Start("second", [&] { return [&] { order.push_back(2); }; });
    };
  });
  jobs.WaitAll();
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
  EXPECT_GE(wakes, 2);  // each finished job wakes the UI
}

class SessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const cv::Mat photo = testing::LoadPhoto("coffee");
    ASSERT_FALSE(photo.empty());
    cv::imwrite(dir_.Path("a.png"), photo);
    cv::Mat big;
    cv::resize(photo, big, cv::Size(), 2, 2, cv::INTER_LANCZOS4);
    cv::imwrite(dir_.Path("b.png"), big);
  }
  testing::ScratchDir dir_;
};

TEST_F(SessionTest, OpeningAPairMeasuresBothAndChecksB) {
  Session session;
  ASSERT_TRUE(session.Open(dir_.Path("a.png"), dir_.Path("b.png")).ok());
  EXPECT_EQ(session.view().mode, CompareMode::kSplit);  // two images: split by default
  session.WaitForJobs();
  ASSERT_NE(session.a().image, nullptr);
  ASSERT_NE(session.b().analysis, nullptr);
  EXPECT_DOUBLE_EQ(session.Grid().width, 1200);  // B's grid
  EXPECT_FALSE(session.a().verdicts.empty());
  EXPECT_TRUE(session.a().histogram.valid);
  ASSERT_TRUE(session.qa().has_value());
  const std::vector<std::string> names = session.OverlayNames();
  EXPECT_THAT(names, Contains("blur"));
  EXPECT_THAT(names, Contains("qa_halo"));
  EXPECT_TRUE(session.SetOverlay("qa_halo", 0.4).ok());
  EXPECT_NE(session.OverlayMap("qa_halo", 0), nullptr);
  EXPECT_EQ(session.SetOverlay("sparkle", std::nullopt).code(), absl::StatusCode::kInvalidArgument);
  // The difference view is computed on B's grid.
  ASSERT_TRUE(session.SetMode(CompareMode::kDiff).ok());
  session.WaitForJobs();
  ASSERT_NE(session.diff(), nullptr);
  EXPECT_EQ(session.diff()->full.size(), cv::Size(1200, 800));
}

// The advised plan is priced for the device the enhancement runs on
// (AnalysisReport::upscale_device): a new device advises again, as a new
// target does; the same device again does not.
TEST_F(SessionTest, ANewDeviceAdvisesThePlanAgain) {
  Session session;
  ASSERT_TRUE(session.Open(dir_.Path("a.png"), "").ok());
  session.WaitForJobs();
  ASSERT_TRUE(session.SetTarget("2400px").ok());
  session.WaitForJobs();
  ASSERT_NE(session.a().analysis, nullptr);
  const int serial = session.a().analysis_serial;
  ASSERT_TRUE(session.SetDevice("cpu").ok());
  // Until it is advised again, `enhance auto` waits rather than run the
  // plan priced for the device before.
  EXPECT_EQ(session.Enhance("auto").code(), absl::StatusCode::kFailedPrecondition);
  session.WaitForJobs();
  EXPECT_EQ(session.a().analysis_serial, serial + 1);
  ASSERT_NE(session.a().analysis, nullptr);
  EXPECT_EQ(session.a().analysis->upscale_device, SrDeviceKind::kCpu);
  EXPECT_FALSE(session.a().plan.steps.empty());
  ASSERT_TRUE(session.SetDevice("cpu").ok());
  session.WaitForJobs();
  EXPECT_EQ(session.a().analysis_serial, serial + 1);
  EXPECT_FALSE(session.SetDevice("gpu").ok());
}

// The faces found are an overlay ("content": boxes, docs/content.md) once
// the analysis found one; a photo without a face or text has none.
TEST_F(SessionTest, FacesFoundAreAnOverlay) {
  cv::imwrite(dir_.Path("astronaut.png"), testing::LoadPhoto("astronaut"));
  Session session;
  ASSERT_TRUE(session.Open(dir_.Path("astronaut.png")).ok());
  session.WaitForJobs();
  ASSERT_NE(session.a().analysis, nullptr);
  ASSERT_TRUE(session.a().analysis->faces.faces);
  EXPECT_EQ(session.a().analysis->faces.faces->size(), 1u);
  EXPECT_THAT(session.OverlayNames(), Contains(kContentOverlay));
  EXPECT_TRUE(session.SetOverlay(kContentOverlay, std::nullopt).ok());
}

// A face of the content overlay is focused (a click on its box, or
// `focus 1`): 100 % on its centre, in split view once B is open, with the
// overlay shown; there is no second region to focus.
TEST_F(SessionTest, AClickedFaceIsFocused) {
  const cv::Mat photo = testing::LoadPhoto("astronaut");
  cv::Mat twice;
  cv::resize(photo, twice, photo.size() * 2, 0, 0, cv::INTER_CUBIC);
  cv::imwrite(dir_.Path("astronaut.png"), photo);
  cv::imwrite(dir_.Path("astronaut-2x.png"), twice);
  Session session;
  ASSERT_TRUE(session.Open(dir_.Path("astronaut.png")).ok());
  EXPECT_EQ(session.FocusContent(1).code(), absl::StatusCode::kFailedPrecondition);  // not analysed yet
  session.WaitForJobs();
  session.Poll();
  ASSERT_NE(session.a().analysis, nullptr);
  ASSERT_TRUE(session.a().analysis->faces.faces);
  ASSERT_EQ(session.a().analysis->faces.faces->size(), 1u);
  const Face face = session.a().analysis->faces.faces->front();
  const Vec2 centre{face.x + face.width_px / 2.0, face.y + face.height_px / 2.0};
  EXPECT_EQ(session.ContentRegionUnder(0, centre), 1);
  EXPECT_EQ(session.ContentRegionUnder(0, {2.0, 2.0}), std::nullopt);
  ASSERT_TRUE(session.FocusContent(1).ok());
  EXPECT_EQ(session.view().zoom, 1.0);
  EXPECT_EQ(session.view().center.x, centre.x);
  EXPECT_EQ(session.view().center.y, centre.y);
  EXPECT_EQ(session.view().overlay, kContentOverlay);
  EXPECT_EQ(session.view().mode, CompareMode::kA);  // no B
  EXPECT_EQ(session.FocusContent(2).code(), absl::StatusCode::kOutOfRange);

  // With B (the input enlarged 2×) the grid is B's: the face's centre lies
  // at twice its input coordinates, and the view is split on it.
  ASSERT_TRUE(session.Open(dir_.Path("astronaut.png"), dir_.Path("astronaut-2x.png")).ok());
  session.WaitForJobs();
  session.Poll();
  ASSERT_NE(session.a().analysis, nullptr);
  EXPECT_EQ(session.ContentRegionUnder(0, {centre.x * 2, centre.y * 2}), 1);
  ASSERT_TRUE(session.FocusContent(1).ok());
  EXPECT_EQ(session.view().zoom, 1.0);
  EXPECT_EQ(session.view().center.x, centre.x * 2);
  EXPECT_EQ(session.view().center.y, centre.y * 2);
  EXPECT_EQ(session.view().mode, CompareMode::kSplit);
  EXPECT_EQ(session.view().split_fraction, 0.5);
}

TEST_F(SessionTest, EnhanceMakesBAndSaveWritesIt) {
  Session session;
  ASSERT_TRUE(session.Open(dir_.Path("a.png")).ok());
  session.WaitForJobs();
  EXPECT_EQ(session.Enhance("sharpen:9x").code(), absl::StatusCode::kInvalidArgument);  // the steps grammar
  ASSERT_TRUE(session.Enhance("sharpen:0.5,downscale:0.5").ok());
  EXPECT_EQ(session.Enhance("sharpen").code(), absl::StatusCode::kFailedPrecondition);  // one at a time
  session.WaitForJobs();
  ASSERT_TRUE(session.has_result());
  ASSERT_NE(session.b().image, nullptr);
  EXPECT_EQ(session.b().image->pixels.size(), cv::Size(300, 200));
  EXPECT_THAT(session.enhance_status().last_outcome, HasSubstr("done"));
  EXPECT_EQ(session.Save(dir_.Path("a.png")).code(), absl::StatusCode::kFailedPrecondition);  // never the input
  ASSERT_TRUE(session.Save(dir_.Path("out.png")).ok());
  session.WaitForJobs();
  EXPECT_TRUE(session.TakeJobErrors().empty());
  const cv::Mat saved = cv::imread(dir_.Path("out.png"));
  ASSERT_FALSE(saved.empty());
  EXPECT_EQ(cv::norm(saved, session.b().image->pixels, cv::NORM_INF), 0);
}

// Issue #25: after an enhancement of a quality-40 JPEG, B is measured from
// its own pixels (never with A's JPEG tables), and once saved as a JPEG of
// quality 80, from that file with its own tables.
TEST_F(SessionTest, BIsMeasuredFromItsOwnFile) {
  const cv::Mat photo = testing::LoadPhoto("coffee");
  ASSERT_TRUE(cv::imwrite(dir_.Path("q40.jpg"), photo, {cv::IMWRITE_JPEG_QUALITY, 40}));
  Session session;
  ASSERT_TRUE(session.Open(dir_.Path("q40.jpg")).ok());
  session.WaitForJobs();
  ASSERT_NE(session.a().analysis, nullptr);
  ASSERT_EQ(session.a().analysis->compression.quality_source, "quant_tables");
  EXPECT_NEAR(session.a().analysis->compression.jpeg_quality_estimate.value_or(0), 40, 1);
  ASSERT_TRUE(session.Enhance("sharpen:0.3,encode:jpeg:80").ok());
  session.WaitForJobs();
  ASSERT_NE(session.b().analysis, nullptr);
  EXPECT_FALSE(session.b().image->info.jpeg.has_value());  // not A's tables
  EXPECT_NE(session.b().analysis->compression.quality_source, "quant_tables");
  ASSERT_TRUE(session.Save(dir_.Path("out.jpg")).ok());
  session.WaitForJobs();
  EXPECT_TRUE(session.TakeJobErrors().empty());
  EXPECT_EQ(session.b().path, dir_.Path("out.jpg"));
  ASSERT_NE(session.b().analysis, nullptr);
  ASSERT_TRUE(session.b().image->info.jpeg.has_value());  // the saved file's own tables
  // Its tables say q80, the last save; its pixels still hold the q40 blocks
  // that a light sharpen kept (compression.h last_saved_quality), and say so.
  const CompressionResult& c = session.b().analysis->compression;
  EXPECT_EQ(c.last_saved_quality.value_or(c.jpeg_quality_estimate.value_or(0)), 80);
  EXPECT_LT(c.jpeg_quality_estimate.value_or(100), 65);
  for (const PlainVerdict& v : session.b().verdicts)
    if (v.key == "compression") {
      EXPECT_THAT(v.value, HasSubstr("80"));
    }
}

}  // namespace
}  // namespace acuity::viewer

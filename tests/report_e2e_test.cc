// End-to-end test of `acuity report`: makes a report for a real photo and a
// degraded copy, checks that it is self-contained, then opens it in headless
// Chromium, takes a screenshot and checks that it rendered.
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <regex>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "tests/testing/test_images.h"

namespace acuity {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

int Shell(const std::string& cmd) {
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cv::Mat photo = testing::LoadPhoto("chelsea");
    cv::Mat noisy(photo.size(), CV_8UC3);
    cv::randn(noisy, cv::Scalar::all(0), cv::Scalar::all(12));
    cv::Mat degraded;
    cv::GaussianBlur(photo, degraded, cv::Size(0, 0), 1.5);
    cv::add(degraded, noisy, degraded, cv::noArray(), CV_8UC3);  // clipped like a real file
    ASSERT_TRUE(cv::imwrite(dir_.Path("cat.png"), photo));
    ASSERT_TRUE(cv::imwrite(dir_.Path("cat-soft-noisy.jpg"), degraded, {cv::IMWRITE_JPEG_QUALITY, 60}));
    const std::string cmd = std::string("'") + ACUITY_BINARY + "' report --target 8x10in -o '" + dir_.Path("r.html") +
                            "' '" + dir_.Path("cat.png") + "' '" + dir_.Path("cat-soft-noisy.jpg") + "' '" +
                            dir_.Path("missing.jpg") + "' 2>'" + dir_.Path("err.txt") + "'";
    exit_code_ = Shell(cmd);
    html_ = testing::ReadBytes(dir_.Path("r.html"));
  }
  testing::ScratchDir dir_;
  int exit_code_ = -1;
  std::string html_;
};

TEST_F(ReportTest, IsSelfContainedAndComplete) {
  EXPECT_EQ(exit_code_, 3);  // missing.jpg could not be read, the others are in the report
  EXPECT_THAT(testing::ReadBytes(dir_.Path("err.txt")), HasSubstr("missing.jpg: no such file"));
  ASSERT_FALSE(html_.empty());
  EXPECT_THAT(html_, HasSubstr("cat-soft-noisy.jpg"));
  EXPECT_THAT(html_, HasSubstr("Could not be read"));
  EXPECT_THAT(html_, HasSubstr("<svg"));
  EXPECT_THAT(html_, HasSubstr("data:image/jpeg;base64,"));
  EXPECT_THAT(html_, HasSubstr("data-map=\"noise\""));
  EXPECT_THAT(html_, HasSubstr("What to do"));
  // No external resource: every src/href is a data: URI.
  std::regex external(R"((src|href)\s*=\s*"(?!data:)[^"]*")");
  EXPECT_FALSE(std::regex_search(html_, external)) << "the report refers to an external resource";
  EXPECT_THAT(html_, Not(HasSubstr("http://")));
  EXPECT_THAT(html_, Not(HasSubstr("https://")));
}

TEST_F(ReportTest, RendersInHeadlessChromium) {
  if (Shell("command -v chromium >/dev/null") != 0) GTEST_FAIL() << "chromium is not installed (./setup.sh installs it)";
  const std::string shot = dir_.Path("shot.png");
  const std::string cmd =
      "timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
      "--disable-background-networking --disable-component-update --disable-sync --hide-scrollbars "
      "--user-data-dir='" + dir_.Path("profile") + "' --window-size=1280,1600 --screenshot='" + shot + "' 'file://" +
      dir_.Path("r.html") + "' >'" + dir_.Path("chromium.log") + "' 2>&1";
  ASSERT_EQ(Shell(cmd), 0) << testing::ReadBytes(dir_.Path("chromium.log"));
  cv::Mat png = cv::imread(shot, cv::IMREAD_COLOR);
  ASSERT_FALSE(png.empty()) << "no screenshot";
  EXPECT_EQ(png.cols, 1280);
  EXPECT_EQ(png.rows, 1600);
  // Rendered, not blank: many distinct colours and a dark header band at the top.
  cv::Mat gray;
  cv::cvtColor(png, gray, cv::COLOR_BGR2GRAY);
  cv::Scalar mean, stddev;
  cv::meanStdDev(gray, mean, stddev);
  EXPECT_GT(stddev[0], 20.0) << "screenshot looks blank";
  EXPECT_LT(cv::mean(gray(cv::Rect(0, 0, 1280, 40)))[0], 80.0) << "header band missing";
  // Copy it next to the build for a person to look at.
  std::filesystem::copy_file(shot, std::string(ACUITY_BUILD_DIR) + "/report_screenshot.png",
                             std::filesystem::copy_options::overwrite_existing);
}

}  // namespace
}  // namespace acuity

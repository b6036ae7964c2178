// End-to-end test of the viewer's triage of a batch (`acuity-viewer DIR`,
// issue #24), run under Xvfb: a real `acuity batch` folder opened by a
// script that sorts, moves, accepts, rejects, filters and opens an item;
// the decisions file, the screenshots' pixels (a magenta input's thumbnail
// shows where it is listed and nowhere else; the opened item fills the
// canvas) and a second session that resumes the review are checked.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "tests/testing/run_program.h"
#include "tests/testing/test_images.h"

namespace {

using ::acuity::testing::RunProgram;
using ::acuity::testing::RunResult;
using ::acuity::testing::ScratchDir;
using ::testing::HasSubstr;

// Pixels of the magenta input as drawn: blue and red high, green low. The
// viewer's own colours (ImGui's dark theme) have none.
int MagentaPixels(const cv::Mat& bgr) {
  int n = 0;
  for (int y = 0; y < bgr.rows; ++y) {
    const cv::Vec3b* p = bgr.ptr<cv::Vec3b>(y);
    for (int x = 0; x < bgr.cols; ++x) n += p[x][0] > 150 && p[x][2] > 150 && p[x][1] < 90;
  }
  return n;
}

class ViewerTriageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Three inputs whose names sort blurry < grey < magenta.
    const cv::Mat coffee = acuity::testing::LoadPhoto("coffee");
    const cv::Mat camera = acuity::testing::LoadPhoto("camera");
    ASSERT_FALSE(coffee.empty());
    ASSERT_FALSE(camera.empty());
    std::filesystem::create_directories(dir_.Path("in"));
    cv::Mat luma, magenta, blurry;
    cv::cvtColor(coffee, luma, cv::COLOR_BGR2GRAY);
    cv::Mat channels[3] = {luma * 0.5 + 127, luma * 0.2, luma * 0.5 + 127};  // B, G, R
    cv::merge(channels, 3, magenta);
    cv::GaussianBlur(camera, blurry, cv::Size(), 4.0);
    cv::imwrite(dir_.Path("in/magenta.png"), magenta);
    cv::imwrite(dir_.Path("in/grey.png"), camera);
    cv::imwrite(dir_.Path("in/blurry.jpg"), blurry, {cv::IMWRITE_JPEG_QUALITY, 90});
    // Run from the scratch folder with relative paths, as a user does: the
    // records name "in/…", which the viewer (run from elsewhere) finds beside out/.
    const RunResult batch =
        RunProgram(ACUITY_BINARY, dir_.path(),
                   {"batch", "--out", "out", "--do", "advise", "--target", "600px", "in"},
                   "cd " + acuity::testing::ShellQuote(dir_.path()) + " && ");
    ASSERT_EQ(batch.exit_code, 0) << batch.err;
  }

  RunResult RunScript(const std::string& name, const std::vector<std::string>& lines) {
    std::string text;
    for (const std::string& l : lines) text += l + "\n";
    acuity::testing::WriteBytes(dir_.Path(name), text);
    return RunProgram(VIEWER_BINARY, dir_.path(),
                      {"--size", "1280x800", "--script", dir_.Path(name)});
  }

  cv::Mat Shot(const std::string& name) {
    cv::Mat m = cv::imread(dir_.Path(name), cv::IMREAD_COLOR);
    EXPECT_EQ(m.size(), cv::Size(1280, 800)) << name;
    return m;
  }

  ScratchDir dir_;
};

TEST_F(ViewerTriageTest, ReviewIsWrittenShownAndResumed) {
  const std::string out = dir_.Path("out");
  const RunResult first = RunScript(
      "review.txt", {"open " + out, "sort path", "wait 20", "screenshot " + dir_.Path("all.png"),
                     "select 3", "accept", "prev", "reject", "filter rejected", "wait 20",
                     "screenshot " + dir_.Path("rejected.png"), "filter accepted", "open-item",
                     "wait 60", "screenshot " + dir_.Path("item.png"), "quit"});
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  EXPECT_THAT(first.out, HasSubstr("3 inputs, 3 listed; 0 accepted, 0 rejected so far"));

  // The decisions, in the order made, one JSON object a line.
  std::ifstream in(std::filesystem::path(out) / "decisions.jsonl");
  std::vector<nlohmann::json> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["path"], "magenta.png");
  EXPECT_EQ(lines[0]["decision"], "accepted");
  EXPECT_EQ(lines[1]["path"], "grey.png");
  EXPECT_EQ(lines[1]["decision"], "rejected");

  // The magenta input's thumbnail (64 px long edge: about 2700 px) is drawn
  // while it is listed, and not once the filter leaves it out; opened, it
  // fills the canvas.
  const int listed = MagentaPixels(Shot("all.png"));
  EXPECT_GT(listed, 1500);
  EXPECT_LT(listed, 8000) << "a thumbnail, not the image";
  EXPECT_LT(MagentaPixels(Shot("rejected.png")), 50);
  EXPECT_GT(MagentaPixels(Shot("item.png")), 100000);

  // A second session resumes the review: the counts, and only the input not
  // decided yet under "undecided".
  const RunResult second = RunScript("resume.txt", {"open " + out, "filter undecided", "accept",
                                                    "filter undecided", "next", "quit"});
  EXPECT_THAT(second.out, HasSubstr("3 inputs, 3 listed; 1 accepted, 1 rejected so far"));
  EXPECT_THAT(second.out, HasSubstr("blurry.jpg: accepted"));
  EXPECT_NE(second.exit_code, 0) << "nothing is left undecided: `next` has nothing to move to";
  EXPECT_THAT(second.err, HasSubstr("resume.txt:5: nothing listed (filter undecided)"));
}

TEST_F(ViewerTriageTest, AFolderThatIsNotABatchIsNamed) {
  std::filesystem::create_directories(dir_.Path("empty"));
  const RunResult r = RunScript("bad.txt", {"open " + dir_.Path("empty"), "quit"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("bad.txt:1: " + dir_.Path("empty") + ": no results*.jsonl"));
  const RunResult no_batch = RunScript("nobatch.txt", {"accept"});
  EXPECT_EQ(no_batch.exit_code, 1);
  EXPECT_THAT(no_batch.err, HasSubstr("accepted: no batch open"));
  // An image opened from elsewhere hides the table; a decision then would be
  // about a row nobody is looking at, and is refused.
  const RunResult other =
      RunScript("other.txt", {"open " + dir_.Path("out"), "open " + dir_.Path("in/grey.png"),
                              "wait 30", "reject", "quit"});
  EXPECT_EQ(other.exit_code, 1);
  EXPECT_THAT(
      other.err,
      HasSubstr("other.txt:4: rejected: the images shown are not the batch's selected item"));
  EXPECT_FALSE(std::filesystem::exists(dir_.Path("out/decisions.jsonl")));
}

}  // namespace

// End-to-end tests of acuity-viewer driven by scripts, run under Xvfb
// (ctest runs this binary through `xvfb-run -a`): screenshots of each compare
// mode checked pixel by pixel, an enhancement saved and compared with
// `acuity enhance`, and a cancelled run that leaves nothing behind.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "tests/testing/run_program.h"
#include "tests/testing/test_images.h"

namespace {

using ::acuity::testing::RunProgram;
using ::acuity::testing::RunResult;
using ::acuity::testing::ScratchDir;
using ::testing::HasSubstr;

// The window is 1280×800 with a 380 px side panel: the canvas spans about
// x 8–892 and y 40–760. A 600×400 photo (or its 1200×800 enlargement) fits
// at about 74 %, drawn over x 8–892, y 105–695; the split divider is at 450.
const cv::Rect kLeftOfDivider(120, 250, 260, 300);
const cv::Rect kRightOfDivider(530, 250, 260, 300);
const cv::Rect kImageCentre(120, 250, 660, 300);

// Writes a script; "@" in a line stands for the scratch folder (paths in a
// script are relative to the viewer's working folder).
std::string Script(const ScratchDir& dir, const std::string& name, const std::vector<std::string>& lines) {
  std::string text = "# written by viewer_script_test\n";
  for (std::string l : lines) {
    for (size_t at = l.find('@'); at != std::string::npos; at = l.find('@', at + dir.path().size()))
      l.replace(at, 1, dir.path() + "/");
    text += l + "\n";
  }
  acuity::testing::WriteBytes(dir.Path(name), text);
  return dir.Path(name);
}

RunResult RunViewer(const ScratchDir& dir, const std::string& script) {
  return RunProgram(VIEWER_BINARY, dir.path(), {"--size", "1280x800", "--script", script});
}

double MeanAbsDiff(const cv::Mat& a, const cv::Mat& b) {
  cv::Mat d;
  cv::absdiff(a, b, d);
  const cv::Scalar m = cv::mean(d);
  return (m[0] + m[1] + m[2]) / 3;
}

// Mean colourfulness: |B−G| + |G−R| averaged over the region.
double Colourfulness(const cv::Mat& bgr) {
  std::vector<cv::Mat> p;
  cv::split(bgr, p);
  cv::Mat bg, gr;
  cv::absdiff(p[0], p[1], bg);
  cv::absdiff(p[1], p[2], gr);
  return cv::mean(bg)[0] + cv::mean(gr)[0];
}

double Psnr(const cv::Mat& a, const cv::Mat& b) { return cv::PSNR(a, b); }

class ViewerScriptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A: a colour photo; B: its 2× Lanczos enlargement in grey, so that the
    // two are told apart at a glance (colour on the left of the divider, grey
    // on the right).
    const cv::Mat coffee = acuity::testing::LoadPhoto("coffee");
    ASSERT_FALSE(coffee.empty());
    cv::imwrite(dir_.Path("a.png"), coffee);
    cv::Mat big, grey;
    cv::resize(coffee, big, cv::Size(), 2, 2, cv::INTER_LANCZOS4);
    cv::cvtColor(big, grey, cv::COLOR_BGR2GRAY);
    cv::cvtColor(grey, big, cv::COLOR_GRAY2BGR);
    cv::imwrite(dir_.Path("b.png"), big);
  }
  cv::Mat Shot(const std::string& name) {
    cv::Mat m = cv::imread(dir_.Path(name), cv::IMREAD_COLOR);
    EXPECT_EQ(m.size(), cv::Size(1280, 800)) << name;
    return m;
  }
  ScratchDir dir_;
};

TEST_F(ViewerScriptTest, ScreenshotsOfEachModeShowTheRightImage) {
  const std::string script = Script(dir_, "modes.txt",
                                    {"open @a.png @b.png", "wait", "split 0.5", "zoom fit", "screenshot @split.png",
                                     "mode a", "screenshot @a.png.shot.png", "mode b", "screenshot @b.png.shot.png",
                                     "mode side", "screenshot @side.png", "mode diff", "wait", "screenshot @diff.png",
                                     "mode split", "overlay blur 1", "screenshot @overlay.png", "overlay off", "mode flicker",
                                     "screenshot @flicker.png", "quit"});
  const RunResult r = RunViewer(dir_, script);
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_THAT(r.out, HasSubstr("QA verdict"));
  const cv::Mat split = Shot("split.png"), a = Shot("a.png.shot.png"), b = Shot("b.png.shot.png");
  const cv::Mat diff = Shot("diff.png"), overlay = Shot("overlay.png"), flicker = Shot("flicker.png");
  ASSERT_FALSE(split.empty() || a.empty() || b.empty() || diff.empty() || overlay.empty() || flicker.empty());
  // A alone is colourful, B alone grey: the checks below can tell them apart.
  EXPECT_GT(Colourfulness(a(kImageCentre)), 20);
  EXPECT_LT(Colourfulness(b(kImageCentre)), 1);
  // Left of the divider shows A, right of it shows B, pixel for pixel.
  EXPECT_LT(MeanAbsDiff(split(kLeftOfDivider), a(kLeftOfDivider)), 0.5);
  EXPECT_LT(MeanAbsDiff(split(kRightOfDivider), b(kRightOfDivider)), 0.5);
  EXPECT_GT(MeanAbsDiff(split(kLeftOfDivider), b(kLeftOfDivider)), 5);
  EXPECT_GT(MeanAbsDiff(split(kRightOfDivider), a(kRightOfDivider)), 5);
  // Flicker without the key held shows A.
  EXPECT_LT(MeanAbsDiff(flicker(kImageCentre), a(kImageCentre)), 0.5);
  // The overlay changes the canvas.
  EXPECT_GT(MeanAbsDiff(overlay(kImageCentre), split(kImageCentre)), 10);
  // Side by side: A on the left half (colour), B on the right half (grey).
  const cv::Mat side = Shot("side.png");
  EXPECT_GT(Colourfulness(side(cv::Rect(120, 300, 200, 150))), 20);
  EXPECT_LT(Colourfulness(side(cv::Rect(570, 300, 200, 150))), 1);
  // |A − B| of a colour photo and its grey enlargement is not black.
  EXPECT_GT(cv::mean(diff(kImageCentre))[0], 5);
}

// Where the content overlay's face colour (yellow, RGB 255 210 40) is on
// the canvas (x 8–892, y 40–760), in window px.
cv::Rect YellowBox(const cv::Mat& shot) {
  const cv::Rect canvas(8, 40, 884, 720);
  cv::Mat yellow;
  cv::inRange(shot(canvas), cv::Scalar(25, 195, 240), cv::Scalar(55, 225, 255), yellow);
  std::vector<cv::Point> points;
  cv::findNonZero(yellow, points);
  return points.empty() ? cv::Rect() : cv::boundingRect(points) + canvas.tl();
}

// `focus 1` (what a click on a box does) zooms to 100 % on the face the
// analysis found, centred on the canvas (split between the photo and its 3×
// enlargement; shown as A alone, whose box is whole): its yellow box, small
// at fit, is about twice as wide and in the middle of the canvas.
TEST_F(ViewerScriptTest, FocusZoomsToTheFaceFound) {
  const cv::Mat astronaut = acuity::testing::LoadPhoto("astronaut");
  ASSERT_FALSE(astronaut.empty());
  cv::Mat big;
  cv::resize(astronaut, big, cv::Size(), 3, 3, cv::INTER_CUBIC);
  cv::imwrite(dir_.Path("face.png"), astronaut);
  cv::imwrite(dir_.Path("face-3x.png"), big);
  const std::string script =
      Script(dir_, "focus.txt", {"open @face.png @face-3x.png", "wait", "mode a", "overlay content", "zoom fit",
                                 "screenshot @fit.png", "focus 1", "mode a", "screenshot @focus.png", "focus 2",
                                 "quit"});
  const RunResult r = RunViewer(dir_, script);
  // The script stops at `focus 2` (one face, no text): the line is named.
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("focus.txt:11"));
  const cv::Rect fit = YellowBox(Shot("fit.png"));
  const cv::Rect focused = YellowBox(Shot("focus.png"));
  ASSERT_GT(fit.width, 10) << "no face box at fit";
  ASSERT_GT(focused.width, 10) << "no face box after focus";
  // Fit shows the 1536 px grid in about 720 px (47 %); focus shows it at 100 %.
  EXPECT_GT(focused.width, 1.8 * fit.width) << fit << " " << focused;
  // Centred on the canvas (x 8–892, y 40–760).
  const cv::Point centre = (focused.tl() + focused.br()) / 2;
  EXPECT_NEAR(centre.x, 450, 60) << focused;
  EXPECT_NEAR(centre.y, 400, 60) << focused;
}

// The same through the mouse, as a hand does it (the `click` and `drag`
// script commands feed ImGui's input: hover, press, move, release): a drag
// on the canvas pans the view and focuses nothing, even when it starts on
// the face's box; a click on the box centres the face, at 100 % or, as
// here (a 512-px photo fitted at 140 %), as large as it was shown: a click
// on a face never makes it smaller. The box's place at fit comes from a
// first run's screenshot.
TEST_F(ViewerScriptTest, AClickOnAFaceBoxCentresItAndADragOnlyPans) {
  cv::imwrite(dir_.Path("face.png"), acuity::testing::LoadPhoto("astronaut"));
  const std::vector<std::string> fit = {"open @face.png", "wait", "overlay content", "zoom fit", "screenshot @fit.png"};
  std::vector<std::string> lines = fit;
  lines.push_back("quit");
  RunResult r = RunViewer(dir_, Script(dir_, "fit.txt", lines));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const cv::Rect box = YellowBox(Shot("fit.png"));
  ASSERT_GT(box.width, 10) << "no face box at fit";
  const cv::Point c = (box.tl() + box.br()) / 2;
  const auto at = [](cv::Point p) { return std::to_string(p.x) + " " + std::to_string(p.y); };
  const cv::Point moved = c + cv::Point(-120, 60);
  lines = fit;
  for (const std::string& line : {"drag " + at(c) + " " + at(moved), std::string("screenshot @dragged.png"),
                                  "click " + at(moved), std::string("screenshot @clicked.png"), std::string("quit")})
    lines.push_back(line);
  r = RunViewer(dir_, Script(dir_, "mouse.txt", lines));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const cv::Rect dragged = YellowBox(Shot("dragged.png"));
  EXPECT_NEAR(dragged.width, box.width, 3) << "a drag zoomed";
  EXPECT_NEAR(dragged.x - box.x, -120, 4) << "the drag did not pan by the pointer's move";
  EXPECT_NEAR(dragged.y - box.y, 60, 4) << "the drag did not pan by the pointer's move";
  const cv::Rect clicked = YellowBox(Shot("clicked.png"));
  EXPECT_NEAR(clicked.width, box.width, 3) << box << " " << clicked << ": the click changed the zoom";
  const cv::Point centre = (clicked.tl() + clicked.br()) / 2;
  EXPECT_NEAR(centre.x, 450, 60) << clicked;
  EXPECT_NEAR(centre.y, 400, 60) << clicked;
}

TEST_F(ViewerScriptTest, DifferenceOfAnImageWithItselfIsBlack) {
  const std::string script =
      Script(dir_, "self.txt", {"open @a.png @a.png", "wait", "mode diff", "wait", "screenshot @self.png", "quit"});
  const RunResult r = RunViewer(dir_, script);
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  const cv::Mat self = Shot("self.png");
  ASSERT_FALSE(self.empty());
  double peak = 0;
  cv::minMaxLoc(self(kImageCentre).reshape(1), nullptr, &peak);
  EXPECT_EQ(peak, 0);
}

TEST_F(ViewerScriptTest, EnhanceThenSaveEqualsAcuityEnhance) {
  const cv::Mat chelsea = acuity::testing::LoadPhoto("chelsea");
  ASSERT_FALSE(chelsea.empty());
  cv::imwrite(dir_.Path("small.png"), chelsea(cv::Rect(150, 60, 160, 120)));
  const std::string steps = "upscale:2:esrgan-slim,sharpen:0.5,downscale:0.75";
  const std::string script = Script(dir_, "enhance.txt",
                                    {"open @small.png", "wait", "enhance " + steps, "wait", "mode split",
                                     "screenshot @enhanced.png", "save @viewer.png", "wait", "quit"});
  const RunResult r = RunViewer(dir_, script);
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_THAT(r.out, HasSubstr("enhance: done"));
  const RunResult cli = RunProgram(ACUITY_BINARY, dir_.path(),
                                   {"enhance", "--steps", steps, "-o", dir_.Path("cli.png"), dir_.Path("small.png")});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  const cv::Mat viewer = cv::imread(dir_.Path("viewer.png"), cv::IMREAD_UNCHANGED);
  const cv::Mat expected = cv::imread(dir_.Path("cli.png"), cv::IMREAD_UNCHANGED);
  ASSERT_FALSE(viewer.empty());
  ASSERT_EQ(viewer.size(), expected.size());
  EXPECT_EQ(viewer.size(), cv::Size(240, 180));
  EXPECT_GE(Psnr(viewer, expected), 50);
}

TEST_F(ViewerScriptTest, CancelledRunLeavesNothingAndAFailingLineIsNamed) {
  // A long run (esrgan-thick, 4× of 600×400) cancelled after 3 s; the save
  // after it fails (nothing to save) and the viewer names that line.
  const std::string script = Script(dir_, "cancel.txt",
                                    {"open @a.png", "wait", "enhance upscale:4:esrgan-thick", "wait 3", "cancel",
                                     "wait", "save @out.png", "quit"});
  const auto before = std::distance(std::filesystem::directory_iterator(dir_.path()), {});
  const RunResult r = RunViewer(dir_, script);
  EXPECT_EQ(r.exit_code, 1) << r.err << r.out;
  EXPECT_THAT(r.out, HasSubstr("enhance: cancelled at"));
  EXPECT_THAT(r.err, HasSubstr("cancel.txt:8: save: nothing to save"));  // line 8: the comment is line 1
  EXPECT_FALSE(std::filesystem::exists(dir_.Path("out.png")));
  // Nothing else was written either (no temporary files): the scratch dir
  // holds what it held plus the run's stdout/stderr logs.
  const auto after = std::distance(std::filesystem::directory_iterator(dir_.path()), {});
  EXPECT_LE(after, before + 2);
}

TEST_F(ViewerScriptTest, BadCommandFailsNamingTheLine) {
  const std::string script = Script(dir_, "bad.txt", {"open @a.png", "zoom banana", "quit"});
  const RunResult r = RunViewer(dir_, script);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("bad.txt:3: zoom: 'banana' is not a number"));
}

}  // namespace

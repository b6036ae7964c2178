#include "analysis/measurements/text_layout.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "tests/testing/rendered_text.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

constexpr char kLine[] = "The quick brown fox jumps over a lazy dog";

// The x-height of a drawn line, measured on its own crop, against the "x"
// drawn at the same size: within 15 % (and half a pixel) from 4 to 30 px (at
// 3 px the anti-aliased rows leave the drawn "x" itself 2 or 3 px tall).
TEST(TextLayoutTest, XHeightOfADrawnLine) {
  if (testing::DejaVuSansPath().empty()) GTEST_SKIP() << "fonts-dejavu-core is not installed";
  for (double x_height : {4.0, 6.0, 9.0, 14.0, 20.0, 30.0}) {
    const cv::Mat white(int(x_height * 6 + 20), int(x_height * 30 + 40), CV_8UC3, cv::Scalar::all(255));
    const testing::DrawnText t = testing::DrawText(white, kLine, {10, 10}, x_height);
    cv::Mat gray;
    cv::cvtColor(t.image(t.box), gray, cv::COLOR_BGR2GRAY);
    const std::optional<double> measured = MeasureXHeight(gray);
    ASSERT_TRUE(measured);
    EXPECT_NEAR(*measured, t.x_height_px, 0.15 * t.x_height_px + 0.5) << "drawn at " << x_height;
  }
}

// Text drawn at a known size on a flat background and on a photo is found
// where it is, read, and sized within 15 %.
TEST(TextLayoutTest, DrawnTextIsFoundSizedAndRead) {
  if (testing::DejaVuSansPath().empty()) GTEST_SKIP() << "fonts-dejavu-core is not installed";
  cv::Mat photo = testing::LoadPhoto("coffee");
  cv::Mat light;  // a photo behind the text, faded as a caption's background would be
  cv::addWeighted(photo, 0.25, cv::Mat(photo.size(), photo.type(), cv::Scalar::all(255)), 0.75, 0, light);
  const cv::Mat flat(200, 640, CV_8UC3, cv::Scalar(235, 240, 245));
  // Text on a photo reads from a larger size than on a flat background
  // (datasets/RESULTS.md, "Faces and text").
  for (const auto& [background, sizes] : {std::pair<cv::Mat, std::vector<double>>{flat, {5.0, 8.0, 16.0}},
                                          std::pair<cv::Mat, std::vector<double>>{light, {10.0, 16.0}}}) {
    for (double x_height : sizes) {
      const testing::DrawnText t = testing::DrawText(background, kLine, {20, 60}, x_height);
      const TextResult r = MeasureText(t.image);
      ASSERT_TRUE(r.lines) << r.not_measured_reason;
      ASSERT_GE(r.lines->size(), 1u) << "x-height " << x_height;
      const TextLine* best = nullptr;
      for (const TextLine& line : *r.lines)
        if (!best || (cv::Rect(line.x, line.y, line.width_px, line.height_px) & t.box).area() >
                         (cv::Rect(best->x, best->y, best->width_px, best->height_px) & t.box).area())
          best = &line;
      const cv::Rect found(best->x, best->y, best->width_px, best->height_px);
      std::string all;
      for (const TextLine& line : *r.lines) all += " [" + line.text + "]";
      EXPECT_GT((found & t.box).area(), 0.8 * t.box.area()) << "x-height " << x_height << ", read" << all;
      EXPECT_NEAR(best->x_height_px, t.x_height_px, 0.15 * t.x_height_px + 0.5) << "x-height " << x_height;
      EXPECT_GT(CharacterAccuracy(kLine, best->text), 0.9) << "read \"" << best->text << "\"";
    }
  }
}

// A caption in a plain bar right under a photo of mid tones (coins), or
// under a plain grey block, is found (walk 59: a meme's two-line caption
// 4–22 px under chelsea was not, and a crop cut it with no
// crop_cuts_content warning; Tesseract reads such a line beside a large
// mid-grey block as part of it). Each band of plain background across the
// picture is read again on its own.
TEST(TextLayoutTest, ACaptionRightUnderAPhotoIsFound) {
  if (testing::DejaVuSansPath().empty()) GTEST_SKIP() << "fonts-dejavu-core is not installed";
  cv::Mat coins;
  cv::resize(testing::LoadPhoto("coins"), coins, cv::Size(450, 300), 0, 0, cv::INTER_AREA);
  if (coins.channels() == 1) cv::cvtColor(coins, coins, cv::COLOR_GRAY2BGR);
  const cv::Mat grey(300, 450, CV_8UC3, cv::Scalar::all(128));
  for (const cv::Mat& above : {coins, grey}) {
    for (int gap : {4, 10, 22}) {
      cv::Mat canvas(300 + gap + 115, 450, CV_8UC3, cv::Scalar::all(255));
      above.copyTo(canvas(cv::Rect(0, 0, 450, 300)));
      const testing::DrawnText first = testing::DrawText(canvas, "WHEN THE CODE", {20, 300 + gap + 6}, 15.0);
      const testing::DrawnText second = testing::DrawText(first.image, "COMPILES FIRST TRY", {20, 300 + gap + 46}, 15.0);
      const TextResult r = MeasureText(second.image);
      if (!r.not_measured_reason.empty()) GTEST_SKIP() << r.not_measured_reason;
      ASSERT_TRUE(r.lines.has_value());
      std::string all;
      for (const TextLine& line : *r.lines) all += " [" + line.text + "]";
      for (const testing::DrawnText* t : {&first, &second}) {
        bool found = false;
        for (const TextLine& line : *r.lines)
          found |= (cv::Rect(line.x, line.y, line.width_px, line.height_px) & t->box).area() > 0.8 * t->box.area() &&
                   CharacterAccuracy(t->text, line.text) > 0.9;
        EXPECT_TRUE(found) << "\"" << t->text << "\" " << gap << " px under "
                           << (above.data == grey.data ? "a grey block" : "a photo") << "; read" << all;
      }
    }
  }
}

// A picture far longer than wide (a rule, a spacer) is read, not failed:
// the bands are looked for on it reduced, at least 1 px a side.
TEST(TextLayoutTest, AVeryThinPictureIsRead) {
  for (const cv::Size size : {cv::Size(1, 2100), cv::Size(4200, 2)}) {
    const TextResult r = MeasureText(cv::Mat(size, CV_8UC3, cv::Scalar::all(200)));
    if (r.not_measured_reason.find("module") != std::string::npos) GTEST_SKIP() << r.not_measured_reason;
    EXPECT_TRUE(r.lines.has_value()) << size << ": " << r.not_measured_reason;
  }
}

// Photos without text have none: Tesseract reads short "words" in fur,
// grass and gravel ("Lea" and "ar" in the cat's fur made advise warn
// small_text on it).
TEST(TextLayoutTest, PhotosWithoutTextHaveNoLines) {
  for (const char* name : {"chelsea", "grass", "gravel", "rocket", "coffee"}) {
    const TextResult result = MeasureText(testing::LoadPhoto(name));
    if (!result.not_measured_reason.empty()) GTEST_SKIP() << result.not_measured_reason;
    ASSERT_TRUE(result.lines.has_value()) << name;
    for (const TextLine& line : *result.lines)
      ADD_FAILURE() << name << ": \"" << line.text << "\" (confidence " << line.confidence << ")";
  }
}

// Without Tesseract's language data the reading is "not measured" with the
// reason, never an empty list.
TEST(TextLayoutTest, MissingLanguageDataIsNotMeasured) {
  TextOptions options;
  testing::ScratchDir dir;
  options.tessdata_dir = dir.path();
  const TextResult r = MeasureText(testing::LoadPhoto("coffee"), options);
  EXPECT_FALSE(r.lines);
  EXPECT_NE(r.not_measured_reason.find("eng.traineddata"), std::string::npos) << r.not_measured_reason;
}

TEST(TextLayoutTest, CharacterAccuracy) {
  EXPECT_DOUBLE_EQ(CharacterAccuracy("EXIT", "EXIT"), 1.0);
  EXPECT_DOUBLE_EQ(CharacterAccuracy("EXIT", "FXIT"), 0.75);
  EXPECT_DOUBLE_EQ(CharacterAccuracy("a  b", "a b"), 1.0);  // whitespace runs count once
  EXPECT_DOUBLE_EQ(CharacterAccuracy("ab", "xyzw"), 0.0);   // floored
}

}  // namespace
}  // namespace acuity

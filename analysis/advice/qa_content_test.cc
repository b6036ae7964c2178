#include "analysis/advice/qa_content.h"

#include <gtest/gtest.h>

#include <fmt/format.h>
#include <opencv2/imgproc.hpp>

#include "analysis/measurements/faces.h"
#include "tests/testing/rendered_text.h"
#include "tests/testing/test_images.h"
#include "tests/testing/wrap_image.h"

namespace acuity {
namespace {

const QaCheck* Find(const std::vector<QaCheck>& checks, const std::string& name) {
  for (const QaCheck& c : checks)
    if (c.name == name) return &c;
  return nullptr;
}

// Text enlarged faithfully reads the same (pass); letters an enhancement
// changed read differently: text_changed_pct warns, naming what it read,
// and never fails.
TEST(QaContentTest, ChangedLettersWarn) {
  if (testing::DejaVuSansPath().empty()) GTEST_SKIP() << "fonts-dejavu-core is not installed";
  const cv::Mat white(80, 420, CV_8UC3, cv::Scalar::all(250));
  const testing::DrawnText input = testing::DrawText(white, "EMERGENCY EXIT ONLY 24", {12, 25}, 9);
  cv::Mat faithful;
  cv::resize(input.image, faithful, cv::Size(), 2, 2, cv::INTER_CUBIC);
  const QaThresholds thresholds = QaThresholds::Defaults();
  const ContentQa faithful_qa = ContentChecks(testing::WrapPixels(input.image), testing::WrapPixels(faithful), thresholds);
  // What the checks compared comes back for the page (qa --report shows it
  // without reading the input again): the one line, in input px.
  ASSERT_TRUE(faithful_qa.input_text.lines.has_value());
  ASSERT_EQ(faithful_qa.input_text.lines->size(), 1u);
  EXPECT_LT(faithful_qa.input_text.lines->front().y + faithful_qa.input_text.lines->front().height_px, 80);
  const QaCheck* check = Find(faithful_qa.checks, "text_changed_pct");
  ASSERT_NE(check, nullptr);
  EXPECT_EQ(check->status, QaStatus::kPass) << check->message;

  // The "invented" output: other letters drawn in the same place, at the same size.
  const cv::Mat white2(160, 840, CV_8UC3, cv::Scalar::all(250));
  const testing::DrawnText invented = testing::DrawText(white2, "EMERGENOY FXIT QNLY 21", {24, 50}, 18);
  const std::vector<QaCheck> changed =
      ContentChecks(testing::WrapPixels(input.image), testing::WrapPixels(invented.image), thresholds).checks;
  check = Find(changed, "text_changed_pct");
  ASSERT_NE(check, nullptr);
  EXPECT_GT(check->value, 10.0);
  EXPECT_EQ(check->status, QaStatus::kWarn) << check->message;
  EXPECT_NE(check->message.find("EXIT"), std::string::npos) << check->message;
}

// A walk (#23): one word of a sign rewritten on a page ("EXIT" read "FXIT"
// under a line of 45 characters) passed at 2 %: the share was taken over all
// the characters, which the unchanged text dilutes. Each line is judged by
// its own share; the same page kept faithfully passes.
TEST(QaContentTest, OneWordChangedOnAPageWarns) {
  if (testing::DejaVuSansPath().empty()) GTEST_SKIP() << "fonts-dejavu-core is not installed";
  auto page = [](int scale, const char* sign) {
    cv::Mat white(110 * scale, 520 * scale, CV_8UC3, cv::Scalar::all(250));
    white = testing::DrawText(white, "shipping weight and dimensions of the parcel", {12 * scale, 25 * scale},
                              9.0 * scale).image;
    return testing::DrawText(white, sign, {12 * scale, 70 * scale}, 9.0 * scale).image;
  };
  const cv::Mat input = page(1, "EXIT");
  cv::Mat faithful;
  cv::resize(input, faithful, cv::Size(), 2, 2, cv::INTER_CUBIC);
  const QaThresholds thresholds = QaThresholds::Defaults();
  const QaCheck* kept = nullptr;
  const ContentQa kept_qa = ContentChecks(testing::WrapPixels(input), testing::WrapPixels(faithful), thresholds);
  kept = Find(kept_qa.checks, "text_changed_pct");
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ(kept->status, QaStatus::kPass) << kept->message;
  const ContentQa changed_qa = ContentChecks(testing::WrapPixels(input), testing::WrapPixels(page(2, "FXIT")), thresholds);
  const QaCheck* changed = Find(changed_qa.checks, "text_changed_pct");
  ASSERT_NE(changed, nullptr);
  EXPECT_EQ(changed->status, QaStatus::kWarn) << changed->message;
  EXPECT_NE(changed->message.find("\"EXIT\" read \"FXIT\""), std::string::npos) << changed->message;
}

// A 20-px face (the astronaut at 100×100 px) enlarged plainly passes and is
// not called invented; the same face painted over (the region replaced by
// its own blur and a drawn oval: detail that is not the person's) warns, and
// the words say so. The words follow each check's verdict.
TEST(QaContentTest, AFaceKeptIsNotCalledInventedAndAFaceRepaintedIs) {
  cv::Mat portrait;
  cv::resize(testing::LoadPhoto("astronaut"), portrait, cv::Size(100, 100), 0, 0, cv::INTER_AREA);
  cv::Mat kept;
  cv::resize(portrait, kept, cv::Size(), 3, 3, cv::INTER_CUBIC);
  const QaThresholds thresholds = QaThresholds::Defaults();
  const ContentQa same = ContentChecks(testing::WrapPixels(portrait), testing::WrapPixels(kept), thresholds);
  ASSERT_TRUE(same.input_faces.faces.has_value()) << same.input_faces.not_measured_reason;
  ASSERT_EQ(same.input_faces.faces->size(), 1u);
  const QaCheck* check = Find(same.checks, "small_face_changed");
  ASSERT_NE(check, nullptr);
  EXPECT_EQ(check->status, QaStatus::kPass) << check->message;
  EXPECT_EQ(check->message.find("model's"), std::string::npos) << check->message;

  const Face& f = same.input_faces.faces->front();
  cv::Mat repainted = kept.clone();
  const cv::Rect face(f.x * 3, f.y * 3, f.width_px * 3, f.height_px * 3);
  cv::GaussianBlur(repainted(face), repainted(face), cv::Size(0, 0), 6);
  cv::ellipse(repainted, (face.tl() + face.br()) / 2, face.size() / 3, 0, 0, 360, cv::Scalar(40, 60, 200), 3);
  const ContentQa changed = ContentChecks(testing::WrapPixels(portrait), testing::WrapPixels(repainted), thresholds);
  check = Find(changed.checks, "small_face_changed");
  ASSERT_NE(check, nullptr);
  EXPECT_EQ(check->status, QaStatus::kWarn) << check->message;
  EXPECT_NE(check->message.find("model's, not the person's"), std::string::npos) << check->message;
}

// An output that shows part of the input (a crop, enlarged): QA compares that
// part, its words name the face where it is in the input file, and the
// regions it returns for the page are in the compared part's px.
TEST(QaContentTest, ACroppedOutputNamesTheFaceWhereItIsInTheFile) {
  cv::Mat portrait;
  cv::resize(testing::LoadPhoto("astronaut"), portrait, cv::Size(100, 100), 0, 0, cv::INTER_AREA);
  const cv::Rect kept(20, 0, 80, 100);
  cv::Mat cropped;
  cv::resize(portrait(kept), cropped, cv::Size(), 3, 3, cv::INTER_CUBIC);
  QaOptions options;
  options.compute_maps = false;
  options.check_content = true;
  const absl::StatusOr<QaReport> qa = RunQa(testing::WrapPixels(portrait), testing::WrapPixels(cropped), nullptr,
                                            QaThresholds::Defaults(), options);
  ASSERT_TRUE(qa.ok()) << qa.status();
  ASSERT_EQ(qa->metrics.input_region, kept) << qa->metrics.geometry;
  const FacesResult whole = MeasureFaces(portrait);
  ASSERT_TRUE(whole.faces && whole.faces->size() == 1u);
  const Face& in_file = whole.faces->front();
  ASSERT_TRUE(qa->input_faces && qa->input_faces->faces && qa->input_faces->faces->size() == 1u);
  const Face& in_part = qa->input_faces->faces->front();
  EXPECT_NEAR(in_part.x + kept.x, in_file.x, 2);  // the part's px
  EXPECT_NEAR(in_part.y + kept.y, in_file.y, 2);
  const QaCheck* check = Find(qa->checks, "small_face_changed");
  ASSERT_NE(check, nullptr);
  EXPECT_NE(check->message.find(fmt::format("at x {} y {}", in_part.x + kept.x, in_part.y + kept.y)),
            std::string::npos)
      << check->message;
}

// No text and no face in the input: no content check at all.
TEST(QaContentTest, NothingToCheckAddsNoCheck) {
  cv::Mat flat(120, 160, CV_8UC3, cv::Scalar(90, 120, 150)), big;
  cv::resize(flat, big, cv::Size(), 2, 2, cv::INTER_CUBIC);
  EXPECT_TRUE(ContentChecks(testing::WrapPixels(flat), testing::WrapPixels(big), QaThresholds::Defaults()).checks.empty());
}

}  // namespace
}  // namespace acuity

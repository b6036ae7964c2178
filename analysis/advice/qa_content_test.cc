#include "analysis/advice/qa_content.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "tests/testing/rendered_text.h"
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
  const std::vector<QaCheck> same =
      ContentChecks(testing::WrapPixels(input.image), testing::WrapPixels(faithful), thresholds);
  const QaCheck* check = Find(same, "text_changed_pct");
  ASSERT_NE(check, nullptr);
  EXPECT_EQ(check->status, QaStatus::kPass) << check->message;

  // The "invented" output: other letters drawn in the same place, at the same size.
  const cv::Mat white2(160, 840, CV_8UC3, cv::Scalar::all(250));
  const testing::DrawnText invented = testing::DrawText(white2, "EMERGENOY FXIT QNLY 21", {24, 50}, 18);
  const std::vector<QaCheck> changed =
      ContentChecks(testing::WrapPixels(input.image), testing::WrapPixels(invented.image), thresholds);
  check = Find(changed, "text_changed_pct");
  ASSERT_NE(check, nullptr);
  EXPECT_GT(check->value, 10.0);
  EXPECT_EQ(check->status, QaStatus::kWarn) << check->message;
  EXPECT_NE(check->message.find("EXIT"), std::string::npos) << check->message;
}

// No text and no face in the input: no content check at all.
TEST(QaContentTest, NothingToCheckAddsNoCheck) {
  cv::Mat flat(120, 160, CV_8UC3, cv::Scalar(90, 120, 150)), big;
  cv::resize(flat, big, cv::Size(), 2, 2, cv::INTER_CUBIC);
  EXPECT_TRUE(ContentChecks(testing::WrapPixels(flat), testing::WrapPixels(big), QaThresholds::Defaults()).empty());
}

}  // namespace
}  // namespace acuity

#include "cli/batch_summary.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace acuity::cli {
namespace {

using ::testing::HasSubstr;

nlohmann::json Record(const std::string& path, const std::string& status, int exit_code) {
  nlohmann::json r = {{"input", {{"path", path}}}, {"status", status}, {"exit_code", exit_code}};
  r["error"] = status == "ok" ? nlohmann::json(nullptr) : nlohmann::json("cannot read");
  return r;
}

TEST(SummarizeTest, CountsByStatusVerdictAndStepAndTheLastRecordOfAPathCounts) {
  std::vector<nlohmann::json> records;
  records.push_back(Record("a.jpg", "error", 3));  // redone later: its last record counts
  records.push_back(Record("b.jpg", "ok", 1));
  records.back()["qa"] = {{"verdict", "fail"}};
  records.back()["plan"] = {{"steps", {{{"op", "upscale"}}, {{"op", "sharpen"}}, {{"op", "upscale"}}}}};
  records.push_back(Record("c.jpg", "ok", 0));
  records.back()["qa"] = {{"verdict", "pass"}};
  records.back()["plan"] = {{"steps", nlohmann::json::array()}};
  records.push_back(Record("a.jpg", "ok", 0));
  records.back()["qa"] = {{"verdict", "pass"}};
  records.back()["plan"] = {{"steps", {{{"op", "sharpen"}}}}};
  records.push_back(Record("d.jpg", "error", 3));
  const BatchSummary s = Summarize(records);
  EXPECT_EQ(s.inputs, 4);
  EXPECT_EQ(s.by_status.at("ok"), 3);
  EXPECT_EQ(s.by_status.at("error"), 1);
  EXPECT_EQ(s.by_verdict.at("pass"), 2);
  EXPECT_EQ(s.by_verdict.at("fail"), 1);
  EXPECT_EQ(s.by_step.at("sharpen"), 2);
  EXPECT_EQ(s.by_step.at("upscale"), 1);  // inputs, not steps
  EXPECT_EQ(s.no_steps, 1);
  ASSERT_EQ(s.failures.size(), 1u);
  EXPECT_EQ(s.failures[0].first, "d.jpg");
  EXPECT_EQ(s.exit_code, 3);
  const std::string text = FormatSummary(s);
  EXPECT_THAT(text, HasSubstr("4 inputs: 1 error, 3 ok"));
  EXPECT_THAT(text, HasSubstr("QA verdicts: 1 fail, 2 pass"));
  EXPECT_THAT(text, HasSubstr("failed: d.jpg: cannot read"));
}

TEST(SummarizeTest, ExitCodes) {
  EXPECT_EQ(Summarize({Record("a", "ok", 0)}).exit_code, 0);
  EXPECT_EQ(Summarize({Record("a", "ok", 0), Record("b", "ok", 1)}).exit_code, 1);
  EXPECT_EQ(Summarize({Record("a", "error", 3), Record("b", "ok", 1)}).exit_code, 3);
  EXPECT_EQ(Summarize({}).inputs, 0);
}

TEST(SummarizeTest, ManyFailuresAreCutShort) {
  std::vector<nlohmann::json> records;
  for (int i = 0; i < 30; ++i) records.push_back(Record("f" + std::to_string(i), "error", 3));
  EXPECT_THAT(FormatSummary(Summarize(records), 5), HasSubstr("and 25 more failures"));
}

}  // namespace
}  // namespace acuity::cli

#include "batch/summary.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace acuity::batch {
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

TEST(SummarizeTest, SumsTheSecondsOfEachStageOverTheLastRecords) {
  std::vector<nlohmann::json> records;
  records.push_back(Record("a.jpg", "ok", 0));
  records.back()["seconds"] = {{"decode", 1.0}, {"steps", 50.0}, {"total", 51.0}};  // redone below
  records.push_back(Record("b.jpg", "ok", 0));
  records.back()["seconds"] = {{"decode", 0.5}, {"steps", 7.5}, {"qa", 2.0}, {"total", 10.0}};
  records.push_back(Record("a.jpg", "ok", 0));
  records.back()["seconds"] = {{"decode", 0.5}, {"steps", 7.5}, {"qa", 2.0}, {"total", 10.0}};
  records.push_back(Record("c.jpg", "error", 3));  // an older acuity's record: no seconds
  const BatchSummary s = Summarize(records);
  EXPECT_DOUBLE_EQ(s.seconds_by_stage.at("steps"), 15.0);
  EXPECT_DOUBLE_EQ(s.seconds_by_stage.at("total"), 20.0);
  EXPECT_THAT(FormatSummary(s),
              HasSubstr("time per stage, summed over the inputs: steps 15.0 s (75 %), qa 4.0 s (20 %), decode 1.0 s "
                        "(5 %); 20.0 s in all"));
  EXPECT_DOUBLE_EQ(SummaryToJson(s)["seconds_by_stage"]["qa"].get<double>(), 4.0);
  // JSON holds the sums to the millisecond the records hold: no float noise.
  std::vector<nlohmann::json> many;
  for (int i = 0; i < 19; ++i) {
    many.push_back(Record("f" + std::to_string(i), "ok", 0));
    many.back()["seconds"] = {{"decode", 0.001}, {"total", 0.101}};
  }
  EXPECT_EQ(SummaryToJson(Summarize(many))["seconds_by_stage"].dump(), R"({"decode":0.019,"total":1.919})");
  EXPECT_THAT(FormatSummary(Summarize({Record("x.jpg", "ok", 0)})), ::testing::Not(HasSubstr("time per stage")));
}

// The memory budget each input's work was planned with (a cgroup's limit on
// a cluster node, --max-memory, the machine's free memory): what a retry of
// the records that ran out of memory needs more of.
TEST(SummarizeTest, SaysWhichMemoryBudgetTheWorkHad) {
  std::vector<nlohmann::json> records;
  records.push_back(Record("a.jpg", "ok", 0));
  records.back()["memory_budget"] = {{"mb", 196.0}, {"source", "the cgroup's memory limit"}};
  records.push_back(Record("b.jpg", "error", 4));
  records.back()["memory_budget"] = {{"mb", 196.0}, {"source", "the cgroup's memory limit"}};
  records.push_back(Record("c.jpg", "ok", 0));
  records.back()["memory_budget"] = {{"mb", 900.0}, {"source", "--max-memory"}};
  records.push_back(Record("d.jpg", "ok", 0));  // an older record: no budget
  const BatchSummary s = Summarize(records);
  EXPECT_EQ(s.by_memory_budget.size(), 2u);
  EXPECT_EQ(s.by_memory_budget.at("196 MB (the cgroup's memory limit)"), 2);
  EXPECT_EQ(s.by_memory_budget.at("900 MB (--max-memory)"), 1);
  const std::string text = FormatSummary(s);
  EXPECT_THAT(text, HasSubstr("memory budget beside the program: 196 MB (the cgroup's memory limit) for 2 inputs"));
  EXPECT_THAT(text, HasSubstr("900 MB (--max-memory) for 1 input\n"));
  EXPECT_EQ(SummaryToJson(s)["memory_budgets"]["196 MB (the cgroup's memory limit)"], 2);
}

TEST(SummarizeTest, ExitCodes) {
  EXPECT_EQ(Summarize({Record("a", "ok", 0)}).exit_code, 0);
  EXPECT_EQ(Summarize({Record("a", "ok", 0), Record("b", "ok", 1)}).exit_code, 1);
  EXPECT_EQ(Summarize({Record("a", "error", 3), Record("b", "ok", 1)}).exit_code, 3);
  EXPECT_EQ(Summarize({}).inputs, 0);
  // An empty run says so, without a dangling colon; one input is singular.
  EXPECT_EQ(FormatSummary(Summarize({})), "summary: 0 inputs\n");
  EXPECT_THAT(FormatSummary(Summarize({Record("a", "ok", 0)})), HasSubstr("summary: 1 input: 1 ok\n"));
}

TEST(SummarizeTest, ManyFailuresAreCutShort) {
  std::vector<nlohmann::json> records;
  for (int i = 0; i < 30; ++i) records.push_back(Record("f" + std::to_string(i), "error", 3));
  EXPECT_THAT(FormatSummary(Summarize(records), 5), HasSubstr("and 25 more failures"));
}

// A record with QA: its verdict and the checks {name, status}, and warnings.
nlohmann::json QaRecord(const std::string& path, const std::string& verdict,
                        const std::vector<std::pair<std::string, std::string>>& checks,
                        const std::vector<std::string>& plan_warnings) {
  nlohmann::json r = Record(path, "ok", verdict == "fail" ? 1 : 0);
  r["qa"] = {{"verdict", verdict}, {"checks", nlohmann::json::array()}};
  for (const auto& [name, status] : checks) r["qa"]["checks"].push_back({{"name", name}, {"status", status}});
  r["plan"] = {{"steps", nlohmann::json::array()}, {"warnings", nlohmann::json::array()}};
  for (const std::string& code : plan_warnings) r["plan"]["warnings"].push_back({{"code", code}, {"message", "m"}});
  return r;
}

std::vector<nlohmann::json> GateRecords() {
  std::vector<nlohmann::json> records = {
      QaRecord("pass.jpg", "pass", {{"halo_crispness", "pass"}}, {}),
      QaRecord("warned.jpg", "warn", {{"halo_crispness", "warn"}}, {}),
      QaRecord("blurred.jpg", "pass", {}, {"motion_blur"}),
      QaRecord("failed.jpg", "fail", {{"fidelity_psnr_db", "fail"}, {"halo_crispness", "warn"}}, {}),
  };
  records.push_back(Record("unread.jpg", "error", 3));
  records.back()["analysis"] = {{"warnings", {{{"code", "motion_blur"}}}}};  // an error record is not gated
  return records;
}

TEST(SummarizeTest, CountsWarningsByCodeAndQaChecksNotPassed) {
  std::vector<nlohmann::json> records = GateRecords();
  records[2]["analysis"] = {{"warnings", {{{"code", "motion_blur"}}, {{"code", "scale_above_4x"}}}}};
  const BatchSummary s = Summarize(records);
  EXPECT_EQ(s.by_warning.at("motion_blur"), 2);  // inputs: twice in blurred.jpg counts once
  EXPECT_EQ(s.by_warning.at("scale_above_4x"), 1);
  EXPECT_EQ(s.by_check.at("halo_crispness"), 2);
  EXPECT_EQ(s.by_check.at("fidelity_psnr_db"), 1);
  EXPECT_EQ(s.by_check.count("pass"), 0u);
  const std::string text = FormatSummary(s);
  EXPECT_THAT(text, HasSubstr("warnings: 2 motion_blur, 1 scale_above_4x"));
  EXPECT_THAT(text, HasSubstr("QA checks not passed: 1 fidelity_psnr_db, 2 halo_crispness"));
  const nlohmann::json j = SummaryToJson(s);
  EXPECT_EQ(j["by_warning"]["motion_blur"], 2);
  EXPECT_EQ(j["by_check"]["halo_crispness"], 2);
  EXPECT_TRUE(j["fail_on"].is_null());
  EXPECT_EQ(j["exit_code"], 3);
}

std::vector<std::string> GateFailed(const std::string& fail_on) {
  absl::StatusOr<FailOn> gate = ParseFailOn(fail_on);
  EXPECT_TRUE(gate.ok()) << gate.status();
  std::vector<std::string> paths;
  for (const auto& [path, why] : Summarize(GateRecords(), *gate).gate_failures) paths.push_back(path);
  return paths;
}

TEST(SummarizeTest, TheFailOnGate) {
  EXPECT_THAT(GateFailed("fail"), ::testing::ElementsAre("failed.jpg"));
  EXPECT_THAT(GateFailed("warn"), ::testing::ElementsAre("blurred.jpg", "failed.jpg", "warned.jpg"));
  EXPECT_THAT(GateFailed("motion_blur"), ::testing::ElementsAre("blurred.jpg"));
  EXPECT_THAT(GateFailed("halo_crispness, motion_blur"),
              ::testing::ElementsAre("blurred.jpg", "failed.jpg", "warned.jpg"));
  EXPECT_THAT(GateFailed("scale_above_8x"), ::testing::IsEmpty());

  std::vector<nlohmann::json> passing = {QaRecord("a.jpg", "pass", {}, {}), QaRecord("b.jpg", "warn", {}, {})};
  EXPECT_EQ(Summarize(passing, *ParseFailOn("fail")).exit_code, 0);
  const BatchSummary gated = Summarize(passing, *ParseFailOn("warn"));
  EXPECT_EQ(gated.exit_code, 1);
  EXPECT_THAT(FormatSummary(gated), HasSubstr("gate --fail-on warn: 1 of 2 inputs fail it"));
  EXPECT_THAT(FormatSummary(gated), HasSubstr("gate failed: b.jpg: qa warn"));
  EXPECT_EQ(SummaryToJson(gated)["gate_failures"][0]["path"], "b.jpg");
  EXPECT_EQ(Summarize(GateRecords(), *ParseFailOn("warn")).exit_code, 3);  // the larger code stays
}

TEST(ParseFailOnTest, RefusesWhatIsNotACode) {
  EXPECT_FALSE(ParseFailOn("").ok());
  EXPECT_FALSE(ParseFailOn("warn,").ok());
  EXPECT_FALSE(ParseFailOn("Motion-Blur").ok());
  const absl::StatusOr<FailOn> ok = ParseFailOn("fail,halo_crispness");
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok->fail);
  EXPECT_FALSE(ok->warn);
  EXPECT_EQ(ok->codes, std::set<std::string>{"halo_crispness"});
  // A code that does not exist — a typo — is refused, naming it: the gate
  // "background_not_whte" used to pass every input.
  const absl::StatusOr<FailOn> typo = ParseFailOn("warn,background_not_whte");
  ASSERT_FALSE(typo.ok());
  EXPECT_THAT(std::string(typo.status().message()), HasSubstr("\"background_not_whte\" is neither a warning code"));
  for (const char* known : {"background_not_white", "marketplace_product_fill", "detail_lost_area_pct", "heavy_jpeg"})
    EXPECT_TRUE(ParseFailOn(known).ok()) << known;
  EXPECT_FALSE(ParseFailOn("marketplace_colour").ok());
}

}  // namespace
}  // namespace acuity::batch

#include "analysis/json/batch_record_json.h"

#include <gtest/gtest.h>

#include "analysis/json/plan_json.h"

namespace acuity {
namespace {

using nlohmann::json;

BatchRecord AdviseRecord() {
  BatchRecord r;
  r.header.input = {"shop/a.jpg", 81234, 1700000000123456789};
  r.header.action = "advise";
  r.header.seconds = {{"decode", 0.0123456}, {"analyse and plan", 1.5}, {"total", 1.5123456}};
  r.plan = Plan{};
  r.plan->steps.push_back({UpscaleStep{2, "esrgan-medium"}, "why"});
  return r;
}

// What a record holds comes back as it was written: the reader of resuming,
// the summary and the catalogue sees what the writer meant.
TEST(BatchRecordJsonTest, TheHeaderRoundTrips) {
  const json j = BatchRecordToJson(AdviseRecord());
  absl::StatusOr<BatchRecordHeader> h = BatchRecordHeaderFromJson(j);
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_EQ(h->input.path, "shop/a.jpg");
  EXPECT_EQ(h->input.size_bytes, 81234);
  EXPECT_EQ(h->input.mtime_ns, 1700000000123456789);  // all 19 digits: no double in between
  EXPECT_EQ(h->action, "advise");
  EXPECT_TRUE(h->ok());
  EXPECT_EQ(h->exit_code, 0);
  EXPECT_FALSE(h->retryable);
  ASSERT_EQ(h->seconds.size(), 3u);
  double decode = -1;
  for (const auto& [stage, s] : h->seconds)
    if (stage == "decode") decode = s;
  EXPECT_DOUBLE_EQ(decode, 0.012);  // to the millisecond
  // The body is the JSON library's own form of each part.
  EXPECT_EQ(j["plan"], PlanToJson(*AdviseRecord().plan));
  EXPECT_EQ(j["error"], nullptr);
  EXPECT_FALSE(j.contains("retryable"));  // only with an error
  EXPECT_FALSE(j.contains("analysis"));
  EXPECT_FALSE(j.contains("qa"));
  EXPECT_FALSE(j.contains("output"));
}

TEST(BatchRecordJsonTest, AnErrorKeepsItsReasonCodeAndRetryability) {
  BatchRecord r;
  r.header.input = {"b.png", std::nullopt, std::nullopt};
  r.header.action = "enhance";
  r.header.status = "error";
  r.header.error = "out of memory while decoding";
  r.header.exit_code = 4;
  r.header.retryable = true;
  const json j = BatchRecordToJson(r);
  EXPECT_EQ(j["error"], "out of memory while decoding");
  EXPECT_EQ(j["retryable"], true);
  EXPECT_FALSE(j["input"].contains("size_bytes"));  // not known: absent, never 0
  absl::StatusOr<BatchRecordHeader> h = BatchRecordHeaderFromJson(j);
  ASSERT_TRUE(h.ok());
  EXPECT_FALSE(h->ok());
  EXPECT_EQ(h->error, "out of memory while decoding");
  EXPECT_EQ(h->exit_code, 4);
  EXPECT_TRUE(h->retryable);
  EXPECT_EQ(h->input.size_bytes, std::nullopt);
}

TEST(BatchRecordJsonTest, ALineThatIsNoRecordIsRefused) {
  for (const char* text : {R"([1,2])", R"({"status":"ok"})", R"({"input":{"path":7}})", R"("x")"})
    EXPECT_TRUE(absl::IsInvalidArgument(BatchRecordHeaderFromJson(json::parse(text)).status())) << text;
  // Fields of the wrong type read as their defaults.
  absl::StatusOr<BatchRecordHeader> h =
      BatchRecordHeaderFromJson(json::parse(R"({"input":{"path":"a","size_bytes":"9"},"exit_code":"3"})"));
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->input.size_bytes, std::nullopt);
  EXPECT_EQ(h->exit_code, 0);
}

// An input recorded again (it changed) counts by its last record; records
// without a path are left out; the order is the paths'.
TEST(BatchRecordJsonTest, TheLastRecordOfEachInputCounts) {
  const std::vector<json> records = {
      json::parse(R"({"input":{"path":"b"},"status":"error"})"),
      json::parse(R"({"input":{"path":"a"},"status":"ok"})"),
      json::parse(R"({"status":"ok"})"),
      json::parse(R"({"input":{"path":"b"},"status":"ok"})"),
  };
  const std::vector<const json*> last = LastRecordOfEachInput(records);
  ASSERT_EQ(last.size(), 2u);
  EXPECT_EQ(last[0], &records[1]);
  EXPECT_EQ(last[1], &records[3]);
}

// What a record found comes back from what the writer wrote: warning codes
// of the analysis then the plan, each once; the QA verdict and the checks
// that did not pass; the plan's ops. The summary, its gate and the catalogue
// all read a record through this.
TEST(BatchRecordJsonTest, WhatARecordFoundIsReadBack) {
  BatchRecord r = AdviseRecord();
  r.plan->warnings = {{"small_face", "m"}, {"heavy_jpeg", "m"}};
  r.plan->steps.push_back({SharpenStep{0.8, 1.2}, "why"});
  r.qa = BatchRecordQa{};
  r.qa->report.verdict = QaStatus::kWarn;
  for (const auto& [name, status] : {std::pair{"fidelity_psnr_db", QaStatus::kPass},
                                     std::pair{"halo_overshoot_pct", QaStatus::kWarn},
                                     std::pair{"tile_seam_strength", QaStatus::kFail}}) {
    QaCheck check;
    check.name = name;
    check.status = status;
    r.qa->report.checks.push_back(check);
  }
  json j = BatchRecordToJson(r);
  j["analysis"] = {{"warnings", json::array({{{"code", "heavy_jpeg"}}, {{"code", "severe_blur"}}})}};
  const BatchRecordFindings f = BatchRecordFindingsFromJson(j);
  EXPECT_EQ(f.warnings, (std::vector<std::string>{"heavy_jpeg", "severe_blur", "small_face"}));
  ASSERT_TRUE(f.qa_verdict.has_value());
  EXPECT_EQ(*f.qa_verdict, "warn");
  EXPECT_EQ(f.qa_not_passed, (std::vector<std::string>{"halo_overshoot_pct", "tile_seam_strength"}));
  ASSERT_TRUE(f.steps.has_value());
  EXPECT_EQ(*f.steps, (std::vector<std::string>{"upscale", "sharpen"}));
  // Without QA or a plan, those read as absent, not as empty.
  BatchRecord bare;
  bare.header.input = {"b.jpg", 1, 1};
  const BatchRecordFindings none = BatchRecordFindingsFromJson(BatchRecordToJson(bare));
  EXPECT_FALSE(none.qa_verdict.has_value());
  EXPECT_FALSE(none.steps.has_value());
  EXPECT_TRUE(none.warnings.empty());
}

}  // namespace
}  // namespace acuity

#include "viewer/triage.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/testing/test_images.h"

namespace acuity::viewer {
namespace {

using nlohmann::json;

// A record shaped like acuity batch's (docs/batch.md): a QA verdict when
// `qa` is set, else the verdict comes from warnings and steps.
json Record(const std::string& path, const std::string& qa, std::vector<std::string> warnings,
            double blur_px, const std::string& status = "ok") {
  json w = json::array();
  for (const std::string& code : warnings) w.push_back({{"code", code}, {"message", "m"}});
  json r = {{"input", {{"path", path}, {"size_bytes", 1000}, {"mtime_ns", 1}}},
            {"do", "qa"},
            {"status", status},
            {"error", status == "ok" ? json(nullptr) : json("not a JPEG file")},
            {"analysis",
             {{"input", {{"path", "/photos/" + path}}},
              {"warnings", w},
              {"sharpness", {{"blur_sigma_px", blur_px}}},
              {"noise", {{"sigma", 1.0}}},
              {"compression", {{"jpeg_quality_estimate", 90}}},
              {"resolution", {{"native_scale", 1.0}}}}},
            {"plan", {{"steps", json::array({{{"op", "upscale"}}})}, {"warnings", json::array()}}}};
  if (!qa.empty())
    r["qa"] = {{"verdict", qa},
               {"checks", json::array({{{"name", "halo_crispness"}, {"status", qa}}})}};
  return r;
}

// A batch's --out folder holding `records` (removed at the end of the test).
class Batch {
 public:
  explicit Batch(const std::vector<json>& records) {
    std::ofstream out(std::filesystem::path(scratch_.path()) / "results.jsonl");
    for (const json& r : records) out << r.dump() << "\n";
  }
  const std::string& dir() const { return scratch_.path(); }

 private:
  testing::ScratchDir scratch_;
};

std::vector<std::string> ListedPaths(const Triage& t) {
  std::vector<std::string> out;
  for (int i : t.rows()) out.push_back(t.items()[i].path);
  return out;
}

std::unique_ptr<Triage> OpenOrDie(const std::string& dir) {
  absl::StatusOr<std::unique_ptr<Triage>> t = Triage::Open(dir);
  EXPECT_TRUE(t.ok()) << t.status();
  return t.ok() ? *std::move(t) : nullptr;
}

TEST(TriageTest, ListsTheLastRecordOfEachInputWorstFirst) {
  const Batch batch({Record("a.jpg", "pass", {}, 0.5), Record("b.jpg", "fail", {}, 0.5),
                     Record("c.jpg", "warn", {"heavy_jpeg"}, 0.5),
                     Record("d.jpg", "", {}, 0.5, "error"), Record("a.jpg", "warn", {}, 0.5)});
  const std::string& dir = batch.dir();  // a.jpg again: this one counts
  std::unique_ptr<Triage> t = OpenOrDie(dir);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(ListedPaths(*t), (std::vector<std::string>{"d.jpg", "b.jpg", "c.jpg", "a.jpg"}));
  EXPECT_EQ(t->selected_row(), 0);
  t->SetSort(TriageSort::kPath);
  EXPECT_EQ(ListedPaths(*t), (std::vector<std::string>{"a.jpg", "b.jpg", "c.jpg", "d.jpg"}));
  EXPECT_EQ(t->selected_item(), std::optional<int>(0)) << "the selection stays on d.jpg";
  EXPECT_EQ(t->items()[*t->selected_item()].path, "d.jpg");
}

TEST(TriageTest, AFolderWithoutResultsIsNotABatch) {
  absl::StatusOr<std::unique_ptr<Triage>> t = Triage::Open(testing::ScratchDir().path());
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(std::string(t.status().message()).find("results"), std::string::npos);
}

TEST(TriageTest, FiltersByVerdictCodeAndDecision) {
  const Batch batch({Record("a.jpg", "pass", {}, 0.5),
                     Record("b.jpg", "fail", {"severe_blur"}, 4.0),
                     Record("c.jpg", "fail", {}, 0.5), Record("e.jpg", "", {"heavy_jpeg"}, 0.5)});
  const std::string& dir = batch.dir();
  std::unique_ptr<Triage> t = OpenOrDie(dir);
  ASSERT_NE(t, nullptr);
  ASSERT_TRUE(t->SetFilter("fail").ok());
  EXPECT_EQ(ListedPaths(*t), (std::vector<std::string>{"b.jpg", "c.jpg"}));
  ASSERT_TRUE(t->SetFilter("severe_blur").ok());
  EXPECT_EQ(ListedPaths(*t), (std::vector<std::string>{"b.jpg"}));
  ASSERT_TRUE(t->SetFilter("halo_crispness").ok()) << "a QA check that did not pass is a code too";
  EXPECT_EQ(ListedPaths(*t), (std::vector<std::string>{"b.jpg", "c.jpg"}));
  ASSERT_TRUE(t->SetFilter("warn").ok());
  EXPECT_EQ(ListedPaths(*t), (std::vector<std::string>{"e.jpg"})) << "no QA: warnings make it warn";
  const absl::Status bad = t->SetFilter("blurry");
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(bad.message()).find("severe_blur"), std::string::npos) << bad;
  EXPECT_EQ(t->filter(), "warn") << "a refused filter changes nothing";
  ASSERT_TRUE(t->SetFilter("pass").ok());
  ASSERT_TRUE(t->SetFilter("measured").ok()) << "every catalogue verdict is a filter";
  EXPECT_TRUE(t->rows().empty());
  ASSERT_TRUE(t->SetFilter("rejected").ok());
  EXPECT_TRUE(t->rows().empty());
  EXPECT_EQ(t->selected_row(), -1);
  EXPECT_EQ(t->Move(1).code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(t->Decide(Decision::kAccepted).code(), absl::StatusCode::kFailedPrecondition);
}

TEST(TriageTest, MovesWithinTheList) {
  const Batch batch({Record("a.jpg", "pass", {}, 0.5), Record("b.jpg", "pass", {}, 0.5),
                     Record("c.jpg", "pass", {}, 0.5)});
  const std::string& dir = batch.dir();
  std::unique_ptr<Triage> t = OpenOrDie(dir);
  ASSERT_NE(t, nullptr);
  ASSERT_TRUE(t->Move(+1).ok());
  EXPECT_EQ(t->selected_row(), 1);
  ASSERT_TRUE(t->Move(+10).ok());
  EXPECT_EQ(t->selected_row(), 2);
  ASSERT_TRUE(t->Move(-10).ok());
  EXPECT_EQ(t->selected_row(), 0);
  EXPECT_EQ(t->Select(3).code(), absl::StatusCode::kOutOfRange);
  ASSERT_TRUE(t->Select(2).ok());
  EXPECT_EQ(t->items()[*t->selected_item()].path, "c.jpg");
}

TEST(TriageTest, DecisionsAreAppendedAndResumedLastOneWins) {
  const Batch batch({Record("a.jpg", "fail", {}, 0.5), Record("b.jpg", "pass", {}, 0.5),
                     Record("c.jpg", "pass", {}, 0.5)});
  const std::string& dir = batch.dir();
  {
    std::unique_ptr<Triage> t = OpenOrDie(dir);
    ASSERT_NE(t, nullptr);
    ASSERT_TRUE(t->Decide(Decision::kRejected).ok());  // a.jpg
    ASSERT_TRUE(t->Move(1).ok());
    ASSERT_TRUE(t->Decide(Decision::kAccepted).ok());  // b.jpg
    ASSERT_TRUE(t->Move(-1).ok());
    ASSERT_TRUE(t->Decide(Decision::kAccepted).ok());  // a.jpg changes its mind
    EXPECT_EQ(t->accepted(), 2);
    EXPECT_EQ(t->rejected(), 0);
  }
  // Three lines on disk, each a JSON object naming the input and the decision.
  std::ifstream in(std::filesystem::path(dir) / kDecisionsFile);
  std::vector<json> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0]["path"], "a.jpg");
  EXPECT_EQ(lines[0]["decision"], "rejected");
  EXPECT_EQ(lines[1]["path"], "b.jpg");
  EXPECT_EQ(lines[2]["decision"], "accepted");
  EXPECT_EQ(lines[2]["verdict"], "fail");
  // A crash in the middle of a line leaves a torn line: ignored on reading, cut before the next
  // append.
  std::ofstream(std::filesystem::path(dir) / kDecisionsFile, std::ios::app)
      << R"({"path":"c.jpg","decis)";
  std::unique_ptr<Triage> again = OpenOrDie(dir);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->accepted(), 2);
  EXPECT_EQ(again->DecisionOf(0), std::optional<Decision>(Decision::kAccepted));
  ASSERT_TRUE(again->SetFilter("undecided").ok());
  EXPECT_EQ(ListedPaths(*again), (std::vector<std::string>{"c.jpg"}));
  ASSERT_TRUE(again->Decide(Decision::kRejected).ok());
  std::unique_ptr<Triage> third = OpenOrDie(dir);
  ASSERT_NE(third, nullptr);
  EXPECT_EQ(third->rejected(), 1);
  ASSERT_TRUE(third->SetFilter("rejected").ok());
  EXPECT_EQ(ListedPaths(*third), (std::vector<std::string>{"c.jpg"}));
}

TEST(TriageTest, DecidingUnderADecisionFilterBringsUpTheNextItem) {
  const Batch batch(std::vector<json>{Record("a.jpg", "pass", {}, 0.5),
                                      Record("b.jpg", "pass", {}, 0.5),
                                      Record("c.jpg", "pass", {}, 0.5)});
  std::unique_ptr<Triage> t = OpenOrDie(batch.dir());
  ASSERT_NE(t, nullptr);
  ASSERT_TRUE(t->SetFilter("undecided").ok());
  ASSERT_TRUE(t->Select(1).ok());  // b.jpg
  ASSERT_TRUE(t->Decide(Decision::kAccepted).ok());
  EXPECT_EQ(ListedPaths(*t), (std::vector<std::string>{"a.jpg", "c.jpg"}));
  EXPECT_EQ(t->items()[*t->selected_item()].path, "c.jpg") << "the row after the decided item";
  ASSERT_TRUE(t->Decide(Decision::kRejected).ok());  // c.jpg, the last row
  EXPECT_EQ(t->items()[*t->selected_item()].path, "a.jpg");
  ASSERT_TRUE(t->Decide(Decision::kRejected).ok());
  EXPECT_TRUE(t->rows().empty());
  EXPECT_EQ(t->selected_row(), -1);
}

TEST(TriageTest, RecordPathsResolveFromWhereTheBatchRan) {
  // `acuity batch --out out in/` run in a folder P records "in/x.jpg"; a
  // viewer started elsewhere with P/out finds it beside out.
  testing::ScratchDir p;
  std::filesystem::create_directories(p.Path("in"));
  std::filesystem::create_directories(p.Path("out"));
  testing::WriteBytes(p.Path("in/x.jpg"), "x");
  EXPECT_EQ(ResolveBatchPath(p.Path("out"), "in/x.jpg"), p.Path("in/x.jpg"));
  EXPECT_EQ(ResolveBatchPath(p.Path("out"), p.Path("in/x.jpg")), p.Path("in/x.jpg"))
      << "absolute: as it is";
  EXPECT_EQ(ResolveBatchPath(p.Path("out"), "in/missing.jpg"), "in/missing.jpg")
      << "not found: unchanged";
  EXPECT_EQ(ResolveBatchPath(p.Path("out"), ""), "");
}

TEST(TriageTest, ADecisionHoldsForTheFileItWasMadeOn) {
  const Batch batch(
      std::vector<json>{Record("a.jpg", "pass", {}, 0.5), Record("b.jpg", "pass", {}, 0.5)});
  {
    std::unique_ptr<Triage> t = OpenOrDie(batch.dir());
    ASSERT_NE(t, nullptr);
    ASSERT_TRUE(t->Decide(Decision::kRejected).ok());  // a.jpg
    ASSERT_TRUE(t->Move(1).ok());
    ASSERT_TRUE(t->Decide(Decision::kAccepted).ok());  // b.jpg
  }
  // The batch ran again: a.jpg had changed (another mtime) and was done again.
  json again = Record("a.jpg", "pass", {}, 0.5);
  again["input"]["mtime_ns"] = 2;
  std::ofstream(std::filesystem::path(batch.dir()) / "results.jsonl", std::ios::app)
      << again.dump() << "\n";
  std::unique_ptr<Triage> t = OpenOrDie(batch.dir());
  ASSERT_NE(t, nullptr);
  ASSERT_TRUE(t->SetFilter("undecided").ok());
  EXPECT_EQ(ListedPaths(*t), (std::vector<std::string>{"a.jpg"}));
  EXPECT_EQ(t->accepted(), 1);
  EXPECT_EQ(t->rejected(), 0);
}

TEST(TriageTest, ADecisionThatCannotBeWrittenIsNotRecorded) {
  const Batch batch(std::vector<json>{Record("a.jpg", "pass", {}, 0.5)});
  const std::string& dir = batch.dir();
  std::filesystem::create_directory(std::filesystem::path(dir) /
                                    kDecisionsFile);  // in the way of the file
  std::unique_ptr<Triage> t = OpenOrDie(dir);
  ASSERT_NE(t, nullptr);
  const absl::Status s = t->Decide(Decision::kAccepted);
  EXPECT_FALSE(s.ok());
  EXPECT_FALSE(t->DecisionOf(0).has_value());
  EXPECT_EQ(t->accepted(), 0);
}

TEST(TriageTest, TheBatchTargetComesFromItsManifest) {
  const Batch batch(std::vector<json>{Record("a.jpg", "pass", {}, 0.5)});
  const std::string& dir = batch.dir();
  std::ofstream(std::filesystem::path(dir) / "batch.json")
      << R"({"acuity_version": "0.1.0", "options": {"do": "qa", "target": "2000px"}})";
  std::unique_ptr<Triage> t = OpenOrDie(dir);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->target(), "2000px");
}

TEST(TriageTest, TheWorstReadingIsTheOneFurthestPastItsBound) {
  batch::CatalogueItem item;
  item.blur_sigma_px = 0.5;  // sharp: within its bound
  item.noise_sigma_8bit = 1.0;
  EXPECT_EQ(WorstReadingOf(item).text, "");
  item.jpeg_quality = 25;    // half the deblock bound (50): 2× past it
  item.blur_sigma_px = 1.8;  // 1.5× the sharpen bound (1.2 px)
  EXPECT_EQ(WorstReadingOf(item).text, "JPEG q25");
  EXPECT_DOUBLE_EQ(WorstReadingOf(item).badness, 2.0);
  item.blur_sigma_px = 3.6;  // 3×
  EXPECT_EQ(WorstReadingOf(item).text, "blur σ 3.6 px");
  item.native_scale = 0.25;  // 3× below 0.75
  item.blur_sigma_px.reset();
  EXPECT_EQ(WorstReadingOf(item).text, "native scale 0.25");
}

}  // namespace
}  // namespace acuity::viewer

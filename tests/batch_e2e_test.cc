// End-to-end tests of `acuity batch`: the real binary over folders of small
// images made from real photos — the JSON Lines records (the same objects as
// the single-file commands print), resuming after a real SIGKILL, Ctrl-C
// (a real SIGINT), shards, the memory budget and the summary.

#include <filesystem>
#include <map>
#include <set>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "tests/testing/run_program.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::RunResult;
using testing::ScratchDir;

RunResult RunAcuity(const std::string& logs, const std::vector<std::string>& args, const std::string& prefix = "") {
  return testing::RunProgram(ACUITY_BINARY, logs, args, prefix);
}

// `count` small JPEGs (and PNGs) cut from the scikit-image photos, some in
// sub-folders, under `dir`.
void MakePhotos(const std::string& dir, int count, int side_px = 64) {
  const char* names[] = {"astronaut", "coffee", "chelsea", "rocket"};
  for (int i = 0; i < count; ++i) {
    const cv::Mat photo = testing::LoadPhoto(names[i % 4]);
    const int x = (i * 37) % (photo.cols - 2 * side_px), y = (i * 23) % (photo.rows - 2 * side_px);
    cv::Mat crop;
    cv::resize(photo(cv::Rect(x, y, 2 * side_px, 2 * side_px)), crop, cv::Size(side_px, side_px), 0, 0,
               cv::INTER_AREA);
    const std::string sub = i % 3 == 0 ? "" : (i % 3 == 1 ? "a/" : "b/c/");
    fs::create_directories(dir + "/" + sub);
    const std::string name = dir + "/" + sub + "p" + std::to_string(i) + (i % 5 == 4 ? ".png" : ".jpg");
    ASSERT_TRUE(cv::imwrite(name, crop));
  }
}

struct Results {
  std::vector<nlohmann::json> records;
  int torn = 0;
};

Results ReadJsonl(const std::string& path) {
  Results r;
  std::istringstream in(testing::ReadBytes(path));
  std::string line;
  while (std::getline(in, line)) {
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_object()) {
      r.records.push_back(j);
    } else {
      ++r.torn;
    }
  }
  return r;
}

std::map<std::string, nlohmann::json> ByPath(const std::vector<nlohmann::json>& records) {
  std::map<std::string, nlohmann::json> out;
  for (const nlohmann::json& r : records) {
    const std::string path = r["input"]["path"];
    EXPECT_EQ(out.count(path), 0u) << path << " recorded twice";
    out[path] = r;
  }
  return out;
}

TEST(BatchTest, FolderRecordsHoldWhatAnalyzeAndAdvisePrint) {
  ScratchDir dir;
  MakePhotos(dir.Path("in"), 5);
  testing::WriteBytes(dir.Path("in/a/broken.jpg"), "not a jpeg at all");
  testing::WriteBytes(dir.Path("in/notes.txt"), "not listed");
  const RunResult r = RunAcuity(dir.path(), {"batch", "--out", dir.Path("out"), "--do", "advise", "--jobs", "2",
                                             "--target", "200px", dir.Path("in")});
  EXPECT_EQ(r.exit_code, 3) << r.err;  // one unreadable input
  EXPECT_THAT(r.err, HasSubstr("acuity: " + dir.Path("in/a/broken.jpg") + ": "));
  EXPECT_THAT(r.out, HasSubstr("summary: 6 inputs: 1 error, 5 ok"));
  const Results results = ReadJsonl(dir.Path("out/results.jsonl"));
  EXPECT_EQ(results.torn, 0);
  const auto records = ByPath(results.records);
  ASSERT_EQ(records.size(), 6u);
  const nlohmann::json& bad = records.at("a/broken.jpg");
  EXPECT_EQ(bad["status"], "error");
  EXPECT_TRUE(bad["error"].is_string());
  EXPECT_EQ(bad["exit_code"], 3);
  EXPECT_FALSE(bad.contains("analysis"));

  const nlohmann::json& ok = records.at("a/p1.jpg");
  EXPECT_EQ(ok["status"], "ok");
  EXPECT_TRUE(ok["error"].is_null());
  EXPECT_EQ(ok["do"], "advise");
  EXPECT_EQ(ok["input"]["size_bytes"], fs::file_size(dir.Path("in/a/p1.jpg")));
  EXPECT_GT(ok["input"]["mtime_ns"].get<int64_t>(), 0);
  const RunResult single = RunAcuity(dir.Path("out"), {"advise", "--json", "--target", "200px",
                                                       ok["analysis"]["input"]["path"].get<std::string>()});
  ASSERT_EQ(single.exit_code, 0) << single.err;
  nlohmann::json expected = nlohmann::json::parse(single.out);
  EXPECT_EQ(ok["plan"], expected["plan"]);
  expected.erase("plan");
  EXPECT_EQ(ok["analysis"], expected);  // exactly what `acuity analyze --json` prints
}

TEST(BatchTest, EnhanceMirrorsTheInputsAndRecordsWhatQaPrints) {
  ScratchDir dir;
  MakePhotos(dir.Path("in"), 3, 48);
  const RunResult r = RunAcuity(dir.path(), {"batch", "--out", dir.Path("out"), "--do", "enhance", "--steps",
                                             "upscale:2,sharpen:0.3", "--model", "esrgan-slim", dir.Path("in")});
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  const auto records = ByPath(ReadJsonl(dir.Path("out/results.jsonl")).records);
  ASSERT_EQ(records.size(), 3u);
  const nlohmann::json& rec = records.at("a/p1.jpg");
  ASSERT_EQ(rec["status"], "ok") << rec.dump();
  EXPECT_EQ(rec["output"], dir.Path("out/a/p1.jpg"));
  EXPECT_FALSE(rec.contains("analysis"));  // explicit steps: no analysis
  EXPECT_EQ(rec["plan"]["steps"].size(), 2u);
  const cv::Mat out = cv::imread(dir.Path("out/a/p1.jpg"));
  EXPECT_EQ(out.cols, 96);
  const RunResult qa = RunAcuity(dir.Path("out"), {"qa", "--json", dir.Path("in/a/p1.jpg"), dir.Path("out/a/p1.jpg")});
  ASSERT_LE(qa.exit_code, 1) << qa.err;
  EXPECT_EQ(rec["qa"], nlohmann::json::parse(qa.out));
  EXPECT_EQ(rec["exit_code"], qa.exit_code);
  // Where this input's time went, stage by stage (docs/batch.md): they add up to the total.
  const nlohmann::json& seconds = rec["seconds"];
  double sum = 0;
  for (const char* stage : {"decode", "plan", "steps", "write", "qa"}) {
    ASSERT_TRUE(seconds.contains(stage)) << seconds.dump();
    EXPECT_GE(seconds[stage].get<double>(), 0.0) << stage;
    sum += seconds[stage].get<double>();
  }
  EXPECT_NEAR(sum, seconds["total"].get<double>(), 0.01) << seconds.dump();
  EXPECT_GT(seconds["steps"].get<double>(), 0.0) << "an upscale ran";

  // --do qa: the same plan and check, nothing written.
  const RunResult dry = RunAcuity(dir.path(), {"batch", "--out", dir.Path("dry"), "--do", "qa", "--steps",
                                               "upscale:2,sharpen:0.3", "--model", "esrgan-slim", dir.Path("in")});
  ASSERT_LE(dry.exit_code, 1) << dry.err;
  const auto dry_records = ByPath(ReadJsonl(dir.Path("dry/results.jsonl")).records);
  EXPECT_EQ(dry_records.at("a/p1.jpg")["qa"]["verdict"], rec["qa"]["verdict"]);
  EXPECT_FALSE(fs::exists(dir.Path("dry/a/p1.jpg")));
}

// Two workers writing acuity's record into their files at once crashed in
// Exiv2's XMP toolkit, whose initialize() is not thread-safe (exit 139 in 29
// of 40 such runs on an idle 2-core machine; the gate test below caught it
// now and then). It is made ready once, under a lock (exiv2_ready.h): each
// fresh process is a new chance of the race.
TEST(BatchTest, WorkersWritingMetadataAtOnceDoNotCrash) {
  ScratchDir dir;
  MakePhotos(dir.Path("in"), 2, 64);
  for (int run = 0; run < 8; ++run) {
    const std::string out = dir.Path("out" + std::to_string(run));
    const RunResult r =
        RunAcuity(dir.path(), {"batch", "--out", out, "--do", "enhance", "--steps", "sharpen:1", "--jobs", "2",
                               dir.Path("in")});
    ASSERT_EQ(r.exit_code, 0) << "run " << run << ": " << r.err;
    EXPECT_EQ(ReadJsonl(out + "/results.jsonl").records.size(), 2u);
  }
}

TEST(BatchTest, ListsAndResumeSkipWhatIsRecordedUnlessItChanged) {
  ScratchDir dir;
  MakePhotos(dir.Path("in"), 4);
  testing::WriteBytes(dir.Path("list.txt"), dir.Path("in/p0.jpg") + "\n" + dir.Path("in/a") + "\n");
  const std::vector<std::string> args = {"batch", "--out", dir.Path("out"), "@" + dir.Path("list.txt")};
  const RunResult first = RunAcuity(dir.path(), args);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(ReadJsonl(dir.Path("out/results.jsonl")).records.size(), 2u);  // p0 and a/p1
  const RunResult again = RunAcuity(dir.path(), args);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.err, HasSubstr("2 of 2 inputs already recorded, skipped"));
  EXPECT_EQ(ReadJsonl(dir.Path("out/results.jsonl")).records.size(), 2u);
  fs::last_write_time(dir.Path("in/a/p1.jpg"), fs::file_time_type::clock::now() + std::chrono::seconds(5));
  const RunResult changed = RunAcuity(dir.path(), args);
  ASSERT_EQ(changed.exit_code, 0) << changed.err;
  EXPECT_THAT(changed.err, HasSubstr("1 of 2 inputs already recorded"));
  EXPECT_EQ(ReadJsonl(dir.Path("out/results.jsonl")).records.size(), 3u);
  EXPECT_THAT(changed.out, HasSubstr("summary: 2 inputs: 2 ok"));  // its last record counts
}

// An --out inside the input folder: its enhanced files are no inputs of a
// rerun (they were: every rerun found "new" inputs, out/p0.jpg, …).
TEST(BatchTest, AnOutInsideTheInputFolderIsNotAnInput) {
  ScratchDir dir;
  MakePhotos(dir.Path("in"), 3);
  const std::vector<std::string> args = {"batch", "--out", dir.Path("in/out"), "--do", "enhance", "--steps",
                                         "sharpen:0.3", dir.Path("in")};
  const RunResult first = RunAcuity(dir.path(), args);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_TRUE(fs::exists(dir.Path("in/out/p0.jpg")));
  const RunResult again = RunAcuity(dir.path(), args);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.err, HasSubstr("3 of 3 inputs already recorded, skipped"));
  EXPECT_THAT(again.err, HasSubstr("0 to do"));
  EXPECT_EQ(ReadJsonl(dir.Path("in/out/results.jsonl")).records.size(), 3u);
}

// Two runs on one --out at once: the second is refused (exit 4, one line),
// and the first records each input once.
TEST(BatchTest, ASecondRunOnTheSameOutIsRefusedWhileTheFirstWrites) {
  ScratchDir dir;
  MakePhotos(dir.Path("in"), 6, 128);
  std::string first = testing::ShellQuote(ACUITY_BINARY);
  for (const char* a : {"batch", "--jobs", "1", "--out"}) first += std::string(" ") + a;
  first += " " + testing::ShellQuote(dir.Path("out")) + " " + testing::ShellQuote(dir.Path("in"));
  const std::string results = testing::ShellQuote(dir.Path("out/results.jsonl"));
  // The second starts once the first has written its first record.
  const std::string script = first + " 2>/dev/null & pid=$!; for i in $(seq 600); do [ -s " + results +
                             " ] && break; sleep 0.02; done; " + first + "; code=$?; wait $pid; exit $code";
  const RunResult second = testing::RunProgram("/bin/sh", dir.path(), {"-c", script});
  if (second.exit_code == 0) GTEST_SKIP() << "the first run ended before the second started";
  EXPECT_EQ(second.exit_code, 4) << second.err;
  EXPECT_THAT(second.err, HasSubstr("another acuity batch is writing it"));
  ByPath(ReadJsonl(dir.Path("out/results.jsonl")).records);  // each input once
  EXPECT_EQ(ReadJsonl(dir.Path("out/results.jsonl")).records.size(), 6u);
}

// Starts `acuity batch ARGS` in the background, waits until OUT/results.jsonl
// has `lines` lines, sends `signal`, and returns the batch's exit code.
RunResult InterruptAfter(const ScratchDir& dir, const std::vector<std::string>& args, int lines,
                         const std::string& signal) {
  std::string command = testing::ShellQuote(ACUITY_BINARY);
  for (const std::string& a : args) command += " " + testing::ShellQuote(a);
  const std::string results = testing::ShellQuote(dir.Path("out/results.jsonl"));
  const std::string script = command + " & pid=$!; for i in $(seq 600); do n=$(cat " + results +
                             " 2>/dev/null | wc -l); [ \"$n\" -ge " + std::to_string(lines) +
                             " ] && break; sleep 0.05; done; kill -" + signal + " $pid; wait $pid; exit $?";
  return testing::RunProgram("/bin/sh", dir.path(), {"-c", script});
}

TEST(BatchTest, ResumeAfterSigkillLeavesNoDuplicateNoTornLineNoPartialOutput) {
  ScratchDir dir;
  MakePhotos(dir.Path("in"), 12, 96);
  const std::vector<std::string> args = {"batch", "--out", dir.Path("out"), "--do", "enhance", "--steps",
                                         "upscale:2", "--model", "esrgan-slim", "--jobs", "2", dir.Path("in")};
  const RunResult killed = InterruptAfter(dir, args, 3, "KILL");
  EXPECT_EQ(killed.exit_code, 128 + 9) << killed.err;
  const Results partial = ReadJsonl(dir.Path("out/results.jsonl"));
  ASSERT_GE(partial.records.size(), 3u);
  ASSERT_LT(partial.records.size(), 12u) << "the kill came too late to test anything";
  // Every output file under its final name is complete.
  for (const auto& e : fs::recursive_directory_iterator(dir.Path("out"))) {
    const std::string name = e.path().filename().string();
    const bool image = e.path().extension() == ".jpg" || e.path().extension() == ".png";
    if (image && name[0] != '.') {
      EXPECT_FALSE(cv::imread(e.path().string()).empty()) << e.path();
    }
  }
  const RunResult resumed = RunAcuity(dir.path(), args);
  ASSERT_EQ(resumed.exit_code == 0 || resumed.exit_code == 1, true) << resumed.err;
  const Results all = ReadJsonl(dir.Path("out/results.jsonl"));
  EXPECT_EQ(all.torn, 0);
  EXPECT_EQ(ByPath(all.records).size(), 12u);  // ByPath fails on a path recorded twice
  for (size_t i = 0; i < partial.records.size(); ++i) EXPECT_EQ(all.records[i], partial.records[i]);
  for (const auto& e : fs::recursive_directory_iterator(dir.Path("out"))) {
    EXPECT_THAT(e.path().filename().string(), ::testing::Not(HasSubstr(".tmp-"))) << "a temporary file was left";
    if (e.path().extension() == ".jpg") {
      EXPECT_EQ(cv::imread(e.path().string()).cols, 192) << e.path();
    }
  }
}

TEST(BatchTest, CtrlCStopsAfterTheFilesInFlightSaysHowToResumeAndExits130) {
  ScratchDir dir;
  MakePhotos(dir.Path("in"), 40, 96);
  const std::vector<std::string> args = {"batch", "--out", dir.Path("out"), "--jobs", "1", dir.Path("in")};
  const RunResult interrupted = InterruptAfter(dir, args, 2, "INT");
  EXPECT_EQ(interrupted.exit_code, 130) << interrupted.err;
  EXPECT_THAT(interrupted.err, HasSubstr("run the same command again to resume"));
  const Results partial = ReadJsonl(dir.Path("out/results.jsonl"));
  EXPECT_EQ(partial.torn, 0);
  ASSERT_LT(partial.records.size(), 40u);
  const RunResult resumed = RunAcuity(dir.path(), args);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(ByPath(ReadJsonl(dir.Path("out/results.jsonl")).records).size(), 40u);
}

// The watchdog (--stall-limit): an input whose work reports no progress
// for the limit is recorded as a retryable error, the run ends after the
// files in flight with exit 4 instead of waiting for ever, a rerun goes on
// with the inputs not recorded, and --retry-failed finishes the stalled
// one. The stall is real time without progress: a limit of 1.5 s is
// shorter than one stage of the analysis of a 16 MP photo (3.5–4 s on 2
// idle cores; longer under load, as the test wants), while the 64-px photos
// report each stage well within it (a limit of 0.5 s was exceeded by a
// 64-px photo about once in 15 runs of the whole suite at -j2).
TEST(BatchTest, AnInputWithoutProgressIsRecordedAsStalledAndTheRunEnds) {
  ScratchDir dir;
  fs::create_directories(dir.Path("in"));
  const cv::Mat photo = testing::LoadPhoto("astronaut");
  cv::Mat big, small;
  cv::resize(photo, big, cv::Size(4600, 3460), 0, 0, cv::INTER_CUBIC);
  cv::resize(photo, small, cv::Size(64, 64), 0, 0, cv::INTER_AREA);
  ASSERT_TRUE(cv::imwrite(dir.Path("in/m_big.jpg"), big, {cv::IMWRITE_JPEG_QUALITY, 90}));
  for (const char* name : {"a_small.png", "b_small.png", "z_small.png"}) ASSERT_TRUE(cv::imwrite(dir.Path("in/") + name, small));
  std::vector<std::string> args = {"batch", "--out", dir.Path("out"), "--do", "advise", "--jobs", "1",
                                   "--stall-limit", "1.5", dir.Path("in")};
  const RunResult stalled = RunAcuity(dir.path(), args);
  EXPECT_EQ(stalled.exit_code, 4) << stalled.err;
  EXPECT_THAT(stalled.err, HasSubstr("m_big.jpg: no progress in"));
  EXPECT_THAT(stalled.err, HasSubstr("--retry-failed"));
  std::map<std::string, nlohmann::json> records = ByPath(ReadJsonl(dir.Path("out/results.jsonl")).records);
  ASSERT_EQ(records.size(), 3u) << stalled.err << "z_small.png comes after the stall: not started";
  EXPECT_EQ(records["a_small.png"]["status"], "ok");
  EXPECT_EQ(records["b_small.png"]["status"], "ok");
  EXPECT_EQ(records["m_big.jpg"]["status"], "error");
  EXPECT_EQ(records["m_big.jpg"]["retryable"], true);
  EXPECT_EQ(records["m_big.jpg"]["exit_code"], 4);
  // Run again: the inputs not recorded are done, the stalled one is kept as recorded.
  args[8] = "0";  // --stall-limit 0: never
  const RunResult resumed = RunAcuity(dir.path(), args);
  EXPECT_EQ(resumed.exit_code, 4) << resumed.err << "the summary still counts the stalled input's error";
  records = ByPath(ReadJsonl(dir.Path("out/results.jsonl")).records);
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records["z_small.png"]["status"], "ok");
  args.insert(args.end() - 1, "--retry-failed");
  const RunResult retried = RunAcuity(dir.path(), args);
  EXPECT_EQ(retried.exit_code, 0) << retried.err;
  const Results all = ReadJsonl(dir.Path("out/results.jsonl"));
  ASSERT_EQ(all.records.size(), 5u);
  EXPECT_EQ(all.records.back()["input"]["path"], "m_big.jpg");
  EXPECT_EQ(all.records.back()["status"], "ok");
}

TEST(BatchTest, ShardsAreDisjointTheirUnionIsTheWholeRunAndSummaryCountsThemAll) {
  ScratchDir dir;
  MakePhotos(dir.Path("in"), 15);
  testing::WriteBytes(dir.Path("in/b/bad.png"), "truncated");
  const RunResult whole = RunAcuity(dir.path(), {"batch", "--out", dir.Path("whole"), dir.Path("in")});
  ASSERT_EQ(whole.exit_code, 3) << whole.err;
  std::map<std::string, nlohmann::json> merged;
  for (int i = 0; i < 3; ++i) {
    const std::string shard = std::to_string(i) + "/3";
    const RunResult r = RunAcuity(dir.path(), {"batch", "--out", dir.Path("sharded"), "--shard", shard, dir.Path("in")});
    ASSERT_LE(r.exit_code, 3) << r.err;
    const std::string file = dir.Path("sharded/results.shard-" + std::to_string(i) + "-of-3.jsonl");
    for (const auto& [path, record] : ByPath(ReadJsonl(file).records)) {
      EXPECT_EQ(merged.count(path), 0u) << path << " in two shards";
      merged[path] = record;
    }
  }
  const auto expected = ByPath(ReadJsonl(dir.Path("whole/results.jsonl")).records);
  ASSERT_EQ(merged.size(), expected.size());
  for (const auto& [path, record] : expected) {
    ASSERT_EQ(merged.count(path), 1u) << path;
    EXPECT_EQ(merged[path].value("analysis", nlohmann::json()), record.value("analysis", nlohmann::json()))
        << path;  // the same figures
    EXPECT_EQ(merged[path]["status"], record["status"]) << path;
  }
  const RunResult summary = RunAcuity(dir.path(), {"batch", "--summary", dir.Path("sharded")});
  EXPECT_EQ(summary.exit_code, 3);
  EXPECT_THAT(summary.out, HasSubstr("summary: 16 inputs: 1 error, 15 ok"));
  EXPECT_THAT(summary.out, HasSubstr("failed: b/bad.png"));
}

TEST(BatchTest, TheMemoryBudgetLowersTheParallelismForBigUpscales) {
  ScratchDir dir;
  MakePhotos(dir.Path("tiny"), 2, 16);
  MakePhotos(dir.Path("small"), 6, 128);
  // The same budget, 372 MB beside the program itself: the analyses of
  // small images run two at a time; a ×4 Real-ESRGAN x4plus upscale holds
  // its model (over 200 MB, enhance/memory_estimate.h) whatever the image
  // size, so only one runs at a time. (Two 16-px analyses could end before
  // the second started, which read "up to 1 at once" under load: six of
  // 128 px overlap.)
  const std::string budget = "537";
  const RunResult small = RunAcuity(dir.path(), {"batch", "--out", dir.Path("a"), "--jobs", "2", "--max-memory",
                                                 budget, dir.Path("small")});
  ASSERT_EQ(small.exit_code, 0) << small.err;
  EXPECT_THAT(small.err, HasSubstr("up to 2 at once"));
  const RunResult big = RunAcuity(dir.path(), {"batch", "--out", dir.Path("b"), "--do", "qa", "--steps", "upscale:4",
                                               "--model", "realesrgan-x4plus", "--jobs", "2", "--max-memory", budget,
                                               dir.Path("tiny")});
  ASSERT_LE(big.exit_code, 1) << big.err;
  EXPECT_THAT(big.err, HasSubstr("up to 1 at once"));
  EXPECT_EQ(ReadJsonl(dir.Path("b/results.jsonl")).records.size(), 2u);
  // Over the whole budget: recorded as failed (exit 4), not run.
  const RunResult over = RunAcuity(dir.path(), {"batch", "--out", dir.Path("c"), "--do", "enhance", "--steps",
                                                "upscale:4", "--model", "realesrgan-x4plus", "--max-memory", "300",
                                                dir.Path("tiny/p0.jpg")});
  EXPECT_EQ(over.exit_code, 4) << over.err;
  EXPECT_THAT(over.err, HasSubstr("MB budget"));
  EXPECT_FALSE(fs::exists(dir.Path("c/p0.jpg")));
}

// --max-memory can lower the budget, never lift it over the limit the
// process really runs under (here `ulimit -v`): the batch plans with the
// limit and says so.
TEST(BatchTest, MaxMemoryAboveARealLimitPlansWithTheLimit) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "ulimit -v cannot apply to an AddressSanitizer build";
#endif
  ScratchDir dir;
  MakePhotos(dir.Path("tiny"), 2, 16);
  const RunResult r = RunAcuity(dir.path(), {"batch", "--out", dir.Path("a"), "--max-memory", "8000",
                                             dir.Path("tiny")},
                                "ulimit -v 1500000; ");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("MB beside the program (the address-space limit (ulimit -v))"));
  const RunResult lower = RunAcuity(dir.path(), {"batch", "--out", dir.Path("b"), "--max-memory", "600",
                                                 dir.Path("tiny")},
                                    "ulimit -v 1500000; ");
  ASSERT_EQ(lower.exit_code, 0) << lower.err;
  EXPECT_THAT(lower.err, HasSubstr("memory budget 435 MB beside the program (--max-memory)"));  // 600 - 165
}

TEST(BatchTest, EnhanceRefusesAPlanOverMaxMemoryUpFront) {
  ScratchDir dir;
  MakePhotos(dir.Path("in"), 1, 64);
  const RunResult r = RunAcuity(dir.path(), {"enhance", "--steps", "upscale:4", "--model", "realesrgan-x4plus",
                                             "--max-memory", "200", "-o", dir.Path("out.png"), dir.Path("in/p0.jpg")});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  ASSERT_EQ(r.ErrLines().size(), 1u) << r.err;
  EXPECT_THAT(r.err, HasSubstr("needs about"));
  EXPECT_FALSE(fs::exists(dir.Path("out.png")));
  const RunResult fits = RunAcuity(dir.path(), {"enhance", "--steps", "upscale:2", "--model", "esrgan-slim",
                                                "--max-memory", "4000", "-o", dir.Path("out.png"), dir.Path("in/p0.jpg")});
  EXPECT_EQ(fits.exit_code, 0) << fits.err;
  EXPECT_EQ(RunAcuity(dir.path(), {"enhance", "--steps", "upscale:2", "--max-memory", "-3", "-o",
                                   dir.Path("x.png"), dir.Path("in/p0.jpg")}).exit_code, 2);
}

// Resuming keys on the options: a run with another --target or --do on the
// same --out is refused (exit 2, one line naming the option) and leaves the
// results as they were; the same options (a default spelled out included)
// resume.
TEST(BatchTest, ResumeKeysOnTheOptionsAndRefusesOthers) {
  ScratchDir dir;
  MakePhotos(dir.Path("in"), 3);
  const std::string out = dir.Path("out"), results = dir.Path("out/results.jsonl");
  const RunResult first = RunAcuity(dir.path(), {"batch", "--out", out, "--target", "200px", dir.Path("in")});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(ReadJsonl(results).records.size(), 3u);
  const std::string before = testing::ReadBytes(results);

  const RunResult target = RunAcuity(dir.path(), {"batch", "--out", out, "--target", "300px", dir.Path("in")});
  EXPECT_EQ(target.exit_code, 2);
  ASSERT_EQ(target.ErrLines().size(), 1u) << target.err;
  EXPECT_THAT(target.err, HasSubstr("--target 200px; this run has --target 300px"));
  const RunResult action =
      RunAcuity(dir.path(), {"batch", "--out", out, "--do", "advise", "--target", "200px", dir.Path("in")});
  EXPECT_EQ(action.exit_code, 2);
  EXPECT_THAT(action.err, HasSubstr("--do analyze; this run has --do advise"));
  EXPECT_EQ(testing::ReadBytes(results), before);  // nothing run, nothing appended

  const RunResult same =
      RunAcuity(dir.path(), {"batch", "--out", out, "--do", "analyze", "--target", "200px", "--jobs", "1", dir.Path("in")});
  ASSERT_EQ(same.exit_code, 0) << same.err;
  EXPECT_THAT(same.err, HasSubstr("3 of 3 inputs already recorded, skipped"));
  const nlohmann::json manifest = nlohmann::json::parse(testing::ReadBytes(dir.Path("out/batch.json")));
  EXPECT_EQ(manifest["options"], nlohmann::json({{"target", "200px"}}));
  EXPECT_TRUE(manifest["acuity_version"].is_string());

  // --fit left out is the target's own fit, and one fit has one spelling:
  // `--target amazon --fit pad:white` resumes a `--target amazon` run (it was
  // refused as "--fit (not given); this run has --fit pad:white"); another
  // fit is refused.
  const std::string shop = dir.Path("shop");
  ASSERT_EQ(RunAcuity(dir.path(), {"batch", "--out", shop, "--target", "amazon", dir.Path("in")}).exit_code, 0);
  const RunResult spelled =
      RunAcuity(dir.path(), {"batch", "--out", shop, "--target", "amazon", "--fit", "PAD:white", dir.Path("in")});
  EXPECT_EQ(spelled.exit_code, 0) << spelled.err;
  EXPECT_THAT(spelled.err, HasSubstr("3 of 3 inputs already recorded, skipped"));
  const RunResult crop =
      RunAcuity(dir.path(), {"batch", "--out", shop, "--target", "amazon", "--fit", "crop", dir.Path("in")});
  EXPECT_EQ(crop.exit_code, 2);
  EXPECT_THAT(crop.err, HasSubstr("--fit pad; this run has --fit crop"));

  // Results of an acuity that kept no manifest: their --do is checked, the
  // rest taken to be this run's, and said so.
  fs::remove(dir.Path("out/batch.json"));
  const RunResult legacy_other = RunAcuity(dir.path(), {"batch", "--out", out, "--do", "advise", dir.Path("in")});
  EXPECT_EQ(legacy_other.exit_code, 2);
  EXPECT_THAT(legacy_other.err, HasSubstr("--do analyze; this run has --do advise"));
  const RunResult legacy = RunAcuity(dir.path(), {"batch", "--out", out, "--target", "200px", dir.Path("in")});
  ASSERT_EQ(legacy.exit_code, 0) << legacy.err;
  EXPECT_THAT(legacy.err, HasSubstr("did not record its options"));
  EXPECT_THAT(legacy.err, HasSubstr("3 of 3 inputs already recorded, skipped"));
  EXPECT_TRUE(fs::exists(dir.Path("out/batch.json")));
}

// The advisor's plans are priced for the kind of device the upscale runs on
// (docs/gpu.md): a run that advises for a target keys on the kind its
// --device resolves to, though not on --device itself; a folder begun
// before the kind was keyed counts as the CPU's. A CUDA device asked for
// that is not there is refused, as `acuity advise` refuses it.
TEST(BatchTest, AdvisedPlansKeyOnTheKindOfDevice) {
  ScratchDir dir;
  MakePhotos(dir.Path("in"), 2);
  const std::string out = dir.Path("out"), in = dir.Path("in");
  const RunResult logs = RunAcuity(dir.path(), {"--version"});
  if (logs.out.find("cuda:0") != std::string::npos) GTEST_SKIP() << "a CUDA device: the kind here is cuda";
  const RunResult first = RunAcuity(dir.path(), {"batch", "--out", out, "--do", "advise", "--target", "400px", in});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  nlohmann::json manifest = nlohmann::json::parse(testing::ReadBytes(dir.Path("out/batch.json")));
  EXPECT_EQ(manifest["options"]["device"], "cpu");
  const RunResult cpu = RunAcuity(dir.path(), {"batch", "--out", out, "--do", "advise", "--target", "400px",
                                               "--device", "cpu", in});
  EXPECT_EQ(cpu.exit_code, 0) << cpu.err;
  EXPECT_THAT(cpu.err, HasSubstr("2 of 2 inputs already recorded, skipped"));
  // Made on a GPU machine: this CPU run does not resume it.
  manifest["options"]["device"] = "cuda";
  testing::WriteBytes(dir.Path("out/batch.json"), manifest.dump());
  const RunResult other = RunAcuity(dir.path(), {"batch", "--out", out, "--do", "advise", "--target", "400px", in});
  EXPECT_EQ(other.exit_code, 2);
  EXPECT_THAT(other.err, HasSubstr("--device cuda; this run has --device cpu"));
  // Made before the kind was keyed: the CPU's.
  manifest["options"].erase("device");
  testing::WriteBytes(dir.Path("out/batch.json"), manifest.dump());
  const RunResult older = RunAcuity(dir.path(), {"batch", "--out", out, "--do", "advise", "--target", "400px", in});
  EXPECT_EQ(older.exit_code, 0) << older.err;
  const RunResult absent =
      RunAcuity(dir.path(), {"batch", "--out", dir.Path("gpu"), "--do", "advise", "--target", "400px", "--device",
                             "cuda", in});
  EXPECT_EQ(absent.exit_code, 2);
  EXPECT_EQ(absent.ErrLines().size(), 1u) << absent.err;
  EXPECT_FALSE(fs::exists(dir.Path("gpu/results.jsonl")));
}

// A QA gate: --summary counts warnings by code, --fail-on turns them (or a
// QA verdict) into exit code 1, on a run and on --summary of an existing one;
// --thresholds reaches the QA of --do qa.
TEST(BatchTest, FailOnGatesTheExitCodeAndThresholdsReachTheQa) {
  ScratchDir dir;
  MakePhotos(dir.Path("in"), 2, 64);
  const std::vector<std::string> run = {"batch", "--out", dir.Path("out"), "--target", "A2@300dpi", dir.Path("in")};
  const RunResult plain = RunAcuity(dir.path(), run);
  ASSERT_EQ(plain.exit_code, 0) << plain.err;  // warnings alone do not fail a batch
  EXPECT_THAT(plain.out, HasSubstr("warnings: 2 low_print_dpi, 2 scale_above_8x"));
  std::vector<std::string> gated = run;
  gated.insert(gated.end() - 1, {"--fail-on", "scale_above_8x"});
  const RunResult gate = RunAcuity(dir.path(), gated);  // --fail-on is not part of the key: resumes
  EXPECT_EQ(gate.exit_code, 1) << gate.err;
  EXPECT_THAT(gate.out, HasSubstr("gate --fail-on scale_above_8x: 2 of 2 inputs fail it"));
  EXPECT_THAT(gate.out, HasSubstr("gate failed: p0.jpg: scale_above_8x"));
  EXPECT_EQ(RunAcuity(dir.path(), {"batch", "--summary", dir.Path("out"), "--fail-on", "fail"}).exit_code, 0);
  const RunResult json = RunAcuity(dir.path(), {"batch", "--summary", dir.Path("out"), "--fail-on", "warn", "--json"});
  EXPECT_EQ(json.exit_code, 1);
  ASSERT_EQ(json.OutLines().size(), 1u) << json.out;
  const nlohmann::json summary = nlohmann::json::parse(json.out);
  EXPECT_EQ(summary["by_warning"]["scale_above_8x"], 2);
  EXPECT_EQ(summary["gate_failures"].size(), 2u);
  EXPECT_EQ(summary["options"]["target"], "A2@300dpi");
  EXPECT_EQ(RunAcuity(dir.path(), {"batch", "--summary", dir.Path("out"), "--fail-on", "Warn!"}).exit_code, 2);

  // Thresholds no sharpening can meet: every QA fails, exit code 1.
  const RunResult strict = RunAcuity(dir.path(), {"batch", "--out", dir.Path("qa"), "--do", "qa", "--steps", "sharpen:1",
                                                  "--thresholds", "fidelity_psnr_db=99,fidelity_psnr_db.fail=98",
                                                  dir.Path("in")});
  EXPECT_EQ(strict.exit_code, 1) << strict.err;
  for (const nlohmann::json& r : ReadJsonl(dir.Path("qa/results.jsonl")).records) {
    EXPECT_EQ(r["qa"]["verdict"], "fail") << r.dump();
    bool found = false;
    for (const nlohmann::json& c : r["qa"]["checks"]) {
      if (c["name"] != "fidelity_psnr_db") continue;
      found = true;
      EXPECT_EQ(c["threshold"], 99);
      EXPECT_EQ(c["status"], "fail");
    }
    EXPECT_TRUE(found) << r.dump();
  }
  EXPECT_THAT(strict.out, HasSubstr("QA checks not passed: 2 fidelity_psnr_db"));
  EXPECT_EQ(RunAcuity(dir.path(), {"batch", "--out", dir.Path("x"), "--thresholds", "fidelity_psnr_db=20",
                                   dir.Path("in")}).exit_code,
            2);  // thresholds go with --do qa / enhance
}

TEST(BatchTest, UsageErrors) {
  ScratchDir dir;
  EXPECT_EQ(RunAcuity(dir.path(), {"batch", dir.path()}).exit_code, 2);  // no --out
  EXPECT_EQ(RunAcuity(dir.path(), {"batch", "--out", dir.Path("o"), "--shard", "4/4", dir.path()}).exit_code, 2);
  EXPECT_EQ(RunAcuity(dir.path(), {"batch", "--out", dir.Path("o"), "--do", "fix", dir.path()}).exit_code, 2);
  EXPECT_EQ(RunAcuity(dir.path(), {"batch", "--out", dir.Path("o"), "--steps", "upscale:2", dir.path()}).exit_code, 2);
  EXPECT_EQ(RunAcuity(dir.path(), {"batch", "--out", dir.Path("o"), "--do", "enhance", "--steps", "blur", dir.path()})
                .exit_code,
            2);
  EXPECT_EQ(RunAcuity(dir.path(), {"batch", "--summary", dir.Path("nothing")}).exit_code, 2);
  for (const char* limit : {"-1", "soon", "1e9"})
    EXPECT_EQ(RunAcuity(dir.path(), {"batch", "--out", dir.Path("o"), "--stall-limit", limit, dir.path()}).exit_code, 2)
        << limit;
  EXPECT_EQ(RunAcuity(dir.path(), {"batch", "--out", dir.Path("o"), dir.Path("missing")}).exit_code, 3);
}

}  // namespace
}  // namespace acuity

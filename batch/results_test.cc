#include "batch/results.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/test_images.h"

namespace acuity::batch {
namespace {

using testing::ScratchDir;

nlohmann::json Record(const std::string& path, int64_t size, int64_t mtime) {
  return {{"input", {{"path", path}, {"size_bytes", size}, {"mtime_ns", mtime}}}, {"status", "ok"}};
}

TEST(ResultsTest, FileNames) {
  EXPECT_EQ(ResultsFileName(std::nullopt), "results.jsonl");
  EXPECT_EQ(ResultsFileName(Shard{2, 4}), "results.shard-2-of-4.jsonl");
}

TEST(ResultsTest, AppendsOneLinePerRecordAndReadsThemBack) {
  ScratchDir dir;
  {
    auto writer = ResultsWriter::Open(dir.Path("results.jsonl"));
    ASSERT_TRUE(writer.ok()) << writer.status();
    ASSERT_TRUE((*writer)->Append(Record("a.jpg", 10, 100)).ok());
    ASSERT_TRUE((*writer)->Append(Record("b/c.png", 20, 200)).ok());
  }
  {  // reopened: appends after what is there
    auto writer = ResultsWriter::Open(dir.Path("results.jsonl"));
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->Append(Record("d.jpg", 30, 300)).ok());
  }
  const std::string text = testing::ReadBytes(dir.Path("results.jsonl"));
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3);
  ResultsContents contents = ReadResultsDir(dir.path());
  ASSERT_EQ(contents.records.size(), 3u);
  EXPECT_EQ(contents.records[1]["input"]["path"], "b/c.png");
  EXPECT_EQ(contents.torn_lines, 0);
}

TEST(ResultsTest, ATornLastLineIsIgnoredWhenReadAndCutBeforeTheNextAppend) {
  ScratchDir dir;
  const std::string path = dir.Path("results.shard-0-of-2.jsonl");
  testing::WriteBytes(path, Record("a.jpg", 1, 2).dump() + "\n" + R"({"input": {"path": "b.jp)");
  ResultsContents torn;
  ReadResultsFile(path, torn);
  EXPECT_EQ(torn.records.size(), 1u);
  EXPECT_EQ(torn.torn_lines, 1);
  {
    auto writer = ResultsWriter::Open(path);
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->Append(Record("b.jpg", 3, 4)).ok());
  }
  ResultsContents after;
  ReadResultsFile(path, after);
  ASSERT_EQ(after.records.size(), 2u);
  EXPECT_EQ(after.torn_lines, 0);
  EXPECT_EQ(after.records[1]["input"]["path"], "b.jpg");
  // Only a torn line in the file: cut to nothing.
  testing::WriteBytes(path, "{\"inp");
  ASSERT_TRUE(ResultsWriter::Open(path).ok());
  EXPECT_EQ(testing::ReadBytes(path), "");
}

// Two runs on one --out wrote every record twice: the second writer of a
// results file is refused while the first has it open.
TEST(ResultsTest, OneWriterAtATime) {
  testing::ScratchDir dir;
  const std::string path = dir.Path("results.jsonl");
  absl::StatusOr<std::unique_ptr<ResultsWriter>> first = ResultsWriter::Open(path);
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<std::unique_ptr<ResultsWriter>> second = ResultsWriter::Open(path);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable) << second.status();
  EXPECT_THAT(std::string(second.status().message()), ::testing::HasSubstr("another acuity batch is writing it"));
  first->reset();
  EXPECT_TRUE(ResultsWriter::Open(path).ok());
}

TEST(ResumeIndexTest, DoneOnlyWithTheSameSizeAndMtime) {
  const ResumeIndex index(std::vector<nlohmann::json>{Record("a.jpg", 10, 100), Record("b.jpg", 20, 200)});
  EXPECT_EQ(index.size(), 2u);
  BatchInput a{"/x/a.jpg", "a.jpg", 10, 100};
  EXPECT_TRUE(index.Done(a));
  a.mtime_ns = 101;
  EXPECT_FALSE(index.Done(a));
  EXPECT_FALSE(index.Done(BatchInput{"/x/b.jpg", "b.jpg", 21, 200}));
  EXPECT_FALSE(index.Done(BatchInput{"/x/c.jpg", "c.jpg", 10, 100}));
}

// --retry-failed runs again what failed for lack of memory or disk, and only
// that: a bad input stays done, and the last record of a path counts.
TEST(ResumeIndexTest, RetryFailedRedoesOnlyTheRetryableFailures) {
  nlohmann::json oom = Record("a.jpg", 10, 100), bad = Record("b.jpg", 20, 200), redone = Record("c.jpg", 30, 300);
  oom["status"] = "error", oom["retryable"] = true;
  bad["status"] = "error", bad["retryable"] = false;
  nlohmann::json first_try = redone;
  first_try["status"] = "error", first_try["retryable"] = true;
  const std::vector<nlohmann::json> records = {oom, bad, first_try, redone};
  const BatchInput a{"/x/a.jpg", "a.jpg", 10, 100}, b{"/x/b.jpg", "b.jpg", 20, 200}, c{"/x/c.jpg", "c.jpg", 30, 300};
  const ResumeIndex resume(records), retry(records, /*retry_failed=*/true);
  EXPECT_TRUE(resume.Done(a));
  EXPECT_FALSE(retry.Done(a));
  EXPECT_TRUE(retry.Done(b));
  EXPECT_TRUE(retry.Done(c));  // its last record succeeded
}

}  // namespace
}  // namespace acuity::batch

#include "analysis/io/isolated_call.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "analysis/io/guard.h"
#include "tests/testing/address_space.h"

namespace acuity {
namespace {

using ::testing::HasSubstr;

IsolationOptions Options(double time_limit_s = 30) { return {"the test decoder", time_limit_s}; }

TEST(IsolatedCallTest, ThePayloadComesBackWhole) {
  std::string big(10 << 20, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = char(i * 7 + 3);
  absl::StatusOr<std::string> reply = RunIsolated(Options(), [&]() -> absl::StatusOr<std::string> {
    if (!InIsolatedChild()) return absl::InternalError("not in a child");
    return big;
  });
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(*reply, big);
  EXPECT_FALSE(InIsolatedChild());
}

TEST(IsolatedCallTest, TheWorksStatusIsCarriedOver) {
  absl::StatusOr<std::string> reply =
      RunIsolated(Options(), []() -> absl::StatusOr<std::string> { return absl::UnimplementedError("no such variant"); });
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_EQ(reply.status().message(), "no such variant");
}

TEST(IsolatedCallTest, ACrashIsDataLossNamingTheSignal) {
  absl::StatusOr<std::string> reply = RunIsolated(Options(), []() -> absl::StatusOr<std::string> {
    raise(SIGSEGV);
    return std::string("unreachable");
  });
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(reply.status().message(), HasSubstr("the test decoder crashed on this file (signal 11"));
}

TEST(IsolatedCallTest, AnExitIsDataLossWithTheCode) {
  absl::StatusOr<std::string> reply = RunIsolated(Options(), []() -> absl::StatusOr<std::string> { _exit(7); });
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(reply.status().message(), HasSubstr("(exit 7)"));
}

TEST(IsolatedCallTest, AHangIsStoppedAtTheTimeLimit) {
  absl::StatusOr<std::string> reply = RunIsolated(Options(0.3), []() -> absl::StatusOr<std::string> {
    for (;;) pause();
  });
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(reply.status().message(), HasSubstr("took longer than 0.3 s"));
}

TEST(IsolatedCallTest, AnInterruptIsCancelled) {
  absl::StatusOr<std::string> reply = RunIsolated(Options(), []() -> absl::StatusOr<std::string> {
    raise(SIGTERM);
    return std::string("unreachable");
  });
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kCancelled);
}

TEST(IsolatedCallTest, TheMemoryLimitStopsAnAllocationBomb) {
#if defined(ACUITY_UNDER_ASAN)
  GTEST_SKIP() << "the limit is off in sanitizer builds (their shadow memory would not fit under it)";
#endif
  absl::StatusOr<std::string> reply = RunIsolated(Options(), []() -> absl::StatusOr<std::string> {
    LimitIsolatedMemory(size_t{64} << 20);
    std::vector<char> bomb(size_t{1} << 30, 1);  // 1 GiB: std::bad_alloc under the limit
    return std::string(1, bomb[12345]);
  });
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(reply.status().message(), HasSubstr("ran out of memory on this file"));
}

// Runs `work` isolated, under a machine limit (a ulimit -v set in an
// expendable child) below the 4 GB cap the work asks for as a big image's
// decoder would. Returns "machine: <message>" when the outcome is the
// machine's out of memory, "file: <message>" when it is the file's, or
// `done` when the work succeeded.
std::string UnderAMachineLimit(std::string (*work)(), const std::string& done,
                               const IsolationOptions& options = Options()) {
  absl::StatusOr<std::string> outer = RunIsolated(Options(), [&]() -> absl::StatusOr<std::string> {
    const rlim_t machine = rlim_t(testing::MappedBytes() + (size_t{256} << 20));
    rlimit r{machine, RLIM_INFINITY};
    if (setrlimit(RLIMIT_AS, &r) != 0) return absl::InternalError("setrlimit");
    absl::StatusOr<std::string> inner = RunIsolated(options, [&]() -> absl::StatusOr<std::string> {
      LimitIsolatedMemory(size_t{4} << 30);  // above the machine's limit
      return work();
    });
    if (inner.ok()) return done;
    return std::string(IsMachineResourceError(inner.status()) ? "machine: " : "file: ") +
           std::string(inner.status().message());
  });
  return outer.ok() ? *outer : "outer child failed: " + outer.status().ToString();
}

// When the machine's limit is below the cap the decoder would get, a
// refused allocation is the machine's fault — "out of memory", exit 4 —
// not a bad file.
TEST(IsolatedCallTest, UnderAMachineLimitBelowTheCapARefusedAllocationIsOutOfMemory) {
#if defined(ACUITY_UNDER_ASAN)
  GTEST_SKIP() << "the limit is off in sanitizer builds (their shadow memory would not fit under it)";
#endif
  const std::string outcome = UnderAMachineLimit(
      [] {
        std::vector<char> big(size_t{1} << 30, 1);
        return std::string(1, big[7]);
      },
      "allocated");
  EXPECT_THAT(outcome, ::testing::StartsWith("machine: out of memory while running the test decoder"));
}

// A library that does not check its allocations (Tesseract after
// Leptonica's refused pixCreate) crashes instead of saying so: under a
// machine limit, when the caller says so, that crash is the machine's out of
// memory. A decoder's crash stays the file's (a fuzzed DNG crashes LibRaw
// whatever the limit).
TEST(IsolatedCallTest, UnderAMachineLimitACrashIsOutOfMemoryOnlyWhenAskedFor) {
#if defined(ACUITY_UNDER_ASAN)
  GTEST_SKIP() << "the limit is off in sanitizer builds (their shadow memory would not fit under it)";
#endif
  auto crash = [] {
    raise(SIGSEGV);
    return std::string("not reached");
  };
  IsolationOptions unchecked = Options();
  unchecked.crash_under_a_limit_is_out_of_memory = true;
  EXPECT_THAT(UnderAMachineLimit(crash, "no crash", unchecked),
              ::testing::StartsWith("machine: out of memory while running the test decoder"));
  EXPECT_THAT(UnderAMachineLimit(crash, "no crash"), ::testing::StartsWith("file: the test decoder crashed"));
  // Without a limit, the same crash is a crash.
  absl::StatusOr<std::string> reply = RunIsolated(unchecked, []() -> absl::StatusOr<std::string> {
    raise(SIGSEGV);
    return std::string("not reached");
  });
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kDataLoss);
}

// A short job asked to finish when interrupted does (the batch's file in
// hand is recorded whole); its parent decides what the interrupt stops.
TEST(IsolatedCallTest, AnInterruptIsIgnoredWhenTheWorkIsToFinish) {
  IsolationOptions finish = Options();
  finish.finish_when_interrupted = true;
  absl::StatusOr<std::string> reply = RunIsolated(finish, []() -> absl::StatusOr<std::string> {
    raise(SIGINT);
    raise(SIGTERM);
    return std::string("finished");
  });
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(*reply, "finished");
}

// The child keeps no descriptor of its parent's but 0–2 and its pipe: a
// long child holding another child's pipe open kept that one's parent
// waiting for its end.
TEST(IsolatedCallTest, TheChildKeepsNoOtherDescriptor) {
  int other[2];
  ASSERT_EQ(pipe(other), 0);  // without O_CLOEXEC, as a library might leave one
  absl::StatusOr<std::string> reply = RunIsolated(Options(), [&]() -> absl::StatusOr<std::string> {
    return std::string(fcntl(other[1], F_GETFD) < 0 ? "closed" : "open");
  });
  close(other[0]);
  close(other[1]);
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(*reply, "closed");
}

TEST(IsolatedCallTest, AChildKilledBySigkillIsOutOfMemory) {
  absl::StatusOr<std::string> reply = RunIsolated(Options(), []() -> absl::StatusOr<std::string> {
    raise(SIGKILL);  // what the OOM killer of a cgroup sends
    return std::string("unreachable");
  });
  EXPECT_TRUE(IsMachineResourceError(reply.status())) << reply.status();
  EXPECT_THAT(reply.status().message(), HasSubstr("killed by the system"));
}

TEST(IsolatedCallTest, LimitingMemoryOutsideAChildDoesNothing) {
  LimitIsolatedMemory(1);  // the test process itself must go on allocating
  std::vector<char> fine(size_t{64} << 20, 1);
  EXPECT_EQ(fine[123], 1);
}

TEST(WireTest, RoundTripOfNumbersBytesAndImages) {
  cv::Mat image(5, 7, CV_16UC3);
  cv::randu(image, 0, 65535);
  const cv::Mat roi = image(cv::Rect(1, 1, 4, 3));  // not continuous
  WireWriter w;
  w.Int(-42);
  w.Bytes(std::string("a\0b", 3));
  w.Mat(roi);
  const std::string wire = w.Take();
  WireReader r(wire);
  int64_t n = 0;
  std::string b;
  cv::Mat back;
  ASSERT_TRUE(r.Int(n) && r.Bytes(b) && r.Mat(back));
  EXPECT_EQ(n, -42);
  EXPECT_EQ(b, std::string("a\0b", 3));
  ASSERT_EQ(back.type(), CV_16UC3);
  EXPECT_EQ(cv::norm(back, roi, cv::NORM_INF), 0);
  EXPECT_FALSE(r.Int(n)) << "nothing is left";
}

TEST(WireTest, AShortInputIsRefused) {
  WireWriter w;
  w.Mat(cv::Mat(4, 4, CV_8UC1, cv::Scalar(9)));
  std::string wire = w.Take();
  wire.resize(wire.size() - 1);
  WireReader r(wire);
  cv::Mat m;
  EXPECT_FALSE(r.Mat(m));
}

}  // namespace
}  // namespace acuity

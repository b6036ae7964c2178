#include "cli/stall_guard.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "gtest/gtest.h"

namespace acuity::cli {
namespace {

using std::chrono::milliseconds;

// What the guard reported, waited for with a deadline (never for ever).
struct Reported {
  std::mutex mu;
  std::condition_variable cv;
  int calls = 0;
  std::string file;
  double quiet_s = 0;

  StallGuard::OnStall Callback() {
    return [this](const std::string& f, double q) {
      std::lock_guard<std::mutex> lock(mu);
      ++calls;
      file = f;
      quiet_s = q;
      cv.notify_all();
    };
  }
  bool WaitFor(milliseconds deadline) {
    std::unique_lock<std::mutex> lock(mu);
    return cv.wait_for(lock, deadline, [this] { return calls > 0; });
  }
};

TEST(StallGuardTest, WorkWithoutProgressIsReportedOnceNamingItsFile) {
  Reported reported;
  const auto start = std::chrono::steady_clock::now();
  StallGuard guard(0.2, reported.Callback());
  ASSERT_TRUE(guard.watching());
  guard.Beat("first.jpg");
  guard.Beat("second.jpg");  // the file named last is the one that stalls
  ASSERT_TRUE(reported.WaitFor(milliseconds(5000)));
  const double waited_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::this_thread::sleep_for(milliseconds(300));  // a second report would come within this
  std::lock_guard<std::mutex> lock(reported.mu);
  EXPECT_EQ(reported.calls, 1);
  EXPECT_EQ(reported.file, "second.jpg");
  EXPECT_GE(reported.quiet_s, 0.2);
  EXPECT_GE(waited_s, 0.2);
}

TEST(StallGuardTest, RegularProgressIsNeverAStall) {
  Reported reported;
  {
    StallGuard guard(0.3, reported.Callback());
    guard.Beat("photo.png");
    for (int i = 0; i < 12; ++i) {  // 0.6 s of work, a beat every 50 ms
      std::this_thread::sleep_for(milliseconds(50));
      guard.Beat();
    }
  }  // the guard stops with the command
  EXPECT_EQ(reported.calls, 0);
}

TEST(StallGuardTest, ALimitOfZeroNeverWatches) {
  Reported reported;
  StallGuard guard(0, reported.Callback());
  EXPECT_FALSE(guard.watching());
  guard.Beat("photo.png");
  EXPECT_FALSE(reported.WaitFor(milliseconds(200)));
}

TEST(StallGuardTest, TheLimitIsReadAndChecked) {
  for (const char* value : {"-1", "700000", "soon", "0.01"}) {
    ArgParser parser("analyze");
    AddStallLimitOption(parser, "exit 4");
    absl::StatusOr<ParsedArgs> parsed = parser.Parse({"--stall-limit", value, "a.jpg"});
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_FALSE(GetStallLimit(*parsed).ok()) << value;
  }
  ArgParser parser("analyze");
  AddStallLimitOption(parser, "exit 4");
  absl::StatusOr<ParsedArgs> parsed = parser.Parse({"a.jpg"});
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*GetStallLimit(*parsed), kDefaultStallLimitS);
}

}  // namespace
}  // namespace acuity::cli

#include "analysis/io/guard.h"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <new>
#include <stdexcept>
#include <system_error>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>

#include "analysis/io/atomic_file.h"
#include "analysis/io/isolated_call.h"
#include "tests/testing/address_space.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

TEST(GuardTest, ReturnsWhatTheCallReturns) {
  EXPECT_TRUE(CatchToStatus("testing", [] {}).ok());
  EXPECT_EQ(CatchToStatus("testing", [] { return absl::NotFoundError("x"); }).code(), absl::StatusCode::kNotFound);
  absl::StatusOr<int> value = CatchToStatus("testing", [] { return 7; });
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(*value, 7);
  absl::StatusOr<int> passed = CatchToStatus("testing", [] { return absl::StatusOr<int>(absl::DataLossError("y")); });
  EXPECT_EQ(passed.status().code(), absl::StatusCode::kDataLoss);
}

TEST(GuardTest, AllocationFailuresAreOutOfMemory) {
  const absl::Status bad_alloc = CatchToStatus("analysing", [] { throw std::bad_alloc(); });
  EXPECT_EQ(bad_alloc.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(bad_alloc.message(), "out of memory while analysing");
  EXPECT_TRUE(IsMachineResourceError(bad_alloc));

  // What OpenCV's allocator throws, and its "Insufficient memory" code alone.
  absl::StatusOr<int> opencv = CatchToStatus("upscaling", []() -> int {
    throw cv::Exception(cv::Error::StsNoMem, "Failed to allocate 123 bytes", "OutOfMemoryError", "alloc.cpp", 1);
  });
  EXPECT_TRUE(IsMachineResourceError(opencv.status()));
  EXPECT_EQ(opencv.status().message(), "out of memory while upscaling");
  EXPECT_TRUE(IsMachineResourceError(CatchToStatus("x", [] {
    throw cv::Exception(cv::Error::StsError, "Failed to allocate 8 bytes", "f", "file.cpp", 1);
  })));
  EXPECT_TRUE(IsMachineResourceError(
      CatchToStatus("x", [] { throw std::system_error(std::make_error_code(std::errc::not_enough_memory)); })));
  // A thread that cannot get its stack.
  EXPECT_TRUE(IsMachineResourceError(CatchToStatus(
      "x", [] { throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again)); })));
  // The same in OpenCV's thread pool (oneTBB), as `ulimit -v` made it happen
  // in RobustE2eTest.AnalyzeMapsOutOfMemorySaysSoAndWritesNothing.
  const absl::Status tbb = CatchToStatus("analysing", [] {
    throw std::runtime_error("pthread_create has failed: Resource temporarily unavailable");
  });
  EXPECT_TRUE(IsMachineResourceError(tbb));
  // pthread_create's EAGAIN is memory for a stack or the limit on processes:
  // the words say both, not "out of memory" alone.
  EXPECT_EQ(tbb.message(),
            "could not start a thread while analysing (out of memory for its stack, or at the limit on processes: "
            "ulimit -u)");
  EXPECT_EQ(CatchToStatus("x", [] {
              throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again));
            }).message(),
            "could not start a thread while x (out of memory for its stack, or at the limit on processes: ulimit -u)");
}


// A status thrown through code that reports by throwing comes back as it
// was, its words and its machine-resource mark kept.
TEST(GuardTest, AMachineResourceExceptionCarriesItsStatus) {
  const absl::Status start = ProcessStartError("the text reader");
  EXPECT_TRUE(IsMachineResourceError(start));
  EXPECT_EQ(start.message(), "could not start the text reader (out of memory, or at the limit on processes: ulimit -u)");
  const absl::Status carried = CatchToStatus("analysing", [&] { throw MachineResourceException(start); });
  EXPECT_EQ(carried, start);
  EXPECT_TRUE(IsMachineResourceError(carried));
}

TEST(GuardTest, ARealAllocationFailureIsOutOfMemory) {
#if defined(ACUITY_UNDER_ASAN)
  GTEST_SKIP() << "AddressSanitizer aborts on a 256 TB allocation instead of failing it";
#else
  // 256 TB: more than a process's address space, even with overcommit.
  const absl::Status s = CatchToStatus("making a huge image", [] { cv::Mat huge(1 << 23, 1 << 23, CV_32FC1); });
  EXPECT_TRUE(IsMachineResourceError(s)) << s;
  EXPECT_EQ(s.message(), "out of memory while making a huge image");
#endif
}

// Building the out-of-memory status itself must not throw when memory has
// run out (it did: std::bad_alloc from SetPayload ended enhance with 134).
TEST(GuardTest, OutOfMemoryErrorNeedsNoMemory) {
#if defined(ACUITY_UNDER_ASAN)
  GTEST_SKIP() << "the limit is off in sanitizer builds (their shadow memory would not fit under it)";
#endif
  absl::StatusOr<std::string> reply = RunIsolated({"the test", 30}, []() -> absl::StatusOr<std::string> {
    const std::string doing(size_t{64} << 20, 'x');  // a message too big to copy under the limit below
    const rlim_t limit = rlim_t(testing::MappedBytes()) + (rlim_t{16} << 20);
    rlimit r{limit, RLIM_INFINITY};
    if (setrlimit(RLIMIT_AS, &r) != 0) return absl::InternalError("setrlimit");
    const absl::Status s = OutOfMemoryError(doing);
    return std::string(IsMachineResourceError(s) ? "marked: " : "unmarked: ") + std::string(s.message());
  });
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(*reply, "marked: out of memory");
}

// A reworded status (the decoders' one-line messages, the model's path in
// front) stays the machine's fault: rewording by code and text had dropped
// the mark, and an out-of-memory decode exited 3 ("could not be read").
TEST(GuardTest, RewordingKeepsTheMachineResourceMark) {
  const absl::Status reworded = Reworded(OutOfMemoryError("decoding the JPEG"), "out of memory, in one line");
  EXPECT_TRUE(IsMachineResourceError(reworded));
  EXPECT_EQ(reworded.message(), "out of memory, in one line");
  EXPECT_FALSE(IsMachineResourceError(Reworded(absl::ResourceExhaustedError("over --max-megapixels"), "x")));
}

TEST(GuardTest, OtherExceptionsAreInternalWithAShortReason) {
  const absl::Status runtime = CatchToStatus("reading", [] { throw std::runtime_error("boom\nbacktrace"); });
  EXPECT_EQ(runtime.code(), absl::StatusCode::kInternal);
  EXPECT_EQ(runtime.message(), "reading failed: boom");
  EXPECT_FALSE(IsMachineResourceError(runtime));
  const absl::Status opencv = CatchToStatus("resizing", [] {
    throw cv::Exception(cv::Error::StsBadArg, "bad size", "resize", "resize.cpp", 1);
  });
  EXPECT_EQ(opencv.code(), absl::StatusCode::kInternal);
  EXPECT_EQ(opencv.message(), "resizing failed in OpenCV: bad size");
  EXPECT_EQ(CatchToStatus("x", [] { throw 42; }).code(), absl::StatusCode::kInternal);
}

TEST(GuardTest, MessagesAndMarks) {
  EXPECT_EQ(OutOfMemoryError("upscaling", 950.4).message(), "out of memory while upscaling, needs about 950 MB");
  const absl::Status disk = DiskFullError("out/x.png");
  EXPECT_EQ(disk.message(), "disk full while writing out/x.png");
  EXPECT_TRUE(IsMachineResourceError(disk));
  // An input over a limit is ResourceExhausted too, but not the machine's.
  EXPECT_FALSE(IsMachineResourceError(absl::ResourceExhaustedError("above the 200 MP limit")));
  EXPECT_FALSE(IsMachineResourceError(absl::OkStatus()));
}

TEST(AtomicFileTest, CancelledBeforeTheRenameLeavesTheOldFileAndNoTemporary) {
  testing::ScratchDir dir;
  const std::string path = dir.Path("out.bin");
  ASSERT_TRUE(WriteFileAtomically(path, "old").ok());
  const absl::Status s = WriteFileAtomically(path, "new contents", [] { return true; });
  EXPECT_EQ(s.code(), absl::StatusCode::kCancelled) << s;
  EXPECT_EQ(testing::ReadBytes(path), "old");
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) ++files, (void)entry;
  EXPECT_EQ(files, 1);
  EXPECT_TRUE(WriteFileAtomically(path, "new contents", [] { return false; }).ok());
  EXPECT_EQ(testing::ReadBytes(path), "new contents");
}

}  // namespace
}  // namespace acuity

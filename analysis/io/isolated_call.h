// Runs a third-party decoder in a child process, so that a crash, a runaway
// allocation or a hang inside it costs one file — a status — and not the
// whole run (a batch of 80 000 photos, the viewer). The fuzzers found both in
// Debian's libraries: LibRaw 0.20 reads wild memory on a 154-byte DNG, and
// libheif/libde265 allocate 4 GB for a 579-byte HEIC and then crash.
//
//   absl::StatusOr<std::string> payload = acuity::RunIsolated(
//       {.what = "the camera RAW decoder", .time_limit_s = 120},
//       [&]() -> absl::StatusOr<std::string> {
//         acuity::LimitIsolatedMemory(pixels * 32);  // once the size is known
//         ... decode, then serialise with WireWriter ...
//       });
//
// The work runs in a fork()ed child that has only the calling thread: it must
// not use anything that waits on other threads (OpenCV's parallel functions,
// TBB), nor load a shared library while another thread may be loading one
// (load it in the parent first); OpenMP is limited to one thread there, and
// the parent's file descriptors other than 0–2 are closed (a child must not
// hold another child's pipe open). What it returns travels back through a
// pipe.
//
// Status codes: the work's own status, code and message carried over —
// except ResourceExhausted under the memory limit, which becomes DataLoss
// (the file asks for more memory than an image of its size needs) when the
// cap LimitIsolatedMemory set is what ran out, and "out of memory"
// (guard.h, exit 4) when the machine's own limit (ulimit -v) is below that
// cap — then any failure of the work counts as the machine's, since a
// decoder short of memory may say anything; out of memory also when the
// child was killed by SIGKILL (the OOM killer of a cgroup) or could not be
// started for lack of memory. DataLoss when the child crashes (signal N)
// or exceeds time_limit_s; Cancelled when SIGINT/SIGTERM ended it;
// Unavailable when no child could be started otherwise.
#ifndef ACUITY_ANALYSIS_IO_ISOLATED_CALL_H_
#define ACUITY_ANALYSIS_IO_ISOLATED_CALL_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <opencv2/core.hpp>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"

namespace acuity {

struct IsolationOptions {
  std::string what;            // "the camera RAW decoder": words for messages
  double time_limit_s = 120;   // the child is killed after this
  // For a library that does not check its allocations (Tesseract goes on
  // with the image Leptonica failed to make, and crashes): a crash of the
  // child (SIGSEGV, SIGBUS, SIGABRT) while the process has an address-space
  // limit (ulimit -v) counts as the machine's out of memory; without one it
  // stays DataLoss "crashed".
  bool crash_under_a_limit_is_out_of_memory = false;
  // The child ignores SIGINT and SIGTERM and finishes its (short) work, as
  // it would have in the process: the parent decides what an interrupt
  // stops (a batch finishes the file in hand whole).
  bool finish_when_interrupted = false;
};

absl::StatusOr<std::string> RunIsolated(const IsolationOptions& options,
                                        absl::FunctionRef<absl::StatusOr<std::string>()> work);

// Inside the work: caps the child's further address space at `bytes` beyond
// what it maps now, so that allocations past it fail (std::bad_alloc, NULL
// from malloc). No effect outside a child, or in a sanitizer build (whose
// shadow memory does not fit under such a limit; a cap of its private
// memory instead works, but the sanitizer then reports each refused
// allocation on stderr, which a one-line error must not have). There the
// time limit stops what the cap would have.
void LimitIsolatedMemory(size_t bytes);

// True inside the child of RunIsolated (for tests).
bool InIsolatedChild();

// False in a sanitizer build: GCC 12's AddressSanitizer allocator is not
// fork-safe, and a child forked while another thread holds its lock waits
// for it forever. A caller that forks while other threads allocate (the
// text search, beside the other measurements) runs its work in the process
// there instead.
bool ForkIsSafeBesideBusyThreads();

// A flat byte format for what the child sends back.
class WireWriter {
 public:
  void Int(int64_t v);
  void Bytes(std::string_view b);
  void Mat(const cv::Mat& m);  // rows, cols, type, then the pixels row by row
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

class WireReader {
 public:
  explicit WireReader(std::string_view in) : in_(in) {}
  // Each returns false (and reads nothing more) when the input is short.
  bool Int(int64_t& v);
  bool Bytes(std::string& b);
  bool Mat(cv::Mat& m);

 private:
  std::string_view in_;
};

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_IO_ISOLATED_CALL_H_

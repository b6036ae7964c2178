#include "analysis/io/isolated_call.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "analysis/io/guard.h"

// OpenMP's thread count, when an OpenMP runtime is loaded (LibRaw's and
// LibTorch's are): weak, so nothing here depends on one.
extern "C" void omp_set_num_threads(int) __attribute__((weak));

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ACUITY_ISOLATION_UNDER_SANITIZER 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define ACUITY_ISOLATION_UNDER_SANITIZER 1
#endif

namespace acuity {
namespace {

// Set in the child right after fork; the process has one thread then.
bool in_child = false;
// In the child: whether LimitIsolatedMemory's cap is below the limit the
// machine gave the process (RLIMIT_AS). A refused allocation is the file's
// fault only then (it asked for more than an image of its size needs);
// otherwise the machine ran out (a ulimit, a batch under a small budget).
bool cap_binds = false;
// In the child: LimitIsolatedMemory was asked for more than the machine's
// limit leaves. A decoder short of memory often says something else
// ("unsupported color conversion" from libheif under 150 MB): any failure
// of the work then is the machine's, not the file's.
bool machine_short = false;
// The child's exit codes when not even its reply could be built: memory
// ran out under the machine's limit, or under the cap set for the file.
constexpr int kChildOutOfMemoryExit = 86;
constexpr int kChildOverCapExit = 87;
// In the child: the address-space limit the process had at the fork.
rlimit machine_limit{RLIM_INFINITY, RLIM_INFINITY};

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(size_t(n));
  }
  return true;
}

// A crash of a library that does not check its allocations, under an
// address-space limit: the machine's out of memory
// (IsolationOptions::crash_under_a_limit_is_out_of_memory). Async-signal-safe.
void OnCrashShortOfMemory(int) { _exit(kChildOutOfMemoryExit); }

// The child: only descriptors 0–2 and its pipe kept; default handling of the
// signals that end it (so that a crash is a crash, whatever handlers the
// parent installed) unless the options say otherwise; one OpenMP thread;
// the work, its status or payload down the pipe. Never returns.
[[noreturn]] void RunChild(int fd, const IsolationOptions& options,
                           absl::FunctionRef<absl::StatusOr<std::string>()> work) {
  in_child = true;
  if (fd > 3) close_range(3, unsigned(fd - 1), 0);
  close_range(unsigned(fd + 1), ~0U, 0);
  getrlimit(RLIMIT_AS, &machine_limit);
  const bool limited = machine_limit.rlim_cur != RLIM_INFINITY;
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) signal(sig, SIG_DFL);
  if (options.crash_under_a_limit_is_out_of_memory && limited)
    for (int sig : {SIGSEGV, SIGBUS, SIGABRT}) signal(sig, OnCrashShortOfMemory);
  for (int sig : {SIGINT, SIGTERM}) signal(sig, options.finish_when_interrupted ? SIG_IGN : SIG_DFL);
  if (omp_set_num_threads != nullptr) omp_set_num_threads(1);
  // Nothing may leave this function: an exception unwinding into the
  // parent's frames would run the rest of the parent's program in the child.
  try {
    // What throws becomes a status as everywhere (guard.h: std::bad_alloc,
    // OpenCV's and threads' out-of-memory are ResourceExhausted).
    absl::StatusOr<std::string> result = CatchToStatus("decoding", work);
    if (!result.ok() && machine_short && !absl::IsInvalidArgument(result.status()) &&
        !absl::IsCancelled(result.status()))
      result = absl::ResourceExhaustedError("out of memory");
    // The payload goes down the pipe as it is (no second copy of a decoded
    // image under memory pressure): code, length, bytes, then the cap flag.
    const auto message = result.status().message();
    const std::string_view body =
        result.ok() ? std::string_view(*result) : std::string_view(message.data(), message.size());
    WireWriter head, tail;
    head.Int(static_cast<int64_t>(result.status().code()));
    head.Int(static_cast<int64_t>(body.size()));
    tail.Int(cap_binds ? 1 : 0);
    _exit(WriteAll(fd, head.Take()) && WriteAll(fd, body) && WriteAll(fd, tail.Take()) ? 0 : 1);
  } catch (...) {
    _exit(cap_binds ? kChildOverCapExit : kChildOutOfMemoryExit);
  }
}

// Reads the child's pipe to its end, or until the deadline.
enum class ReadEnd { kEof, kTimedOut, kError };
ReadEnd ReadUntilEof(int fd, std::chrono::steady_clock::time_point deadline, std::string& out) {
  char buf[1 << 16];
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return ReadEnd::kTimedOut;
    pollfd p{fd, POLLIN, 0};
    const int ready = poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 1 << 30)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return ReadEnd::kError;
    if (ready == 0) continue;  // the loop checks the deadline
    const ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ReadEnd::kError;
    if (n == 0) return ReadEnd::kEof;
    out.append(buf, size_t(n));
  }
}

absl::Status ChildStatus(const IsolationOptions& o, int wait_status) {
  if (WIFSIGNALED(wait_status)) {
    const int sig = WTERMSIG(wait_status);
    if (sig == SIGINT || sig == SIGTERM) return absl::CancelledError(absl::StrCat(o.what, " was interrupted"));
    // Nothing in the child sends itself SIGKILL: the kernel's OOM killer
    // does (a cgroup's memory.max, a Slurm job's --mem), or a person.
    if (sig == SIGKILL) return OutOfMemoryError(absl::StrCat("running ", o.what, " (killed by the system)"));
    return absl::DataLossError(absl::StrCat(o.what, " crashed on this file (signal ", sig, ": ", strsignal(sig), ")"));
  }
  if (WEXITSTATUS(wait_status) == kChildOutOfMemoryExit) return OutOfMemoryError(absl::StrCat("running ", o.what));
  if (WEXITSTATUS(wait_status) == kChildOverCapExit)
    return absl::DataLossError(absl::StrCat(o.what, " ran out of memory on this file: it asks for more than an image "
                                            "of its size needs"));
  return absl::DataLossError(absl::StrCat(o.what, " stopped on this file (exit ", WEXITSTATUS(wait_status), ")"));
}

absl::StatusOr<std::string> Decode(const IsolationOptions& o, std::string_view wire) {
  WireReader r(wire);
  int64_t code = 0, cap_bound = 0;
  std::string text;
  if (!r.Int(code) || !r.Bytes(text) || !r.Int(cap_bound))
    return absl::DataLossError(absl::StrCat(o.what, " sent back a short reply"));
  const auto status_code = static_cast<absl::StatusCode>(code);
  if (status_code == absl::StatusCode::kOk) return text;
  if (status_code == absl::StatusCode::kResourceExhausted && cap_bound == 0)
    return OutOfMemoryError(absl::StrCat("running ", o.what, ": the memory limit is below what an image of this size may need"));
  if (status_code == absl::StatusCode::kResourceExhausted)
    return absl::DataLossError(absl::StrCat(o.what, " ran out of memory on this file: it asks for more than an image "
                                            "of its size needs"));
  return absl::Status(status_code, text);
}

}  // namespace

absl::StatusOr<std::string> RunIsolated(const IsolationOptions& options,
                                        absl::FunctionRef<absl::StatusOr<std::string>()> work) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0)
    return absl::UnavailableError(absl::StrCat("could not start ", options.what, ": ", std::strerror(errno)));
  std::fflush(nullptr);  // nothing buffered is written twice
  const pid_t pid = fork();
  if (pid < 0) {
    const int err = errno;
    close(fds[0]);
    close(fds[1]);
    if (err == ENOMEM) return OutOfMemoryError(absl::StrCat("starting ", options.what));
    if (err == EAGAIN) return ProcessStartError(options.what);
    return absl::UnavailableError(absl::StrCat("could not start ", options.what, ": ", std::strerror(err)));
  }
  if (pid == 0) {
    close(fds[0]);
    RunChild(fds[1], options, work);
  }
  close(fds[1]);
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(static_cast<int64_t>(options.time_limit_s * 1000));
  std::string reply;
  const ReadEnd end = ReadUntilEof(fds[0], deadline, reply);
  close(fds[0]);
  if (end != ReadEnd::kEof) kill(pid, SIGKILL);
  int wait_status = 0;
  while (waitpid(pid, &wait_status, 0) < 0 && errno == EINTR) {
  }
  if (end == ReadEnd::kTimedOut)
    return absl::DataLossError(absl::StrCat(options.what, " took longer than ", options.time_limit_s,
                                            " s on this file and was stopped"));
  if (!WIFEXITED(wait_status) || WEXITSTATUS(wait_status) != 0 || end == ReadEnd::kError)
    return ChildStatus(options, wait_status);
  return Decode(options, reply);
}

void LimitIsolatedMemory(size_t bytes) {
  if (!in_child) return;
  long pages = 0;
  if (std::FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld", &pages) != 1) pages = 0;
    std::fclose(f);
  }
  if (pages <= 0) return;
  const rlim_t limit = rlim_t(pages) * rlim_t(sysconf(_SC_PAGESIZE)) + rlim_t(bytes);
  // Never above what the machine gave the process (root could raise it);
  // the soft limit only, so that a later, larger cap can still be set.
  cap_binds = machine_limit.rlim_cur == RLIM_INFINITY || limit < machine_limit.rlim_cur;
  machine_short = !cap_binds;
#if !defined(ACUITY_ISOLATION_UNDER_SANITIZER)
  rlimit r{cap_binds ? limit : machine_limit.rlim_cur, machine_limit.rlim_max};
  setrlimit(RLIMIT_AS, &r);
#endif
}

bool InIsolatedChild() { return in_child; }

bool ForkIsSafeBesideBusyThreads() {
#if defined(ACUITY_ISOLATION_UNDER_SANITIZER)
  return false;
#else
  return true;
#endif
}

void WireWriter::Int(int64_t v) { out_.append(reinterpret_cast<const char*>(&v), sizeof(v)); }

void WireWriter::Bytes(std::string_view b) {
  Int(static_cast<int64_t>(b.size()));
  out_.append(b);
}

void WireWriter::Mat(const cv::Mat& m) {
  Int(m.rows);
  Int(m.cols);
  Int(m.type());
  const size_t row_bytes = size_t(m.cols) * m.elemSize();
  for (int y = 0; y < m.rows; ++y) out_.append(reinterpret_cast<const char*>(m.ptr(y)), row_bytes);
}

bool WireReader::Int(int64_t& v) {
  if (in_.size() < sizeof(v)) return false;
  std::memcpy(&v, in_.data(), sizeof(v));
  in_.remove_prefix(sizeof(v));
  return true;
}

bool WireReader::Bytes(std::string& b) {
  int64_t n = 0;
  if (!Int(n) || n < 0 || uint64_t(n) > in_.size()) return false;
  b.assign(in_.data(), size_t(n));
  in_.remove_prefix(size_t(n));
  return true;
}

bool WireReader::Mat(cv::Mat& m) {
  int64_t rows = 0, cols = 0, type = 0;
  if (!Int(rows) || !Int(cols) || !Int(type) || rows < 0 || cols < 0 || rows > (1 << 20) || cols > (1 << 20))
    return false;
  const size_t elem = CV_ELEM_SIZE(static_cast<int>(type));
  const size_t total = size_t(rows) * size_t(cols) * elem;
  if (elem == 0 || total > in_.size()) return false;
  m.create(static_cast<int>(rows), static_cast<int>(cols), static_cast<int>(type));
  for (int y = 0; y < m.rows; ++y) std::memcpy(m.ptr(y), in_.data() + size_t(y) * cols * elem, size_t(cols) * elem);
  in_.remove_prefix(total);
  return true;
}

}  // namespace acuity

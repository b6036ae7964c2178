// The watchdog of the single-file commands (analyze, advise, enhance, qa,
// report): work that makes no progress for --stall-limit seconds — a
// decoder or library spinning, a file system that stopped answering, a
// thread waiting for one that never started — ends the program with one
// line naming the file and exit 4 (kExitFailed: the machine's fault, not
// the file's), instead of holding a terminal, a script or a cluster node
// until someone notices. `batch` has its own (batch/stall_watch.h, which
// this one is built on), since it records the stalled input and goes on.
//
// Progress is whatever the command reports: each file it starts, each stage
// it finishes, each tile or step of a plan. A stalled thread cannot be
// stopped from outside, so the default reaction is to end the process
// (_exit: no destructor may wait on the stalled thread). Temporary output
// files are never renamed into place (analysis/io/atomic_file.h): no
// half-written result is left under the output's name, though a write
// stalled itself (a file system that stopped answering) leaves its
// temporary file, `.OUT.tmp-XXXXXX` beside OUT. A stall in enhance's
// re-measure of OUT, once OUT is written, names OUT and keeps it.
//
//   acuity::cli::StallGuard guard(600);   // seconds; 0: never
//   guard.Beat("photo.jpg");              // starting work on photo.jpg
//   Analyze(...);                         // no Beat for 600 s: exit 4
//   guard.Beat();                         // a stage or tile done
#ifndef ACUITY_CLI_STALL_GUARD_H_
#define ACUITY_CLI_STALL_GUARD_H_

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "batch/stall_watch.h"
#include "cli/args.h"

namespace acuity::cli {

// --stall-limit's default (seconds without progress): a stage of one input
// (the analysis of a 100 MP photo, the encode of an upscaled one, one tile
// of the slowest model on a CPU) takes well under it.
inline constexpr double kDefaultStallLimitS = 600;
// The shortest limit taken, seconds (a shorter one would have the watchdog
// spin rather than wait).
inline constexpr double kMinStallLimitS = 0.1;

// --stall-limit S (the single-file commands and batch); `then` says what
// happens to a stalled input ("exit 4"). GetStallLimit: seconds, 0 for
// never; InvalidArgument for anything else outside kMinStallLimitS … a week.
void AddStallLimitOption(ArgParser& parser, const std::string& then);
absl::StatusOr<double> GetStallLimit(const ParsedArgs& args);

class StallGuard {
 public:
  // Called once, on the watchdog's thread, when `file` (the last one named
  // to Beat; may be empty) has gone `quiet_s` seconds without progress.
  using OnStall = std::function<void(const std::string& file, double quiet_s)>;

  // Watches from now. `limit_s` ≤ 0: never. `on_stall` empty: EndStalled.
  // Should the watchdog's thread not start (the machine is out of threads),
  // the command runs unwatched rather than not at all.
  explicit StallGuard(double limit_s, OnStall on_stall = {});
  ~StallGuard();
  StallGuard(const StallGuard&) = delete;
  StallGuard& operator=(const StallGuard&) = delete;

  // Progress: work on `file` begins (it names the file in the stall's line).
  void Beat(const std::string& file);
  // Progress on the same file (a stage, a tile, a step).
  void Beat();

  bool watching() const { return watcher_.joinable(); }

 private:
  void Watch();

  batch::StallWatch watch_;
  OnStall on_stall_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::string file_;
  bool stop_ = false;
  std::thread watcher_;
};

// The default reaction: "acuity: FILE: no progress in N s: given up as
// stalled (…)" on stderr, written with write(2) (the main thread may hold
// the stream), and _exit(kExitFailed).
[[noreturn]] void EndStalled(const std::string& file, double quiet_s);

}  // namespace acuity::cli

#endif  // ACUITY_CLI_STALL_GUARD_H_

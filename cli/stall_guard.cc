#include "cli/stall_guard.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <system_error>

#include "analysis/io/exit_codes.h"
#include "fmt/format.h"

namespace acuity::cli {
namespace {

using Clock = batch::StallWatch::Clock;

Clock::duration LimitOf(double limit_s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(std::max(0.0, limit_s)));
}

}  // namespace

void AddStallLimitOption(ArgParser& parser, const std::string& then) {
  parser.AddOption("stall-limit", "S",
                   fmt::format("give the work on an input up as stalled after S seconds without progress: {} "
                               "(default {:g}; 0: never)",
                               then, kDefaultStallLimitS));
}

absl::StatusOr<double> GetStallLimit(const ParsedArgs& args) {
  absl::StatusOr<double> limit = args.GetNumber("stall-limit", kDefaultStallLimitS);
  if (!limit.ok()) return limit.status();
  if (!(*limit == 0 || (*limit >= kMinStallLimitS && *limit <= 7 * 86400)))
    return absl::InvalidArgumentError("--stall-limit must be 0 (never) or from 0.1 seconds up to a week");
  return *limit;
}

void EndStalled(const std::string& file, double quiet_s) {
  const std::string line =
      fmt::format("acuity: {}{}; --stall-limit sets the limit\n", file.empty() ? "" : file + ": ", batch::StalledReason(quiet_s));
  const ssize_t written = write(STDERR_FILENO, line.data(), line.size());
  (void)written;
  _exit(kExitFailed);
}

StallGuard::StallGuard(double limit_s, OnStall on_stall)
    : watch_(1, LimitOf(limit_s)), on_stall_(on_stall ? std::move(on_stall) : OnStall(EndStalled)) {
  watch_.Started(0);
  if (limit_s <= 0) return;
  try {
    watcher_ = std::thread([this] { Watch(); });
  } catch (const std::system_error&) {
    // No thread to spare: run unwatched (the work itself may still fail
    // to start its threads, and says so).
  }
}

StallGuard::~StallGuard() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (watcher_.joinable()) watcher_.join();
}

void StallGuard::Beat(const std::string& file) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    file_ = file;
  }
  watch_.Beat(0);
}

void StallGuard::Beat() { watch_.Beat(0); }

void StallGuard::Watch() {
  // Looks four times per limit, and at least once a second: a stall is
  // declared between 1 and 1.25 limits after the last progress.
  const auto period = std::min<Clock::duration>(LimitOf(watch_.limit_s() / 4), std::chrono::seconds(1));
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    wake_.wait_for(lock, period);
    if (stop_) return;
    if (watch_.NewlyStalled().empty()) continue;
    const std::string file = file_;
    const double quiet_s = watch_.SecondsQuiet(0);
    lock.unlock();
    on_stall_(file, quiet_s);  // declared once: NewlyStalled returns the job once
    return;
  }
}

}  // namespace acuity::cli

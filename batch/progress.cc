#include "batch/progress.h"

#include <cmath>

#include <fmt/format.h>

namespace acuity::batch {
namespace {

constexpr double kPlainLineEverySeconds = 10;
constexpr double kBarRefreshSeconds = 0.2;
constexpr int kBarWidth = 24;

std::string Duration(double seconds) {
  if (seconds < 90) return fmt::format("{:.0f} s", seconds);
  if (seconds < 5400) return fmt::format("{:.0f} min", seconds / 60);
  return fmt::format("{:.1f} h", seconds / 3600);
}

}  // namespace

double BatchProgress::Seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

std::string BatchProgress::Line() const {
  const double elapsed = Seconds();
  const double rate = elapsed > 0 ? done_ / elapsed : 0;
  const std::string left = rate > 0 && done_ < total_ ? Duration((total_ - done_) / rate) + " left" : "";
  return fmt::format("{}/{} files, {:.1f} files/s{}{}, {} failed", done_, total_, rate, left.empty() ? "" : ", ",
                     left, failed_);
}

std::string BatchProgress::Counts() {
  std::lock_guard<std::mutex> lock(mu_);
  return fmt::format("{} of {} files done, {} failed", done_, total_, failed_);
}

void BatchProgress::DrawLocked(bool force) {
  const double now = Seconds();
  if (tty_) {
    if (!force && now - last_draw_ < kBarRefreshSeconds) return;
    const int filled = total_ ? int(std::lround(double(done_) / total_ * kBarWidth)) : kBarWidth;
    err_ << "\racuity: [" << std::string(filled, '#') << std::string(kBarWidth - filled, '-') << "] " << Line()
         << "\x1b[K" << std::flush;
    drawn_ = true;
  } else {
    if (now - last_draw_ < kPlainLineEverySeconds) return;
    err_ << "acuity: " << Line() << "\n" << std::flush;
  }
  last_draw_ = now;
}

void BatchProgress::FileDone(bool failed) {
  std::lock_guard<std::mutex> lock(mu_);
  ++done_;
  if (failed) ++failed_;
  DrawLocked(false);
}

void BatchProgress::Tick() {
  std::lock_guard<std::mutex> lock(mu_);
  DrawLocked(false);
}

void BatchProgress::Finish() {
  std::lock_guard<std::mutex> lock(mu_);
  if (drawn_) err_ << "\r\x1b[K" << std::flush;
  drawn_ = false;
}

void BatchProgress::Say(const std::string& line) {
  std::lock_guard<std::mutex> lock(mu_);
  if (drawn_) err_ << "\r\x1b[K";
  err_ << line << "\n";
  if (drawn_) DrawLocked(true);
  err_ << std::flush;
}

}  // namespace acuity::batch

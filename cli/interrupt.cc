#include "cli/interrupt.h"

#include <signal.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>

#include "analysis/io/exit_codes.h"

namespace acuity::cli {
namespace {

// The signal received; written only by the handler. The one global that
// signal handling requires.
volatile std::sig_atomic_t received_signal = 0;
// Seconds of grace (kInterruptGraceS or ACUITY_INTERRUPT_GRACE_S), set once
// by InstallInterruptHandlers, read by the handler.
volatile std::sig_atomic_t grace_s = kInterruptGraceS;

extern "C" void RecordSignal(int signal_number) {
  received_signal = signal_number;
  alarm(unsigned(grace_s));  // EndAfterGrace, unless the command stops first
}

// The watchdog of an interruption: a command that has not reached a point
// where it checks Interrupted() within the grace period (a long
// measurement, a library call that makes no progress) ends here. Only
// async-signal-safe calls: write(2) and _exit(2).
extern "C" void EndAfterGrace(int) {
  static constexpr char kTerm[] = "acuity: interrupted by SIGTERM; the work did not stop within the grace period\n";
  static constexpr char kInt[] = "acuity: interrupted by SIGINT; the work did not stop within the grace period\n";
  const bool term = received_signal == SIGTERM;
  const ssize_t written = write(STDERR_FILENO, term ? kTerm : kInt, (term ? sizeof kTerm : sizeof kInt) - 1);
  (void)written;
  _exit(kExitSignalBase + received_signal);
}

void Install(int signal_number) {
  struct sigaction old_action {};
  if (sigaction(signal_number, nullptr, &old_action) == 0 && old_action.sa_handler == SIG_IGN) return;
  struct sigaction action {};
  action.sa_handler = RecordSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;  // a second signal ends the program at once
  sigaction(signal_number, &action, nullptr);
}

const char* SignalName(int signal_number) {
  switch (signal_number) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    default: return "a signal";
  }
}

}  // namespace

void InstallInterruptHandlers() {
  if (const char* env = std::getenv("ACUITY_INTERRUPT_GRACE_S")) {
    char* end = nullptr;
    const long seconds = std::strtol(env, &end, 10);
    if (end != env && *end == '\0' && seconds >= 1 && seconds <= 3600) grace_s = std::sig_atomic_t(seconds);
  }
  Install(SIGINT);
  Install(SIGTERM);
  struct sigaction action {};
  action.sa_handler = EndAfterGrace;
  sigemptyset(&action.sa_mask);
  sigaction(SIGALRM, &action, nullptr);
}

bool Interrupted() { return received_signal != 0; }

int InterruptSignal() { return received_signal; }

int ReportInterrupted(std::ostream& err, const std::string& file) {
  err << "acuity: " << (file.empty() ? "" : file + ": ") << "interrupted by " << SignalName(InterruptSignal())
      << (file.empty() ? "" : "; nothing written") << "\n";
  return kExitSignalBase + InterruptSignal();
}

}  // namespace acuity::cli

#include "cli/interrupt.h"

#include <signal.h>

#include <csignal>

#include "cli/exit_codes.h"

namespace acuity::cli {
namespace {

// The signal received; written only by the handler. The one global that
// signal handling requires.
volatile std::sig_atomic_t received_signal = 0;

extern "C" void RecordSignal(int signal_number) { received_signal = signal_number; }

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
  Install(SIGINT);
  Install(SIGTERM);
}

bool Interrupted() { return received_signal != 0; }

int InterruptSignal() { return received_signal; }

int ReportInterrupted(std::ostream& err, const std::string& file) {
  err << "acuity: " << (file.empty() ? "" : file + ": ") << "interrupted by " << SignalName(InterruptSignal())
      << (file.empty() ? "" : "; nothing written") << "\n";
  return kExitSignalBase + InterruptSignal();
}

}  // namespace acuity::cli

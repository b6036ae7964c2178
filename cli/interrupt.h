// Ctrl-C (SIGINT) and SIGTERM for the acuity program. main installs the
// handlers once; they only record which signal came — the one piece of
// process-wide state that signals need. The commands poll Interrupted(): the
// pipeline through its progress callback (once per tile or step), the file
// loops between files, and writes just before the rename
// (WriteOptions::cancelled), so that an interrupted command removes its
// temporary output, writes nothing more and exits with 128 + the signal
// (130 for SIGINT, 143 for SIGTERM). The first signal restores the default
// action: a second one ends the program at once. A command that reaches no
// such check within kInterruptGraceS of the first signal (a measurement of
// a huge image, a library that makes no progress) is ended then, with the
// same exit code and one line on stderr: a job scheduler's SIGTERM (Slurm
// sends SIGKILL 30 s later) or a Ctrl-C never waits on it. (`batch` owns
// its signals while it runs: cli/batch_command.cc.)
//
//   int main(...) { acuity::cli::InstallInterruptHandlers(); ... }
//   options.progress = [](double, const std::string&) { return !acuity::cli::Interrupted(); };
//   if (acuity::cli::Interrupted()) return acuity::cli::ReportInterrupted(std::cerr, "photo.jpg");
#ifndef ACUITY_CLI_INTERRUPT_H_
#define ACUITY_CLI_INTERRUPT_H_

#include <ostream>
#include <string>

namespace acuity::cli {

// Seconds from the first SIGINT/SIGTERM to the watchdog's exit; the
// environment variable ACUITY_INTERRUPT_GRACE_S (1–3600) sets another.
inline constexpr unsigned kInterruptGraceS = 10;

// SIGINT and SIGTERM set the flag below; a signal the program was started
// with ignored (e.g. SIGINT of a background job) stays ignored.
void InstallInterruptHandlers();

// True once SIGINT or SIGTERM has arrived.
bool Interrupted();

// The signal that arrived (SIGINT or SIGTERM), 0 when none.
int InterruptSignal();

// Prints "acuity: FILE: interrupted by SIGINT; nothing written" (or
// "acuity: interrupted by SIGINT" when FILE is empty: the files finished
// before stay) and returns 128 + the signal.
int ReportInterrupted(std::ostream& err, const std::string& file);

}  // namespace acuity::cli

#endif  // ACUITY_CLI_INTERRUPT_H_

// The `acuity` program: dispatches to a subcommand of the table in
// cli/commands.h. All logic lives in the libraries and in cli/*_command.cc.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "analysis/io/image_io.h"
#include "cli/commands.h"
#include "analysis/io/exit_codes.h"
#include "cli/interrupt.h"
#include "acuity/version.h"
#include "cli/module_version.h"
#include "enhance/compute_threads.h"
#include "enhance/memory_tuning.h"

namespace {

// Ends the process with `code` once a command (or --version) has returned. Everything a
// command writes is in place by then (files renamed into place; the streams
// are flushed here), so the process leaves without running the destructors
// of static objects: LibTorch's, CUDA's and the libraries' teardown took
// 0.29–0.36 s after acuity's last line on a GPU and 0.30–0.48 s on a 2-core
// CPU (models/RESULTS.md, "Loading", run 18). Sanitized builds return
// normally: LeakSanitizer reports at exit.
int Finish(int code) {
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
#if !defined(__SANITIZE_ADDRESS__)
  std::_Exit(code);
#endif
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    (args.empty() ? std::cerr : std::cout) << acuity::cli::ProgramHelp(acuity::cli::AcuityProgram());
    return args.empty() ? acuity::kExitUsage : acuity::kExitOk;
  }
  if (args[0] == "--version") {
    std::cout << "acuity " << acuity::kAcuityVersion << "\n";
    acuity::cli::PrintModuleVersion(std::cout);  // loads LibTorch: its teardown too is skipped
    return Finish(acuity::kExitOk);
  }
  // Process-wide settings, once, before any library call (enhance --threads
  // changes the thread count later, before it runs anything).
  acuity::QuietLibraryLogging();
  acuity::SetComputeThreads(0);
  acuity::KeepFreedMemoryForReuse();  // enhance/memory_tuning.h
  acuity::cli::InstallInterruptHandlers();
  const std::string command = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (const acuity::cli::CommandSpec* spec = acuity::cli::FindCommand(command))
    return Finish(spec->run(rest, std::cout, std::cerr));
  std::cerr << "acuity: unknown command '" << command << "'\n"
            << acuity::cli::ProgramHelp(acuity::cli::AcuityProgram());
  return acuity::kExitUsage;
}

// The `acuity` program: dispatches to a subcommand. All logic lives in the
// libraries and in cli/*_command.cc.
#include <iostream>
#include <string>
#include <vector>

#include "analysis/io/image_io.h"
#include "cli/advise_command.h"
#include "cli/analyze_command.h"
#include "cli/batch_command.h"
#include "cli/enhance_command.h"
#include "cli/report_command.h"
#include "cli/exit_codes.h"
#include "cli/interrupt.h"
#include "cli/qa_command.h"
#include "cli/version.h"
#include "cli/module_version.h"
#include "enhance/compute_threads.h"
#include "enhance/memory_tuning.h"

namespace {

constexpr char kUsage[] =
    "usage: acuity COMMAND [OPTIONS] FILE...\n"
    "\n"
    "Tells what a picture needs to reach a target size and quality: upscaling,\n"
    "sharpening, denoising, compression repair, or nothing.\n"
    "\n"
    "commands:\n"
    "  analyze   measure each file: size, metadata, resolution vs a target, quality\n"
    "  advise    measurements plus an ordered plan with reasons and warnings\n"
    "  enhance   run explicit steps or the advised plan (upscale, sharpen, ...) and write OUT\n"
    "  report    a self-contained HTML page: measurements, heatmaps, advice\n"
    "  qa        check an enhancement result against its input: pass / warn / fail\n"
    "  batch     any of these over folders and lists: JSON Lines, resumable, parallel, sharded\n"
    "\n"
    "Run 'acuity COMMAND --help' for the options of a command.\n";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    (args.empty() ? std::cerr : std::cout) << kUsage;
    return args.empty() ? acuity::cli::kExitUsage : acuity::cli::kExitOk;
  }
  if (args[0] == "--version") {
    std::cout << "acuity " << acuity::cli::kAcuityVersion << "\n";
    acuity::cli::PrintModuleVersion(std::cout);
    return acuity::cli::kExitOk;
  }
  // Process-wide settings, once, before any library call (enhance --threads
  // changes the thread count later, before it runs anything).
  acuity::QuietLibraryLogging();
  acuity::SetComputeThreads(0);
  acuity::KeepFreedMemoryForReuse();  // enhance/memory_tuning.h
  acuity::cli::InstallInterruptHandlers();
  const std::string command = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "analyze") return acuity::cli::RunAnalyze(rest, std::cout, std::cerr);
  if (command == "advise") return acuity::cli::RunAdvise(rest, std::cout, std::cerr);
  if (command == "enhance") return acuity::cli::RunEnhance(rest, std::cout, std::cerr);
  if (command == "report") return acuity::cli::RunReport(rest, std::cout, std::cerr);
  if (command == "qa") return acuity::cli::RunQa(rest, std::cout, std::cerr);
  if (command == "batch") return acuity::cli::RunBatch(rest, std::cout, std::cerr);
  std::cerr << "acuity: unknown command '" << command << "'\n" << kUsage;
  return acuity::cli::kExitUsage;
}

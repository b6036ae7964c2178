#include "cli/commands.h"

#include <fmt/format.h>

#include "analysis/measurements/marketplace.h"
#include "analysis/measurements/target_spec.h"
#include "cli/advise_command.h"
#include "cli/analyze_command.h"
#include "cli/batch_command.h"
#include "cli/enhance_command.h"
#include "analysis/io/exit_codes.h"
#include "cli/qa_command.h"
#include "cli/report_command.h"

namespace acuity::cli {
namespace {

std::string UsageLines(const std::vector<std::string>& usage) {
  std::string out;
  for (size_t i = 0; i < usage.size(); ++i)
    out += fmt::format("{}{}\n", i == 0 ? "usage: " : "       ", usage[i]);
  return out;
}

std::string SectionsText(const std::vector<HelpSection>& sections) {
  std::string out;
  for (const HelpSection& s : sections) out += fmt::format("\n{}:\n{}", s.title, s.text);
  return out;
}

// `--target SPEC`: the forms the target parser accepts.
HelpSection TargetSection() {
  return {"targets (--target SPEC)",
          fmt::format("  {}\n  marketplaces: {} (docs/targets.md)\n"
                      "  (orientation follows the image: a landscape photo is fitted to a 10x8 print)\n",
                      TargetSpecForms(), MarketplaceNames()),
          ""};
}

std::vector<ExitCodeDoc> AcuityExitCodes() {
  return {{kExitOk, "success (a QA verdict of pass or warn included)"},
          {kExitQaFail, "a QA verdict of fail, or an input failing batch --fail-on"},
          {kExitUsage, "bad usage: an unknown option or step, a bad value, other options than batch's DIR holds"},
          {kExitBadInput, "an input could not be read (the other inputs are still processed)"},
          {kExitFailed, "an output could not be produced: out of memory or disk, an unwritable output, a model failure"},
          {kExitSignalBase + 2, "interrupted by SIGINT (Ctrl-C); nothing partial is left"},
          {kExitSignalBase + 15, "interrupted by SIGTERM; nothing partial is left"}};
}

// The program's own options, before any command.
ArgParser AcuityArgParser() {
  ArgParser parser("", "acuity");
  parser.AddFlag("help", "list the commands", 'h');
  parser.AddFlag("version", "print the version");
  return parser;
}

// The `acuity` program's table, built once: FindCommand hands out pointers into it.
const ProgramSpec& Acuity() {
  static const auto* const kProgram = new ProgramSpec{
      "acuity",
      "image quality assessment and advice: what a picture needs to reach a target size",
      {"acuity COMMAND [OPTIONS] FILE...", "acuity --help | --version", "acuity COMMAND --help"},
      "Tells what a picture needs to reach a target size and quality: upscaling,\n"
      "sharpening, denoising, compression repair, or nothing.\n",
      AcuityArgParser,
      {AnalyzeCommand(), AdviseCommand(), EnhanceCommand(), ReportCommand(), QaCommand(), BatchCommand()},
      {TargetSection()},
      AcuityExitCodes()};
  return *kProgram;
}

}  // namespace

ProgramSpec AcuityProgram() { return Acuity(); }

const CommandSpec* FindCommand(const std::string& name) {
  for (const CommandSpec& c : Acuity().commands)
    if (c.name == name) return &c;
  return nullptr;
}

std::string CommandHelp(const CommandSpec& command) {
  std::string out = UsageLines(command.usage) + command.description + "\n" + command.parser().OptionsHelp();
  if (command.sections) out += SectionsText(command.sections());
  return out;
}

std::string ProgramHelp(const ProgramSpec& program) {
  std::string out = UsageLines(program.usage) + "\n" + program.description;
  if (!program.commands.empty()) {
    out += "\ncommands:\n";
    for (const CommandSpec& c : program.commands) out += fmt::format("  {:<9} {}\n", c.name, c.summary);
  }
  if (program.parser) out += "\noptions:\n" + program.parser().OptionsHelp();
  out += SectionsText(program.sections);
  if (!program.commands.empty())
    out += fmt::format("\nRun '{} COMMAND --help' for the options of a command.\n", program.name);
  return out;
}

}  // namespace acuity::cli

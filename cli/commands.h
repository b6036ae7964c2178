// The table of acuity's programs and subcommands: per command its name, a
// one-line summary, the usage lines, the help text, its options (the same
// ArgParser it parses with), sections after the options (the steps, the
// models, the QA limits) and the function that runs it. Everything about a
// command's documentation is read from here: `acuity --help` and each
// `acuity COMMAND --help`, the dispatch in main.cc, and the reference, man
// pages and shell completion that docgen/ generates (docs/commands.md).
//
//   for (const acuity::cli::CommandSpec& c : acuity::cli::AcuityProgram().commands)
//     std::cout << c.name << "  " << c.summary << "\n";
//   std::cout << acuity::cli::CommandHelp(*acuity::cli::FindCommand("qa"));
#ifndef ACUITY_CLI_COMMANDS_H_
#define ACUITY_CLI_COMMANDS_H_

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/args.h"

namespace acuity::cli {

// Help beyond the options: a titled block of plain text ("steps", "models").
// `markdown`, when set, is the same content as Markdown for the reference
// (a table); otherwise the reference shows `text` as it is.
struct HelpSection {
  std::string title;
  std::string text;      // lines, each ending in '\n'
  std::string markdown;  // "" = use `text`
};

using RunFunction = std::function<int(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)>;

struct CommandSpec {
  std::string name;                // "analyze"
  std::string summary;             // one line: `acuity --help`, the reference, the man page
  std::vector<std::string> usage;  // synopsis lines without "usage: ": "acuity analyze [--json] FILE..."
  std::string description;         // what the command does: lines, each ending in '\n'
  std::function<ArgParser()> parser;                      // the options it parses
  std::function<std::vector<HelpSection>()> sections;     // after the options; may be empty
  RunFunction run;
};

struct ExitCodeDoc {
  int code;
  std::string meaning;
};

// A program: `acuity` (with subcommands) or `acuity-viewer` (options only).
struct ProgramSpec {
  std::string name;                // "acuity"
  std::string summary;             // the man page's NAME line: "image quality assessment and advice"
  std::vector<std::string> usage;  // synopsis lines without "usage: "
  std::string description;         // lines, each ending in '\n'
  std::function<ArgParser()> parser;  // the program's own options (acuity: --help, --version)
  std::vector<CommandSpec> commands;
  std::vector<HelpSection> sections;  // after the commands or options
  std::vector<ExitCodeDoc> exit_codes;
};

// The `acuity` program: every subcommand, in the order `acuity --help` lists them.
ProgramSpec AcuityProgram();

// The subcommand called `name`, or nullptr when there is none.
// The pointer is into a table that lives as long as the process.
const CommandSpec* FindCommand(const std::string& name);

// `acuity COMMAND --help`: usage, description, options, sections.
std::string CommandHelp(const CommandSpec& command);

// `acuity --help` (and `acuity-viewer --help`): usage, description, the
// commands with their summaries or the options, then the sections.
std::string ProgramHelp(const ProgramSpec& program);

}  // namespace acuity::cli

#endif  // ACUITY_CLI_COMMANDS_H_

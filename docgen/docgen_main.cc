// acuity-docgen: writes the command reference, a man page or the bash
// completion from the command and option tables (docgen/reference.h). The
// build runs it for the man pages and the completion; `cmake --build build
// --target commands-md` runs it for docs/commands.md.
//
//   acuity-docgen --format markdown -o docs/commands.md
//   acuity-docgen --format man --program acuity-viewer -o build/man/acuity-viewer.1
//   acuity-docgen --format bash-completion -o build/completions/acuity
#include <iostream>
#include <string>
#include <vector>

#include "analysis/io/atomic_file.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "acuity/version.h"
#include "docgen/reference.h"
#ifdef ACUITY_DOCGEN_VIEWER
#include "viewer/viewer_cli.h"
#endif

namespace {

std::vector<acuity::cli::ProgramSpec> Programs() {
  std::vector<acuity::cli::ProgramSpec> programs = {acuity::cli::AcuityProgram()};
#ifdef ACUITY_DOCGEN_VIEWER
  programs.push_back(acuity::viewer::ViewerProgram());
#endif
  return programs;
}

acuity::cli::ArgParser DocgenArgParser() {
  acuity::cli::ArgParser parser("", "acuity-docgen");
  parser.AddOption("format", "markdown|man|bash-completion", "what to write");
  parser.AddOption("program", "NAME", "man: the program whose page to write (default acuity)");
  parser.AddOption("output", "FILE", "where to write it (default: stdout)", 'o');
  parser.AddFlag("help", "show this help", 'h');
  return parser;
}

}  // namespace

int main(int argc, char** argv) {
  const acuity::cli::ArgParser parser = DocgenArgParser();
  absl::StatusOr<acuity::cli::ParsedArgs> args = parser.Parse(std::vector<std::string>(argv + 1, argv + argc));
  if (!args.ok()) {
    std::cerr << "acuity-docgen: " << args.status().message() << "\n";
    return 2;
  }
  if (args->Has("help")) {
    std::cout << "usage: acuity-docgen --format markdown|man|bash-completion [--program NAME] [-o FILE]\n\n"
              << parser.OptionsHelp();
    return 0;
  }
  const std::vector<acuity::cli::ProgramSpec> programs = Programs();
  const std::string format = args->Get("format").value_or("");
  std::string text;
  if (format == "markdown") {
    text = acuity::docgen::ReferenceMarkdown(programs);
  } else if (format == "bash-completion") {
    text = acuity::docgen::BashCompletion(programs);
  } else if (format == "man") {
    const std::string name = args->Get("program").value_or("acuity");
    const acuity::cli::ProgramSpec* program = nullptr;
    std::vector<std::string> others;
    for (const acuity::cli::ProgramSpec& p : programs) {
      if (p.name == name) program = &p;
      else others.push_back(p.name);
    }
    if (program == nullptr) {
      std::cerr << "acuity-docgen: no program '" << name << "' in this build\n";
      return 2;
    }
    text = acuity::docgen::ManPage(*program, acuity::kAcuityVersion, others);
  } else {
    std::cerr << "acuity-docgen: --format takes markdown, man or bash-completion\n";
    return 2;
  }
  const std::optional<std::string> output = args->Get("output");
  if (!output) {
    std::cout << text;
    return 0;
  }
  if (absl::Status s = acuity::WriteFileAtomically(*output, text); !s.ok()) {
    std::cerr << "acuity-docgen: " << *output << ": " << s.message() << "\n";
    return 4;
  }
  return 0;
}

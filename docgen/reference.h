// The command reference, man pages and bash completion of acuity and
// acuity-viewer, rendered from the same tables their --help is printed from
// (cli/commands.h: each command's ArgParser, usage, help sections; the plan
// ops, the QA limits, the target forms, the viewer's command registry).
// Nothing here knows a command or an option by name: a new option appears
// in all three by being added to its parser.
//
//   std::vector<acuity::cli::ProgramSpec> programs = {acuity::cli::AcuityProgram()};
//   std::string md = acuity::docgen::ReferenceMarkdown(programs);     // docs/commands.md
//   std::string man = acuity::docgen::ManPage(programs[0], "0.1.0");  // acuity.1
//   std::string bash = acuity::docgen::BashCompletion(programs);      // share/bash-completion/completions/acuity
#ifndef ACUITY_DOCGEN_REFERENCE_H_
#define ACUITY_DOCGEN_REFERENCE_H_

#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.h"

namespace acuity::docgen {

// docs/commands.md: every program, command, option, help section and exit code.
std::string ReferenceMarkdown(const std::vector<cli::ProgramSpec>& programs);

// `program`'s man page, section 1, in roff with the man macros. Non-ASCII
// characters are written as \[uXXXX] escapes (groff and mandoc read them
// whatever the input encoding). `see_also` names the other pages.
std::string ManPage(const cli::ProgramSpec& program, std::string_view version,
                    const std::vector<std::string>& see_also = {});

// A bash completion script for every program: commands, options (long and
// short), and option values where the value name lists them ("auto|fp32|bf16"
// offers the words, DIR offers folders, FILE, OUT, REF and names with a dot
// offer files).
std::string BashCompletion(const std::vector<cli::ProgramSpec>& programs);

// The value words an option's value name lists: "contain|crop|pad[:COLOR]"
// gives {contain, crop, pad}; none when any alternative is not a lowercase
// word ("NAME|FILE.pt", "N").
std::vector<std::string> ValueWords(std::string_view value_name);

// `text` for a Markdown table cell: '|' escaped, '<' as an entity.
std::string MarkdownText(std::string_view text);

// `text` for roff: backslashes and leading dots or quotes escaped, every '-'
// as \- (an ASCII minus, so that options and names copy as typed), non-ASCII
// as \[uXXXX].
std::string RoffEscape(std::string_view text);

}  // namespace acuity::docgen

#endif  // ACUITY_DOCGEN_REFERENCE_H_

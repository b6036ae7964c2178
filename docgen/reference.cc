#include "docgen/reference.h"

#include <cctype>
#include <cstdint>
#include <set>

#include <fmt/format.h>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "analysis/advice/plan_ops.h"

namespace acuity::docgen {
namespace {

using cli::ArgParser;
using cli::CommandSpec;
using cli::HelpSection;
using cli::ProgramSpec;

// "-t, --target SPEC" as --help shows it.
std::string OptionLabel(const ArgParser::Option& o) {
  std::string label = o.short_name ? fmt::format("-{}, --{}", o.short_name, o.name) : "--" + o.name;
  if (o.takes_value) label += " " + o.value_name;
  return label;
}

std::vector<ArgParser::Option> OptionsOf(const std::function<ArgParser()>& parser) {
  return parser ? parser().options() : std::vector<ArgParser::Option>{};
}

// A GitHub heading anchor: lowercase, spaces to '-', punctuation dropped.
std::string Anchor(std::string_view heading) {
  std::string out;
  for (char c : heading) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') out += std::tolower(c);
    else if (c == ' ') out += '-';
  }
  return out;
}

// Prose for Markdown: '<' as an entity, so that "DIR/<name>.png" is not read as an HTML tag.
std::string MarkdownProse(std::string_view text) {
  std::string out;
  for (char c : text) out += c == '<' ? std::string("&lt;") : std::string(1, c);
  return out;
}

std::string CodeBlock(std::string_view text) { return fmt::format("```\n{}```\n", text); }

std::string MarkdownOptions(const std::vector<ArgParser::Option>& options) {
  if (options.empty()) return "";
  std::string out = "| option | meaning |\n|---|---|\n";
  for (const ArgParser::Option& o : options)
    out += fmt::format("| `{}` | {} |\n", MarkdownCell(OptionLabel(o)), MarkdownText(o.help));
  return out;
}

std::string MarkdownSections(const std::vector<HelpSection>& sections, const char* level) {
  std::string out;
  for (const HelpSection& s : sections)
    out += fmt::format("\n{} {}\n\n{}", level, s.title, s.markdown.empty() ? CodeBlock(s.text) : s.markdown);
  return out;
}

std::string MarkdownProgram(const ProgramSpec& p) {
  std::string out = fmt::format("## {}\n\n{}\n{}", p.name, CodeBlock(absl::StrJoin(p.usage, "\n") + "\n"),
                                MarkdownProse(p.description));
  if (const std::string options = MarkdownOptions(OptionsOf(p.parser)); !options.empty())
    out += "\n" + options;
  if (!p.commands.empty()) {
    out += "\n| command | what it does |\n|---|---|\n";
    for (const CommandSpec& c : p.commands)
      out += fmt::format("| [`{}`](#{}) | {} |\n", c.name, Anchor(p.name + " " + c.name), MarkdownText(c.summary));
  }
  out += MarkdownSections(p.sections, "###");
  if (!p.exit_codes.empty()) {
    out += "\n### exit status\n\n| code | meaning |\n|---|---|\n";
    for (const cli::ExitCodeDoc& e : p.exit_codes) out += fmt::format("| {} | {} |\n", e.code, MarkdownText(e.meaning));
  }
  for (const CommandSpec& c : p.commands) {
    out += fmt::format("\n## {} {}\n\n{}\n\n{}\n{}", p.name, c.name, MarkdownProse(c.summary),
                       CodeBlock(absl::StrJoin(c.usage, "\n") + "\n"), MarkdownProse(c.description));
    out += "\n" + MarkdownOptions(OptionsOf(c.parser));
    if (c.sections) out += MarkdownSections(c.sections(), "###");
  }
  return out;
}

// Appends one code point of `text` at `i` (UTF-8) as \[uXXXX]; advances i.
void AppendUnicodeEscape(std::string_view text, size_t& i, std::string& out) {
  const unsigned char lead = text[i];
  const int extra = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
  uint32_t cp = extra == 3 ? lead & 0x07 : extra == 2 ? lead & 0x0F : extra == 1 ? lead & 0x1F : lead;
  for (int k = 0; k < extra && i + 1 < text.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(text[++i]) & 0x3F);
  out += fmt::format("\\[u{:04X}]", cp);
}

// Roff lines: one per line of `text`, each escaped.
std::string RoffLines(std::string_view text) {
  std::string out;
  for (absl::string_view line : absl::StrSplit(absl::string_view(text.data(), text.size()), '\n', absl::SkipEmpty()))
    out += RoffEscape(std::string_view(line.data(), line.size())) + "\n";
  return out;
}

std::string RoffPreformatted(std::string_view text) { return ".nf\n" + RoffLines(text) + ".fi\n"; }

std::string RoffOptions(const std::vector<ArgParser::Option>& options) {
  std::string out;
  for (const ArgParser::Option& o : options)
    out += fmt::format(".TP\n\\fB{}\\fR\n{}\n", RoffEscape(OptionLabel(o)), RoffEscape(o.help));
  return out;
}

std::string RoffSections(const std::vector<HelpSection>& sections) {
  std::string out;
  for (const HelpSection& s : sections)
    out += fmt::format(".PP\n\\fI{}\\fR:\n{}", RoffEscape(s.title), RoffPreformatted(s.text));
  return out;
}

// The value names of options, by what they complete to.
std::string ValueCompletion(const ArgParser::Option& o) {
  const std::vector<std::string> words = ValueWords(o.value_name);
  if (!words.empty()) return fmt::format("COMPREPLY=($(compgen -W '{}' -- \"$cur\"))", absl::StrJoin(words, " "));
  if (o.value_name == "DIR") return "COMPREPLY=($(compgen -d -- \"$cur\"))";
  const std::string& v = o.value_name;
  if (v.find("FILE") != std::string::npos || v == "OUT" || v == "REF" || v.find('.') != std::string::npos)
    return "COMPREPLY=($(compgen -f -- \"$cur\"))";
  return "COMPREPLY=()";
}

// The options of one command: the word list, and the value cases.
void CompletionFor(const std::string& key, const std::vector<ArgParser::Option>& options, std::string& lists,
                   std::string& values) {
  std::vector<std::string> words;
  for (const ArgParser::Option& o : options) {
    words.push_back("--" + o.name);
    if (o.short_name) words.push_back(fmt::format("-{}", o.short_name));
    if (!o.takes_value) continue;
    std::string pattern = fmt::format("'{}:--{}'", key, o.name);
    if (o.short_name) pattern += fmt::format("|'{}:-{}'", key, o.short_name);
    values += fmt::format("    {}) {}; return ;;\n", pattern, ValueCompletion(o));
  }
  lists += fmt::format("    '{}') opts='{}' ;;\n", key, absl::StrJoin(words, " "));
}

std::string FunctionName(const std::string& program) {
  std::string out = "_";
  for (char c : program) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

}  // namespace

std::string MarkdownText(std::string_view text) { return MarkdownCell(MarkdownProse(text)); }

std::vector<std::string> ValueWords(std::string_view value_name) {
  const std::string_view plain = value_name.substr(0, value_name.find('['));
  std::vector<std::string> words;
  for (absl::string_view w : absl::StrSplit(absl::string_view(plain.data(), plain.size()), '|')) {
    if (w.empty()) return {};
    for (char c : w)
      if (!std::islower(static_cast<unsigned char>(c)) && !std::isdigit(static_cast<unsigned char>(c)) && c != '-')
        return {};
    words.emplace_back(w);
  }
  return words;
}

std::string RoffEscape(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\') out += "\\e";
    else if (c == '-') out += "\\-";  // an ASCII minus: options, model names and paths copy as typed
    else if (static_cast<unsigned char>(c) >= 0x80) AppendUnicodeEscape(text, i, out);
    else out += c;
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out = "\\&" + out;
  return out;
}

std::string ReferenceMarkdown(const std::vector<ProgramSpec>& programs) {
  std::string out =
      "# Command reference\n\n"
      "Every command, option, step and exit code of the programs, for looking one up. This page is\n"
      "generated from the tables that `--help`, the man pages and the shell completion are printed\n"
      "from (`cli/commands.h`); do not edit it: regenerate it with\n"
      "`cmake --build build --target commands-md` (a test fails when it is stale).\n\n";
  for (const ProgramSpec& p : programs) {
    out += fmt::format("- [`{}`](#{})", p.name, Anchor(p.name));
    std::vector<std::string> links;
    for (const CommandSpec& c : p.commands)
      links.push_back(fmt::format("[{}](#{})", c.name, Anchor(p.name + " " + c.name)));
    if (!links.empty()) out += ": " + absl::StrJoin(links, ", ");
    out += "\n";
  }
  for (const ProgramSpec& p : programs) out += "\n" + MarkdownProgram(p);
  return out;
}

std::string ManPage(const ProgramSpec& p, std::string_view version, const std::vector<std::string>& see_also) {
  std::string upper;
  for (char c : p.name) upper += std::toupper(static_cast<unsigned char>(c));
  std::string out = fmt::format(".TH {} 1 \"\" \"{} {}\" \"User Commands\"\n", RoffEscape(upper), RoffEscape(p.name),
                                RoffEscape(version));
  out += fmt::format(".SH NAME\n{} \\- {}\n", RoffEscape(p.name), RoffEscape(p.summary));
  out += ".SH SYNOPSIS\n" + RoffPreformatted(absl::StrJoin(p.usage, "\n"));
  out += ".SH DESCRIPTION\n" + RoffLines(p.description);
  if (const auto options = OptionsOf(p.parser); !options.empty()) out += ".SH OPTIONS\n" + RoffOptions(options);
  if (!p.commands.empty()) {
    out += ".SH COMMANDS\n";
    for (const CommandSpec& c : p.commands) {
      out += fmt::format(".SS \"{} {}\"\n{}\n.PP\n", RoffEscape(p.name), RoffEscape(c.name), RoffEscape(c.summary));
      out += RoffPreformatted(absl::StrJoin(c.usage, "\n")) + ".PP\n" + RoffLines(c.description);
      out += RoffOptions(OptionsOf(c.parser));
      if (c.sections) out += RoffSections(c.sections());
    }
  }
  if (!p.sections.empty()) out += ".SH NOTES\n" + RoffSections(p.sections);
  if (!p.exit_codes.empty()) {
    out += ".SH \"EXIT STATUS\"\n";
    for (const cli::ExitCodeDoc& e : p.exit_codes) out += fmt::format(".TP\n.B {}\n{}\n", e.code, RoffEscape(e.meaning));
  }
  if (!see_also.empty()) {
    std::vector<std::string> refs;
    for (const std::string& s : see_also) refs.push_back(fmt::format("\\fB{}\\fR(1)", RoffEscape(s)));
    out += ".SH \"SEE ALSO\"\n" + absl::StrJoin(refs, ",\n") + "\n";
  }
  return out;
}

std::string BashCompletion(const std::vector<ProgramSpec>& programs) {
  std::string out =
      "# bash completion for acuity's programs, generated by acuity-docgen from the option tables\n"
      "# that --help prints (cli/commands.h). Do not edit: it is rebuilt with the programs.\n";
  for (const ProgramSpec& p : programs) {
    std::string lists, values;
    CompletionFor("", OptionsOf(p.parser), lists, values);
    std::vector<std::string> names;
    for (const CommandSpec& c : p.commands) {
      names.push_back(c.name);
      CompletionFor(c.name, OptionsOf(c.parser), lists, values);
    }
    // The command is the first word after the program that is not an option
    // (programs without commands: always "").
    out += fmt::format(
        "\n{0}() {{\n"
        "  local cur=${{COMP_WORDS[COMP_CWORD]}} prev= cmd= opts= i\n"
        "  (( COMP_CWORD > 0 )) && prev=${{COMP_WORDS[COMP_CWORD-1]}}\n"
        "  local commands='{1}'\n"
        "  if [[ -n $commands ]]; then\n"
        "    for (( i = 1; i < COMP_CWORD; i++ )); do\n"
        "      case ${{COMP_WORDS[i]}} in -*) ;; *) cmd=${{COMP_WORDS[i]}}; break ;; esac\n"
        "    done\n"
        "  fi\n"
        "  case \"$cmd:$prev\" in\n{2}"
        "  esac\n"
        "  case \"$cmd\" in\n{3}"
        "  esac\n"
        "  if [[ $cur == -* ]]; then\n"
        "    COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
        "  elif [[ -n $commands && -z $cmd ]]; then\n"
        "    COMPREPLY=($(compgen -W \"$commands\" -- \"$cur\"))\n"
        "  else\n"
        "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
        "  fi\n"
        "}}\n"
        "complete -o filenames -F {0} {4}\n",
        FunctionName(p.name), absl::StrJoin(names, " "), values, lists, p.name);
  }
  return out;
}

}  // namespace acuity::docgen

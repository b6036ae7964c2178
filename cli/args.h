// A small command-line parser for acuity's subcommands: per-command option
// tables (no global flag registry), hyphenated long names, `--name value` and
// `--name=value`, short aliases, and `--` to end options.
//
//   acuity::cli::ArgParser parser("analyze");
//   parser.AddFlag("json", "print one JSON object per file");
//   parser.AddOption("target", "SPEC", "size to reach");
//   absl::StatusOr<acuity::cli::ParsedArgs> args = parser.Parse(argv_tail);
//   if (args.ok() && args->Has("json")) ...
#ifndef ACUITY_CLI_ARGS_H_
#define ACUITY_CLI_ARGS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace acuity::cli {

class ParsedArgs {
 public:
  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  std::optional<std::string> Get(const std::string& name) const;
  // The value parsed as a number; InvalidArgument naming the option otherwise.
  absl::StatusOr<double> GetNumber(const std::string& name, double fallback) const;
  const std::vector<std::string>& positional() const { return positional_; }
  // The command whose options these are ("analyze"; "" for a program's own).
  const std::string& command() const { return command_; }

 private:
  friend class ArgParser;
  std::string command_;
  std::map<std::string, std::string> values_;
  std::vector<std::string> positional_;
};

class ArgParser {
 public:
  // One option as declared: what --help, the reference and the completion show.
  struct Option {
    std::string name, value_name, help;  // "target", "SPEC" ("" for a flag), one line
    char short_name;                     // 't', or 0 for none
    bool takes_value;
  };

  // `command` names the subcommand in messages ("analyze"); "" for a
  // program's own options.
  explicit ArgParser(std::string command, std::string program = "acuity")
      : command_(std::move(command)), program_(std::move(program)) {}
  void AddFlag(std::string name, std::string help, char short_name = 0);
  void AddOption(std::string name, std::string value_name, std::string help, char short_name = 0);
  // InvalidArgument for an unknown option or a missing value.
  absl::StatusOr<ParsedArgs> Parse(const std::vector<std::string>& args) const;
  // One line per option, for --help.
  std::string OptionsHelp() const;
  // The long names of the options and flags, in the order added.
  std::vector<std::string> Names() const;
  // The options and flags, in the order added.
  const std::vector<Option>& options() const { return specs_; }

 private:
  const Option* Find(const std::string& name) const;
  const Option* FindShort(char c) const;
  std::string command_, program_;
  std::vector<Option> specs_;
};

}  // namespace acuity::cli

#endif  // ACUITY_CLI_ARGS_H_

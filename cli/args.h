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

 private:
  friend class ArgParser;
  std::map<std::string, std::string> values_;
  std::vector<std::string> positional_;
};

class ArgParser {
 public:
  explicit ArgParser(std::string command) : command_(std::move(command)) {}
  void AddFlag(std::string name, std::string help, char short_name = 0);
  void AddOption(std::string name, std::string value_name, std::string help, char short_name = 0);
  // InvalidArgument for an unknown option or a missing value.
  absl::StatusOr<ParsedArgs> Parse(const std::vector<std::string>& args) const;
  // One line per option, for --help.
  std::string OptionsHelp() const;
  // The long names of the options and flags, in the order added.
  std::vector<std::string> Names() const;

 private:
  struct Spec {
    std::string name, value_name, help;
    char short_name;
    bool takes_value;
  };
  const Spec* Find(const std::string& name) const;
  const Spec* FindShort(char c) const;
  std::string command_;
  std::vector<Spec> specs_;
};

}  // namespace acuity::cli

#endif  // ACUITY_CLI_ARGS_H_

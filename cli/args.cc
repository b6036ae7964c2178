#include "cli/args.h"

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace acuity::cli {

std::optional<std::string> ParsedArgs::Get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

absl::StatusOr<double> ParsedArgs::GetNumber(const std::string& name, double fallback) const {
  auto value = Get(name);
  if (!value) return fallback;
  double number = 0;
  if (!absl::SimpleAtod(*value, &number))
    return absl::InvalidArgumentError(absl::StrCat("--", name, " expects a number, got \"", *value, "\""));
  return number;
}

void ArgParser::AddFlag(std::string name, std::string help, char short_name) {
  specs_.push_back({std::move(name), "", std::move(help), short_name, false});
}

void ArgParser::AddOption(std::string name, std::string value_name, std::string help, char short_name) {
  specs_.push_back({std::move(name), std::move(value_name), std::move(help), short_name, true});
}

std::vector<std::string> ArgParser::Names() const {
  std::vector<std::string> names;
  for (const Option& s : specs_) names.push_back(s.name);
  return names;
}

const ArgParser::Option* ArgParser::Find(const std::string& name) const {
  for (const Option& s : specs_)
    if (s.name == name) return &s;
  return nullptr;
}

const ArgParser::Option* ArgParser::FindShort(char c) const {
  for (const Option& s : specs_)
    if (s.short_name != 0 && s.short_name == c) return &s;
  return nullptr;
}

absl::StatusOr<ParsedArgs> ArgParser::Parse(const std::vector<std::string>& args) const {
  ParsedArgs parsed;
  parsed.command_ = command_;
  bool options_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (options_done || arg.size() < 2 || arg[0] != '-') {
      parsed.positional_.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_done = true;
      continue;
    }
    const Option* spec = nullptr;
    std::optional<std::string> inline_value;
    if (arg[1] == '-') {
      std::string name = arg.substr(2);
      if (size_t eq = name.find('='); eq != std::string::npos) {
        inline_value = name.substr(eq + 1);
        name = name.substr(0, eq);
      }
      spec = Find(name);
    } else if (arg.size() == 2) {
      spec = FindShort(arg[1]);
    }
    if (spec == nullptr) {
      const std::string who = command_.empty() ? program_ : absl::StrCat(program_, " ", command_);
      return absl::InvalidArgumentError(absl::StrCat("unknown option ", arg, " for '", who, "' (see ", who, " --help)"));
    }
    if (!spec->takes_value) {
      if (inline_value)
        return absl::InvalidArgumentError(absl::StrCat("--", spec->name, " takes no value"));
      parsed.values_[spec->name] = "";
      continue;
    }
    if (!inline_value) {
      if (i + 1 >= args.size())
        return absl::InvalidArgumentError(
            absl::StrCat("--", spec->name, " needs a value (", spec->value_name, ")"));
      inline_value = args[++i];
    }
    parsed.values_[spec->name] = *inline_value;
  }
  return parsed;
}

std::string ArgParser::OptionsHelp() const {
  std::string out;
  for (const Option& s : specs_) {
    std::string left = s.short_name ? absl::StrFormat("-%c, --%s", s.short_name, s.name)
                                    : absl::StrCat("    --", s.name);
    if (s.takes_value) absl::StrAppend(&left, " ", s.value_name);
    absl::StrAppendFormat(&out, "  %-30s %s\n", left, s.help);
  }
  return out;
}

}  // namespace acuity::cli

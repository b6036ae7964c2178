#include "viewer/commands.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

namespace acuity::viewer {

absl::StatusOr<std::vector<std::string>> SplitCommandLine(std::string_view line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false, quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '\\' && i + 1 < line.size() && (line[i + 1] == '"' || line[i + 1] == '\\')) {
        word += line[++i];
      } else if (c == '"') {
        quoted = false;
      } else {
        word += c;
      }
    } else if (c == '"') {
      quoted = in_word = true;
    } else if (c == '#') {
      break;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (quoted) return absl::InvalidArgumentError("a \"quote\" is not closed");
  if (in_word) words.push_back(std::move(word));
  return words;
}

absl::StatusOr<std::vector<ScriptLine>> ParseScript(std::string_view text) {
  std::vector<ScriptLine> lines;
  int number = 0;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++number;
    absl::StatusOr<std::vector<std::string>> words = SplitCommandLine(line);
    if (!words.ok()) return absl::InvalidArgumentError(fmt::format("line {}: {}", number, std::string(words.status().message())));
    if (!words->empty()) lines.push_back({number, *std::move(words)});
  }
  return lines;
}

absl::StatusOr<double> ParseNumberArg(std::string_view word, std::string_view what) {
  const std::string text(word);
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(v))
    return absl::InvalidArgumentError(fmt::format("{}: '{}' is not a number", what, word));
  return v;
}

absl::Status CommandRegistry::Add(Command command) {
  if (Find(command.name) != nullptr)
    return absl::InvalidArgumentError(fmt::format("command '{}' is registered twice", command.name));
  commands_.push_back(std::move(command));
  return absl::OkStatus();
}

const Command* CommandRegistry::Find(std::string_view name) const {
  for (const Command& c : commands_)
    if (c.name == name) return &c;
  return nullptr;
}

absl::Status CommandRegistry::Run(const std::vector<std::string>& words) const {
  if (words.empty()) return absl::InvalidArgumentError("empty command");
  const Command* c = Find(words[0]);
  if (c == nullptr) return absl::NotFoundError(fmt::format("unknown command '{}' (F1 lists them)", words[0]));
  const int n = int(words.size()) - 1;
  if (n < c->min_args || n > c->max_args)
    return absl::InvalidArgumentError(fmt::format("usage: {}{}{}", c->name, c->grammar.empty() ? "" : " ", c->grammar));
  return c->run(Args(words.begin() + 1, words.end()));
}

absl::Status CommandRegistry::Run(std::string_view line) const {
  absl::StatusOr<std::vector<std::string>> words = SplitCommandLine(line);
  if (!words.ok()) return words.status();
  return Run(*words);
}

}  // namespace acuity::viewer

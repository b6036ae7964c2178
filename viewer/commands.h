// The viewer's command registry: every user action is a named command with
// an argument grammar, a one-line help and a key. Buttons, keys, the F1 help
// window and scripts (`acuity-viewer --script FILE`) all run commands through
// one registry, so what a script does is exactly what a user can do.
//
//   acuity::viewer::CommandRegistry registry;
//   registry.Add({"zoom", "fit|FACTOR", "zoom to fit or to FACTOR (1 = 100 %)", "0 / 1", 1, 1,
//                 [&](const acuity::viewer::Args& a) { return SetZoom(a[0]); }});
//   absl::Status s = registry.Run("zoom 2");
//
// Script text: one command per line; `#` starts a comment; blank lines are
// skipped; a word may be "double quoted" (paths with spaces).
#ifndef ACUITY_VIEWER_COMMANDS_H_
#define ACUITY_VIEWER_COMMANDS_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace acuity::viewer {

using Args = std::vector<std::string>;

struct Command {
  std::string name;     // "zoom"
  std::string grammar;  // "fit|FACTOR"
  std::string help;     // one line
  std::string keys;     // the key binding as shown in the help window ("0 / 1"), "" = none
  int min_args = 0;
  int max_args = 0;
  std::function<absl::Status(const Args&)> run;
};

// One line split into words: whitespace-separated, "double quotes" group a
// word (\" and \\ escape inside), `#` outside quotes ends the line.
// InvalidArgument for an unterminated quote.
absl::StatusOr<std::vector<std::string>> SplitCommandLine(std::string_view line);

// A script line that holds a command.
struct ScriptLine {
  int number = 0;  // 1-based line number in the file
  std::vector<std::string> words;
};

// The command lines of a script (comments and blank lines dropped).
// InvalidArgument naming the line for a quote left open.
absl::StatusOr<std::vector<ScriptLine>> ParseScript(std::string_view text);

// A number argument: InvalidArgument naming `what` unless the whole word is
// a finite number.
absl::StatusOr<double> ParseNumberArg(std::string_view word, std::string_view what);

class CommandRegistry {
 public:
  // InvalidArgument when the name is taken (a programming error, checked in tests).
  absl::Status Add(Command command);
  const Command* Find(std::string_view name) const;
  const std::vector<Command>& commands() const { return commands_; }

  // Runs words[0] with the rest as arguments: NotFound for an unknown
  // command, InvalidArgument for a wrong argument count (with the grammar),
  // else what the command returns.
  absl::Status Run(const std::vector<std::string>& words) const;
  absl::Status Run(std::string_view line) const;

 private:
  std::vector<Command> commands_;
};

}  // namespace acuity::viewer

#endif  // ACUITY_VIEWER_COMMANDS_H_

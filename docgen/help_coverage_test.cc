// What the programs print for --help, read back from the real programs, is
// all in the reference (docs/commands.md) and in the man pages the build
// generated: every command, every option and every step.
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/run_program.h"

namespace acuity {
namespace {

using ::testing::HasSubstr;
using testing::RunProgram;
using testing::RunResult;

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The man page as plain text: roff's "\-" back to "-".
std::string ManText(const std::string& program) {
  std::string man = ReadText(std::string(ACUITY_MAN_DIR) + "/" + program + ".1");
  for (size_t at = man.find("\\-"); at != std::string::npos; at = man.find("\\-", at)) man.erase(at, 1);
  return man;
}

RunResult Help(const std::string& binary, std::vector<std::string> args) {
  args.push_back("--help");
  RunResult r = RunProgram(binary, ::testing::TempDir(), args);
  EXPECT_EQ(r.exit_code, 0) << binary << " " << r.err;
  return r;
}

std::set<std::string> LongOptions(const std::string& help) {
  std::set<std::string> names;
  static const std::regex kOption("--[a-z][a-z0-9-]*");
  for (auto it = std::sregex_iterator(help.begin(), help.end(), kOption); it != std::sregex_iterator(); ++it)
    names.insert(it->str());
  return names;
}

// The lines of `help` after the line starting with `header`, up to a blank line.
std::vector<std::string> SectionLines(const std::string& help, const std::string& header) {
  std::vector<std::string> lines;
  std::istringstream in(help);
  bool inside = false;
  for (std::string line; std::getline(in, line);) {
    if (inside && line.empty()) break;
    if (inside) lines.push_back(line);
    if (line.rfind(header, 0) == 0) inside = true;
  }
  return lines;
}

// The first word of each line indented by exactly two spaces (a command, a step).
std::vector<std::string> ListedNames(const std::vector<std::string>& lines, const std::string& stop_chars) {
  std::vector<std::string> names;
  for (const std::string& line : lines)
    if (line.size() > 2 && line.rfind("  ", 0) == 0 && line[2] != ' ')
      names.push_back(line.substr(2, line.find_first_of(stop_chars, 2) - 2));
  return names;
}

TEST(HelpCoverageTest, EveryCommandOptionAndStepOfAcuityHelpIsInTheReference) {
  const std::string reference = ReadText(std::string(ACUITY_SOURCE_DIR) + "/docs/commands.md");
  const std::string man = ManText("acuity");
  ASSERT_FALSE(reference.empty());
  ASSERT_FALSE(man.empty());
  const RunResult top = Help(ACUITY_BINARY, {});
  const std::vector<std::string> commands = ListedNames(SectionLines(top.out, "commands:"), " ");
  ASSERT_GE(commands.size(), 6u) << top.out;
  for (const std::string& option : LongOptions(top.out)) {
    EXPECT_THAT(reference, HasSubstr(option)) << option;
    EXPECT_THAT(man, HasSubstr(option)) << option;
  }
  int steps = 0;
  for (const std::string& command : commands) {
    EXPECT_THAT(reference, HasSubstr("## acuity " + command + "\n")) << command;
    EXPECT_THAT(man, HasSubstr(".SS \"acuity " + command + "\"")) << command;
    const RunResult help = Help(ACUITY_BINARY, {command});
    const std::set<std::string> options = LongOptions(help.out);
    EXPECT_GE(options.size(), 2u) << command;
    for (const std::string& option : options) {
      EXPECT_THAT(reference, HasSubstr(option)) << command << " " << option;
      EXPECT_THAT(man, HasSubstr(option)) << command << " " << option;
    }
    for (const std::string& step : ListedNames(SectionLines(help.out, "steps"), "[: ")) {
      ++steps;
      EXPECT_THAT(reference, HasSubstr("| `" + step)) << command << " step " << step;
      EXPECT_THAT(man, HasSubstr("  " + step)) << command << " step " << step;
    }
  }
  EXPECT_GE(steps, 9) << "the steps of `acuity enhance --help`";
}

TEST(HelpCoverageTest, EveryOptionAndScriptCommandOfTheViewerIsInTheReference) {
  const std::string reference = ReadText(std::string(ACUITY_SOURCE_DIR) + "/docs/commands.md");
  const std::string man = ManText("acuity-viewer");
  ASSERT_FALSE(man.empty());
  const RunResult help = Help(VIEWER_BINARY, {});
  for (const std::string& option : LongOptions(help.out)) {
    EXPECT_THAT(reference, HasSubstr(option)) << option;
    EXPECT_THAT(man, HasSubstr(option)) << option;
  }
  const std::vector<std::string> commands = ListedNames(SectionLines(help.out, "script commands"), " ");
  EXPECT_GE(commands.size(), 13u) << help.out;
  for (const std::string& command : commands) {
    EXPECT_THAT(reference, HasSubstr("| `" + command)) << command;
    EXPECT_THAT(man, HasSubstr("  " + command)) << command;
  }
}

}  // namespace
}  // namespace acuity

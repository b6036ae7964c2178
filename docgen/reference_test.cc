#include "docgen/reference.h"

#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "analysis/advice/plan_ops.h"
#include "cli/commands.h"
#ifdef ACUITY_DOCGEN_VIEWER
#include "viewer/viewer_cli.h"
#endif

namespace acuity::docgen {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::vector<cli::ProgramSpec> Programs() {
  std::vector<cli::ProgramSpec> programs = {cli::AcuityProgram()};
#ifdef ACUITY_DOCGEN_VIEWER
  programs.push_back(viewer::ViewerProgram());
#endif
  return programs;
}

TEST(ReferenceTest, ValueWordsAreTheLowercaseAlternatives) {
  EXPECT_THAT(ValueWords("contain|crop|pad[:COLOR]"), ElementsAre("contain", "crop", "pad"));
  EXPECT_THAT(ValueWords("auto|fp32|bf16"), ElementsAre("auto", "fp32", "bf16"));
  EXPECT_THAT(ValueWords("auto"), ElementsAre("auto"));
  EXPECT_THAT(ValueWords("NAME|FILE.pt"), IsEmpty());
  EXPECT_THAT(ValueWords("N"), IsEmpty());
  EXPECT_THAT(ValueWords("a||b"), IsEmpty());
}

TEST(ReferenceTest, RoffEscapesWhatRoffWouldReadAsMarkup) {
  EXPECT_EQ(RoffEscape("--target SPEC"), "\\-\\-target SPEC");
  EXPECT_EQ(RoffEscape("esrgan-slim, 8-bit"), "esrgan\\-slim, 8\\-bit");
  EXPECT_EQ(RoffEscape(".hidden"), "\\&.hidden");
  EXPECT_EQ(RoffEscape("'quoted"), "\\&'quoted");
  EXPECT_EQ(RoffEscape("a\\b"), "a\\eb");
  EXPECT_EQ(RoffEscape("σ ≤ 4×"), "\\[u03C3] \\[u2264] 4\\[u00D7]");
}

// Every option of every command, with its help, in each of the three forms.
TEST(ReferenceTest, EveryOptionIsInEveryForm) {
  const std::vector<cli::ProgramSpec> programs = Programs();
  const std::string markdown = ReferenceMarkdown(programs), bash = BashCompletion(programs);
  for (const cli::ProgramSpec& p : programs) {
    const std::string man = ManPage(p, "0.0.0");
    std::vector<std::pair<std::string, cli::ArgParser>> parsers;
    if (p.parser) parsers.push_back({"", p.parser()});
    for (const cli::CommandSpec& c : p.commands) {
      parsers.push_back({c.name, c.parser()});
      EXPECT_THAT(markdown, HasSubstr("## " + p.name + " " + c.name + "\n")) << c.name;
      EXPECT_THAT(man, HasSubstr(".SS \"" + p.name + " " + c.name + "\"")) << c.name;
      EXPECT_THAT(bash, HasSubstr("'" + c.name + "')")) << c.name;
    }
    for (const auto& [command, parser] : parsers) {
      for (const cli::ArgParser::Option& o : parser.options()) {
        const std::string where = p.name + " " + command + " --" + o.name;
        EXPECT_THAT(markdown, HasSubstr("--" + o.name)) << where;
        EXPECT_THAT(markdown, HasSubstr(MarkdownText(o.help))) << where;
        EXPECT_THAT(man, HasSubstr("\\-\\-" + RoffEscape(o.name))) << where;
        EXPECT_THAT(man, HasSubstr(RoffEscape(o.help))) << where;
        EXPECT_THAT(bash, HasSubstr("--" + o.name)) << where;
      }
    }
  }
}

TEST(ReferenceTest, EveryStepIsInTheReference) {
  const std::string markdown = ReferenceMarkdown(Programs());
  for (const OpSpec& op : PlanOps()) EXPECT_THAT(markdown, HasSubstr("`" + MarkdownCell(StepSyntax(op)) + "`"));
}

TEST(ReferenceTest, ManPageHasTheSectionsOfAManPage) {
  const std::string man = ManPage(cli::AcuityProgram(), "1.2.3", {"acuity-viewer"});
  EXPECT_THAT(man, HasSubstr(".TH ACUITY 1 \"\" \"acuity 1.2.3\""));
  for (const char* section : {".SH NAME\nacuity \\- ", ".SH SYNOPSIS", ".SH DESCRIPTION", ".SH COMMANDS",
                              ".SH \"EXIT STATUS\"", ".SH \"SEE ALSO\"\n\\fBacuity\\-viewer\\fR(1)"})
    EXPECT_THAT(man, HasSubstr(section));
  // Only ASCII reaches roff: everything else is an escape.
  for (char c : man) EXPECT_LT(static_cast<unsigned char>(c), 0x80);
}

#ifdef ACUITY_DOCGEN_VIEWER
// docs/commands.md is committed; a new or changed option, step or command
// that was not regenerated into it fails here.
TEST(ReferenceTest, CommittedReferenceIsTheGeneratedOne) {
  std::ifstream in(std::string(ACUITY_SOURCE_DIR) + "/docs/commands.md");
  ASSERT_TRUE(in) << "no docs/commands.md in " << ACUITY_SOURCE_DIR;
  std::stringstream committed;
  committed << in.rdbuf();
  EXPECT_TRUE(committed.str() == ReferenceMarkdown(Programs()))
      << "docs/commands.md is stale: regenerate it with `cmake --build build --target commands-md` and commit it";
}
#endif

}  // namespace
}  // namespace acuity::docgen

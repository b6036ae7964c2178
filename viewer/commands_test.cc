#include "viewer/commands.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "viewer/session.h"
#include "viewer/viewer_commands.h"

namespace acuity::viewer {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(CommandsTest, SplitsWordsQuotesAndComments) {
  EXPECT_THAT(*SplitCommandLine("  open a.jpg   b.png "), ElementsAre("open", "a.jpg", "b.png"));
  EXPECT_THAT(*SplitCommandLine("open \"my photo.jpg\" # the input"), ElementsAre("open", "my photo.jpg"));
  EXPECT_THAT(*SplitCommandLine("save \"a \\\"q\\\".png\""), ElementsAre("save", "a \"q\".png"));
  EXPECT_TRUE(SplitCommandLine("# only a comment")->empty());
  EXPECT_EQ(SplitCommandLine("open \"never closed").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(CommandsTest, ScriptKeepsLineNumbers) {
  absl::StatusOr<std::vector<ScriptLine>> lines = ParseScript("# demo\nopen a.jpg\n\n  mode split  \nquit\n");
  ASSERT_TRUE(lines.ok());
  ASSERT_EQ(lines->size(), 3u);
  EXPECT_EQ((*lines)[0].number, 2);
  EXPECT_EQ((*lines)[1].number, 4);
  EXPECT_THAT((*lines)[1].words, ElementsAre("mode", "split"));
  EXPECT_EQ((*lines)[2].number, 5);
  absl::StatusOr<std::vector<ScriptLine>> bad = ParseScript("quit\nopen \"x\n");
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("line 2"));
}

TEST(CommandsTest, NumbersAreWholeWords) {
  EXPECT_DOUBLE_EQ(*ParseNumberArg("0.25", "split"), 0.25);
  EXPECT_DOUBLE_EQ(*ParseNumberArg("-3", "x"), -3);
  for (const char* bad : {"", "0.5x", "abc", "nan", "inf"})
    EXPECT_EQ(ParseNumberArg(bad, "split").status().code(), absl::StatusCode::kInvalidArgument) << bad;
}

TEST(CommandsTest, RegistryDispatchesAndChecksArgumentCounts) {
  CommandRegistry registry;
  std::vector<std::string> seen;
  ASSERT_TRUE(registry.Add({"echo", "WORD [WORD]", "repeat", "", 1, 2, [&](const Args& a) {
                     seen = a;
                     return absl::OkStatus();
                   }}).ok());
  EXPECT_EQ(registry.Add({"echo", "", "", "", 0, 0, nullptr}).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(registry.Run("echo hello world").ok());
  EXPECT_THAT(seen, ElementsAre("hello", "world"));
  const absl::Status too_many = registry.Run("echo a b c");
  EXPECT_EQ(too_many.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(too_many.message()), HasSubstr("usage: echo WORD [WORD]"));
  EXPECT_EQ(registry.Run("echo").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.Run("nope").code(), absl::StatusCode::kNotFound);
}

// The viewer's own registry, without a window: every DESIGN.md command is
// there, arguments are checked, and view commands change the session.
TEST(CommandsTest, ViewerCommandsDriveTheSession) {
  Session session;
  CommandRegistry registry;
  ASSERT_TRUE(RegisterViewerCommands(session, WindowHooks{}, registry).ok());
  for (const char* name : {"open", "mode", "split", "zoom", "center", "overlay", "target", "device", "enhance",
                           "cancel", "wait", "save", "screenshot", "quit"}) {
    const Command* c = registry.Find(name);
    ASSERT_NE(c, nullptr) << name;
    EXPECT_FALSE(c->help.empty()) << name;
  }
  EXPECT_TRUE(registry.Run("device cpu").ok());
  EXPECT_TRUE(registry.Run("device cuda:1").ok());  // checked when an enhancement runs a model
  EXPECT_EQ(registry.Run("device gpu").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(registry.Run("split 0.3").ok());
  EXPECT_DOUBLE_EQ(session.view().split_fraction, 0.3);
  EXPECT_EQ(registry.Run("split 1.5").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.Run("split half").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(registry.Run("zoom 2").ok());
  EXPECT_DOUBLE_EQ(session.view().zoom, 2);
  EXPECT_TRUE(registry.Run("center 120 80").ok());
  EXPECT_DOUBLE_EQ(session.view().center.x, 120);
  EXPECT_FALSE(session.view().fit);
  EXPECT_EQ(registry.Run("mode sideways").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.Run("mode split").code(), absl::StatusCode::kFailedPrecondition);  // one image only
  EXPECT_EQ(registry.Run("open /no/such/file.jpg").code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(registry.Run("enhance sharpen:0.5").code(), absl::StatusCode::kFailedPrecondition);  // nothing open
  EXPECT_EQ(registry.Run("save out.png").code(), absl::StatusCode::kFailedPrecondition);  // nothing to save
  EXPECT_EQ(registry.Run("target 8x10").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(registry.Run("target 8x10in@300dpi").ok());
  EXPECT_EQ(session.target_text(), "8x10in@300dpi");
  EXPECT_EQ(registry.Run("overlay blur 1.5").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.Run("screenshot x.png").code(), absl::StatusCode::kUnimplemented);  // no window
}

}  // namespace
}  // namespace acuity::viewer

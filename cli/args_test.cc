#include "cli/args.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace acuity::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

ArgParser MakeParser() {
  ArgParser p("analyze");
  p.AddFlag("json", "json");
  p.AddOption("target", "SPEC", "target", 't');
  p.AddOption("max-megapixels", "N", "limit");
  return p;
}

TEST(ArgParserTest, LongShortInlineAndPositional) {
  auto a = MakeParser().Parse({"a.jpg", "--json", "-t", "4k", "--max-megapixels=50", "b.jpg"});
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_TRUE(a->Has("json"));
  EXPECT_EQ(a->Get("target"), "4k");
  EXPECT_DOUBLE_EQ(*a->GetNumber("max-megapixels", 200), 50);
  EXPECT_THAT(a->positional(), ElementsAre("a.jpg", "b.jpg"));
}

TEST(ArgParserTest, NamesAreTheLongNamesInOrder) {
  EXPECT_THAT(MakeParser().Names(), ElementsAre("json", "target", "max-megapixels"));
}

TEST(ArgParserTest, DoubleDashEndsOptions) {
  auto a = MakeParser().Parse({"--", "--json", "-"});
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE(a->Has("json"));
  EXPECT_THAT(a->positional(), ElementsAre("--json", "-"));
}

TEST(ArgParserTest, Errors) {
  auto unknown = MakeParser().Parse({"--nope"});
  EXPECT_THAT(unknown.status().message(), HasSubstr("unknown option --nope for 'acuity analyze'"));
  auto missing = MakeParser().Parse({"--target"});
  EXPECT_THAT(missing.status().message(), HasSubstr("--target needs a value (SPEC)"));
  auto flag_value = MakeParser().Parse({"--json=yes"});
  EXPECT_THAT(flag_value.status().message(), HasSubstr("takes no value"));
  auto not_number = MakeParser().Parse({"--max-megapixels", "lots"});
  ASSERT_TRUE(not_number.ok());
  EXPECT_FALSE(not_number->GetNumber("max-megapixels", 1).ok());
}

// A program's own options (no subcommand) name the program alone.
TEST(ArgParserTest, ProgramOptionsNameTheProgram) {
  ArgParser viewer("", "acuity-viewer");
  viewer.AddOption("size", "WxH", "window size");
  auto unknown = viewer.Parse({"--nope"});
  EXPECT_THAT(unknown.status().message(),
              HasSubstr("unknown option --nope for 'acuity-viewer' (see acuity-viewer --help)"));
  ASSERT_EQ(viewer.options().size(), 1u);
  EXPECT_EQ(viewer.options()[0].value_name, "WxH");
  EXPECT_TRUE(viewer.options()[0].takes_value);
}

}  // namespace
}  // namespace acuity::cli

#include "datasets/markdown_blocks.h"

#include <gtest/gtest.h>

namespace acuity::datasets {
namespace {

TEST(MarkdownBlocks, FindsTheBlockWithItsMarkersAndNewline) {
  const std::string md = "# r\n\n<!-- x: begin -->\ntext\n<!-- x: end -->\ntail\n";
  EXPECT_EQ(BlockOf(md, "x"), "<!-- x: begin -->\ntext\n<!-- x: end -->\n");
  EXPECT_EQ(BlockOf(md, "y"), "");
  EXPECT_EQ(BlockOf("<!-- x: end --> <!-- x: begin -->", "x"), "");  // markers out of order
}

TEST(MarkdownBlocks, ReplacesOrAppendsAndKeepsTheRest) {
  const std::string block = "<!-- x: begin -->\nnew\n<!-- x: end -->\n";
  EXPECT_EQ(WithBlock("a\n<!-- x: begin -->\nold\n<!-- x: end -->\nb\n", block, "x"), "a\n" + block + "b\n");
  EXPECT_EQ(WithBlock("a\n", block, "x"), "a\n\n" + block);
  EXPECT_EQ(WithBlock("", block, "x"), block);
  EXPECT_EQ(WithBlock("a\n", "", "x"), "a\n");
  // A block made without its final newline does not glue the next line to its end marker.
  const std::string bare = "<!-- x: begin -->\nnew\n<!-- x: end -->";
  EXPECT_EQ(WithBlock("a\n<!-- x: begin -->\nold\n<!-- x: end -->\n<!-- y: begin -->\n", bare, "x"),
            "a\n" + bare + "\n<!-- y: begin -->\n");
}

TEST(MarkdownBlocks, TwoBlocksSurviveARegeneration) {
  const std::string old = "gen 1\n<!-- by_hand: begin -->\nH\n<!-- by_hand: end -->\n\n"
                          "<!-- wild: begin -->\nW\n<!-- wild: end -->\n";
  std::string report = "gen 2\n";
  for (const char* name : {"by_hand", "wild"}) report = WithBlock(report, BlockOf(old, name), name);
  EXPECT_EQ(report, "gen 2\n\n<!-- by_hand: begin -->\nH\n<!-- by_hand: end -->\n\n"
                    "<!-- wild: begin -->\nW\n<!-- wild: end -->\n");
}

}  // namespace
}  // namespace acuity::datasets

#include "analysis/measurements/marketplace.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "analysis/measurements/target_fit.h"
#include "analysis/measurements/target_spec.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

using ::testing::HasSubstr;

TEST(MarketplaceTest, EveryPresetIsATargetWithSourcedRules) {
  for (const char* name : {"amazon", "etsy", "shopify", "ebay", "instagram", "instagram-portrait"}) {
    const MarketplaceRules* rules = FindMarketplace(name);
    ASSERT_NE(rules, nullptr) << name;
    auto spec = ParseTargetSpec(name);
    ASSERT_TRUE(spec.ok()) << name << ": " << spec.status();
    EXPECT_EQ(spec->marketplace, name);
    EXPECT_EQ(spec->kind, TargetSpec::Kind::kPixels);
    EXPECT_EQ(spec->width_px, rules->width_px);
    EXPECT_EQ(spec->height_px, rules->height_px);
    EXPECT_FALSE(rules->formats.empty()) << name;
    for (const MarketplaceRuleRow& row : MarketplaceRuleRows(*rules)) {
      EXPECT_THAT(row.source.url, HasSubstr("https://")) << name << " " << row.rule;
      EXPECT_EQ(row.source.recorded.size(), 10u) << name << " " << row.rule;  // YYYY-MM-DD
      EXPECT_FALSE(row.source.note.empty()) << name << " " << row.rule;
    }
  }
  EXPECT_EQ(FindMarketplace("walmart"), nullptr);
  auto bad = ParseTargetSpec("amazon@300dpi");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("marketplace preset takes no DPI"));
  EXPECT_THAT(ParseTargetSpec("banana").status().message(), HasSubstr("instagram-portrait"));
}

// The preset's fit: a shop pads a product on white (nothing cut), Instagram
// crops; a 500×500 shot needs 4× for Amazon's 2000×2000.
TEST(MarketplaceTest, FitFollowsThePreset) {
  const TargetFit amazon = FitTarget(*ParseTargetSpec("amazon"), 500, 500);
  EXPECT_EQ(amazon.fit, FitMode::kPad);
  EXPECT_DOUBLE_EQ(amazon.required_scale, 4.0);
  const TargetFit padded = FitTarget(*ParseTargetSpec("amazon"), 600, 400);
  EXPECT_EQ(padded.fit, FitMode::kPad);
  EXPECT_TRUE(padded.padded());
  EXPECT_EQ(padded.pad_color, (Rgb8{255, 255, 255}));
  const TargetFit insta = FitTarget(*ParseTargetSpec("instagram-portrait"), 1200, 1200);
  EXPECT_EQ(insta.fit, FitMode::kCrop);
  EXPECT_EQ(insta.output_width_px, 1080);
  EXPECT_EQ(insta.output_height_px, 1350);
  // A portrait post stays portrait for a landscape photo (it was turned to
  // 1350×1080, which Instagram does not show as a portrait post); the other
  // non-square presets turn to follow the photo.
  const TargetFit landscape = FitTarget(*ParseTargetSpec("instagram-portrait"), 1800, 1200);
  EXPECT_FALSE(landscape.rotated);
  EXPECT_EQ(landscape.output_width_px, 1080);
  EXPECT_EQ(landscape.output_height_px, 1350);
}

// docs/targets.md holds the table exactly as the code declares it.
TEST(MarketplaceTest, DocsHoldTheTable) {
  std::ifstream in(testing::SourceDir() + "/docs/targets.md");
  ASSERT_TRUE(in) << "docs/targets.md";
  std::stringstream page;
  page << in.rdbuf();
  EXPECT_THAT(page.str(), HasSubstr(MarketplaceMarkdown()))
      << "regenerate the table in docs/targets.md:\n" << MarketplaceMarkdown();
}

}  // namespace
}  // namespace acuity

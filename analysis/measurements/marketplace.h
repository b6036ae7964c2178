// Marketplace presets (`--target amazon|etsy|shopify|ebay|instagram|
// instagram-portrait`): each marketplace's image rules, declared once in one
// table with the source and the date each rule was recorded. The target
// parser reads the pixel size and default fit from it, the advisor plans
// what fixes the rules (upscale, pad on white or crop, convert to sRGB,
// encode under the size limit) and warns what it cannot fix, and QA checks
// a result against the same rules; docs/targets.md holds MarketplaceMarkdown().
//
//   const acuity::MarketplaceRules* amazon = acuity::FindMarketplace("amazon");
//   // amazon->width_px == 2000, amazon->white_background, *amazon->min_fill_pct == 85
//   for (const auto& rule : acuity::MarketplaceRuleRows(*amazon)) Print(rule.name, rule.value, rule.source);
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_MARKETPLACE_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_MARKETPLACE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/io/image.h"
#include "analysis/measurements/target_spec.h"

namespace acuity {

// Where a rule comes from: the marketplace's own page and the date the rule
// was recorded here (YYYY-MM-DD).
struct RuleSource {
  std::string url;
  std::string recorded;
  std::string note;  // what the page says, in a few words
};

struct MarketplaceRules {
  std::string name;   // as in --target: "amazon"
  std::string title;  // "Amazon main product image"
  // The canvas acuity makes, px (turned to follow the image when not
  // square, unless keeps_orientation), and the smallest long edge the
  // marketplace accepts, px.
  int width_px = 0, height_px = 0;
  // The canvas's orientation is the preset's point (a portrait post): a
  // landscape photo is fitted into it, not the canvas turned.
  bool keeps_orientation = false;
  int min_long_edge_px = 0;
  RuleSource size_source;
  FitChoice fit;  // how another aspect is met by default (pad on white or crop)
  // Main product image: the background must be pure white (sampled at the
  // borders: product_shot.h), and the product must fill this share of the
  // frame, % (along its longer extent). Absent: no such rule.
  bool white_background = false;
  RuleSource background_source;
  std::optional<double> min_fill_pct;
  RuleSource fill_source;
  bool srgb = false;  // colours in sRGB (a file without a profile counts as sRGB)
  bool cmyk_accepted = false;  // with `srgb`: a file of CMYK ink passes too
  RuleSource color_source;
  std::vector<ImageFormat> formats;  // accepted; the first is the one acuity writes
  RuleSource formats_source;
  std::optional<std::uint64_t> max_file_bytes;  // absent: no limit stated
  RuleSource file_size_source;
};

// The table, in the order of --help and the docs.
const std::vector<MarketplaceRules>& Marketplaces();

// The preset called `name` (lower case), or null.
const MarketplaceRules* FindMarketplace(std::string_view name);

// "amazon, etsy, shopify, ebay, instagram, instagram-portrait".
std::string MarketplaceNames();

// Whether `format` is one `rules` accept.
bool AcceptsFormat(const MarketplaceRules& rules, ImageFormat format);

// Whether the colours of `file` are as `rules` ask: sRGB (no profile or an
// sRGB one), or CMYK ink where the rules accept it (`cmyk_accepted`).
// True when the rules say nothing of colour.
bool AcceptsColorSpace(const MarketplaceRules& rules, const ImageInfo& file);

// One row per rule of a preset, in words, for the docs and help:
// {"size", "2000×2000 px (long edge ≥ 1000 px)", source}.
struct MarketplaceRuleRow {
  std::string rule, value;
  RuleSource source;
};
std::vector<MarketplaceRuleRow> MarketplaceRuleRows(const MarketplaceRules& rules);

// The whole table as Markdown (docs/targets.md embeds it; a test checks the
// page holds exactly this text).
std::string MarketplaceMarkdown();

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_MARKETPLACE_H_

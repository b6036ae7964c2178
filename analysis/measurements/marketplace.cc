#include "analysis/measurements/marketplace.h"

#include <algorithm>

#include <fmt/format.h>

#include "analysis/io/color_space.h"

namespace acuity {
namespace {

constexpr char kRecorded[] = "2026-11-23";

RuleSource Source(const char* url, const char* note) { return {url, kRecorded, note}; }

constexpr char kAmazon[] = "https://sellercentral.amazon.com/help/hub/reference/external/G1881";
constexpr char kEtsy[] = "https://help.etsy.com/hc/en-us/articles/115015663347 "
                         "(\"Requirements and Best Practices for Images in Your Etsy Shop\")";
constexpr char kShopify[] = "https://help.shopify.com/en/manual/products/product-media/product-media-types";
constexpr char kEbay[] = "https://www.ebay.com/help/policies/listing-policies/picture-policy?id=4370";
constexpr char kInstagram[] = "https://help.instagram.com/1631821640426723 "
                              "(\"Image resolution of photos you share on Instagram\")";

FitChoice PadWhite() { return {FitMode::kPad, Rgb8{255, 255, 255}}; }
FitChoice Crop() { return {FitMode::kCrop, Rgb8{}}; }

constexpr std::uint64_t kMB = 1000 * 1000;

// The table. Each rule carries where it comes from and when it was recorded;
// change a rule here and the parser, the advisor, QA and docs/targets.md
// (MarketplaceMarkdown, checked by a test) follow.
std::vector<MarketplaceRules> BuildTable() {
  std::vector<MarketplaceRules> table;
  {
    MarketplaceRules r;
    r.name = "amazon";
    r.title = "Amazon main product image";
    r.width_px = r.height_px = 2000;
    r.min_long_edge_px = 1000;
    r.size_source = Source(kAmazon, "1000 px or more on the long edge enables zoom; square recommended");
    r.fit = PadWhite();
    r.white_background = true;
    r.background_source = Source(kAmazon, "main image on pure white (RGB 255, 255, 255)");
    r.min_fill_pct = 85;
    r.fill_source = Source(kAmazon, "the product fills 85 % or more of the image frame");
    r.srgb = true;
    r.cmyk_accepted = true;
    r.color_source = Source(kAmazon, "sRGB or CMYK colour mode (acuity writes RGB: sRGB)");
    r.formats = {ImageFormat::kJpeg, ImageFormat::kPng, ImageFormat::kTiff, ImageFormat::kGif};
    r.formats_source = Source(kAmazon, "JPEG (preferred), TIFF, PNG, non-animated GIF");
    r.max_file_bytes = 10 * kMB;
    r.file_size_source = Source(kAmazon, "files up to 10 MB");
    table.push_back(r);
  }
  {
    MarketplaceRules r;
    r.name = "etsy";
    r.title = "Etsy listing photo";
    r.width_px = 3000;
    r.height_px = 2250;
    r.min_long_edge_px = 2000;
    r.size_source = Source(kEtsy, "3000×2250 px recommended (4:3), at least 2000 px");
    r.fit = PadWhite();
    r.srgb = true;
    r.color_source = Source(kEtsy, "sRGB for colours that look the same in every browser");
    r.formats = {ImageFormat::kJpeg, ImageFormat::kPng, ImageFormat::kGif};
    r.formats_source = Source(kEtsy, "JPG, GIF or PNG");
    r.max_file_bytes = 1 * kMB;
    r.file_size_source = Source(kEtsy, "file size under 1 MB recommended");
    table.push_back(r);
  }
  {
    MarketplaceRules r;
    r.name = "shopify";
    r.title = "Shopify product image";
    r.width_px = r.height_px = 2048;
    r.min_long_edge_px = 800;
    r.size_source = Source(kShopify, "2048×2048 px square recommended; up to 4472×4472 px (20 MP)");
    r.fit = PadWhite();
    r.srgb = true;
    r.color_source = Source(kShopify, "sRGB recommended for the web");
    r.formats = {ImageFormat::kJpeg, ImageFormat::kPng, ImageFormat::kWebp, ImageFormat::kGif, ImageFormat::kHeif};
    r.formats_source = Source(kShopify, "JPEG, PNG, WEBP, GIF, HEIC");
    r.max_file_bytes = 20 * kMB;
    r.file_size_source = Source(kShopify, "images up to 20 MB");
    table.push_back(r);
  }
  {
    MarketplaceRules r;
    r.name = "ebay";
    r.title = "eBay listing photo";
    r.width_px = r.height_px = 1600;
    r.min_long_edge_px = 500;
    r.size_source = Source(kEbay, "at least 500 px on the longest side (1600 px recommended for zoom)");
    r.fit = PadWhite();
    r.srgb = true;
    r.color_source = Source(kEbay, "RGB colour (CMYK pictures display wrongly)");
    r.formats = {ImageFormat::kJpeg, ImageFormat::kPng, ImageFormat::kTiff, ImageFormat::kBmp, ImageFormat::kGif};
    r.formats_source = Source(kEbay, "JPG, PNG, TIF, BMP, GIF");
    r.max_file_bytes = 12 * kMB;
    r.file_size_source = Source(kEbay, "files up to 12 MB");
    table.push_back(r);
  }
  {
    MarketplaceRules r;
    r.name = "instagram";
    r.title = "Instagram square post";
    r.width_px = r.height_px = 1080;
    r.min_long_edge_px = 320;
    r.size_source = Source(kInstagram, "1080 px wide; narrower than 320 px is enlarged; 1:1 square");
    r.fit = Crop();
    r.srgb = true;
    r.color_source = Source(kInstagram, "shown in sRGB");
    r.formats = {ImageFormat::kJpeg, ImageFormat::kPng};
    r.formats_source = Source(kInstagram, "JPEG or PNG");
    table.push_back(r);
  }
  {
    MarketplaceRules r = table.back();
    r.name = "instagram-portrait";
    r.title = "Instagram portrait post";
    r.width_px = 1080;
    r.height_px = 1350;
    r.size_source = Source(kInstagram, "1080×1350 px, the tallest aspect a post keeps (4:5)");
    r.keeps_orientation = true;
    table.push_back(r);
  }
  return table;
}

std::string MegaBytes(std::uint64_t bytes) { return fmt::format("{:g} MB", double(bytes) / kMB); }

std::string FormatList(const std::vector<ImageFormat>& formats) {
  std::string out;
  for (ImageFormat f : formats) out += (out.empty() ? "" : ", ") + std::string(ImageFormatName(f));
  return out;
}

}  // namespace

const std::vector<MarketplaceRules>& Marketplaces() {
  static const auto* const kTable = new std::vector<MarketplaceRules>(BuildTable());
  return *kTable;
}

const MarketplaceRules* FindMarketplace(std::string_view name) {
  for (const MarketplaceRules& r : Marketplaces())
    if (r.name == name) return &r;
  return nullptr;
}

std::string MarketplaceNames() {
  std::string out;
  for (const MarketplaceRules& r : Marketplaces()) out += (out.empty() ? "" : ", ") + r.name;
  return out;
}

bool AcceptsFormat(const MarketplaceRules& rules, ImageFormat format) {
  return std::find(rules.formats.begin(), rules.formats.end(), format) != rules.formats.end();
}

bool AcceptsColorSpace(const MarketplaceRules& rules, const ImageInfo& file) {
  if (!rules.srgb) return true;
  return file.cmyk ? rules.cmyk_accepted : IsSrgb(file);
}

std::vector<MarketplaceRuleRow> MarketplaceRuleRows(const MarketplaceRules& r) {
  std::vector<MarketplaceRuleRow> rows;
  rows.push_back({"size", fmt::format("{}×{} px{}, {} (long edge ≥ {} px)", r.width_px, r.height_px,
                                      r.keeps_orientation ? " whatever the photo's orientation" : "",
                                      r.fit.mode == FitMode::kPad ? "padded on white to the aspect" : "cropped to the aspect",
                                      r.min_long_edge_px),
                  r.size_source});
  if (r.white_background) rows.push_back({"background", "pure white at the borders", r.background_source});
  if (r.min_fill_pct)
    rows.push_back({"product fill", fmt::format("≥ {:g} % of the frame", *r.min_fill_pct), r.fill_source});
  if (r.srgb) rows.push_back({"colour", r.cmyk_accepted ? "sRGB or CMYK" : "sRGB", r.color_source});
  rows.push_back({"formats", FormatList(r.formats), r.formats_source});
  if (r.max_file_bytes) rows.push_back({"file size", "≤ " + MegaBytes(*r.max_file_bytes), r.file_size_source});
  return rows;
}

std::string MarketplaceMarkdown() {
  std::string out =
      "| preset | rule | value | source | recorded |\n"
      "|---|---|---|---|---|\n";
  for (const MarketplaceRules& r : Marketplaces()) {
    bool first = true;
    for (const MarketplaceRuleRow& row : MarketplaceRuleRows(r)) {
      out += fmt::format("| {} | {} | {} | {}: {} | {} |\n", first ? "`" + r.name + "`" : "", row.rule, row.value,
                         row.source.note, row.source.url, row.source.recorded);
      first = false;
    }
  }
  return out;
}

}  // namespace acuity

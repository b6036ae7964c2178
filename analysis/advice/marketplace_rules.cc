#include "analysis/advice/marketplace_rules.h"

#include <algorithm>

#include <fmt/format.h>

#include "analysis/io/color_space.h"

namespace acuity {
namespace {

std::string Cite(const RuleSource& source) { return fmt::format(" ({}: {})", source.note, source.url); }

// The window of an image of `size` around `product` in which the product
// spans `fill_pct` + 5 % of the longer relative side (the fill rule's
// measure, product_shot.h), centred on it and kept inside the image; empty
// without a product.
cv::Rect CropAroundProduct(const cv::Rect& product, cv::Size size, double fill_pct) {
  if (product.area() <= 0) return {};
  const double share = std::min(1.0, (fill_pct + 5.0) / 100.0);
  const int w = std::min(size.width, int(std::ceil(product.width / share)));
  const int h = std::min(size.height, int(std::ceil(product.height / share)));
  const int x = std::clamp(product.x + product.width / 2 - w / 2, 0, size.width - w);
  const int y = std::clamp(product.y + product.height / 2 - h / 2, 0, size.height - h);
  return {x, y, w, h};
}

RuleOutcome YesNo(std::string rule, bool ok, std::string message) {
  RuleOutcome o;
  o.rule = std::move(rule);
  o.ok = ok;
  o.value = ok ? 1 : 0;
  o.limit = 1;
  o.higher_is_better = true;
  o.message = std::move(message);
  return o;
}

}  // namespace

double ProductFillAfterFit(const cv::Rect& box_px, const TargetFit& fit) {
  const cv::Rect kept = fit.kept_rect();
  const cv::Rect box = box_px & kept;
  if (box.area() <= 0 || fit.output_width_px <= 0 || fit.output_height_px <= 0) return 0;
  const double width_px = box.width * double(fit.scaled_width_px) / kept.width;
  const double height_px = box.height * double(fit.scaled_height_px) / kept.height;
  return 100.0 * std::max(width_px / fit.output_width_px, height_px / fit.output_height_px);
}

std::vector<RuleOutcome> JudgeMarketplace(const MarketplaceRules& r, const ImageInfo& file, cv::Size size,
                                          const ProductShotReading& product, const TargetFit* planned) {
  std::vector<RuleOutcome> out;
  // Size: exactly the preset's canvas, in either orientation for a
  // non-square one that does not keep its orientation, and a long edge the
  // marketplace accepts. Planned: the size the plan makes, which only the
  // fit can miss (contain keeps the scaled size).
  {
    const cv::Size judged = planned ? cv::Size(planned->output_width_px, planned->output_height_px) : size;
    const bool exact = (judged.width == r.width_px && judged.height == r.height_px) ||
                       (!r.keeps_orientation && judged.width == r.height_px && judged.height == r.width_px);
    const int long_edge = std::max(judged.width, judged.height);
    RuleOutcome o = YesNo("size", exact && long_edge >= r.min_long_edge_px,
                          fmt::format("{}{}×{} px; {} wants {}×{} px (long edge at least {} px){}",
                                      planned ? "the plan makes " : "", judged.width, judged.height, r.title,
                                      r.width_px, r.height_px, r.min_long_edge_px, Cite(r.size_source)));
    if (planned && !o.ok) {
      o.fixable = false;
      o.warning_code = "marketplace_size";
      o.message += fmt::format("; --fit {} keeps that size: --fit pad or --fit crop makes the canvas",
                               FitModeName(planned->fit));
    }
    out.push_back(o);
  }
  if (r.white_background) {
    const cv::Vec3b& m = product.border_median_8bit;
    RuleOutcome o;
    o.rule = "background";
    o.value = product.border_white_pct;
    o.limit = kWhiteBorderPct;
    o.higher_is_better = true;
    o.unit = "%";
    o.fixable = false;
    o.warning_code = "background_not_white";
    // A pad of another colour: the result's border is the pad where the
    // picture does not reach it (QA reads the worse of the input's border
    // and the result's): the input's white share times the share of the
    // result's border the picture keeps.
    const Rgb8 pad = planned ? planned->pad_color : Rgb8();
    const bool white_pad = pad.r >= kWhiteLevel8bit && pad.g >= kWhiteLevel8bit && pad.b >= kWhiteLevel8bit;
    const bool coloured_pad = planned && planned->padded() && !white_pad;
    if (coloured_pad) {
      const double along = 2.0 * (planned->output_width_px + planned->output_height_px);
      const double picture =
          2.0 * ((planned->scaled_width_px == planned->output_width_px ? planned->scaled_height_px : 0) +
                 (planned->scaled_height_px == planned->output_height_px ? planned->scaled_width_px : 0));
      o.value *= picture / along;
    }
    o.ok = o.value >= kWhiteBorderPct;
    if (o.ok)
      o.message = fmt::format("the border is white ({:.0f} % of it at {}+ in every channel){}", o.value,
                              kWhiteLevel8bit, Cite(r.background_source));
    else if (coloured_pad && product.background_white())
      o.message = fmt::format("the plan pads with RGB {}, {}, {}: about {:.0f} % of the result's border is white; "
                              "--fit pad (white) or --fit crop keeps it white{}",
                              pad.r, pad.g, pad.b, o.value, Cite(r.background_source));
    else
      o.message = fmt::format("the background is not white: {:.0f} % of the border is white, its median colour "
                              "is RGB {}, {}, {}; acuity does not cut out products — reshoot or remove the "
                              "background{}",
                              product.border_white_pct, m[2], m[1], m[0], Cite(r.background_source));
    out.push_back(o);
  }
  if (r.min_fill_pct) {
    RuleOutcome o;
    o.rule = "product_fill";
    o.value = planned ? ProductFillAfterFit(product.product_box_px, *planned) : product.product_fill_pct;
    o.limit = *r.min_fill_pct;
    o.higher_is_better = true;
    o.unit = "%";
    o.ok = o.value >= *r.min_fill_pct;
    o.fixable = false;
    o.warning_code = "product_fill_low";
    // Nothing stands out from a border that is not white: the frame is all
    // product or all backdrop, and the fill cannot be told (a frame-filling
    // close-up read "0 %: crop closer to the product"). On white, nothing
    // found is an empty frame: no product, 0 %.
    o.measured = product.product_found() || product.background_white();
    if (!o.measured) o.ok = true, o.value = 0;
    // acuity does not decide where a product may be cut: the outcome says
    // which crop would meet the rule. A crop spans the product's box over
    // the share on both axes, so a pad (which adds frame on one axis only)
    // keeps the share on the other.
    std::string fix;
    if (!o.ok) {
      const cv::Rect crop = CropAroundProduct(product.product_box_px, size, *r.min_fill_pct);
      o.suggested_crop_px = crop;
      const bool helps = crop.area() > 0 && crop.size() != size;
      if (planned) {
        // What the plan keeps (all of the frame, or its own crop for the
        // target's aspect) and whether it pads: the words say the plan's
        // own geometry, never one it does not have.
        const cv::Rect kept = planned->kept_rect();
        const bool keeps_whole = kept.area() <= 0 || kept == cv::Rect(cv::Point(0, 0), size);
        const bool pads = planned->padded();
        const std::string keeps = keeps_whole ? std::string("the plan keeps the whole frame")
                                              : fmt::format("the plan keeps {}×{} px at ({}, {}) of it", kept.width,
                                                            kept.height, kept.x, kept.y);
        const char* when = pads ? "before padding" : "first";
        fix = helps ? fmt::format("; {}: crop to about {}×{} px at ({}, {}) around the product {} (enhance --steps "
                                  "crop:{}x{}:x_px={}:y_px={},…)",
                                  keeps, crop.width, crop.height, crop.x, crop.y, when, crop.width, crop.height,
                                  crop.x, crop.y)
                    : fmt::format("; {}: crop closer to the product {}", keeps, when);
      } else
        fix = helps ? fmt::format("; about {}×{} px at ({}, {}) of this image around the product would meet it",
                                  crop.width, crop.height, crop.x, crop.y)
                    : "; crop the input closer to the product before padding";
    }
    const std::string frame =
        planned && (planned->output_width_px != size.width || planned->output_height_px != size.height)
            ? fmt::format(" of the {}×{} px result", planned->output_width_px, planned->output_height_px)
            : " of the frame";
    const cv::Vec3b& m = product.border_median_8bit;
    if (!o.measured)
      o.message = fmt::format("not measured: nothing stands out from the border's colour (RGB {}, {}, {}), so the "
                              "frame is all product or all backdrop{}",
                              m[2], m[1], m[0], Cite(r.fill_source));
    else if (!product.product_found())
      o.message = fmt::format("no product: nothing stands out from the white frame (at least {:g} %){}", o.limit,
                              Cite(r.fill_source));
    else
      o.message = fmt::format("the product spans {:.0f} %{} (at least {:g} %){}{}", o.value, frame, o.limit, fix,
                              Cite(r.fill_source));
    out.push_back(o);
  }
  if (r.srgb)
    out.push_back(YesNo("color_space", AcceptsColorSpace(r, file),
                        fmt::format("colours in {}{}", ColorSpaceName(file), Cite(r.color_source))));
  out.push_back(YesNo("format", AcceptsFormat(r, file.format),
                      fmt::format("{} file{}", ImageFormatName(file.format), Cite(r.formats_source))));
  if (r.max_file_bytes && file.file_bytes) {  // not judged for pixels that came from no file
    RuleOutcome o;
    o.rule = "file_size";
    o.value = double(*file.file_bytes) / 1e6;
    o.limit = double(*r.max_file_bytes) / 1e6;
    o.unit = "MB";
    o.ok = *file.file_bytes <= *r.max_file_bytes;
    o.message = fmt::format("{:.2f} MB (at most {:g} MB){}", o.value, o.limit, Cite(r.file_size_source));
    out.push_back(o);
  }
  return out;
}

std::vector<QaCheck> MarketplaceQaChecks(const std::vector<RuleOutcome>& outcomes) {
  std::vector<QaCheck> checks;
  for (const RuleOutcome& o : outcomes) {
    QaCheck c;
    c.name = "marketplace_" + o.rule;
    c.value = o.value;
    c.threshold = c.fail_threshold = o.limit;
    c.higher_is_better = o.higher_is_better;
    c.status = o.ok ? QaStatus::kPass : QaStatus::kFail;
    c.measured = o.measured;
    c.unit = o.unit.empty() ? "yes/no" : o.unit;
    c.message = o.message;
    checks.push_back(c);
  }
  return checks;
}

void AddMarketplaceChecks(const MarketplaceRules& rules, const Image& input, const Image& output, QaReport& report) {
  ProductShotReading reading = MeasureProductShot(output.pixels);
  if (rules.white_background) {
    const ProductShotReading in = MeasureProductShot(input.pixels);
    if (in.border_white_pct < reading.border_white_pct) {
      reading.border_white_pct = in.border_white_pct;
      reading.border_median_8bit = in.border_median_8bit;
    }
  }
  for (QaCheck& c : MarketplaceQaChecks(JudgeMarketplace(rules, output.info, output.pixels.size(), reading))) {
    if (c.status == QaStatus::kFail) report.verdict = QaStatus::kFail;
    report.checks.push_back(std::move(c));
  }
}

}  // namespace acuity

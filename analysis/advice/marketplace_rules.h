// A marketplace preset's rules (analysis/measurements/marketplace.h) judged
// on one image: the advisor judges the input (and plans what fixes each
// broken rule, or warns when nothing can), QA judges the result — the same
// function, so the plan and the QA verdict tell one story.
//
//   const acuity::MarketplaceRules& amazon = *acuity::FindMarketplace("amazon");
//   for (const acuity::RuleOutcome& o : acuity::JudgeMarketplace(amazon, image.info, image.pixels.size(),
//                                                                acuity::MeasureProductShot(image.pixels)))
//     if (!o.ok) Say(o.rule, o.message, o.fixable ? "acuity fixes it" : o.warning_code);
#ifndef ACUITY_ANALYSIS_ADVICE_MARKETPLACE_RULES_H_
#define ACUITY_ANALYSIS_ADVICE_MARKETPLACE_RULES_H_

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>

#include "analysis/advice/qa.h"
#include "analysis/io/image.h"
#include "analysis/measurements/marketplace.h"
#include "analysis/measurements/product_shot.h"
#include "analysis/measurements/target_fit.h"

namespace acuity {

// The rules a preset can hold, as RuleOutcome::rule names them (QA's checks
// are "marketplace_" + the rule).
inline constexpr std::array<std::string_view, 6> kMarketplaceRuleNames = {"size",        "background", "product_fill",
                                                                           "color_space", "format",     "file_size"};

// One rule on one image.
struct RuleOutcome {
  std::string rule;        // "size", "background", "product_fill", "color_space", "format", "file_size"
  bool ok = true;
  double value = 0;        // in `unit`
  double limit = 0;        // the rule's limit in `unit` (pass on this side of it)
  bool higher_is_better = false;
  std::string unit;        // "px", "%", "MB", "" (0/1 for yes/no rules)
  bool fixable = true;     // acuity's plan can make it pass (resize, pad, convert, encode)
  bool measured = true;    // false: the rule could not be judged (ok, QaCheck::measured false)
  std::string warning_code;  // for a rule acuity cannot fix: background_not_white, product_fill_low
  std::string message;     // in plain words, with the rule's source
  // product_fill broken: the window (px of the image) around the product in
  // which it would span the limit and 5 % more; the message names it. Empty
  // otherwise.
  cv::Rect suggested_crop_px;
};

// The rules of `rules` on an image of `size` px whose file is `file`
// (format, ICC profile, bytes: pixels that came from no file have no
// file_bytes, and the size rule is not judged) and whose product readings
// are `product`. With `planned` (the advisor: the target's fit of this
// image), the product's fill is judged in the frame the plan makes — the
// kept window scaled and padded to the output's size (ProductFillAfterFit),
// as QA will judge the result — and a crop is suggested in this image's px,
// to make before padding; without it (QA), in the frame as it is.
std::vector<RuleOutcome> JudgeMarketplace(const MarketplaceRules& rules, const ImageInfo& file, cv::Size size,
                                          const ProductShotReading& product, const TargetFit* planned = nullptr);

// The share of the output frame `fit` makes that a product whose box is
// `box_px` (px of the image `fit` was made for) spans along its longer
// relative side, % (product_shot.h's measure): the part of the box inside
// the kept window, scaled with it, in the output's size (a pad adds frame
// around it, a crop cuts it). 0 when nothing of the box is kept.
double ProductFillAfterFit(const cv::Rect& box_px, const TargetFit& fit);

// The outcomes as QA checks ("marketplace_<rule>", fail when broken).
std::vector<QaCheck> MarketplaceQaChecks(const std::vector<RuleOutcome>& outcomes);

// `qa --target PRESET`: judges `output` (its file as written) and appends
// the checks to `report`, whose verdict becomes the worst. The background is
// the worse of the input's and the output's borders: padding a photo shot
// on grey makes white borders around a grey one, which the input's show.
void AddMarketplaceChecks(const MarketplaceRules& rules, const Image& input, const Image& output, QaReport& report);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_ADVICE_MARKETPLACE_RULES_H_

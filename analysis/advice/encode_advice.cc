#include "analysis/advice/encode_advice.h"

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "analysis/advice/marketplace_rules.h"
#include "analysis/io/color_space.h"
#include "analysis/io/image_writer.h"

namespace acuity {
namespace {

// A picture this transparent (content.transparent_pct, %) keeps its alpha:
// a cut-out is tens of %, a photo whose alpha is 254 in a few pixels is not
// one.
constexpr double kTransparentFromPct = 0.1;

// 5a. A marketplace's rules on the input (marketplace_rules.h): a warning
// for each broken rule no step fixes (background, product fill); an encode
// step that fixes the others (format, colour space, file size) even when no
// pixel changes. True when it added the encode step.
bool AddMarketplace(const AnalysisReport& r, const AdvisorThresholds& t, Plan& plan) {
  const MarketplaceRules* rules = r.target ? FindMarketplace(r.target->spec.marketplace) : nullptr;
  if (rules == nullptr || !r.product) return false;
  bool encode_fixes = false;
  std::string why;
  for (const RuleOutcome& o :
       JudgeMarketplace(*rules, r.input, cv::Size(r.input.width, r.input.height), *r.product, &*r.target)) {
    if (o.ok) continue;
    if (!o.fixable) {
      plan.warnings.push_back({o.warning_code, o.message});
    } else if (o.rule != "size") {
      encode_fixes = true;
      why += fmt::format("; {}: {}", o.rule, o.message);
    }
  }
  if (plan.steps.empty() && !encode_fixes) return false;
  const bool graphics = r.content.kind == ContentKind::kSynthetic;
  EncodeStep step;
  step.format = graphics && AcceptsFormat(*rules, ImageFormat::kPng) ? ImageFormat::kPng : rules->formats.front();
  if (step.format == ImageFormat::kJpeg || step.format == ImageFormat::kWebp)
    step.quality = int(std::lround(t.web_jpeg_quality));
  if (rules->max_file_bytes) step.max_bytes = int(*rules->max_file_bytes);
  if (!AcceptsColorSpace(*rules, r.input)) step.color_space = "srgb";
  const double transparent = r.content.transparent_pct.value_or(0.0);
  if (transparent >= kTransparentFromPct && !WritesAlpha(step.format))
    why += fmt::format("; its transparent {:.1f} % is flattened onto white", transparent);
  plan.steps.push_back(
      {step, fmt::format("{}: {}{}{}{}", rules->title, ImageFormatName(step.format),
                         step.max_bytes ? fmt::format(" under {:g} MB", *step.max_bytes / 1e6) : "",
                         step.color_space.empty() ? "" : ", converted to sRGB", why)});
  return true;
}


// The file at the target as JPEG q80 or PNG (`format`), without what the
// plan takes out where that was estimated.
std::uint64_t EstimatedBytes(const TargetFit& fit, ImageFormat format, TakenOut taken_out) {
  const bool jpeg = format == ImageFormat::kJpeg;
  const std::optional<std::uint64_t> clean =
      jpeg ? fit.estimated_jpeg_bytes_denoised : fit.estimated_png_bytes_denoised;
  const std::optional<std::uint64_t> smooth =
      jpeg ? fit.estimated_jpeg_bytes_undithered : fit.estimated_png_bytes_undithered;
  if (taken_out.dots && smooth) return *smooth;
  if (taken_out.noise && clean) return *clean;
  return jpeg ? fit.estimated_jpeg_bytes : fit.estimated_png_bytes;
}

}  // namespace

void AddEncode(const AnalysisReport& r, const AdvisorThresholds& t, TakenOut taken_out, Plan& plan) {
  if (AddMarketplace(r, t, plan) || !r.target || plan.steps.empty()) return;
  // Text, UI and graphics (content_kind.h): JPEG rings around every glyph and
  // speckles flat colours; PNG keeps them exact and compresses them well.
  const bool graphics = r.content.kind == ContentKind::kSynthetic;
  const double transparent = r.content.transparent_pct.value_or(0.0);
  if (r.target->spec.kind != TargetSpec::Kind::kPrint && transparent >= kTransparentFromPct) {
    EncodeStep step;
    step.format = ImageFormat::kPng;
    plan.steps.push_back({step, fmt::format("{:.1f} % of the picture is transparent: PNG keeps it, where JPEG would "
                                            "flatten it onto white",
                                            transparent)});
  } else if (r.target->spec.kind != TargetSpec::Kind::kPrint && graphics) {
    EncodeStep step;
    step.format = ImageFormat::kPng;
    plan.steps.push_back({step, fmt::format("text and graphics ({:.0f} % of the picture in exactly flat colours, {} "
                                            "colours): PNG keeps flat colours and hard edges exact, where JPEG "
                                            "would ring around the text",
                                            r.content.flat_pct.value_or(0.0), r.content.colors.value_or(0))});
  } else if (r.target->spec.kind != TargetSpec::Kind::kPrint) {
    const std::uint64_t bytes = EstimatedBytes(*r.target, ImageFormat::kJpeg, taken_out);
    EncodeStep step;
    step.format = ImageFormat::kJpeg;
    step.quality = int(std::lround(t.web_jpeg_quality));
    plan.steps.push_back({step, fmt::format("a screen/web target: JPEG quality {:.0f} keeps the file near {}",
                                            t.web_jpeg_quality, FormatBytes(bytes))});
  }
  // A graphic's PNG is far smaller than a photo's (flat colours): only a
  // photo's size is estimated.
  if (graphics) return;
  const double bytes = double(EstimatedBytes(
      *r.target, r.target->spec.kind == TargetSpec::Kind::kPrint ? ImageFormat::kPng : ImageFormat::kJpeg,
      taken_out));
  if (bytes > 20e6)
    plan.warnings.push_back({"large_output", fmt::format("the result will be large: about {:.0f} MB", bytes / 1e6)});
}

}  // namespace acuity

#include "analysis/advice/verdicts.h"

#include "analysis/advice/wild_readings.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <utility>

namespace acuity {
namespace {

constexpr char kNotMeasured[] = "not measured";

// Noise σ up to this fraction of the advisor's denoise threshold is "clean".
constexpr double kCleanNoiseFractionOfDenoise = 0.5;
// Native scale below which the image was enlarged more than 2× ("poor").
constexpr double kPoorNativeScale = 0.5;

// good up to `good_max`, fair up to `fair_max`, poor above (the figure's unit).
VerdictLevel LevelUpTo(double value, double good_max, double fair_max) {
  return value <= good_max   ? VerdictLevel::kGood
         : value <= fair_max ? VerdictLevel::kFair
                             : VerdictLevel::kPoor;
}

// The words for a level of kGood, kFair or kPoor.
const char* Pick(VerdictLevel level, const char* good, const char* fair, const char* poor) {
  return level == VerdictLevel::kGood ? good : level == VerdictLevel::kFair ? fair : poor;
}

// Not measured, and why (words).
PlainVerdict NotMeasured(const char* key, const char* title, std::string why) {
  return {key, title, kNotMeasured, std::move(why), VerdictLevel::kNotMeasured};
}

PlainVerdict Missing(const char* key, const char* title) {
  return NotMeasured(key, title, "could not be measured on this image");
}

// A viewing-distance target in words: what the eye resolves there, and
// whether the print reaches it ("" for other targets).
std::string DistanceWords(const TargetFit& t, const AdvisorThresholds& th) {
  if (!t.spec.viewing_distance_cm) return "";
  const std::string at = fmt::format("at {:.0f} cm", *t.spec.viewing_distance_cm);
  if (t.fits || t.required_scale <= th.upscale_above_scale)
    return fmt::format("{} this print is as sharp as the eye can see: no upscale needed (the eye resolves {:.0f} "
                       "ppi there; the image gives {:.0f})",
                       at, t.spec.dpi, t.effective_dpi.value_or(t.spec.dpi));
  return fmt::format("{} the eye resolves {:.0f} ppi and this print has {:.0f}: it needs a {:.2f}× upscale to look "
                     "as sharp as the eye can see",
                     at, t.spec.dpi, t.effective_dpi.value_or(0), t.required_scale);
}

// How much detail the kept part of an enlarged image holds, against what
// the target shows: "what it keeps holds the detail of about 500×400 px,
// 6.0× less than the target shows".
std::string KeptDetailWords(const TargetFit& t, double native_scale) {
  return fmt::format("what it keeps holds the detail of about {}×{} px, {:.1f}× less than the target shows",
                     int(std::lround(t.kept_width_px * native_scale)),
                     int(std::lround(t.kept_height_px * native_scale)), t.required_scale / native_scale);
}

// Enough pixels for the target but not the detail: an image enlarged
// before (native_scale.h) holds the detail of fewer pixels than it has, and
// the target shows more of it than it holds — a 47-MP file blown up 14×
// "printed at 700 dpi". Its level: fair up to 4× (max_pass_scale) of
// missing detail, poor beyond. False when the pixels fall short too
// (DescribeTarget's upscale words, graded by the detail as well, and the
// invented_detail warning say it then).
bool DetailFallsShort(const TargetFit& t, std::optional<double> native_scale, const AdvisorThresholds& th,
                      PlainVerdict& v) {
  const bool pixels_enough = t.fits || t.required_scale <= th.upscale_above_scale;
  if (!pixels_enough || !th.AlreadyUpscaled(native_scale)) return false;
  const double ns = *native_scale, detail_needed = t.required_scale / ns;
  if (detail_needed <= th.upscale_above_scale) return false;
  v.level = detail_needed <= th.max_pass_scale ? VerdictLevel::kFair : VerdictLevel::kPoor;
  v.words = fmt::format(
      "enough pixels for {} ({}×{} px), but not the detail: {}{}; no step recovers it", t.spec.text, t.width_px,
      t.height_px, KeptDetailWords(t, ns),
      t.effective_dpi ? fmt::format(" (about {:.0f} dpi of real detail)", *t.effective_dpi * ns) : "");
  return true;
}

// `squares_px`: the plan enlarges pixel art by repeating its squares of
// that side (AdviceDecisions::repeated_squares_px), exactly: its detail is
// the art's, and no upscale is short of it.
PlainVerdict DescribeTarget(const TargetFit& t, std::optional<double> native_scale, const AdvisorThresholds& th,
                            std::optional<int> squares_px) {
  PlainVerdict v{"resolution", "Size for the target",
                 fmt::format("{:.2f}× needed", t.required_scale), "", VerdictLevel::kGood};
  const std::string distance = DistanceWords(t, th);
  if (DetailFallsShort(t, native_scale, th, v)) {
    // (not the distance's words: "as sharp as the eye can see" counts pixels)
  } else if (t.fits) {
    v.words = !distance.empty() ? distance
                                : fmt::format("big enough for {} ({}×{} px): no upscaling needed", t.spec.text,
                                              t.width_px, t.height_px);
  } else if (t.required_scale <= th.upscale_above_scale) {
    v.words = !distance.empty() ? distance
                                : fmt::format("close enough to {} ({}×{} px): no upscaling needed", t.spec.text,
                                              t.width_px, t.height_px);
  } else {
    v.level = t.required_scale <= th.max_pass_scale ? VerdictLevel::kFair : VerdictLevel::kPoor;
    v.words = fmt::format(
        "too small for {}: it needs {}×{} px{}{}", t.spec.text, t.scaled_width_px, t.scaled_height_px,
        t.effective_dpi ? fmt::format(" and prints at {:.0f} dpi today", *t.effective_dpi) : "",
        v.level == VerdictLevel::kPoor
            ? fmt::format(", more than a {:.0f}× upscale", th.max_pass_scale)
            : "");
    // Graded by the detail too, so that fewer pixels of the same detail
    // never read better (a 2867-px enlargement of 510 px of detail read
    // fair, a 3072-px one poor) — but pixel art's squares repeat exactly.
    if (squares_px) {
      v.level = VerdictLevel::kFair;
      v.words = fmt::format("too small for {}: it needs {}×{} px; it is made of {}-px squares (pixel art): "
                            "repeating them reaches it exactly",
                            t.spec.text, t.scaled_width_px, t.scaled_height_px, *squares_px);
    } else if (th.AlreadyUpscaled(native_scale) && t.required_scale / *native_scale > th.max_pass_scale) {
      v.level = VerdictLevel::kPoor;
      v.words += ", and " + KeptDetailWords(t, *native_scale);
    }
    if (!distance.empty()) v.words += "; " + distance;
  }
  return v;
}

// Why a soft image gets no sharpen step, in words ("" when it gets one).
std::string NoSharpenWords(const AdviceDecisions& d) {
  using Sharpen = AdviceDecisions::Sharpen;
  switch (d.sharpen) {
    case Sharpen::kNotOversharpened:
      return "; not sharpened: it is over-sharpened already";
    case Sharpen::kNotModelSharpens:
      return fmt::format(
          "; not sharpened: a sharpen after the upscale model ({}) lost fidelity on damaged photos "
          "(models/RESULTS.md, \"Damaged photos\"), so the softness stays",
          d.sharpening_model);
    case Sharpen::kNotDownscaled:
      return "; not sharpened: the downscale hides it";
    case Sharpen::kNotLightHalos:
      return "; not sharpened: its halos are near the over-sharpening line already";
    case Sharpen::kNotSharpenedAgain:  // DescribeSharpness says it in its own words
    case Sharpen::kNotMotionBlur:
    case Sharpen::kNotNeeded:
    case Sharpen::kSoft:
    case Sharpen::kAfterUpscale:
      break;
  }
  return "";
}

// The sharpness: from the blur σ reading, or from the smear when motion blur
// was detected and smears more (blur_reading.h); borderline within the
// reading's uncertainty of a threshold; the words follow the sharpen decision
// and, for an image already enlarged (`native_scale`, as `already_upscaled`
// reads it), do not call its fine detail crisp.
PlainVerdict DescribeSharpness(const AdviceDecisions& d, const AdvisorThresholds& th,
                               std::optional<double> native_scale) {
  const BlurToActOn& b = d.blur;
  const std::optional<double> sigma = b.SigmaPx();
  if (!sigma) return Missing("sharpness", "Sharpness");
  PlainVerdict v{"sharpness", "Sharpness",
                 b.gaussian_sigma_px ? fmt::format("blur σ {:.2f} ± {:.2f} px", *b.gaussian_sigma_px,
                                                   b.UncertaintyPx())
                                     : std::string("blur σ not measured"),
                 "", VerdictLevel::kGood};
  if (b.MotionDominates()) {
    v.value += fmt::format(" · smear {:.0f} px (σ {:.2f} px)", *b.motion_length_px, *b.motion_sigma_px);
    v.level = *b.motion_sigma_px > th.severe_blur_above_px ? VerdictLevel::kPoor : VerdictLevel::kFair;
    v.words = fmt::format("smeared by motion along {:.0f}°, as soft as a blur σ of {:.1f} px: sharpening cannot "
                          "undo a smear, so the plan does not sharpen",
                          b.motion_angle_deg.value_or(0), *b.motion_sigma_px);
    return v;
  }
  const BlurToActOn::Side soft = b.Against(th.sharpen_above_blur_px);
  const BlurToActOn::Side severe = b.Against(th.severe_blur_above_px);
  if (severe == BlurToActOn::Side::kAbove) {
    v.level = VerdictLevel::kPoor;
    v.words = "very soft: neither upscaling nor sharpening will fully restore it";
  } else if (severe == BlurToActOn::Side::kBorderline) {
    v.level = VerdictLevel::kFair;
    v.words = fmt::format("soft, borderline very soft ({}): a sharpen helps, but may not fully restore it",
                          b.BorderlineWords(th.severe_blur_above_px));
  } else if (soft == BlurToActOn::Side::kAbove) {
    v.level = VerdictLevel::kFair;
    v.words = "soft: a sharpen helps, upscaling alone will not";
  } else if (soft == BlurToActOn::Side::kBorderline) {
    v.words = fmt::format("sharp enough, borderline soft ({}): no sharpen needed for softness",
                          b.BorderlineWords(th.sharpen_above_blur_px));
  } else if (th.AlreadyUpscaled(native_scale)) {
    v.words = fmt::format("crisp edges at its own pixel size, but it was enlarged: its fine detail is that of "
                          "an image {:.2f}× as wide (native scale)",
                          *native_scale);
  } else {
    v.words = "sharp: fine detail is crisp";
  }
  if (d.sharpen == AdviceDecisions::Sharpen::kNotSharpenedAgain && v.level != VerdictLevel::kGood) {
    v.words = fmt::format("soft at its own pixel size, as an enlargement{} is: acuity enlarged and then sharpened it "
                          "when it made this file (its record), and a second sharpen would add halos, not detail",
                          native_scale && *native_scale < 1 ? fmt::format(" of {:.1f}×", 1.0 / *native_scale) : "");
  }
  if (b.out_of_focus_sigma_px) {
    v.value += fmt::format(" in focus · {:.1f} px elsewhere", *b.out_of_focus_sigma_px);
    v.words = fmt::format("the part in focus ({:.0f} % of the frame) reads {}; the rest is blurred (σ {:.1f} px) as "
                          "by a shallow depth of field, the photo's look rather than a fault: the advice acts on the "
                          "part in focus",
                          b.in_focus_area_pct.value_or(0), v.words, *b.out_of_focus_sigma_px);
  }
  if (v.level != VerdictLevel::kGood) v.words += NoSharpenWords(d);
  if (b.motion_sigma_px)
    v.words += fmt::format("; also smeared by motion ({:.0f} px), which sharpening cannot undo", *b.motion_length_px);
  return v;
}

// What the plan does about a repair the reading calls for, in words.
std::string RepairWords(AdviceDecisions::Repair repair, const std::string& model, const char* step_words) {
  return repair == AdviceDecisions::Repair::kByModel
             ? fmt::format("the upscale model ({}) repairs it, no separate step", model)
             : std::string(step_words);
}

// `dithered`: the picture's dots are a dither's (dither.h), whose noise
// figures read 0 (analyze.h ReconcileReadings).
PlainVerdict DescribeNoise(const NoiseResult& n, const AdvisorThresholds& th, const AdviceDecisions& d,
                           bool dithered) {
  if (n.too_small.value_or(false))
    return NotMeasured("noise", "Noise",
                       fmt::format("too small (fewer than {} px in all, or under 16 px a side): a thumbnail has no flat "
                                   "area, its detail cannot be told from noise",
                                   kMinNoisePixels));
  if (!n.sigma) return Missing("noise", "Noise");
  const NoiseToActOn acted_on = NoiseToActOn::From(n);  // as the advisor: where the noise is strongest
  const double sigma = acted_on.sigma_8bit;
  PlainVerdict v{"noise", "Noise", fmt::format("σ {} (8-bit)", acted_on.Describe()), "",
                 LevelUpTo(sigma, th.denoise_above_sigma_8bit * kCleanNoiseFractionOfDenoise,
                           th.denoise_above_sigma_8bit)};
  if (dithered && sigma == 0) {
    v.words = "no noise: its dots are the dither's (see Dither)";
  } else if (v.level != VerdictLevel::kPoor) {
    v.words = Pick(v.level, "clean", "slight grain, usually invisible in print: no need to denoise", "");
  } else if (sigma <= th.sharpen_after_denoise_full_below_sigma_8bit) {
    v.words = "visible noise: " + RepairWords(d.denoise, d.repair_model, "denoise before enlarging or sharpening");
  } else {
    v.words = "heavy noise: " + RepairWords(d.denoise, d.repair_model, "denoise first");
    if (!d.painted_flats) v.words += ", expect some loss of fine texture";
  }
  // What the plan's model makes of it (the painted_flats warning).
  if (d.painted_flats)
    v.words += fmt::format("; {} smooths the noisy flat areas ({:.0f} % of the picture) to grainless plateaus, "
                           "a painted look (see painted_flats)",
                           d.painted_flats->model, d.painted_flats->area_pct);
  return v;
}

PlainVerdict DescribeCompression(const CompressionResult& c, const ImageInfo& in, const AdvisorThresholds& th,
                                 const AdviceDecisions& d) {
  if (!c.jpeg_quality_estimate) {
    if (c.two_level == true)
      return {"compression", "Compression", "none found",
              "no sign of JPEG compression: a two-level (black-and-white) picture, which no JPEG decode makes",
              VerdictLevel::kGood};
    if (c.palette_colors)
      return {"compression", "Compression", "none found",
              fmt::format("no sign of JPEG compression: a picture of {} exact colours, which no JPEG decode makes",
                          *c.palette_colors),
              VerdictLevel::kGood};
    if (c.quality_source == "none" && c.blockiness && *c.blockiness >= kVisibleBlockiness)
      return {"compression", "Compression", fmt::format("blockiness {:.1f}", *c.blockiness),
              "8×8 blocks are visible, but no JPEG quality could be read", VerdictLevel::kFair};
    if (c.quality_source == "none" && c.blockiness) {
      if (const char* codec = UnreadLossyCodec(in))
        return NotMeasured("compression", "Compression",
                           fmt::format("a lossy {} file: acuity reads the damage of JPEG coding only, and this "
                                       "file's is not measured",
                                       codec));
      return {"compression", "Compression", "none found", "no sign of JPEG compression",
              VerdictLevel::kGood};
    }
    return Missing("compression", "Compression");
  }
  const double q = *c.jpeg_quality_estimate;
  const std::string equivalent = EquivalentQualityWords(c);
  // Higher is better: good from web_jpeg_quality, poor below deblock_below_quality.
  PlainVerdict v{"compression", "Compression",
                 fmt::format("JPEG quality {:.0f} ({}{}{}{})", q, c.quality_source,
                             c.tables == "other" ? ", not IJG's tables" : "",
                             equivalent.empty() ? "" : ": " + equivalent,
                             c.last_saved_quality ? fmt::format("; re-saved at {:.0f}", *c.last_saved_quality) : ""),
                 "", LevelUpTo(-q, -th.web_jpeg_quality, -th.deblock_below_quality)};
  if (v.level != VerdictLevel::kPoor) {
    v.words = Pick(v.level, "good JPEG quality",
                   "some compression in flat areas and fine texture, not enough to need deblocking", "");
  } else if (q >= th.heavy_jpeg_below_quality) {
    v.words = "JPEG damage: blocks and ringing; " + RepairWords(d.deblock, d.repair_model, "deblock first");
  } else {
    v.words = "heavy JPEG damage: blocks and ringing; detail lost to compression cannot be restored" +
              std::string(d.deblock == AdviceDecisions::Repair::kByModel
                              ? "; " + RepairWords(d.deblock, d.repair_model, "")
                              : "");
  }
  return v;
}

// The halos: over-sharpened from the line; light halos below it (where
// clean and sharpened photos overlap: AdvisorThresholds::LightHalos), in the
// words of what the plan does about them (AdviceDecisions::sharpen_halo_share).
PlainVerdict DescribeHalos(const OversharpeningResult& o, const AdviceDecisions& d, const AdvisorThresholds& th) {
  if (o.drawn_content.value_or(false))
    return NotMeasured("halos", "Halos",
                       "drawn content (text, UI, graphics): halos are read on photographs; a rendered stroke, light "
                       "on both sides, looks like one");
  if (o.too_small.value_or(false))
    return NotMeasured("halos", "Halos",
                       fmt::format("too small (fewer than {0}×{0} px in all): a thumbnail's detail is packed as densely "
                                   "as a sharpened picture's, halos cannot be told from it",
                                   kMinHaloScoreSidePx));
  if (!o.detected || !o.halo_score) return Missing("halos", "Halos");
  std::string overshoot = o.overshoot_pct ? fmt::format("overshoot {} %", std::lround(*o.overshoot_pct))
                                          : std::string("overshoot not measured");
  // Over-sharpened with no overshoot at the straight edges: the score, which
  // decides, reads the fine detail too (the oversharpened_input warning).
  const bool halos_off_the_edges = *o.detected && NoOvershootAtItsEdges(o);
  if (halos_off_the_edges)
    overshoot += fmt::format(" at its {} straight edges; the halos are in its fine detail", o.edges_measured.value_or(0));
  PlainVerdict v{"halos", "Halos", fmt::format("halo score {:.1f} · {}", *o.halo_score, overshoot),
                 halos_off_the_edges ? "over-sharpened: bright/dark halos in its fine detail, none at its straight "
                                       "edges; do not sharpen further"
                 : *o.detected       ? "over-sharpened: bright/dark halos along edges; do not sharpen further"
                                     : "no halos from earlier sharpening",
                 *o.detected ? VerdictLevel::kPoor : VerdictLevel::kGood};
  if (!*o.detected && th.LightHalos(o.halo_score)) {
    using Sharpen = AdviceDecisions::Sharpen;
    v.level = VerdictLevel::kFair;
    v.words = fmt::format("light halos: perhaps sharpened before (over-sharpened from {:.0f}, most clean photos "
                          "read under {:.0f})",
                          kOversharpenedHaloScore, th.full_sharpen_below_halo_score);
    if (d.sharpen == Sharpen::kNotLightHalos)
      v.words += "; not sharpened again";
    else if ((d.sharpen == Sharpen::kSoft || d.sharpen == Sharpen::kAfterUpscale) && d.sharpen_halo_share < 1.0)
      v.words += fmt::format("; the plan sharpens at {:.0f} % of its usual amount", d.sharpen_halo_share * 100);
  }
  return v;
}

PlainVerdict DescribeNativeScale(const ResolutionResult& r, const ImageInfo& in, const AdvisorThresholds& th,
                                 std::optional<int> squares_px) {
  if (!r.native_scale) return Missing("native_scale", "Real resolution");
  const double s = *r.native_scale;
  PlainVerdict v{"native_scale", "Real resolution", fmt::format("native scale {:.2f}", s),
                 "full: the pixels hold real detail", VerdictLevel::kGood};
  if (th.AlreadyUpscaled(s)) {
    v.level = s < kPoorNativeScale ? VerdictLevel::kPoor : VerdictLevel::kFair;
    const char* how = r.upscale_kind == UpscaleKind::kAi ? " by an AI upscaler (its finer detail is invented)"
                      : r.upscale_kind == UpscaleKind::kUnknown
                          ? " (by interpolation or an AI upscaler: the JPEG saved since hides which)"
                          : "";
    // An enlargement straightened since (native_scale.h grid_tilt_deg).
    const std::string turned =
        r.grid_tilt_deg ? fmt::format(", then turned {:.1f}°", std::abs(*r.grid_tilt_deg)) : std::string();
    v.words = fmt::format("already enlarged{}{}: its detail is that of about {}×{} px", how, turned,
                          int(std::lround(in.width * s)), int(std::lround(in.height * s)));
    if (squares_px) {  // the art is what it is; the plan repeats its squares
      v.level = VerdictLevel::kFair;
      v.words = fmt::format("pixel art enlarged by repeating pixels ({}-px squares): its art is about {}×{} px",
                            *squares_px, in.width / *squares_px, in.height / *squares_px);
    }
  }
  return v;
}

// Motion blur (wild_readings.h): good when none is found, poor when the
// advisor warns (motion_blur).
PlainVerdict DescribeMotionBlur(const MotionBlurResult& m) {
  if (m.drawn_content.value_or(false))
    return NotMeasured("motion_blur", "Motion blur",
                       "drawn content (text, UI, graphics): nothing was photographed, so no movement blurred it");
  if (m.too_small.value_or(false))
    return NotMeasured("motion_blur", "Motion blur",
                       fmt::format("too small (under {} px on a side) to read a smear's length", kMotionBlurMinSidePx));
  if (!m.detected) return Missing("motion_blur", "Motion blur");
  if (std::optional<Warning> w = MotionBlurWarning(m))
    return {"motion_blur", "Motion blur", fmt::format("{:.0f} px at {:.0f}°", *m.length_px, *m.angle_deg),
            "smeared along one direction by movement: upscaling and sharpening will not undo it",
            VerdictLevel::kPoor};
  const std::string why = MotionBlurNotFoundReason(m);
  return {"motion_blur", "Motion blur", "none found",
          "no directional smear from movement" + (why.empty() ? "" : "; strongest dip: " + why),
          VerdictLevel::kGood};
}

// A few-colour picture's dither (dither.h): no row for other pictures (not
// measured: more colours than kDitherMaxColours, which no dither leaves). Fair for error
// diffusion's fine dots, poor for coarse ones (ordered, two-level: pattern σ
// kCoarseDotsSigma8bit levels and more), which the plan's undither step smooths
// (AdviceDecisions::undither).
constexpr double kCoarseDotsSigma8bit = 20.0;

std::optional<PlainVerdict> DescribeDither(const DitherResult& d, const AdviceDecisions& decisions) {
  if (d.screen_period_px)
    return PlainVerdict{
        "dither", "Dither",
        fmt::format("halftone screen {:.1f} px at {:.0f}°", *d.screen_period_px, d.screen_angle_deg.value_or(0)),
        fmt::format("a printed halftone: the dots are the print's screen, not detail, and it holds no detail finer "
                    "than them{}",
                    decisions.undither == AdviceDecisions::Repair::kStep
                        ? "; descreen first, or an upscale enlarges them and a sharpen makes them louder"
                        : ""),
        VerdictLevel::kPoor};
  if (!d.detected || !d.colors) return std::nullopt;
  if (!*d.detected)
    return PlainVerdict{"dither", "Dither", fmt::format("none in {} colours", *d.colors),
                        d.pattern_correlation ? "its few colours sit in bands or texture, not dots"
                                              : "its few colours sit in flat fills",
                        VerdictLevel::kGood};
  const double sigma = d.pattern_sigma_8bit.value_or(0);
  return PlainVerdict{
      "dither", "Dither", fmt::format("{} colours · dots σ {:.1f} (8-bit)", *d.colors, sigma),
      fmt::format("dithered: the dots are the palette's, not detail{}",
                  decisions.undither == AdviceDecisions::Repair::kStep
                      ? "; undither first, or an upscale enlarges them and a sharpen makes them louder"
                      : ""),
      sigma >= kCoarseDotsSigma8bit ? VerdictLevel::kPoor : VerdictLevel::kFair};
}

// Faces and text (content_advice.h): poor exactly when the advisor warns
// (small_face / small_text: the plan upscales them under the model's limit).
// No row when they were not looked for (analyze without --content).
template <typename Item>
std::optional<PlainVerdict> DescribeFound(const char* key, const char* title,
                                          const std::optional<std::vector<Item>>& items, const std::string& why_not,
                                          const std::optional<SmallContent>& small, const std::string& found,
                                          const std::string& small_words, const char* invented) {
  if (!items && why_not.empty()) return std::nullopt;
  if (!items) return Missing(key, title);
  if (small) return PlainVerdict{key, title, found, small_words + ": " + invented, VerdictLevel::kPoor};
  return PlainVerdict{key, title, found, items->empty() ? "none found"
                                                    : "none that the plan's upscale would reinvent",
                      VerdictLevel::kGood};
}

std::string FoundFaces(const FacesResult& f) {
  if (!f.faces || f.faces->empty())
    return fmt::format("none found (from {} px wide)", f.searched_from_width_px.value_or(0));
  const auto [lo, hi] = std::minmax_element(f.faces->begin(), f.faces->end(),
                                            [](const Face& a, const Face& b) { return a.width_px < b.width_px; });
  const auto profiles = std::count_if(f.faces->begin(), f.faces->end(), [](const Face& x) { return x.profile; });
  const std::string seen = profiles == 0                         ? ""
                           : size_t(profiles) == f.faces->size() ? (profiles == 1 ? ", in profile" : ", all in profile")
                                                                 : fmt::format(", {} in profile", profiles);
  return lo->width_px == hi->width_px
             ? fmt::format("{} found{}, {} px wide", f.faces->size(), seen, lo->width_px)
             : fmt::format("{} found{}, {}–{} px wide", f.faces->size(), seen, lo->width_px, hi->width_px);
}

std::string FoundText(const TextResult& t) {
  if (!t.lines || t.lines->empty()) return "none found";
  const auto [lo, hi] = std::minmax_element(
      t.lines->begin(), t.lines->end(), [](const TextLine& a, const TextLine& b) { return a.x_height_px < b.x_height_px; });
  const std::string sizes = lo->x_height_px == hi->x_height_px
                                ? fmt::format("{:.1f}", lo->x_height_px)
                                : fmt::format("{:.1f}–{:.1f}", lo->x_height_px, hi->x_height_px);
  return fmt::format("{} line{}, x-height {} px", t.lines->size(), t.lines->size() == 1 ? "" : "s", sizes);
}

}  // namespace

const char* VerdictLevelWord(VerdictLevel level) {
  switch (level) {
    case VerdictLevel::kGood:
      return "good";
    case VerdictLevel::kFair:
      return "fair";
    case VerdictLevel::kPoor:
      return "poor";
    case VerdictLevel::kNotMeasured:
      return kNotMeasured;
  }
  return kNotMeasured;
}

std::vector<PlainVerdict> DescribeMeasurements(const AnalysisReport& r, const AdviceDecisions& decisions,
                                               const AdvisorThresholds& th) {
  std::vector<PlainVerdict> out;
  if (r.target) out.push_back(DescribeTarget(*r.target, r.resolution.native_scale, th, decisions.repeated_squares_px));
  out.push_back(DescribeSharpness(decisions, th, r.resolution.native_scale));
  out.push_back(DescribeNoise(r.noise, th, decisions, r.dither.detected.value_or(false)));
  out.push_back(DescribeCompression(r.compression, r.input, th, decisions));
  if (std::optional<PlainVerdict> v = DescribeDither(r.dither, decisions)) out.push_back(*v);
  out.push_back(DescribeHalos(r.oversharpening, decisions, th));
  out.push_back(r.dither.screen_period_px
                    ? NotMeasured("native_scale", "Real resolution",
                                  fmt::format("a printed halftone: its screen of {:.1f} px, not its pixels, sets its "
                                              "detail (see Dither)",
                                              *r.dither.screen_period_px))
                    : DescribeNativeScale(r.resolution, r.input, th, decisions.repeated_squares_px));
  out.push_back(DescribeMotionBlur(r.motion_blur));
  const auto& d = decisions;
  if (std::optional<PlainVerdict> v = DescribeFound(
          "faces", "Faces", r.faces.faces, r.faces.not_measured_reason, d.small_faces, FoundFaces(r.faces),
          d.small_faces ? SmallFacesWords(*d.small_faces) : "",
          "too small for the upscale to recover who they are; a model invents a face")) {
    // Found none under the limit, but narrower ones were not looked for.
    if (v->level == VerdictLevel::kGood && d.faces_not_searched) {
      v->words = fmt::format("faces narrower than {:.0f} px were not looked for; the upscale would invent them",
                             d.faces_not_searched->smallest_px);
      v->level = VerdictLevel::kFair;
    }
    out.push_back(*v);
  }
  if (std::optional<PlainVerdict> v = DescribeFound(
          "text", "Text", r.text.lines, r.text.not_measured_reason, d.small_text, FoundText(r.text),
          d.small_text ? SmallTextWords(*d.small_text) : "",
          "too small for the upscale to make legible; a model may invent letters"))
    out.push_back(*v);
  return out;
}

std::string LeaveAsIsWords(const Plan& plan, const AnalysisReport& r) {
  if (!plan.warnings.empty()) return "no step would undo what the warnings describe";
  std::vector<std::string> missing;
  if (!r.sharpness.blur_sigma_px) missing.push_back("blur");
  if (!r.motion_blur.detected && !r.motion_blur.drawn_content) missing.push_back("motion blur");
  if (!r.noise.sigma) missing.push_back("noise");
  if (!r.resolution.native_scale) missing.push_back("native scale");
  if (missing.empty()) return "nothing measured calls for a change";
  return fmt::format("nothing measured calls for a change (not measured: {})", fmt::join(missing, ", "));
}

std::vector<PlainVerdict> DescribeMeasurements(const AnalysisReport& r, const AdvisorThresholds& th) {
  return DescribeMeasurements(r, Decide(r, th).decisions, th);
}

}  // namespace acuity

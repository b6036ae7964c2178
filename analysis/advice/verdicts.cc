#include "analysis/advice/verdicts.h"

#include "analysis/advice/wild_readings.h"

#include <fmt/format.h>

#include <cmath>

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

PlainVerdict Missing(const char* key, const char* title) {
  return {key, title, kNotMeasured, "could not be measured on this image",
          VerdictLevel::kNotMeasured};
}

PlainVerdict DescribeTarget(const TargetFit& t, const AdvisorThresholds& th) {
  PlainVerdict v{"resolution", "Size for the target",
                 fmt::format("{:.2f}× needed", t.required_scale), "", VerdictLevel::kGood};
  if (t.fits) {
    v.words = fmt::format("big enough for {} ({}×{} px): no upscaling needed", t.spec.text,
                          t.width_px, t.height_px);
  } else if (t.required_scale <= th.upscale_above_scale) {
    v.words = fmt::format("close enough to {} ({}×{} px): no upscaling needed", t.spec.text,
                          t.width_px, t.height_px);
  } else {
    v.level = t.required_scale <= th.max_pass_scale ? VerdictLevel::kFair : VerdictLevel::kPoor;
    v.words = fmt::format(
        "too small for {}: it needs {}×{} px{}{}", t.spec.text, t.width_px, t.height_px,
        t.effective_dpi ? fmt::format(" and prints at {:.0f} dpi today", *t.effective_dpi) : "",
        v.level == VerdictLevel::kPoor
            ? fmt::format(", more than one AI pass of at most {:.0f}×", th.max_pass_scale)
            : "");
  }
  return v;
}

PlainVerdict DescribeSharpness(const SharpnessResult& s, const AdvisorThresholds& th) {
  if (!s.blur_sigma_px) return Missing("sharpness", "Sharpness");
  const double blur = *s.blur_sigma_px;
  const VerdictLevel level = LevelUpTo(blur, th.sharpen_above_blur_px, th.severe_blur_above_px);
  return {
      "sharpness", "Sharpness", fmt::format("blur σ {:.2f} px", blur),
      Pick(level, "sharp: fine detail is crisp", "soft: a sharpen helps, upscaling alone will not",
           "very soft: neither upscaling nor sharpening will fully restore it"),
      level};
}

PlainVerdict DescribeNoise(const NoiseResult& n, const AdvisorThresholds& th) {
  if (!n.sigma) return Missing("noise", "Noise");
  const NoiseToActOn acted_on = NoiseToActOn::From(n);  // as the advisor: where the noise is strongest
  const double sigma = acted_on.sigma_8bit;
  const VerdictLevel level =
      LevelUpTo(sigma, th.denoise_above_sigma_8bit * kCleanNoiseFractionOfDenoise,
                th.denoise_above_sigma_8bit);
  return {"noise", "Noise", fmt::format("σ {} (8-bit)", acted_on.Describe()),
          Pick(level, "clean", "slight grain, usually invisible in print: no need to denoise",
               sigma <= th.sharpen_after_denoise_full_below_sigma_8bit
                   ? "visible noise: denoise before enlarging or sharpening"
                   : "heavy noise: denoise first, expect some loss of fine texture"),
          level};
}

PlainVerdict DescribeCompression(const CompressionResult& c, const AdvisorThresholds& th) {
  if (!c.jpeg_quality_estimate) {
    if (c.quality_source == "none" && c.blockiness && *c.blockiness >= kVisibleBlockiness)
      return {"compression", "Compression", fmt::format("blockiness {:.1f}", *c.blockiness),
              "8×8 blocks are visible, but no JPEG quality could be read", VerdictLevel::kFair};
    if (c.quality_source == "none" && c.blockiness)
      return {"compression", "Compression", "none found", "no sign of JPEG compression",
              VerdictLevel::kGood};
    return Missing("compression", "Compression");
  }
  const double q = *c.jpeg_quality_estimate;
  // Higher is better: good from web_jpeg_quality, poor below deblock_below_quality.
  const VerdictLevel level = LevelUpTo(-q, -th.web_jpeg_quality, -th.deblock_below_quality);
  const std::string equivalent = EquivalentQualityWords(c);
  return {"compression", "Compression",
          fmt::format("JPEG quality {:.0f} ({}{}{})", q, c.quality_source,
                      c.tables == "other" ? ", not IJG's tables" : "", equivalent.empty() ? "" : ": " + equivalent),
          Pick(level, "good JPEG quality",
               "some compression in flat areas and fine texture, not enough to need deblocking",
               q >= th.heavy_jpeg_below_quality ? "JPEG damage: blocks and ringing; deblock first"
                                                : "heavy JPEG damage: blocks and ringing; detail "
                                                  "lost to compression cannot be restored"),
          level};
}

PlainVerdict DescribeHalos(const OversharpeningResult& o) {
  if (!o.detected || !o.halo_score) return Missing("halos", "Halos");
  const std::string overshoot = o.overshoot_pct
                                    ? fmt::format("overshoot {:.0f} %", *o.overshoot_pct)
                                    : std::string("overshoot not measured");
  return {"halos", "Halos", fmt::format("halo score {:.1f} · {}", *o.halo_score, overshoot),
          *o.detected ? "over-sharpened: bright/dark halos along edges; do not sharpen further"
                      : "no halos from earlier sharpening",
          *o.detected ? VerdictLevel::kPoor : VerdictLevel::kGood};
}

PlainVerdict DescribeNativeScale(const ResolutionResult& r, const ImageInfo& in,
                                 const AdvisorThresholds& th) {
  if (!r.native_scale) return Missing("native_scale", "Real resolution");
  const double s = *r.native_scale;
  PlainVerdict v{"native_scale", "Real resolution", fmt::format("native scale {:.2f}", s),
                 "full: the pixels hold real detail", VerdictLevel::kGood};
  if (s < th.upscaled_below_native_scale) {
    v.level = s < kPoorNativeScale ? VerdictLevel::kPoor : VerdictLevel::kFair;
    const bool ai = r.upscale_kind == UpscaleKind::kAi;  // finer detail invented by a network
    v.words = fmt::format("already enlarged{}: its detail is that of about {}×{} px",
                          ai ? " by an AI upscaler (its finer detail is invented)" : "",
                          int(std::lround(in.width * s)), int(std::lround(in.height * s)));
  }
  return v;
}

// Motion blur (wild_readings.h): good when none is found, poor when the
// advisor warns (motion_blur).
PlainVerdict DescribeMotionBlur(const MotionBlurResult& m) {
  if (!m.detected) return Missing("motion_blur", "Motion blur");
  if (std::optional<Warning> w = MotionBlurWarning(m))
    return {"motion_blur", "Motion blur", fmt::format("{:.0f} px at {:.0f}°", *m.length_px, *m.angle_deg),
            "smeared along one direction by movement: upscaling and sharpening will not undo it",
            VerdictLevel::kPoor};
  const std::string why = MotionBlurNotFoundReason(m);
  return {"motion_blur", "Motion blur", "none found",
          "no directional smear from movement" + (why.empty() ? "" : "; strongest dip " + why),
          VerdictLevel::kGood};
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

std::vector<PlainVerdict> DescribeMeasurements(const AnalysisReport& r,
                                               const AdvisorThresholds& th) {
  std::vector<PlainVerdict> out;
  if (r.target) out.push_back(DescribeTarget(*r.target, th));
  out.push_back(DescribeSharpness(r.sharpness, th));
  out.push_back(DescribeNoise(r.noise, th));
  out.push_back(DescribeCompression(r.compression, th));
  out.push_back(DescribeHalos(r.oversharpening));
  out.push_back(DescribeNativeScale(r.resolution, r.input, th));
  out.push_back(DescribeMotionBlur(r.motion_blur));
  return out;
}

}  // namespace acuity

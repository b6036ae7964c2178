#include "analysis/advice/wild_readings.h"

#include <fmt/format.h>

namespace acuity {
namespace {

// Brightness ranges in plain words, by the bin's middle level (8-bit units).
constexpr double kShadowsBelow = 85.0;
constexpr double kHighlightsFrom = 170.0;

const char* RangeWord(const NoiseLevelBin& bin) {
  const double middle = (bin.level_from_8bit + bin.level_to_8bit) / 2;
  return middle < kShadowsBelow ? "shadows" : middle < kHighlightsFrom ? "mid-tones" : "highlights";
}

}  // namespace

NoiseToActOn NoiseToActOn::From(const NoiseResult& noise) {
  NoiseToActOn n;
  if (!noise.sigma) return n;
  n.sigma_8bit = n.global_sigma_8bit = *noise.sigma;
  for (const NoiseLevelBin& bin : noise.level_function) {
    if (!bin.sigma || *bin.sigma < kNoiseHotspotRatio * n.global_sigma_8bit || *bin.sigma <= n.sigma_8bit) continue;
    n.sigma_8bit = *bin.sigma;
    n.where = RangeWord(bin);
  }
  return n;
}

std::string NoiseToActOn::Describe() const {
  if (where.empty()) return fmt::format("{:.1f}", sigma_8bit);
  return fmt::format("{:.1f} in the {} ({:.1f} overall)", sigma_8bit, where, global_sigma_8bit);
}

std::string MotionBlurNotFoundReason(const MotionBlurResult& m) {
  if (!m.detected || *m.detected || !m.score) return "";
  // The spectrum voted for a smear, the edges across it did not.
  if (m.edge_softness_px && *m.edge_softness_px < kMotionBlurMinEdgeSoftnessPx)
    return fmt::format("looks like a smear in the spectrum, but the edges across it are sharp steps (σ {:.2f} px, a smear needs ≥ "
                       "{:.1f}): flat shapes, not movement",
                       *m.edge_softness_px, kMotionBlurMinEdgeSoftnessPx);
  if (m.unwitnessed.value_or(false))
    return "looks like a smear in the spectrum, but too few edges cross it to show one, and it comes from one "
           "part of the picture only: a small shape's width on a plain ground, not movement";
  if (*m.score < kMotionBlurFalloffVoteScore)
    return fmt::format("below the detection score {:.0f}", kMotionBlurDetectScore);
  // Said only of a dip deep enough to have voted: a shallow one is no smear at all.
  if (m.under_min_length.value_or(false))
    return fmt::format("its deepest point lies under the {:.0f} px whose length this can read: a smear that short, "
                       "or the edge of a small shape, not a length to report",
                       kMotionBlurMinLengthPx);
  if (m.shorter_than_native_pixels.value_or(false))
    return fmt::format("the picture was enlarged, and the dip is shorter than {:.0f} of its native pixels: the "
                       "enlargement's own interpolation, not movement",
                       kMotionBlurMinLengthPx);
  if (m.falloff_ratio && *m.falloff_ratio >= kMotionBlurNeverSmearFalloffRatio)
    return fmt::format("the detail along it is as sharp as across it (falloff ratio {:.2f}; a smear loses it "
                       "along its direction, under {:.1f}): the content's own lines, not movement",
                       *m.falloff_ratio, kMotionBlurNeverSmearFalloffRatio);
  if (m.echo_of_shorter_smear.value_or(false))
    return fmt::format("an echo of one at half its length: a smear shorter than the {:.0f} px "
                       "whose length this can read",
                       kMotionBlurMinLengthPx);
  if (*m.score < kMotionBlurDetectScore) {
    if (!m.falloff_ratio || *m.falloff_ratio > kMotionBlurMaxFalloffRatio)
      return fmt::format("below the detection score {:.0f}, and the detail along it does not fall off as a smear's "
                         "does (falloff ratio {}, needs ≤ {:.1f})",
                         kMotionBlurDetectScore,
                         m.falloff_ratio ? fmt::format("{:.2f}", *m.falloff_ratio) : std::string("not measured"),
                         kMotionBlurMaxFalloffRatio);
    return fmt::format("below the detection score {:.0f}, and a falloff like a smear's but no echo at twice its "
                       "length (echo {:.1f}, needs {:.1f})",
                       kMotionBlurDetectScore, m.echo_score.value_or(0), kMotionBlurFalloffVoteMinEcho);
  }
  return fmt::format("deep enough, but no echo at twice its length (echo {:.1f}, needs {:.1f}): a repeating "
                     "pattern, not a smear",
                     m.echo_score.value_or(0), kMotionBlurMinEchoScore);
}

std::optional<Warning> MotionBlurWarning(const MotionBlurResult& m) {
  if (!m.detected.value_or(false) || !m.length_px || !m.angle_deg) return std::nullopt;
  return Warning{"motion_blur",
                 fmt::format("motion blur of about {:.0f} px at {:.0f}°: upscaling enlarges the smear and "
                             "sharpening cannot undo it (it steepens the streaks and adds halos)",
                             *m.length_px, *m.angle_deg)};
}

}  // namespace acuity

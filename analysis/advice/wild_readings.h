// What the advice makes of the wild-photo readings (issue #17), written once
// for the advisor, the plain-words verdicts and QA: where the noise is (the
// noise level function's noisiest brightness range) and whether motion blur
// calls for a warning.
//
//   acuity::NoiseToActOn noise = acuity::NoiseToActOn::From(report.noise);
//   if (noise.sigma_8bit > 5) Denoise(noise.sigma_8bit, "noise σ " + noise.Describe());
//   if (std::optional<acuity::Warning> w = acuity::MotionBlurWarning(report.motion_blur)) warnings.push_back(*w);
#ifndef ACUITY_ANALYSIS_ADVICE_WILD_READINGS_H_
#define ACUITY_ANALYSIS_ADVICE_WILD_READINGS_H_

#include <optional>
#include <string>

#include "analysis/measurements/motion_blur.h"
#include "analysis/measurements/noise.h"
#include "analysis/measurements/noise_levels.h"
#include "analysis/measurements/warning.h"

namespace acuity {

// kNoiseHotspotRatio (noise_levels.h): a brightness range whose noise σ
// exceeds the global σ by this factor is where the noise is: the advice acts
// on its σ and names it.

// The noise σ the advice acts on: the global σ (NoiseResult::sigma), or the σ
// of the noisiest measured brightness bin when that is kNoiseHotspotRatio×
// the global σ or more (noise concentrated in the shadows or highlights,
// which the global σ averages away).
struct NoiseToActOn {
  double sigma_8bit = 0;          // 0 when noise was not measured
  double global_sigma_8bit = 0;   // NoiseResult::sigma
  std::string where;              // "" (everywhere), "shadows", "mid-tones" or "highlights"

  static NoiseToActOn From(const NoiseResult& noise);
  // "5.2" or "7.9 in the shadows (5.2 overall)", σ in 8-bit units.
  std::string Describe() const;
};

// Why no motion blur was reported, in plain words (the text output and the
// verdict show it): "below the detection score 12" (under 6); between 6
// and 12, why the second vote (motion_blur.h) did not carry it either — the
// falloff ratio above 0.1, or a negative echo; or, when the dip is deep
// enough but its echo is missing, "deep enough, but no echo at twice its
// length (echo 0.2, needs 0.5): a repeating pattern, not a smear". "" when
// motion blur was detected or not measured.
std::string MotionBlurNotFoundReason(const MotionBlurResult& motion_blur);

// The `motion_blur` warning when motion blur was detected: upscaling and
// sharpening will not undo it.
std::optional<Warning> MotionBlurWarning(const MotionBlurResult& motion_blur);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_ADVICE_WILD_READINGS_H_

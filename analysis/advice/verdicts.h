// The measurements of an image in plain words, for people: one row per
// measurement with a level (good / fair / poor / not measured), the figure
// with its unit, and a sentence ("sharp: fine detail is crisp"). Every front
// end (the text output, the HTML report, the viewer) shows these rows, so the
// words are written once, here.
//
// The levels and words follow the advisor's decisions (AdviceDecisions,
// advisor.h), not thresholds beside them: every boundary comes from the
// AdvisorThresholds that Advise() uses, and the words say what the plan
// does. A "good" sharpness means no sharpen step for softness and a worse
// one a sharpen, or the reason there is none (over-sharpened, downscaled,
// an upscale model that sharpens, a motion smear); noise is "poor" exactly
// when the advisor denoises or its upscale model repairs the noise,
// compression exactly when it deblocks or the model repairs the blocking
// (the words then name the model, never "deblock first"); native scale is
// "good" exactly when there is no already_upscaled warning; the size for
// the target is worse than "good" when the plan upscales, or when an image
// with that warning has the pixels but not the detail the target shows.
// A figure that was not measured gives a kNotMeasured row, never a 0.
//
//   acuity::AnalysisReport report = acuity::Analyze(image);
//   for (const acuity::PlainVerdict& v : acuity::DescribeMeasurements(report)) {
//     std::cout << v.title << ": " << acuity::VerdictLevelWord(v.level) << " — " << v.words
//               << " (" << v.value << ")\n";
//   }
//   // Sharpness: fair — soft: a sharpen helps, upscaling alone will not (blur σ 1.42 ± 0.06 px)
#ifndef ACUITY_ANALYSIS_ADVICE_VERDICTS_H_
#define ACUITY_ANALYSIS_ADVICE_VERDICTS_H_

#include <string>
#include <vector>

#include "analysis/advice/advisor.h"
#include "analysis/measurements/analyze.h"

namespace acuity {

enum class VerdictLevel { kGood, kFair, kPoor, kNotMeasured };

// "good", "fair", "poor" or "not measured".
const char* VerdictLevelWord(VerdictLevel level);

// One measurement in plain words.
struct PlainVerdict {
  // Stable machine key, one per row and never renamed: "resolution" (size
  // for the target; only when the report has a target), "sharpness",
  // "noise", "compression", "dither" (a picture of at most
  // kDitherMaxColours colours, dither.h), "halos", "native_scale", "motion_blur", and
  // "faces", "text" when they were looked for.
  std::string key;
  std::string title;  // for people: "Sharpness"
  std::string value;  // the figure with its unit: "blur σ 1.42 ± 0.06 px"; "not measured" when missing
  std::string words;  // what it means: "soft: a sharpen helps, upscaling alone will not"
  VerdictLevel level = VerdictLevel::kNotMeasured;
};

// The rows, in the order above: "resolution" when the report has a target,
// then always "sharpness", "noise", "compression", ("dither"), "halos",
// "native_scale" and "motion_blur" (kNotMeasured when the figure is missing). The boundaries:
//   resolution   good when required_scale ≤ upscale_above_scale (no upscale),
//                fair up to max_pass_scale (one AI pass), poor beyond; for
//                an image enlarged before (already_upscaled), the detail
//                the target needs (required_scale / native_scale) grades
//                it too: fair or poor when it lacks detail though its
//                pixels suffice, poor beyond max_pass_scale
//   sharpness    good when blur σ ≤ sharpen_above_blur_px (no sharpen),
//                fair up to severe_blur_above_px, poor beyond (severe_blur);
//                a reading within its uncertainty of either threshold
//                (BlurToActOn::Against, blur_reading.h) says "borderline"
//                and takes the side the plan takes (good at the sharpen
//                threshold, fair at the severe one: borderline_blur).
//                With motion blur that smears more than the blur σ explains,
//                the smear's σ (length/√12): fair, poor above
//                severe_blur_above_px, and no sharpen (motion_blur)
//   noise        good up to half of denoise_above_sigma_8bit, fair up to
//                denoise_above_sigma_8bit, poor above (the advisor denoises);
//                the σ is that of the noisiest brightness range when it is
//                well above the global σ (NoiseToActOn, wild_readings.h)
//   compression  good at quality ≥ web_jpeg_quality or no sign of JPEG, fair
//                down to deblock_below_quality, poor below (the advisor deblocks);
//                fair when no quality was read but blockiness ≥
//                kVisibleBlockiness (compression.h): never 'no sign of JPEG';
//                not measured for a lossy WebP, HEIF or AVIF file without
//                a JPEG quality read (UnreadLossyCodec, compression.h)
//   dither       only for a picture of at most kDitherMaxColours colours
//                (dither.h): good when none is found, fair for error
//                diffusion's fine dots, poor for coarse ones (pattern σ ≥ 20:
//                ordered, two-level); the plan undithers both
//   halos        good when no over-sharpening is detected, poor when it is
//   native_scale good at ≥ upscaled_below_native_scale, fair below it down
//                to 0.5 (upscaled up to 2×), poor below (already_upscaled)
//   motion_blur  good when none is found, poor when it is (the motion_blur warning)
//   faces, text  only when they were looked for (AnalyzeOptions::find_content):
//                poor exactly when the plan upscales faces narrower / text
//                with an x-height smaller than its model's calibrated limit
//                (small_face / small_text, content_advice.h), else good
// `decisions`: Decide(report, thresholds, model).decisions, when the plan
// was made for a chosen model; the other overload decides with the
// advisor's own model choice, as `acuity advise` does.
std::vector<PlainVerdict> DescribeMeasurements(const AnalysisReport& report, const AdviceDecisions& decisions,
                                               const AdvisorThresholds& thresholds = {});
std::vector<PlainVerdict> DescribeMeasurements(const AnalysisReport& report,
                                               const AdvisorThresholds& thresholds = {});

// Why a plan with no step leaves the image as it is, after "leave it as it
// is: ": "nothing measured calls for a change" — naming what `r` could not
// measure (a 64×48 image has no blur or motion reading), since that is no
// evidence either way —, or, when the plan warns (a motion smear, severe
// blur), that no step would undo what the warnings say.
std::string LeaveAsIsWords(const Plan& plan, const AnalysisReport& r);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_ADVICE_VERDICTS_H_

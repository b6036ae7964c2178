// The advisor: turns measurements and a target into an ordered, explained
// plan — repair first (undither, deblock, denoise), then upscale to cover the target
// (≤ 4× per AI pass, esrgan-thick its own ×8 for ×5–×8; fractional factors
// go to the next integer and come back down with area averaging), downscale
// when far larger than needed, sharpen last and lightly, then encode for the
// destination — with warnings about what upscaling cannot do.
//
//   acuity::AnalysisReport report = acuity::Analyze(image, {.target = spec});
//   acuity::Plan plan = acuity::Advise(report);
//   for (const auto& step : plan.steps) std::cout << acuity::StepText(step) << ": " << step.reason << "\n";
//   acuity::Advice advice = acuity::Decide(report);  // the same plan, with the decisions behind it
//   if (advice.decisions.deblock == acuity::AdviceDecisions::Repair::kByModel) Say(advice.decisions.repair_model);
//
// A deblock step names a quality only when it was estimated from the pixels;
// with the file's own tables it names none, so that the pipeline repairs
// with those tables (plan_ops.h, enhance/pipeline.h).
#ifndef ACUITY_ANALYSIS_ADVICE_ADVISOR_H_
#define ACUITY_ANALYSIS_ADVICE_ADVISOR_H_

#include <optional>
#include <string>

#include "analysis/measurements/analyze.h"
#include "analysis/measurements/oversharpening.h"
#include "analysis/advice/blur_reading.h"
#include "analysis/advice/content_advice.h"
#include "analysis/advice/plan.h"
#include "analysis/advice/sr_choice.h"  // SplitIntoPasses

namespace acuity {

// The thresholds the rules use; every one is a measured quantity with a unit.
// Defaults are those the order-ablation benchmark (datasets/) supports.
struct AdvisorThresholds {
  double deblock_below_quality = 50;      // JPEG quality (IJG) under which to deblock
  double heavy_jpeg_below_quality = 30;   // ... and warn about heavy damage
  double denoise_above_sigma_8bit = 5.0;  // noise σ (8-bit units) above which to denoise
  // σ given to the denoiser, as a fraction of the measured σ: full strength
  // when the size stays, gentler before an upscale, where every pixel is
  // detail and the model smooths what is left (datasets/ABLATION.md).
  double denoise_strength = 1.0;
  double denoise_strength_before_upscale = 0.7;
  double upscale_above_scale = 1.02;      // required_scale above which to upscale
  double downscale_below_scale = 0.5;     // print targets: downscale when this much too big
  double sharpen_above_blur_px = 1.2;     // blur σ (px) above which to sharpen
  double severe_blur_above_px = 3.0;      // blur σ (px) that upscaling will not undo
  double upscaled_below_native_scale = 0.75;  // native_scale under which the image was upscaled
  double max_pass_scale = kMaxSinglePassScale;  // most an AI pass enlarges by
  // Sharpening amounts (1.0 = 100 %), set by the order ablation
  // (datasets/ABLATION.md): against the ground truth, the halo-guarded
  // unsharp mask scores best well above the 30–50 % retouchers use.
  double soft_sharpen_amount = 1.2;       // image softer than sharpen_above_blur_px
  double upscaled_sharpen_amount = 0.8;   // sharp image after an AI upscale
  // After denoising noise σ above this (8-bit units), either amount above
  // is scaled by this/σ: the noise the denoiser leaves behind grows with σ,
  // and sharpening amplifies it (datasets/README.md, order ablation).
  double sharpen_after_denoise_full_below_sigma_8bit = 8.0;
  // Light halos: a halo score (oversharpening.h) between this and the
  // over-sharpening line (kOversharpenedHaloScore, 10), where clean photos
  // and sharpened ones overlap — the scikit-image photos read 0–8.6 clean
  // (all but one ≤ 8), an unsharp mask of 100 % at 1.5 px 8.3–12, chelsea's
  // fur masked at 150–300 % 8.0–9.5. A sharpen step's amount falls
  // linearly from full here to none at the line (SharpenShareForHalos), so
  // that a reading either side of the line does not flip the plan from a
  // full sharpen to none.
  double full_sharpen_below_halo_score = 8.0;
  double web_jpeg_quality = 80;           // encode quality for web / marketplace targets

  // The one reading of "already upscaled" (the warning, the sharpness and
  // native-scale verdicts): a native scale under upscaled_below_native_scale.
  bool AlreadyUpscaled(std::optional<double> native_scale) const {
    return native_scale && *native_scale < upscaled_below_native_scale;
  }
  // The share of a sharpen step's amount that an image's halos leave: 1
  // up to full_sharpen_below_halo_score (or unread), 0 from the line.
  double SharpenShareForHalos(std::optional<double> halo_score) const;
  // Light halos: a halo score under the line that leaves a sharpen less
  // than its whole amount.
  bool LightHalos(std::optional<double> halo_score) const {
    return halo_score && *halo_score < kOversharpenedHaloScore && SharpenShareForHalos(halo_score) < 1.0;
  }
};

// What the advisor decided about each repair and about sharpening, and why:
// the plan's steps follow it and so do the plain-words verdicts (verdicts.h),
// so that the words beside a reading never contradict the plan.
struct AdviceDecisions {
  enum class Repair {
    kNotNeeded,  // the reading is within the threshold
    kStep,       // a deblock / denoise step
    kByModel,    // needed, but the upscale model (repair_model) repairs it itself
  };
  Repair deblock = Repair::kNotNeeded;
  Repair denoise = Repair::kNotNeeded;
  // A dither's dots (dither.h): an undither step (kStep) or none; no model
  // repairs them.
  Repair undither = Repair::kNotNeeded;
  std::string repair_model;  // the upscale model that repairs (kByModel), else ""

  enum class Sharpen {
    kNotNeeded,           // blur σ within sharpen_above_blur_px (or borderline) and no enlargement
    kSoft,                // a sharpen step for softness
    kAfterUpscale,        // a sharpen step after an AI upscale of a sharp image
    kNotOversharpened,    // would sharpen, but the image is over-sharpened already
    kNotLightHalos,       // would sharpen, but its light halos, near the line, leave under kMinSharpenAmount
    kNotMotionBlur,       // would sharpen, but a smear is steepened, not undone
    kNotModelSharpens,    // after the upscale model (sharpening_model), which repairs the input itself, a
                          // sharpen lost fidelity on damaged photos: the softness stays
    kNotDownscaled,       // soft, but the plan downscales, which hides softness
    // soft, but acuity sharpened it after enlarging it when it made the file
    // (ImageInfo::acuity_record), and the plan does not enlarge it again
    kNotSharpenedAgain,
  };
  Sharpen sharpen = Sharpen::kNotNeeded;
  // The share of the usual amount the sharpen step has for the image's
  // light halos (AdvisorThresholds::SharpenShareForHalos); 1 without them.
  double sharpen_halo_share = 1.0;
  std::string sharpening_model;  // kNotModelSharpens: the model
  BlurToActOn blur;              // the readings the sharpen decision read

  // The plan enlarges pixel art by repeating its squares (pixel_art_advice.h)
  // in place of an upscale: their side, px; unset otherwise.
  std::optional<int> repeated_squares_px;

  // Faces and text lines under the upscale model's calibrated limits
  // (content_advice.h): set only when the plan upscales them (the
  // small_face / small_text warnings).
  std::optional<SmallContent> small_faces;
  std::optional<SmallContent> small_text;
  // The plan upscales and the face search covered faces only from this
  // width, px, above the model's limit (a very large photo is searched on a
  // reduced copy: faces.h): narrower faces were not looked for
  // (faces_not_searched warning). Unset otherwise.
  std::optional<SmallContent> faces_not_searched;

  // The plan's upscale model repairs noise itself and the picture has
  // noise-only flats (noise.h NoiseResult::noisy_flat_pct, at least
  // kPaintedFlatMinAreaPct): the model smooths them to grainless plateaus,
  // which QA reports as painted_flat_pct (the painted_flats warning, and
  // the noise verdict's words). Unset otherwise.
  struct PaintedFlats {
    double area_pct = 0;  // noise.noisy_flat_pct, % of the picture
    std::string model;    // the upscale model that paints them
  };
  std::optional<PaintedFlats> painted_flats;
};

// A plan with the decisions behind it.
struct Advice {
  Plan plan;
  AdviceDecisions decisions;
};

// Whether a plan for a picture whose target is `fit` enlarges it with an AI
// upscale (the target needs more than thresholds.upscale_above_scale).
// FitTarget's reading before any analysis says the same as the analysis's:
// a caller may start the upscale's device (enhance/device.h) beside it.
bool TargetNeedsUpscale(const TargetFit& fit, const AdvisorThresholds& thresholds = {});

// `chosen_model`: the upscale model the user chose (--model: a built-in name
// or a TorchScript FILE.pt); "" lets the advisor choose (ChooseSrModel). The
// rest of the plan follows the model: no deblock/denoise before one that
// repairs itself, no sharpen after one that sharpens itself (sr_choice.h).
// The model the advisor chooses is priced on report.upscale_device.
Plan Advise(const AnalysisReport& report, const AdvisorThresholds& thresholds = {},
            const std::string& chosen_model = "");

// Advise's plan together with its decisions (the same computation).
Advice Decide(const AnalysisReport& report, const AdvisorThresholds& thresholds = {},
              const std::string& chosen_model = "");


}  // namespace acuity

#endif  // ACUITY_ANALYSIS_ADVICE_ADVISOR_H_

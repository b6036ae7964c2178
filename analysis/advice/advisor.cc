#include "analysis/advice/advisor.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <string>
#include <variant>

#include <fmt/format.h>

#include "analysis/advice/encode_advice.h"
#include "analysis/advice/pixel_art_advice.h"
#include "analysis/advice/sr_choice.h"
#include "analysis/advice/undither_advice.h"
#include "analysis/advice/wild_readings.h"
#include "analysis/measurements/image_ops.h"
#include "analysis/measurements/noise_levels.h"
#include "analysis/measurements/qa_measures.h"
#include "analysis/io/animation.h"

namespace acuity {
namespace {

std::string Px(int w, int h) { return fmt::format("{}×{} px", w, h); }

double SharpenRadiusPx(double blur_sigma_px, double enlargement) {
  // Match the unsharp mask to the width of the softness after the resize
  // (σ·enlargement output px, also when a downscale narrows it).
  return std::clamp(0.7 * blur_sigma_px * enlargement, 0.8, 3.0);
}

// The sharpening amount, lowered after denoising strong noise σ (8-bit).
double SharpenAmount(double amount, bool denoised, double noise_sigma, const AdvisorThresholds& t) {
  if (!denoised || noise_sigma <= t.sharpen_after_denoise_full_below_sigma_8bit) return amount;
  return std::round(amount * t.sharpen_after_denoise_full_below_sigma_8bit / noise_sigma * 100) / 100;
}

std::string LessAfterDenoise(double amount, double base) {
  return amount < base ? ", less after denoising strong noise, which sharpening would bring back" : "";
}

// A sharpen step's amount under this (10 %) is not worth a step.
constexpr double kMinSharpenAmount = 0.1;

// ", N % of the usual M % for its light halos: …" when `share` < 1.
std::string LessForHalos(double share, double usual_amount, std::optional<double> halo_score) {
  if (share >= 1.0 || !halo_score) return "";
  return fmt::format(", {:.0f} % of the usual {:.0f} % for its light halos: halo score {:.1f}, over-sharpened "
                     "from {:.0f}",
                     share * 100, usual_amount * 100, *halo_score, kOversharpenedHaloScore);
}

// 1a. Deblock below the quality threshold (unless `model_repairs`: the
// upscale model removes the blocking itself). With the file's own tables the
// step names no quality, so that the pipeline repairs with those tables
// (exact for camera and editor JPEGs whose tables are not IJG's) instead of
// IJG tables of the equivalent quality.
AdviceDecisions::Repair AddDeblock(const AnalysisReport& r, const AdvisorThresholds& t, bool model_repairs,
                                   Plan& plan) {
  const std::optional<double> quality = r.compression.jpeg_quality_estimate;
  if (!quality || *quality >= t.deblock_below_quality) return AdviceDecisions::Repair::kNotNeeded;
  if (*quality < t.heavy_jpeg_below_quality)
    plan.warnings.push_back({"heavy_jpeg", fmt::format("heavy JPEG damage (quality {:.0f}): detail lost to "
                                                       "compression cannot be restored, only smoothed over",
                                                       *quality)});
  if (model_repairs) return AdviceDecisions::Repair::kByModel;
  DeblockStep step;
  if (r.compression.quality_source != "quant_tables") step.quality = int(std::lround(*quality));
  step.strength = std::clamp((t.deblock_below_quality - *quality) / 40.0 + 0.25, 0.25, 1.0);
  plan.steps.push_back({step, fmt::format("JPEG quality {:.0f} < {:.0f} ({}): remove the blocking first, or every "
                                          "later step enlarges and sharpens the 8×8 grid",
                                          *quality, t.deblock_below_quality, r.compression.quality_source)});
  return AdviceDecisions::Repair::kStep;
}

// 1b. Denoise above the noise threshold, never before a model that repairs
// itself (`model_repairs`).
// The noise acted on is where it is strongest (wild_readings.h): the σ of
// the shadows when they are much noisier than the image as a whole. The
// reason is written once the plan is whole (SayWhyDenoise).
AdviceDecisions::Repair AddDenoise(const AnalysisReport& r, const AdvisorThresholds& t, bool will_upscale,
                                   bool model_repairs, Plan& plan) {
  const double noise = NoiseToActOn::From(r.noise).sigma_8bit;
  if (noise <= t.denoise_above_sigma_8bit) return AdviceDecisions::Repair::kNotNeeded;
  if (model_repairs) return AdviceDecisions::Repair::kByModel;
  const double strength = will_upscale ? t.denoise_strength_before_upscale : t.denoise_strength;
  DenoiseStep step;
  step.sigma = std::round(noise * strength * 10) / 10;
  plan.steps.push_back({step, ""});
  return AdviceDecisions::Repair::kStep;
}

// The denoise step's reason, naming the later steps that would enlarge the
// grain (an upscale, a sharpen), or none ("the grain shows") when it is
// the only step that acts on detail.
void SayWhyDenoise(const AnalysisReport& r, const AdvisorThresholds& t, bool will_upscale, Plan& plan) {
  auto denoise = std::find_if(plan.steps.begin(), plan.steps.end(),
                              [](const PlanStep& s) { return std::holds_alternative<DenoiseStep>(s.params); });
  if (denoise == plan.steps.end()) return;
  const std::string follows = LaterStepsThatEnlarge(plan, size_t(denoise - plan.steps.begin()));
  const double strength = will_upscale ? t.denoise_strength_before_upscale : t.denoise_strength;
  denoise->reason = fmt::format(
      "noise σ {} > {:.0f}: {}{}", NoiseToActOn::From(r.noise).Describe(), t.denoise_above_sigma_8bit,
      follows.empty() ? std::string("denoise, or the grain shows")
                      : fmt::format("denoise before {}, or it enlarges the grain", follows),
      strength < 1 ? fmt::format(" (at {:.0f} % strength: the model smooths the rest)", strength * 100) : "");
}

// Whether the input carries damage the plan repairs (noise or JPEG blocking).
bool Damaged(const AnalysisReport& r, const AdvisorThresholds& t) {
  const std::optional<double> quality = r.compression.jpeg_quality_estimate;
  return (quality && *quality < t.deblock_below_quality) ||
         NoiseToActOn::From(r.noise).sigma_8bit > t.denoise_above_sigma_8bit;
}

// Whether the plan enlarges with an AI upscale.
bool WillUpscale(const AnalysisReport& r, const AdvisorThresholds& t) {
  return r.target && TargetNeedsUpscale(*r.target, t) && !RepeatsPixels(r, t);
}

// The input's detail box (analyze.h) in the coordinates of what is upscaled:
// after a crop, only when the box lies inside what is kept and the kept
// part's corner is still the surround (else the network runs everywhere).
std::optional<cv::Rect> KeptDetail(const AnalysisReport& r) {
  if (!r.detail_box || !r.target) return std::nullopt;
  const TargetFit& t = *r.target;
  const cv::Rect kept = t.kept_rect();
  return DetailBoxAfterCrop(*r.detail_box, kept, cv::Size(t.input_width_px, t.input_height_px));
}

// The upscale's model and why: the user's (`chosen_model`), else the
// advisor's choice by the evidence (sr_choice.h). Only when WillUpscale.
SrChoice UpscaleChoice(const AnalysisReport& r, const AdvisorThresholds& t, const std::string& chosen_model) {
  SrChoice choice;
  if (!chosen_model.empty()) {
    choice.model = chosen_model;
    choice.reason = "the model you chose";
  } else {
    const std::vector<int> passes = SplitIntoPasses(r.target->required_scale, t.max_pass_scale);
    const cv::Size kept(r.target->kept_width_px, r.target->kept_height_px);  // what is upscaled
    choice = ChooseSrModel(kept, passes, Damaged(r, t), r.upscale_device, KeptDetail(r));
  }
  if (RepairsItself(choice.model) && Damaged(r, t))
    choice.reason += "; no deblock or denoise before it: it removes noise and JPEG blocking itself, and repairing "
                     "first lowered PSNR-Y by 0.31 dB on average (models/RESULTS.md, \"Damaged photos\")";
  return choice;
}

// 2a. Crop to the target's aspect first when the fit cuts (target_fit.h),
// so that no pixel that is cut is upscaled.
void AddCrop(const TargetFit& fit, Plan& plan) {
  if (!fit.cropped()) return;
  CropStep step;
  step.width_px = fit.kept_width_px;
  step.height_px = fit.kept_height_px;
  step.x_px = fit.kept_x_px;
  step.y_px = fit.kept_y_px;
  plan.steps.push_back({step, fit.fit_reason});
}

// A downscale (area) or resize (Lanczos, a few % up) from what the steps so
// far made to the exact size the kept part becomes.
void AddExactSize(const TargetFit& fit, cv::Size now, const std::string& why, Plan& plan) {
  const int w = fit.scaled_width_px, h = fit.scaled_height_px;
  if (now.width == w && now.height == h) return;
  if (w <= now.width && h <= now.height) {
    DownscaleStep step;
    step.factor = std::round(std::max(double(w) / now.width, double(h) / now.height) * 10000) / 10000;
    step.width_px = w;
    step.height_px = h;
    plan.steps.push_back({step, why});
    return;
  }
  ResizeStep step;
  step.width_px = w;
  step.height_px = h;
  plan.steps.push_back({step, why});
}

// 2b. AI passes of at most max_pass_scale each with `choice`'s model, then
// back down to the exact size.
void AddUpscale(const AnalysisReport& r, const AdvisorThresholds& t, const SrChoice& choice, Plan& plan) {
  const TargetFit& fit = *r.target;
  const double scale = fit.required_scale;
  const int w = fit.kept_width_px, h = fit.kept_height_px;
  const std::string& model = choice.model;
  // One step per pass the model runs (a ×8 of thick is its ×8 model): each
  // step runs as the time estimate that chose the model counted it.
  const std::vector<int> passes = ModelPasses(SplitIntoPasses(scale, t.max_pass_scale), model);
  const int product = std::accumulate(passes.begin(), passes.end(), 1, std::multiplies<int>());
  const std::string what = fit.cropped() ? "the part kept" : "the image";
  for (size_t i = 0; i < passes.size(); ++i) {
    std::string why =
        i == 0 ? fmt::format("the target needs {} and {} has {}: {:.2f}× more pixels",
                             Px(fit.scaled_width_px, fit.scaled_height_px), what, Px(w, h), scale)
               : fmt::format("AI pass {} of {}: one pass enlarges at most {:.0f}×", i + 1, passes.size(),
                             t.max_pass_scale);
    if (i == 0 && passes.size() > 1)
      why += fmt::format(", in {} passes of at most {:.0f}× each", passes.size(), t.max_pass_scale);
    if (passes[i] > t.max_pass_scale)
      why += fmt::format(", in one pass of the model's own ×{} (better than two for it: models/RESULTS.md, \"×8\")",
                         passes[i]);
    if (i == 0) why += fmt::format("; {}: {}", model, choice.reason);
    UpscaleStep step;
    step.factor = passes[i];
    step.model = model;
    plan.steps.push_back({step, why});
  }
  const std::string target_px = Px(fit.scaled_width_px, fit.scaled_height_px);
  const bool whole = std::abs(scale - std::round(scale)) < 1e-4;
  std::string down;
  if (product <= scale * 1.0001)
    down = fmt::format("{}× gives {}: average down to exactly {}", product, Px(w * product, h * product), target_px);
  else if (passes.size() == 1 && passes[0] > t.max_pass_scale)
    down = fmt::format("{}× runs best as {}'s own ×{} in one pass: upscale {}× then average down to {}",
                       whole ? fmt::format("{:.0f}", scale) : fmt::format("{:.2f}", scale), model, passes[0], product,
                       target_px);
  else if (!whole)
    down = fmt::format("{:.2f}× is not a whole factor: upscale {}× then average down to {}", scale, product, target_px);
  else
    down = fmt::format("{:.0f}× is no product of passes of at most {:.0f}×: upscale {}× then average down to {}",
                       scale, t.max_pass_scale, product, target_px);
  AddExactSize(fit, cv::Size(w * product, h * product), down, plan);
}

// 2. Size: crop to the target's aspect when the fit cuts, then upscale what
// is kept, or come down, to exactly the size it becomes (the target's,
// inside it with pad and contain). Returns the enlargement (1 when the size
// stays). `upscale` is the model choice when WillUpscale. A pad comes after
// sharpening (AddCanvas).
double AddSize(const AnalysisReport& r, const AdvisorThresholds& t, const std::optional<SrChoice>& upscale,
               Plan& plan) {
  if (!r.target) return 1.0;
  const TargetFit& fit = *r.target;
  const double scale = fit.required_scale;
  AddCrop(fit, plan);
  if (upscale) {
    AddUpscale(r, t, *upscale, plan);
    return scale;
  }
  if (RepeatsPixels(r, t)) {
    AddRepeatPixels(r, plan);
    return 1.0;  // nothing to sharpen: the squares stay as sharp as they were
  }
  const cv::Size kept(fit.kept_width_px, fit.kept_height_px);
  const std::string target = Px(fit.scaled_width_px, fit.scaled_height_px);
  if (scale < 1.0 - 1e-9) {
    AddExactSize(fit, kept,
                 fmt::format("the image is {:.1f}× larger than the {} target needs: area-average down (it also "
                             "narrows noise and softness by that factor)",
                             1.0 / scale, target),
                 plan);
    return scale;
  }
  AddExactSize(fit, kept,
               fmt::format("{:.1f} % short of {}: too little for an AI pass; resample to the exact size",
                           (scale - 1) * 100, target),
               plan);
  return 1.0;
}

// 2c. Pad to the target's canvas when the fit pads (after sharpening, so
// the border gets no halo).
void AddCanvas(const AnalysisReport& r, Plan& plan) {
  if (!r.target || !r.target->padded()) return;
  const TargetFit& fit = *r.target;
  PadStep step;
  step.width_px = fit.output_width_px;
  step.height_px = fit.output_height_px;
  step.color = ColorHex(fit.pad_color);
  plan.steps.push_back({step, fit.fit_reason});
}

// Whether the resize by `enlargement` is a downscale.
bool Downscales(double enlargement) { return enlargement < 0.999; }

// The blur σ (input px) above which to sharpen: sharpen_above_blur_px, or
// after a downscale, which narrows a blur to σ·enlargement output px,
// sharpen_above_blur_px / enlargement.
double SoftAbovePx(const AdvisorThresholds& t, double enlargement) {
  return Downscales(enlargement) ? t.sharpen_above_blur_px / enlargement : t.sharpen_above_blur_px;
}

// What a sharpen would be for, from the blur σ reading (a reading within
// its uncertainty of sharpen_above_blur_px counts as sharp: blur_reading.h)
// and the enlargement. A downscale by `enlargement` < 1 shrinks the blur σ
// to σ·enlargement output px: kNotDownscaled only when that is no longer
// soft (a σ 3 px photo taken to 0.83× is still σ 2.5 px: kSoft).
AdviceDecisions::Sharpen WantedSharpen(const BlurToActOn& blur, const AdvisorThresholds& t, double enlargement) {
  using Sharpen = AdviceDecisions::Sharpen;
  if (blur.Against(t.sharpen_above_blur_px) == BlurToActOn::Side::kAbove)
    return blur.Against(SoftAbovePx(t, enlargement)) == BlurToActOn::Side::kAbove ? Sharpen::kSoft
                                                                                  : Sharpen::kNotDownscaled;
  return enlargement > 1.5 ? Sharpen::kAfterUpscale : Sharpen::kNotNeeded;
}

// The severe_blur warning above severe_blur_above_px, and borderline_blur
// where the blur σ reading is within its uncertainty of either threshold
// (blur_reading.h): the plan is the same on both sides of the threshold.
// A downscale moves the sharpen threshold (SoftAbovePx, as WantedSharpen).
void AddBlurWarnings(const BlurToActOn& blur, const AdvisorThresholds& t, AdviceDecisions::Sharpen sharpen,
                     double enlargement, Plan& plan) {
  // Softness that acuity's own enlargement left and its sharpen answered:
  // the sharpness verdict and already_upscaled say what it is.
  if (sharpen == AdviceDecisions::Sharpen::kNotSharpenedAgain) return;
  // A smear (the motion_blur warning says what it is and that sharpening
  // will not undo it): where the Gaussian reading lies against a sharpen
  // line changes nothing, and "the plan treats it as sharp" beside
  // "smeared by motion" told two stories (a walk's astronaut smeared 15 px
  // read σ 1.15 px).
  const bool smeared = sharpen == AdviceDecisions::Sharpen::kNotMotionBlur || blur.motion_length_px.has_value();
  const double sigma = blur.gaussian_sigma_px.value_or(0);
  switch (blur.Against(t.severe_blur_above_px)) {
    case BlurToActOn::Side::kAbove:
      plan.warnings.push_back(
          {"severe_blur", fmt::format("severe blur (σ {:.1f} px): upscaling will not undo it and sharpening "
                                      "only partly; expect a soft result",
                                      sigma)});
      return;
    case BlurToActOn::Side::kBorderline:
      if (smeared) return;
      plan.warnings.push_back(
          {"borderline_blur",
           fmt::format("{}, the blur that upscaling will not undo: borderline severe; the plan treats it as soft "
                       "(sharpening may only partly restore it)",
                       blur.BorderlineWords(t.severe_blur_above_px))});
      return;
    case BlurToActOn::Side::kBelow:
      break;
  }
  const double soft_at = SoftAbovePx(t, enlargement);
  if (!smeared && blur.Against(soft_at) == BlurToActOn::Side::kBorderline)
    plan.warnings.push_back(
        {"borderline_blur",
         fmt::format("{}, where a sharpen starts to help{}: borderline soft; the plan treats it as sharp{}",
                     blur.BorderlineWords(soft_at),
                     Downscales(enlargement) ? fmt::format(" once the {:.2f}× downscale narrows it", enlargement)
                                             : "",
                     sharpen == AdviceDecisions::Sharpen::kNotNeeded ||
                             sharpen == AdviceDecisions::Sharpen::kNotDownscaled
                         ? " and leaves it unsharpened"
                         : "")});
}

}  // namespace

double AdvisorThresholds::SharpenShareForHalos(std::optional<double> halo_score) const {
  if (!halo_score || *halo_score <= full_sharpen_below_halo_score) return 1.0;
  if (*halo_score >= kOversharpenedHaloScore || full_sharpen_below_halo_score >= kOversharpenedHaloScore) return 0.0;
  const double share =
      (kOversharpenedHaloScore - *halo_score) / (kOversharpenedHaloScore - full_sharpen_below_halo_score);
  return std::round(share * 100) / 100;  // in whole per cent, as the plan and the verdict say it
}

namespace {

// The edge overshoot beside the halo score in the oversharpened_input
// warning: its figure; not measured; or, where it rounds to 0 %, that the
// straight edges it reads show none — the halo score, which decides, reads
// the fine detail too (a 480-px web export sharpened at radius 0.8 px read
// score 10.6 beside "overshoot 0 % of edge contrast" on its 29 edges).
std::string OvershootWords(const OversharpeningResult& o) {
  if (!o.overshoot_pct) return "overshoot not measured: too few isolated straight edges";
  if (NoOvershootAtItsEdges(o))
    return fmt::format("read over its fine detail; its {} isolated straight edges show no overshoot",
                       o.edges_measured.value_or(0));
  return fmt::format("overshoot {} % of edge contrast", std::lround(*o.overshoot_pct));
}

// 3. Sharpen last, lightly; never an over-sharpened image, never a smear
// (motion blur: sharpening steepens the streaks, the motion_blur warning
// says so), and never after a Real-ESRGAN upscale, whose output is already
// crisp: sharpening it lost 0.7–1.2 dB PSNR-Y and added halos that QA fails
// (models/RESULTS.md, "Damaged photos", general+advised against general);
// less on an image with light halos, none where that leaves under
// kMinSharpenAmount. Sets d.sharpen and d.sharpen_halo_share.
void AddSharpen(const AnalysisReport& r, const AdvisorThresholds& t, double enlargement, bool denoised,
                bool sharp_upscale, AdviceDecisions& d, Plan& plan) {
  using Sharpen = AdviceDecisions::Sharpen;
  const BlurToActOn reading = BlurToActOn::From(r.sharpness, r.motion_blur);
  const double blur = reading.gaussian_sigma_px.value_or(0);
  // The noise the denoise step removes (NoiseToActOn: noise confined to the
  // shadows counts at its own σ), as the denoise and the model choice read
  // it; of it, the luma's share, which the denoise removes there and a
  // sharpen of the luma would bring back (noise in the colour alone, none).
  const double noise = NoiseToActOn::From(r.noise).sigma_8bit * LumaShareOfNoise(r.noise);
  Sharpen decision = WantedSharpen(reading, t, enlargement);
  const std::optional<double> halo_score = r.oversharpening.halo_score;
  const double share = t.SharpenShareForHalos(halo_score);
  const bool wants_step = decision == Sharpen::kSoft || decision == Sharpen::kAfterUpscale;
  if (r.oversharpening.detected.value_or(false)) {
    plan.warnings.push_back(
        {"oversharpened_input",
         fmt::format("the image is already over-sharpened (halo score {:.1f}; {}): no further sharpening; halos "
                     "cannot be fully removed",
                     r.oversharpening.halo_score.value_or(0), OvershootWords(r.oversharpening))});
    if (wants_step) decision = Sharpen::kNotOversharpened;
  } else if (wants_step && sharp_upscale) {
    decision = Sharpen::kNotModelSharpens;  // no step: the upscale's reason says why
  } else if (wants_step && reading.motion_sigma_px) {
    decision = Sharpen::kNotMotionBlur;  // no step: the motion_blur warning says why
  } else if (wants_step && share < 1.0 &&
             SharpenAmount(std::round((decision == Sharpen::kSoft ? t.soft_sharpen_amount : t.upscaled_sharpen_amount) *
                                      share * 100) / 100,
                           denoised, noise, t) < kMinSharpenAmount) {
    decision = Sharpen::kNotLightHalos;  // no step: the halos' verdict says why
  } else if (decision == Sharpen::kSoft && enlargement < kRecordedEnlargementMin && r.input.acuity_record &&
             r.input.acuity_record->sharpened && r.input.acuity_record->enlargement >= kRecordedEnlargementMin) {
    // Its softness is the enlargement's, which acuity's own sharpen already
    // answered: a second one only adds halos (the sharpness verdict says so).
    decision = Sharpen::kNotSharpenedAgain;
  } else if (decision == Sharpen::kSoft) {
    const double base = std::round(t.soft_sharpen_amount * share * 100) / 100;
    SharpenStep step;
    step.amount = SharpenAmount(base, denoised, noise, t);
    step.radius = std::round(SharpenRadiusPx(blur, enlargement) * 100) / 100;
    plan.steps.push_back(
        {step, fmt::format("blur σ {:.2f} px{} > {:.1f}: sharpen last ({:.0f} %, halo-guarded{}), after every "
                           "step that could enlarge halos or noise{}",
                           blur,
                           Downscales(enlargement) ? fmt::format(", {:.2f} px after the {:.2f}× downscale",
                                                                 blur * enlargement, enlargement)
                                                   : "",
                           t.sharpen_above_blur_px, step.amount * 100, LessAfterDenoise(step.amount, base),
                           LessForHalos(share, t.soft_sharpen_amount, halo_score))});
  } else if (decision == Sharpen::kAfterUpscale) {
    // The order ablation: an AI upscale of a sharp image is softer than the
    // true high-resolution photo; a guarded sharpen afterwards gains
    // 0.2–1.1 dB PSNR-Y against it.
    const double base = std::round(t.upscaled_sharpen_amount * share * 100) / 100;
    SharpenStep step;
    step.amount = SharpenAmount(base, denoised, noise, t);
    step.radius = std::round(SharpenRadiusPx(0.75, enlargement) * 100) / 100;
    plan.steps.push_back(
        {step, fmt::format("a {:.1f}× upscale is softer than a real photo of that size: sharpen last ({:.0f} %, "
                           "halo-guarded{}{})",
                           enlargement, step.amount * 100, LessAfterDenoise(step.amount, base),
                           LessForHalos(share, t.upscaled_sharpen_amount, halo_score))});
  }
  AddBlurWarnings(reading, t, decision, enlargement, plan);
  d.sharpen = decision;
  d.sharpen_halo_share = decision == Sharpen::kSoft || decision == Sharpen::kAfterUpscale ? share : 1.0;
}

// 4. Warnings about what the pixels really hold.
void AddDetailWarnings(const AnalysisReport& r, const AdvisorThresholds& t, Plan& plan) {
  const int w = r.input.width, h = r.input.height;
  if (r.input.raw) {
    // What photographers' guides say: capture sharpening and noise reduction
    // belong in the RAW converter, on the sensor data, before any export.
    plan.warnings.push_back(
        {"raw_input", "a camera RAW: denoise and sharpen in your RAW editor first (Lightroom, darktable, "
                      "RawTherapee), export a 16-bit TIFF, and advise on that; this plan is for acuity's own "
                      "neutral rendering"});
  }
  if (std::optional<StoredImagesWords> several = SeveralStoredImages(r.input)) {
    plan.warnings.push_back(
        {std::string(several->warning_code),
         several->animation ? fmt::format("{}: the plan makes a still picture of its {}; acuity does not "
                                          "enhance animations frame by frame",
                                          several->whole, several->read)
                            : fmt::format("{}: the plan makes a picture of its {}; the other {}s are not read "
                                          "(save each {} as its own file)",
                                          several->whole, several->read, several->one, several->one)});
  }
  if (t.AlreadyUpscaled(r.resolution.native_scale)) {
    const double ns = *r.resolution.native_scale;
    plan.warnings.push_back(
        {"already_upscaled",
         fmt::format("the image looks already upscaled: its detail is that of about {} (native scale "
                     "{:.2f}), not {}",
                     Px(int(std::lround(w * ns)), int(std::lround(h * ns))), ns, Px(w, h))});
  }
  if (std::optional<Warning> motion = MotionBlurWarning(r.motion_blur)) plan.warnings.push_back(*motion);
  if (!r.target) return;
  for (const Warning& warning : r.target->warnings) plan.warnings.push_back(warning);
  const double from_native = r.target->required_scale / r.resolution.native_scale.value_or(1.0);
  // Repeating pixel art's squares invents nothing (RepeatsPixels).
  if (from_native > t.max_pass_scale && r.target->required_scale > t.upscale_above_scale && !RepeatsPixels(r, t)) {
    plan.warnings.push_back(
        {"invented_detail",
         fmt::format("the target needs {:.1f}× the detail the image really holds: fine detail (faces, "
                     "text, fabric) will be invented by the model, not recovered",
                     from_native)});
  }
}

// 4b. Faces and text the upscale will invent rather than recover: under
// the chosen model's calibrated limits (content_advice.h). Only when the
// plan upscales, and only what its crop keeps: a face that stays at its
// size, or is cut away, is not reinvented.
void AddContentWarnings(const AnalysisReport& r, const std::optional<SrChoice>& upscale, AdviceDecisions& d,
                        Plan& plan) {
  if (!upscale) return;
  const ContentLimits limits = ContentLimitsFor(upscale->model);
  const cv::Rect kept = r.target && r.target->cropped() ? r.target->kept_rect() : cv::Rect();
  d.small_faces = SmallFaces(r.faces, limits.face_width_px, upscale->model, kept);
  d.small_text = SmallText(r.text, limits.x_height_px, upscale->model, kept);
  d.faces_not_searched = FacesNotSearched(r.faces, limits.face_width_px, upscale->model);
  if (d.small_faces) plan.warnings.push_back(SmallFaceWarning(*d.small_faces));
  if (d.faces_not_searched) plan.warnings.push_back(FacesNotSearchedWarning(*d.faces_not_searched));
  if (d.small_text) plan.warnings.push_back(SmallTextWarning(*d.small_text));
}

// 4c. Real-ESRGAN's painted look, said before it runs: a model that
// repairs noise itself smooths the picture's noise-only flats (a night
// sky, a wall, skin in a high-ISO shot) to grainless plateaus, with the
// texture the noise hid — the area QA's painted_flat_pct reads of the same
// input (qa_measures.h NoisyFlatMask). QA warned on each of 26 noisy photos
// planned so (17–95 % of that area painted), and on none of 3 of them given
// esrgan-thick, after a denoise step at 70 % strength (docs/advice.md,
// datasets/painted_flats.py).
void AddPaintedFlatsWarning(const AnalysisReport& r, const AdvisorThresholds& t,
                            const std::optional<SrChoice>& upscale, AdviceDecisions& d, Plan& plan) {
  if (!upscale || !RepairsItself(upscale->model)) return;
  const std::optional<double> area = r.noise.noisy_flat_pct;
  if (!area || *area < kPaintedFlatMinAreaPct) return;
  d.painted_flats = AdviceDecisions::PaintedFlats{*area, upscale->model};
  plan.warnings.push_back(
      {"painted_flats",
       fmt::format("{} removes the noise itself, and with it the grain of the flat areas where the noise hides "
                   "any texture ({:.0f} % of the picture): they come out as smooth plateaus, a painted look that "
                   "QA reports as painted_flat_pct (a truly clear sky may be right to be smooth); --model "
                   "esrgan-thick keeps some grain (it repairs no noise: where the noise needs it, the plan "
                   "denoises first at {:.0f} % strength)",
                   upscale->model, *area, 100.0 * t.denoise_strength_before_upscale)});
}

}  // namespace

bool TargetNeedsUpscale(const TargetFit& fit, const AdvisorThresholds& t) {
  return fit.required_scale > t.upscale_above_scale;
}

Advice Decide(const AnalysisReport& r, const AdvisorThresholds& t, const std::string& chosen_model) {
  Advice advice;
  Plan& plan = advice.plan;
  AdviceDecisions& d = advice.decisions;
  const bool will_upscale = WillUpscale(r, t);
  std::optional<SrChoice> upscale;
  if (will_upscale) upscale = UpscaleChoice(r, t, chosen_model);
  const bool model_repairs = upscale && RepairsItself(upscale->model);
  if (AddUndither(r, plan)) d.undither = AdviceDecisions::Repair::kStep;
  if (RepeatsPixels(r, t)) d.repeated_squares_px = r.resolution.pixel_block_px;
  d.deblock = AddDeblock(r, t, model_repairs, plan);
  d.denoise = AddDenoise(r, t, will_upscale, model_repairs, plan);
  if (d.deblock == AdviceDecisions::Repair::kByModel || d.denoise == AdviceDecisions::Repair::kByModel)
    d.repair_model = upscale->model;
  const double enlargement = AddSize(r, t, upscale, plan);
  AddSharpen(r, t, enlargement, d.denoise == AdviceDecisions::Repair::kStep, upscale && SharpensItself(upscale->model),
             d, plan);
  if (d.sharpen == AdviceDecisions::Sharpen::kNotModelSharpens) d.sharpening_model = upscale->model;
  SayWhyDenoise(r, t, will_upscale, plan);
  SayWhyUndither(r, plan);
  d.blur = BlurToActOn::From(r.sharpness, r.motion_blur);
  AddCanvas(r, plan);
  AddDetailWarnings(r, t, plan);
  AddContentWarnings(r, upscale, d, plan);
  AddPaintedFlatsWarning(r, t, upscale, d, plan);
  TakenOut taken_out;
  taken_out.noise = d.denoise != AdviceDecisions::Repair::kNotNeeded;
  taken_out.dots = d.undither == AdviceDecisions::Repair::kStep;
  AddEncode(r, t, taken_out, plan);
  return advice;
}

Plan Advise(const AnalysisReport& r, const AdvisorThresholds& t, const std::string& chosen_model) {
  return Decide(r, t, chosen_model).plan;
}

}  // namespace acuity

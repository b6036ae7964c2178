#include "analysis/advice/advisor.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>

#include <fmt/format.h>

#include "analysis/advice/sr_choice.h"
#include "analysis/advice/wild_readings.h"

namespace acuity {
namespace {

std::string Px(int w, int h) { return fmt::format("{}×{} px", w, h); }

double SharpenRadiusPx(double blur_sigma_px, double enlargement) {
  // Match the unsharp mask to the width of the softness after enlargement.
  return std::clamp(0.7 * blur_sigma_px * std::max(1.0, enlargement), 0.8, 3.0);
}

// The sharpening amount, lowered after denoising strong noise σ (8-bit).
double SharpenAmount(double amount, bool denoised, double noise_sigma, const AdvisorThresholds& t) {
  if (!denoised || noise_sigma <= t.sharpen_after_denoise_full_below_sigma_8bit) return amount;
  return std::round(amount * t.sharpen_after_denoise_full_below_sigma_8bit / noise_sigma * 100) / 100;
}

std::string LessAfterDenoise(double amount, double base) {
  return amount < base ? ", less after denoising strong noise, which sharpening would bring back" : "";
}

// A downscale step by `factor` to the size `scale` × the input's.
DownscaleStep DownscaleTo(double factor, double scale, int w, int h) {
  DownscaleStep step;
  step.factor = std::round(factor * 10000) / 10000;
  step.width_px = int(std::lround(w * scale));
  step.height_px = int(std::lround(h * scale));
  return step;
}

// 1a. Deblock below the quality threshold (unless `model_repairs`: the
// upscale model removes the blocking itself). With the file's own tables the
// step names no quality, so that the pipeline repairs with those tables
// (exact for camera and editor JPEGs whose tables are not IJG's) instead of
// IJG tables of the equivalent quality.
void AddDeblock(const AnalysisReport& r, const AdvisorThresholds& t, bool model_repairs, Plan& plan) {
  const std::optional<double> quality = r.compression.jpeg_quality_estimate;
  if (!quality || *quality >= t.deblock_below_quality) return;
  if (*quality < t.heavy_jpeg_below_quality)
    plan.warnings.push_back({"heavy_jpeg", fmt::format("heavy JPEG damage (quality {:.0f}): detail lost to "
                                                       "compression cannot be restored, only smoothed over",
                                                       *quality)});
  if (model_repairs) return;
  DeblockStep step;
  if (r.compression.quality_source != "quant_tables") step.quality = int(std::lround(*quality));
  step.strength = std::clamp((t.deblock_below_quality - *quality) / 40.0 + 0.25, 0.25, 1.0);
  plan.steps.push_back({step, fmt::format("JPEG quality {:.0f} < {:.0f} ({}): remove the blocking first, or every "
                                          "later step enlarges and sharpens the 8×8 grid",
                                          *quality, t.deblock_below_quality, r.compression.quality_source)});
}

// 1b. Denoise above the noise threshold; true when it did.
// Never before a model that repairs itself (the caller's choice).
// The noise acted on is where it is strongest (wild_readings.h): the σ of
// the shadows when they are much noisier than the image as a whole.
bool AddDenoise(const AnalysisReport& r, const AdvisorThresholds& t, bool will_upscale, Plan& plan) {
  const NoiseToActOn acted_on = NoiseToActOn::From(r.noise);
  const double noise = acted_on.sigma_8bit;
  if (noise <= t.denoise_above_sigma_8bit) return false;
  const double strength = will_upscale ? t.denoise_strength_before_upscale : t.denoise_strength;
  DenoiseStep step;
  step.sigma = std::round(noise * strength * 10) / 10;
  plan.steps.push_back(
      {step, fmt::format("noise σ {} > {:.0f}: denoise before {}, or it enlarges the grain{}", acted_on.Describe(),
                         t.denoise_above_sigma_8bit, will_upscale ? "upscaling" : "sharpening",
                         strength < 1 ? fmt::format(" (at {:.0f} % strength: the model smooths the rest)", strength * 100)
                                      : "")});
  return true;
}

// Whether the input carries damage the plan repairs (noise or JPEG blocking).
bool Damaged(const AnalysisReport& r, const AdvisorThresholds& t) {
  const std::optional<double> quality = r.compression.jpeg_quality_estimate;
  return (quality && *quality < t.deblock_below_quality) || r.noise.sigma.value_or(0) > t.denoise_above_sigma_8bit;
}

// Whether the plan enlarges with an AI upscale.
bool WillUpscale(const AnalysisReport& r, const AdvisorThresholds& t) {
  return r.target && r.target->required_scale > t.upscale_above_scale;
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
    choice = ChooseSrModel(cv::Size(r.input.width, r.input.height), passes, Damaged(r, t));
  }
  if (RepairsItself(choice.model) && Damaged(r, t))
    choice.reason += "; no deblock or denoise before it: it removes noise and JPEG blocking itself, and repairing "
                     "first lowered PSNR-Y by 0.31 dB on average (models/RESULTS.md, \"Damaged photos\")";
  return choice;
}

// 2a. AI passes of at most max_pass_scale each with `choice`'s model, then
// back down to a fractional factor.
void AddUpscale(const AnalysisReport& r, const AdvisorThresholds& t, const SrChoice& choice, Plan& plan) {
  const TargetFit& fit = *r.target;
  const double scale = fit.required_scale;
  const int w = r.input.width, h = r.input.height;
  const std::vector<int> passes = SplitIntoPasses(scale, t.max_pass_scale);
  const std::string& model = choice.model;
  const int product = std::accumulate(passes.begin(), passes.end(), 1, std::multiplies<int>());
  for (size_t i = 0; i < passes.size(); ++i) {
    std::string why =
        i == 0 ? fmt::format("the target needs {} and the image has {}: {:.2f}× more pixels",
                             Px(fit.width_px, fit.height_px), Px(w, h), scale)
               : fmt::format("second AI pass: one pass enlarges at most {:.0f}×", t.max_pass_scale);
    if (i == 0 && passes.size() > 1)
      why += fmt::format(", in {} passes of at most {:.0f}× each", passes.size(), t.max_pass_scale);
    if (i == 0) why += fmt::format("; {}: {}", model, choice.reason);
    UpscaleStep step;
    step.factor = passes[i];
    step.model = model;
    plan.steps.push_back({step, why});
  }
  if (product > scale * 1.0001) {
    plan.steps.push_back({DownscaleTo(scale / product, scale, w, h),
                          fmt::format("{:.2f}× is not a whole factor: upscale {}× then average down to {}", scale,
                                      product, Px(int(std::lround(w * scale)), int(std::lround(h * scale))))});
  }
}

// 2. Size: upscale to cover the target, or come down when far too big.
// Returns the enlargement (1 when the size stays). `upscale` is the model
// choice when WillUpscale.
double AddSize(const AnalysisReport& r, const AdvisorThresholds& t, const std::optional<SrChoice>& upscale,
               Plan& plan) {
  if (!r.target) return 1.0;
  const TargetFit& fit = *r.target;
  const double scale = fit.required_scale;
  const bool pixel_target = fit.spec.kind != TargetSpec::Kind::kPrint;
  if (upscale) {
    AddUpscale(r, t, *upscale, plan);
    return scale;
  }
  if ((pixel_target && scale < 1.0 - 1e-9) || scale < t.downscale_below_scale) {
    plan.steps.push_back({DownscaleTo(scale, scale, r.input.width, r.input.height),
                          fmt::format("the image is {:.1f}× larger than the {} target needs: area-average "
                                      "down (it also hides noise and softness)",
                                      1.0 / scale, Px(fit.width_px, fit.height_px))});
    return scale;
  }
  return 1.0;
}

// 3. Sharpen last, lightly; never an over-sharpened image, and never after a
// Real-ESRGAN upscale, whose output is already crisp: sharpening it lost
// 0.7–1.2 dB PSNR-Y and added halos that QA fails (models/RESULTS.md,
// "Damaged photos", general+advised against general).
void AddSharpen(const AnalysisReport& r, const AdvisorThresholds& t, double enlargement, bool denoised,
                bool sharp_upscale, Plan& plan) {
  const double blur = r.sharpness.blur_sigma_px.value_or(0);
  const double noise = r.noise.sigma.value_or(0);
  if (r.oversharpening.detected.value_or(false)) {
    plan.warnings.push_back(
        {"oversharpened_input",
         fmt::format("the image is already over-sharpened (overshoot {:.0f} % of edge contrast): no "
                     "further sharpening; halos cannot be fully removed",
                     r.oversharpening.overshoot_pct.value_or(0))});
  } else if (sharp_upscale) {
    // No step: the upscale's reason says why.
  } else if (blur > t.sharpen_above_blur_px && enlargement >= 0.999) {
    const double base = t.soft_sharpen_amount;
    SharpenStep step;
    step.amount = SharpenAmount(base, denoised, noise, t);
    step.radius = std::round(SharpenRadiusPx(blur, enlargement) * 100) / 100;
    plan.steps.push_back(
        {step, fmt::format("blur σ {:.2f} px > {:.1f}: sharpen last ({:.0f} %, halo-guarded{}), after every "
                           "step that could enlarge halos or noise",
                           blur, t.sharpen_above_blur_px, step.amount * 100, LessAfterDenoise(step.amount, base))});
  } else if (enlargement > 1.5) {
    // The order ablation: an AI upscale of a sharp image is softer than the
    // true high-resolution photo; a guarded sharpen afterwards gains
    // 0.2–1.1 dB PSNR-Y against it.
    const double base = t.upscaled_sharpen_amount;
    SharpenStep step;
    step.amount = SharpenAmount(base, denoised, noise, t);
    step.radius = std::round(SharpenRadiusPx(0.75, enlargement) * 100) / 100;
    plan.steps.push_back(
        {step, fmt::format("a {:.1f}× upscale is softer than a real photo of that size: sharpen last ({:.0f} %, "
                           "halo-guarded{})",
                           enlargement, step.amount * 100, LessAfterDenoise(step.amount, base))});
  }
  if (blur > t.severe_blur_above_px) {
    plan.warnings.push_back(
        {"severe_blur", fmt::format("severe blur (σ {:.1f} px): upscaling will not undo it and sharpening "
                                    "only partly; expect a soft result",
                                    blur)});
  }
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
  if (r.resolution.native_scale && *r.resolution.native_scale < t.upscaled_below_native_scale) {
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
  if (from_native > t.max_pass_scale && r.target->required_scale > t.upscale_above_scale) {
    plan.warnings.push_back(
        {"invented_detail",
         fmt::format("the target needs {:.1f}× the detail the image really holds: fine detail (faces, "
                     "text, fabric) will be invented by the model, not recovered",
                     from_native)});
  }
}

// 5. Encode for the destination (web / marketplace targets) when anything
// changed, and warn about a large result.
void AddEncode(const AnalysisReport& r, const AdvisorThresholds& t, Plan& plan) {
  if (!r.target || plan.steps.empty()) return;
  // Text, UI and graphics (content_kind.h): JPEG rings around every glyph and
  // speckles flat colours; PNG keeps them exact and compresses them well.
  const bool graphics = r.content.kind == ContentKind::kSynthetic;
  if (r.target->spec.kind != TargetSpec::Kind::kPrint && graphics) {
    EncodeStep step;
    step.format = ImageFormat::kPng;
    plan.steps.push_back({step, fmt::format("text and graphics ({:.0f} % of the picture in exactly flat colours, {} "
                                            "colours): PNG keeps flat colours and hard edges exact, where JPEG "
                                            "would ring around the text",
                                            r.content.flat_pct.value_or(0.0), r.content.colors.value_or(0))});
  } else if (r.target->spec.kind != TargetSpec::Kind::kPrint) {
    const double pixels = double(r.target->width_px) * r.target->height_px;
    const double bytes = pixels * kJpegQ80BytesPerPixel;
    EncodeStep step;
    step.format = ImageFormat::kJpeg;
    step.quality = int(std::lround(t.web_jpeg_quality));
    plan.steps.push_back({step, fmt::format("a screen/web target: JPEG quality {:.0f} keeps the file near {:.1f} MB",
                                            t.web_jpeg_quality, bytes / 1e6)});
  }
  // A graphic's PNG is far smaller than a photo's (flat colours): only a
  // photo's size is estimated.
  if (graphics) return;
  const double bytes = r.target->spec.kind == TargetSpec::Kind::kPrint ? r.target->estimated_png_bytes
                                                                       : r.target->estimated_jpeg_bytes;
  if (bytes > 20e6)
    plan.warnings.push_back({"large_output", fmt::format("the result will be large: about {:.0f} MB", bytes / 1e6)});
}

}  // namespace

Plan Advise(const AnalysisReport& r, const AdvisorThresholds& t, const std::string& chosen_model) {
  Plan plan;
  const bool will_upscale = WillUpscale(r, t);
  std::optional<SrChoice> upscale;
  if (will_upscale) upscale = UpscaleChoice(r, t, chosen_model);
  const bool model_repairs = upscale && RepairsItself(upscale->model);
  AddDeblock(r, t, model_repairs, plan);
  const bool denoised = !model_repairs && AddDenoise(r, t, will_upscale, plan);
  const double enlargement = AddSize(r, t, upscale, plan);
  AddSharpen(r, t, enlargement, denoised, upscale && SharpensItself(upscale->model), plan);
  AddDetailWarnings(r, t, plan);
  AddEncode(r, t, plan);
  return plan;
}

}  // namespace acuity

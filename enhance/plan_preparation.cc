#include "enhance/plan_preparation.h"

#include <utility>

#include <fmt/format.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "analysis/advice/plan_ops.h"
#include "analysis/measurements/target_fit.h"
#include "enhance/model_registry.h"

namespace acuity {
namespace {

// The advisor's upscale steps take the model the user chose.
void ApplyModelChoice(const PlanContext& context, Plan& plan) {
  if (context.source != PlanSource::kAdvisor || context.upscale.model.empty()) return;
  for (PlanStep& s : plan.steps)
    if (auto* up = std::get_if<UpscaleStep>(&s.params)) up->model = context.upscale.model;
}

// Steps whose size comes from the target, each at the size the steps
// before it make (SizeAfter): a factor-less upscale gets the factor that
// takes that size to the target (dropped, with a note, when it is covered
// already); a size-less crop the largest window of the target's aspect
// (dropped, with a note, when there is nothing to cut); a size-less pad the
// target's canvas.
absl::Status ResolveFromTarget(const PlanContext& context, PreparedPlan& prepared) {
  std::vector<PlanStep> kept;
  cv::Size size = context.image_size;
  for (PlanStep& s : prepared.plan.steps) {
    auto* up = std::get_if<UpscaleStep>(&s.params);
    auto* crop = std::get_if<CropStep>(&s.params);
    auto* pad = std::get_if<PadStep>(&s.params);
    const char* op = up ? "upscale" : crop ? "crop" : "pad";
    const bool unresolved = up ? !up->factor : crop ? !(crop->width_px && crop->height_px)
                                             : pad && !(pad->width_px && pad->height_px);
    if (unresolved) {
      if (!context.target) {
        return absl::InvalidArgumentError(up ? "upscale without a factor needs --target (or write upscale:2)"
                                             : fmt::format("{} without a size needs --target (or {}:WxH)", op, op));
      }
      TargetSpec target = *context.target;
      if (crop || pad) {  // the step's own mode; a --fit pad:COLOR keeps its colour
        FitChoice choice;
        choice.mode = crop ? FitMode::kCrop : FitMode::kPad;
        if (target.fit) choice.pad_color = target.fit->pad_color;
        target.fit = choice;
      }
      const TargetFit fit = FitTarget(target, size.width, size.height);
      if (up && fit.required_scale <= 1.0) {
        prepared.notes.push_back(fmt::format("the image already covers {} ({}×{} px): no upscaling needed",
                                             target.description, fit.width_px, fit.height_px));
        continue;
      }
      if (crop && !fit.cropped()) {
        prepared.notes.push_back(fmt::format("the image has the aspect of {} ({}×{} px): nothing to crop",
                                             target.description, fit.width_px, fit.height_px));
        continue;
      }
      if (up) {
        up->factor = fit.required_scale;
        s.reason = fmt::format("{} needs {}×{} px: {:.2f}×", target.description, fit.width_px, fit.height_px,
                               fit.required_scale);
      }
      if (crop) crop->width_px = fit.kept_width_px, crop->height_px = fit.kept_height_px, s.reason = fit.fit_reason;
      if (pad) pad->width_px = fit.width_px, pad->height_px = fit.height_px, s.reason = fit.fit_reason;
    }
    size = SizeAfter(s, size);
    kept.push_back(std::move(s));
  }
  prepared.plan.steps = std::move(kept);
  return absl::OkStatus();
}

// An encode step must agree with OUT's format: the user's own step is an
// error; the advisor's suggestion gives way to the file name the user chose
// in its format only — what it does besides (the conversion to sRGB, the
// file-size limit of a marketplace) still holds. (It was replaced by a bare
// encode step, and `--target amazon -o out.jpg` of an Adobe RGB photo wrote
// Adobe RGB.)
absl::Status ReconcileEncode(const PlanContext& context, PreparedPlan& prepared) {
  if (!context.output_format) return absl::OkStatus();
  const char* out_format = ImageFormatName(*context.output_format);
  for (PlanStep& s : prepared.plan.steps) {
    auto* encode = std::get_if<EncodeStep>(&s.params);
    if (encode == nullptr || encode->format == *context.output_format) continue;
    if (context.source == PlanSource::kExplicitSteps) {
      return absl::InvalidArgumentError(fmt::format("the step encode:{} does not match the output {} (a {} file)",
                                                    ImageFormatName(encode->format), context.output_path,
                                                    out_format));
    }
    const std::string suggested = StepText(s);
    prepared.notes.push_back(fmt::format("the plan suggests {} for this target; writing {} as {} asks", suggested,
                                         out_format, context.output_path));
    EncodeStep chosen = *encode;
    chosen.format = *context.output_format;
    if (chosen.format != ImageFormat::kJpeg && chosen.format != ImageFormat::kWebp) chosen.quality.reset();
    if (chosen.format != ImageFormat::kPng) chosen.png_level.reset();
    s = {chosen, fmt::format("{} is a {} file (the plan suggested {})", context.output_path, out_format, suggested)};
  }
  return absl::OkStatus();
}

// One model: a built-in name, or a file UserModelSpec accepts.
absl::Status CheckModel(const std::string& model, const UpscaleOptions& defaults) {
  if (LooksLikeModelPath(model)) {
    absl::StatusOr<ModelSpec> spec = UserModelSpec(model, defaults.model_scale, defaults.model_input_range);
    if (spec.ok()) return absl::OkStatus();
    const absl::StatusCode code = absl::IsNotFound(spec.status()) ? absl::StatusCode::kNotFound
                                                                   : absl::StatusCode::kInvalidArgument;
    return absl::Status(code, absl::StrCat(model, ": ", spec.status().message()));
  }
  if (IsBuiltinModelName(model)) return absl::OkStatus();
  return absl::InvalidArgumentError(fmt::format("unknown model '{}' ({}, or a TorchScript FILE.pt)", model,
                                                absl::StrJoin(BuiltinModelNames(), ", ")));
}

}  // namespace

absl::Status CheckModels(const Plan& plan, const UpscaleOptions& defaults) {
  for (const PlanStep& s : plan.steps) {
    const auto* up = std::get_if<UpscaleStep>(&s.params);
    if (up == nullptr) continue;
    const std::string& model = up->model.empty() ? defaults.model : up->model;
    if (model.empty()) continue;
    if (absl::Status status = CheckModel(model, defaults); !status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::StatusOr<PreparedPlan> PreparePlan(Plan plan, const PlanContext& context) {
  PreparedPlan prepared;
  prepared.plan = std::move(plan);
  ApplyModelChoice(context, prepared.plan);
  if (absl::Status s = ResolveFromTarget(context, prepared); !s.ok()) return s;
  if (absl::Status s = ReconcileEncode(context, prepared); !s.ok()) return s;
  if (absl::Status s = CheckModels(prepared.plan, context.upscale); !s.ok()) return s;
  return prepared;
}

}  // namespace acuity

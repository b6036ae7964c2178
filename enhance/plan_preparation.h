// What happens to a plan between "the user chose it" and RunPlan, the same
// for every front end (the `acuity enhance` command, the viewer):
//   - the advisor's upscale steps take the model the user chose (--model);
//   - steps whose size comes from the target get it, each at the size the
//     steps before it make: upscale steps without a factor the one the
//     target needs (dropped, with a note, when it is covered already), crop
//     steps without a size the window of the target's aspect (dropped, with
//     a note, when nothing is cut), pad steps the target's canvas
//     (target_fit.h);
//   - an encode step must agree with the output file's format: an error for
//     the user's own steps, while the advisor's suggestion gives way, with a note;
//   - every model an upscale step will use is checked (a built-in name, or a
//     readable file with a known input range), before any long work.
//
//   acuity::PlanContext context;
//   context.source = acuity::PlanSource::kAdvisor;
//   context.image_size = image.pixels.size();
//   context.target = target;              // optional
//   context.upscale.model = "esrgan-slim";  // "" = acuity picks
//   context.output_path = "out.png";
//   context.output_format = acuity::ImageFormat::kPng;
//   absl::StatusOr<acuity::PreparedPlan> prepared = acuity::PreparePlan(acuity::Advise(report), context);
//   if (!prepared.ok()) return Fail(prepared.status());  // the code says what went wrong
//   for (const std::string& note : prepared->notes) Tell(note);
//   acuity::PipelineOptions options;
//   options.upscale = context.upscale;
//   acuity::RunPlan(image, prepared->plan, options);
#ifndef ACUITY_ENHANCE_PLAN_PREPARATION_H_
#define ACUITY_ENHANCE_PLAN_PREPARATION_H_

#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "analysis/advice/plan.h"
#include "analysis/io/image.h"
#include "analysis/measurements/target_spec.h"
#include "enhance/upscaler.h"

namespace acuity {

// Whose plan it is: the user's own steps are obeyed to the letter; the
// advisor's plan gives way to what the user chose (model, output format).
enum class PlanSource { kExplicitSteps, kAdvisor };

struct PlanContext {
  PlanSource source = PlanSource::kExplicitSteps;
  cv::Size image_size;               // px of the input as loaded (EXIF orientation applied)
  std::optional<TargetSpec> target;  // gives factor-less upscale steps their factor
  // The run's upscale defaults, as RunPlan will get them: model ("" = acuity
  // picks; with kAdvisor it replaces the advisor's choice), a user model's
  // scale and input range.
  UpscaleOptions upscale;
  std::string output_path;                   // OUT, for messages
  std::optional<ImageFormat> output_format;  // OUT's format; nullopt = not known yet (no check)
};

struct PreparedPlan {
  Plan plan;                       // ready for RunPlan
  std::vector<std::string> notes;  // for the user, one sentence each (no "acuity:" prefix)
};

// Errors (messages name the step or the model):
//   InvalidArgument  usage: an upscale without a factor and no target, the
//                    user's encode step disagreeing with OUT, an unknown
//                    model name, a model file whose input range is unknown;
//   NotFound         the model file does not exist.
absl::StatusOr<PreparedPlan> PreparePlan(Plan plan, const PlanContext& context);

// The model check alone (PreparePlan runs it last), for callers that can
// check before loading the image: every upscale step's model (its own, else
// defaults.model). Loads nothing. Codes as PreparePlan's.
absl::Status CheckModels(const Plan& plan, const UpscaleOptions& defaults);

}  // namespace acuity

#endif  // ACUITY_ENHANCE_PLAN_PREPARATION_H_

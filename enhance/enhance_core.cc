#include "enhance/enhance_core.h"

#include <algorithm>
#include <cmath>
#include <variant>

#include <fmt/format.h>

#include "analysis/advice/advisor.h"
#include "analysis/io/animation.h"
#include "analysis/io/guard.h"
#include "analysis/io/image_writer.h"
#include "enhance/device.h"
#include "enhance/memory_budget.h"
#include "enhance/sr_backend.h"

namespace acuity {

absl::StatusOr<PreparedEnhance> PrepareEnhance(const Image& image, const EnhanceSpec& spec) {
  PreparedEnhance out;
  PlanContext context;
  Plan plan;
  if (spec.explicit_plan) {
    context.source = PlanSource::kExplicitSteps;
    plan = *spec.explicit_plan;
  } else {
    context.source = PlanSource::kAdvisor;
    AnalyzeOptions analyze;
    analyze.target = spec.target;
    analyze.find_content = true;  // the plan `advise` would make, with its warnings
    // The device the upscale will run on prices the advisor's model choice:
    // found beside the analysis (loading LibTorch on a GPU's host).
    UpscaleDeviceQuery device(spec.options.upscale.device, spec.target, image.info.width, image.info.height);
    absl::StatusOr<AnalysisReport> analysed = TryAnalyze(image, analyze);
    if (!analysed.ok()) return analysed.status();
    out.before = *std::move(analysed);
    out.before->upscale_device = device.Get();
    plan = Advise(*out.before, {}, spec.options.upscale.model);  // the plan follows the model
  }
  context.image_size = image.pixels.size();
  context.target = spec.target;
  context.upscale = spec.options.upscale;
  context.output_path = spec.output_path;
  if (spec.output_format != ImageFormat::kUnknown) context.output_format = spec.output_format;
  absl::StatusOr<PreparedPlan> prepared = PreparePlan(std::move(plan), context);
  if (!prepared.ok()) return prepared.status();
  out.prepared = *std::move(prepared);
  // An advised plan says so in its warning (animated_input,
  // multi_page_input); explicit steps have none, and would write one image
  // of several without a word.
  if (std::optional<StoredImagesWords> several = SeveralStoredImages(image.info);
      several && context.source == PlanSource::kExplicitSteps)
    out.prepared.notes.push_back(
        fmt::format("{}: {}: only its {} is enhanced", image.info.path, several->whole, several->read));
  return out;
}

ImageGeometry GeometryOf(const Image& image) {
  ImageGeometry g;
  g.width_px = image.pixels.cols;
  g.height_px = image.pixels.rows;
  g.channels = image.pixels.channels();
  g.bytes_per_channel = int(image.pixels.elemSize1());
  return g;
}

absl::Status CheckMemoryBudget(int64_t estimate_bytes, int64_t budget_bytes, const std::string& what) {
  if (budget_bytes <= 0 || estimate_bytes <= budget_bytes) return absl::OkStatus();
  const double mb = 1024.0 * 1024.0;
  // The machine's fault, not the input's (guard.h): a batch records the
  // file as retryable, to be run again with more memory or fewer --jobs.
  return Reworded(OutOfMemoryError("planning"), fmt::format(
      "{} needs about {:.0f} MB of memory, more than the {:.0f} MB budget left for it (--max-memory MB, "
      "default: what is available); nothing done",
      what, std::ceil(estimate_bytes / mb), std::floor(budget_bytes / mb)));
}

WorkBudget MemoryBudgetForWork(std::optional<double> max_memory_mb, bool will_upscale) {
  // A module that cannot be loaded is reported by the upscale step itself.
  if (will_upscale) (void)GetSrBackend();
  return WorkBudgetFrom(ReadMemoryBudget(), max_memory_mb, will_upscale);
}

WorkBudget WorkBudgetFrom(const MemoryBudget& real, std::optional<double> max_memory_mb, bool will_upscale) {
  WorkBudget budget;
  if (real.binding != MemoryBound::kNone) {
    int64_t bytes = real.bytes;
    if (real.binding == MemoryBound::kAddressSpace || real.binding == MemoryBound::kData)
      bytes -= kReservedAddressSpaceBytes + (will_upscale && real.binding == MemoryBound::kAddressSpace
                                                  ? kLibTorchRunAddressSpaceBytes
                                                  : 0);
    budget = {std::max<int64_t>(1, bytes), real.Binding()};  // 1: nothing left, still a bound
  }
  if (max_memory_mb && *max_memory_mb > 0) {
    const int64_t given = std::max<int64_t>(1, int64_t(*max_memory_mb * 1024 * 1024) - kProcessBaseMemoryBytes);
    if (budget.bytes <= 0 || given <= budget.bytes) budget = {given, "--max-memory"};
  }
  return budget;
}

WriteOptions EnhancedWriteOptions(const Image& source, const PipelineResult& result, const EnhanceSpec& spec,
                                  std::optional<int> quality) {
  WriteOptions write = ResultWriteOptions(source.info, result, quality, spec.target);
  write.format = spec.output_format;
  return write;
}

absl::StatusOr<WriteReport> WriteEnhanced(const Image& source, const PipelineResult& result,
                                          const EnhanceSpec& spec, std::optional<int> quality) {
  return WriteImage(spec.output_path, result.pixels, EnhancedWriteOptions(source, result, spec, quality));
}

}  // namespace acuity

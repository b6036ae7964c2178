// What `acuity enhance` does to one loaded image, shared with `acuity batch
// --do enhance|qa` so that both run exactly the same plan: the advisor's plan
// (after analysing the image) or the user's steps, prepared as every front
// end prepares it (enhance/plan_preparation.h), checked against a memory
// budget, and the result written as enhance writes it.
//
//   acuity::EnhanceSpec spec;
//   spec.target = target;                  // optional
//   spec.output_path = "out/photo.jpg";
//   spec.output_format = acuity::ImageFormat::kJpeg;
//   absl::StatusOr<acuity::PreparedEnhance> p = acuity::PrepareEnhance(image, spec);
//   absl::StatusOr<acuity::PipelineResult> r = acuity::RunPlan(image, p->prepared.plan, spec.options);
//   acuity::WriteEnhanced(image, *r, spec, std::nullopt);
#ifndef ACUITY_ENHANCE_ENHANCE_CORE_H_
#define ACUITY_ENHANCE_ENHANCE_CORE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "analysis/advice/plan.h"
#include "analysis/advice/plan_ops.h"  // PlanUpscales
#include "analysis/io/image.h"
#include "analysis/io/image_writer.h"
#include "analysis/measurements/analyze.h"
#include "analysis/measurements/target_spec.h"
#include "enhance/memory_budget.h"
#include "enhance/memory_estimate.h"
#include "enhance/pipeline.h"
#include "enhance/plan_preparation.h"

namespace acuity {

struct EnhanceSpec {
  std::optional<Plan> explicit_plan;  // the user's --steps; nullopt = --plan auto
  std::optional<TargetSpec> target;
  PipelineOptions options;            // upscale defaults (--model, threads, ...)
  std::string output_path;
  // OUT's format; kUnknown = not chosen yet: an advised plan's encode step
  // keeps its format (batch then names the output after it).
  ImageFormat output_format = ImageFormat::kUnknown;
};

struct PreparedEnhance {
  std::optional<AnalysisReport> before;  // --plan auto: the analysis the plan came from
  PreparedPlan prepared;
};

// Analyses and advises (--plan auto), then PreparePlan. Its codes.
absl::StatusOr<PreparedEnhance> PrepareEnhance(const Image& image, const EnhanceSpec& spec);

// The loaded image's geometry, for the memory estimates.
ImageGeometry GeometryOf(const Image& image);

// ResourceExhausted, with a one-line message giving both figures in MB, when
// `estimate_bytes` (the work's peak, memory_estimate.h) exceeds
// `budget_bytes`, the memory left for new work (MemoryBudgetForWork;
// ≤ 0: no budget). `what` names the work ("a 4× upscale", "the analysis").
absl::Status CheckMemoryBudget(int64_t estimate_bytes, int64_t budget_bytes, const std::string& what);

// The memory new work may use, beyond what the process already holds.
struct WorkBudget {
  int64_t bytes = 0;  // > 0; 0 when no bound could be read (nothing is checked)
  const char* source = "unknown";  // which bound: "--max-memory" or MemoryBudget::Binding()
};

// The smallest of what the process may still use (enhance/memory_budget.h:
// the machine's available memory and each limit, every one already less
// what is used under it) and, with --max-memory MB (> 0, the whole
// process's memory), of MB less the program's own (kProcessBaseMemoryBytes):
// --max-memory can lower the budget, never raise it over a real limit.
//
// With `will_upscale`, the LibTorch module is loaded first
// (enhance/sr_backend.h), so that the address space it maps — LibTorch and
// oneDNN, hundreds of MB, which `ulimit -v` counts in full — is out of the
// budget before any plan is checked against it (read before, the budget
// was that much too large, and oneDNN crashed when its code generator found
// no address space).
//
// Under an address-space or data limit (`ulimit -v`, `ulimit -d`), which
// count what is reserved as well as what is used, the budget is also less
// kReservedAddressSpaceBytes (threads' stacks, the allocator's arenas,
// libraries' scratch), and with `will_upscale` less
// kLibTorchRunAddressSpaceBytes: what running LibTorch reserves beyond the
// memory the estimate counts (measured under `ulimit -v`: esrgan-slim ×4 of
// a 1 MP photo, estimated 360 MB, needed about 490 MB of address space once
// LibTorch was loaded, and crashed in oneDNN below that). Limits on
// resident memory (a cgroup's, the machine's) need neither.
inline constexpr int64_t kReservedAddressSpaceBytes = int64_t{165} << 20;
inline constexpr int64_t kLibTorchRunAddressSpaceBytes = int64_t{160} << 20;
WorkBudget MemoryBudgetForWork(std::optional<double> max_memory_mb, bool will_upscale = false);
// The same from a budget already read (for tests: any bound, any limit).
WorkBudget WorkBudgetFrom(const MemoryBudget& real, std::optional<double> max_memory_mb, bool will_upscale);

// How `acuity enhance` writes a result: the source's metadata, the quality
// (`quality`, else the plan's encode step, else the default), a print
// target's DPI, spec.output_format. `source` must outlive the options.
WriteOptions EnhancedWriteOptions(const Image& source, const PipelineResult& result, const EnhanceSpec& spec,
                                  std::optional<int> quality);

// Writes the result so (EnhancedWriteOptions), atomically, to spec.output_path.
absl::StatusOr<WriteReport> WriteEnhanced(const Image& source, const PipelineResult& result,
                                          const EnhanceSpec& spec, std::optional<int> quality);

}  // namespace acuity

#endif  // ACUITY_ENHANCE_ENHANCE_CORE_H_

// Every call the viewer makes into acuity's engine (decode, analysis, advice,
// plain-words verdicts, QA, plan preparation, the pipeline, writing), in one
// place: when the engine's API moves, only this file follows it. Nothing here
// touches a window; every function may run on a worker thread.
//
//   absl::StatusOr<acuity::Image> image = acuity::viewer::LoadForView("photo.jpg");
//   absl::StatusOr<acuity::AnalysisReport> report = acuity::viewer::AnalyzeForView(*image, std::nullopt);
//   for (const acuity::PlainVerdict& v : acuity::viewer::DescribeForView(*report)) Show(v.title, v.words);
#ifndef ACUITY_VIEWER_ENGINE_H_
#define ACUITY_VIEWER_ENGINE_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "analysis/advice/plan.h"
#include "analysis/advice/qa.h"
#include "enhance/pipeline.h"
#include "analysis/advice/verdicts.h"
#include "analysis/io/image.h"
#include "analysis/measurements/analyze.h"
#include "analysis/measurements/target_spec.h"
#include "enhance/device.h"
#include "enhance/plan_preparation.h"

namespace acuity::viewer {

// Decodes with EXIF orientation applied; allows up to 400 MP (a 12 MP photo
// enlarged 4× is 192 MP).
absl::StatusOr<Image> LoadForView(const std::string& path);

// Analyze with every measurement map (for the overlays); "out of memory
// while analysing" (analysis/io/guard.h) instead of an exception. Where the
// target needs an upscale, the advice is priced for the device `device`
// resolves to (AnalysisReport::upscale_device: the viewer's `device` command).
absl::StatusOr<AnalysisReport> AnalyzeForView(const Image& image, const std::optional<TargetSpec>& target,
                                              const DeviceRequest& device = {});

// The measurements in plain words with their verdicts (analysis/advice/verdicts.h).
std::vector<PlainVerdict> DescribeForView(const AnalysisReport& report);

// The advised plan for an analysis (computed with the target, if any).
Plan AdviseForView(const AnalysisReport& report);

// One step as a person reads it: "upscale ×4 (esrgan-slim)".
std::string PlanStepText(const PlanStep& step);

// The plan `enhance auto|STEPS` runs on `image`, prepared as `acuity
// enhance` prepares it (enhance/plan_preparation.h): the advised one
// ("auto"), or STEPS parsed (the --steps grammar); upscale steps without a
// factor get the one `target` needs (InvalidArgument without a target), and
// are dropped with a note when it is already covered. The output file is not
// known yet: an encode step is checked when the result is saved.
absl::StatusOr<PreparedPlan> PreparePlanForView(std::string_view steps_or_auto, const Image& image,
                                                const std::optional<TargetSpec>& target,
                                                const AnalysisReport* analysis);

// Overall fraction done (0–1) and the step running; return false to cancel.
using EnhanceProgress = std::function<bool(double fraction, const std::string& step)>;

struct EnhanceResult {
  cv::Mat pixels;                     // same depth and channels as the input
  std::vector<std::string> log;       // one line per step
  // How it is to be written (the encode step's quality, size limit and
  // colour profile: pipeline.h); its pixels are the ones above, not here.
  PipelineResult encoding;
};

// Runs the plan (Cancelled when `progress` returns false); `step_progress`
// (may be empty) gets the fraction of the step running; the models run on
// `device` (the viewer's `device` command; auto by default).
absl::StatusOr<EnhanceResult> RunForView(const Image& image, const Plan& plan, const EnhanceProgress& progress,
                                         std::function<void(double step_fraction)> step_progress = {},
                                         const DeviceRequest& device = {});

// The info of an enhancement result that is not written yet: its own size,
// channels and depth, the source's colour profile (the pipeline keeps the
// colours), and nothing the source's file said about itself (format, JPEG
// tables, file size, DPI, orientation): B is measured from its own pixels,
// never with A's JPEG tables; once saved, from its own file.
ImageInfo ResultInfo(const ImageInfo& source, const cv::Mat& pixels, const PipelineResult& result);

// Checks a result against its input (with QA maps).
absl::StatusOr<QaReport> QaForView(const Image& input, const Image& output);

// Writes `pixels` atomically to `path` (format from the extension) with the
// input's metadata, like `acuity enhance`; FailedPrecondition when `path` is
// the input itself. Returns a one-line summary.
absl::StatusOr<std::string> SaveForView(const std::string& path, const cv::Mat& pixels, const ImageInfo& source,
                                        const PipelineResult& encoding, const std::optional<TargetSpec>& target);

// Renders a map as 8-bit BGR at `size` (the report's colours), and the
// colour ramp of the legend (1 px high, `width` px, 0 at the left).
cv::Mat HeatmapForView(const MeasurementMap& map, cv::Size size);
cv::Mat LegendRampForView(int width);

absl::StatusOr<TargetSpec> ParseTargetForView(std::string_view text);

}  // namespace acuity::viewer

#endif  // ACUITY_VIEWER_ENGINE_H_

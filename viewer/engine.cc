#include "viewer/engine.h"

#include <cmath>

#include <fmt/format.h>

#include "analysis/advice/advisor.h"
#include "analysis/advice/parse_steps.h"
#include "analysis/advice/plan_ops.h"
#include "analysis/io/color_space.h"
#include "analysis/io/heatmap.h"
#include "analysis/io/image_io.h"
#include "analysis/io/image_writer.h"
#include "enhance/pipeline.h"

namespace acuity::viewer {
namespace {

constexpr double kViewerMaxMegapixels = 400;

}  // namespace

absl::StatusOr<Image> LoadForView(const std::string& path) {
  LoadOptions options;
  options.max_megapixels = kViewerMaxMegapixels;
  return LoadImage(path, options);
}

absl::StatusOr<AnalysisReport> AnalyzeForView(const Image& image, const std::optional<TargetSpec>& target,
                                              const DeviceRequest& device) {
  AnalyzeOptions options;
  options.target = target;
  options.compute_maps = true;
  options.find_content = true;  // the faces and text overlay (docs/content.md)
  UpscaleDeviceQuery where(device, target, image.info.width, image.info.height);  // beside the analysis, as enhance
  absl::StatusOr<AnalysisReport> report = TryAnalyze(image, options);
  if (report.ok()) report->upscale_device = where.Get();
  return report;
}

std::vector<PlainVerdict> DescribeForView(const AnalysisReport& report) { return DescribeMeasurements(report); }

Plan AdviseForView(const AnalysisReport& report) { return Advise(report); }

std::string PlanStepText(const PlanStep& step) { return StepText(step); }

absl::StatusOr<PreparedPlan> PreparePlanForView(std::string_view steps_or_auto, const Image& image,
                                                const std::optional<TargetSpec>& target,
                                                const AnalysisReport* analysis) {
  PlanContext context;
  context.image_size = image.pixels.size();
  context.target = target;
  if (steps_or_auto == "auto") {
    context.source = PlanSource::kAdvisor;
    if (analysis != nullptr) return PreparePlan(Advise(*analysis), context);
    absl::StatusOr<AnalysisReport> analysed = TryAnalyze(image, {target, false});  // nothing thrown
    if (!analysed.ok()) return analysed.status();
    return PreparePlan(Advise(*analysed), context);
  }
  absl::StatusOr<Plan> parsed = ParseSteps(steps_or_auto);
  if (!parsed.ok()) return parsed.status();
  context.source = PlanSource::kExplicitSteps;
  return PreparePlan(*std::move(parsed), context);
}

absl::StatusOr<EnhanceResult> RunForView(const Image& image, const Plan& plan, const EnhanceProgress& progress,
                                         std::function<void(double step_fraction)> step_progress,
                                         const DeviceRequest& device) {
  PipelineOptions options;
  options.upscale.device = device;
  options.progress = progress;
  options.step_progress = std::move(step_progress);
  absl::StatusOr<PipelineResult> result = RunPlan(image, plan, options);
  if (!result.ok()) return result.status();
  EnhanceResult out;
  out.pixels = std::move(result->pixels);
  for (const StepLog& log : result->log)
    out.log.push_back(fmt::format("{} — {:.1f} s, {}×{} px{}", log.step, log.seconds, log.width, log.height,
                                  log.note.empty() ? "" : " (" + log.note + ")"));
  out.encoding = *std::move(result);
  out.encoding.pixels = cv::Mat();
  out.encoding.log.clear();
  return out;
}

ImageInfo ResultInfo(const ImageInfo& source, const cv::Mat& pixels, const PipelineResult& result) {
  ImageInfo info;
  info.width = pixels.cols;
  info.height = pixels.rows;
  info.channels = pixels.channels();
  info.bit_depth = pixels.depth() == CV_16U ? 16 : 8;
  info.has_alpha = pixels.channels() == 4;
  info.acuity_record = result.record;  // what the saved file will record: advice on the result reads it
  if (result.icc_profile) {  // the plan converted the colours (to sRGB): the profile the file will carry
    info.has_icc = true;
    info.icc_description = "sRGB";
    info.icc_profile = *result.icc_profile;
  } else {  // the profile of the source's pixels: a CMYK file's are sRGB (color_space.h ProfileOfPixels)
    info.icc_profile = ProfileOfPixels(source);
    info.has_icc = !info.icc_profile.empty();
    info.icc_description = !info.has_icc ? "" : source.cmyk ? "sRGB" : source.icc_description;
  }
  return info;
}

absl::StatusOr<QaReport> QaForView(const Image& input, const Image& output) {
  return RunQa(input, output, nullptr, QaThresholds::Defaults());
}

absl::StatusOr<std::string> SaveForView(const std::string& path, const cv::Mat& pixels, const ImageInfo& source,
                                        const PipelineResult& encoding, const std::optional<TargetSpec>& target) {
  if (absl::Status s = CheckOutputPath(path, source.path); !s.ok()) return s;
  absl::StatusOr<WriteReport> written =
      WriteImage(path, pixels, ResultWriteOptions(source, encoding, std::nullopt, target));
  if (!written.ok()) return written.status();
  return fmt::format("wrote {} ({}, {}×{} px, {} bytes)", path, ImageFormatName(written->format), pixels.cols,
                     pixels.rows, written->bytes);
}

cv::Mat HeatmapForView(const MeasurementMap& map, cv::Size size) { return RenderHeatmap(map, size); }

cv::Mat LegendRampForView(int width) {
  MeasurementMap ramp{"legend", "", cv::Mat(1, width, CV_32F), 1.0};
  for (int i = 0; i < width; ++i) ramp.values.at<float>(0, i) = float(i) / float(std::max(1, width - 1));
  return RenderHeatmap(ramp, cv::Size(width, 1));
}

absl::StatusOr<TargetSpec> ParseTargetForView(std::string_view text) { return ParseTargetSpec(text); }

}  // namespace acuity::viewer

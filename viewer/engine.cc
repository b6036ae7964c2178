#include "viewer/engine.h"

#include <cmath>

#include <fmt/format.h>

#include "analysis/advice/advisor.h"
#include "analysis/io/heatmap.h"
#include "analysis/io/image_io.h"
#include "analysis/io/image_writer.h"
#include "analysis/measurements/target_fit.h"
#include "enhance/pipeline.h"

namespace acuity::viewer {
namespace {

constexpr double kViewerMaxMegapixels = 400;

// TEMPORARY copy of cli/html_report.cc's verdict rules until the `verdicts`
// branch moves them into analysis/advice/verdicts.h; then this calls it.
std::string Level(double value, double good_below, double fair_below) {
  return value < good_below ? "good" : value < fair_below ? "fair" : "poor";
}

void DescribeTarget(const TargetFit& t, std::vector<Verdict>& out) {
  Verdict v{"Size for the target", fmt::format("{:.2f}× needed", t.required_scale), "", ""};
  if (t.fits) {
    v.words = fmt::format("big enough for {} ({}×{} px): no upscaling needed", t.spec.text, t.width_px, t.height_px);
    v.level = "good";
  } else {
    v.words = fmt::format("too small for {}: it needs {}×{} px{}", t.spec.text, t.width_px, t.height_px,
                          t.effective_dpi ? fmt::format(" and prints at {:.0f} dpi today", *t.effective_dpi) : "");
    v.level = t.required_scale <= 2 ? "fair" : "poor";
  }
  out.push_back(v);
}

}  // namespace

absl::StatusOr<Image> LoadForView(const std::string& path) {
  LoadOptions options;
  options.max_megapixels = kViewerMaxMegapixels;
  return LoadImage(path, options);
}

AnalysisReport AnalyzeForView(const Image& image, const std::optional<TargetSpec>& target) {
  AnalyzeOptions options;
  options.target = target;
  options.compute_maps = true;
  return Analyze(image, options);
}

std::vector<Verdict> DescribeForView(const AnalysisReport& r) {
  std::vector<Verdict> out;
  if (r.target) DescribeTarget(*r.target, out);
  if (auto b = r.sharpness.blur_sigma_px) {
    const char* words = *b < 0.9   ? "sharp: fine detail is crisp"
                        : *b < 1.5 ? "slightly soft: a light sharpen helps"
                        : *b < 2.5 ? "soft: sharpening helps, upscaling alone will not"
                                   : "very soft: neither upscaling nor sharpening will fully restore it";
    out.push_back({"Sharpness", fmt::format("blur σ {:.2f} px", *b), words, Level(*b, 0.9, 1.5)});
  } else {
    out.push_back({"Sharpness", "—", "not measured", "unknown"});
  }
  if (auto n = r.noise.sigma) {
    const char* words = *n < 2    ? "clean"
                        : *n < 5  ? "slight grain, usually invisible in print"
                        : *n < 10 ? "visible noise: denoise before enlarging"
                                  : "heavy noise: denoise first, expect some loss of fine texture";
    out.push_back({"Noise", fmt::format("σ {:.1f} (8-bit)", *n), words, Level(*n, 3, 8)});
  }
  if (auto q = r.compression.jpeg_quality_estimate) {
    const char* words = *q >= 90   ? "excellent JPEG quality"
                        : *q >= 75 ? "good JPEG quality"
                        : *q >= 50 ? "visible compression in flat areas and fine texture"
                                   : "heavy JPEG damage: blocks and ringing";
    out.push_back({"Compression", fmt::format("JPEG quality {:.0f} ({})", *q, r.compression.quality_source), words,
                   *q >= 75 ? "good" : *q >= 50 ? "fair" : "poor"});
  } else if (r.compression.quality_source == "none" && r.compression.blockiness) {
    out.push_back({"Compression", "none found", "no sign of JPEG compression", "good"});
  }
  if (auto d = r.oversharpening.detected) {
    out.push_back({"Halos", fmt::format("overshoot {:.0f} %", r.oversharpening.overshoot_pct.value_or(0)),
                   *d ? "over-sharpened: bright/dark halos along edges; do not sharpen further"
                      : "no halos from earlier sharpening",
                   *d ? "poor" : "good"});
  }
  if (auto s = r.resolution.native_scale) {
    const int nw = int(std::lround(r.input.width * *s)), nh = int(std::lround(r.input.height * *s));
    out.push_back({"Real resolution", fmt::format("native scale {:.2f}", *s),
                   *s > 0.9 ? "full: the pixels hold real detail"
                            : fmt::format("already enlarged: its detail is that of about {}×{} px", nw, nh),
                   *s > 0.9 ? "good" : *s > 0.6 ? "fair" : "poor"});
  }
  return out;
}

Plan AdviseForView(const AnalysisReport& report) { return Advise(report); }

std::string StepText(const PlanStep& step) {
  std::string text = step.op;
  const char* sep = " ";
  for (const auto& [key, value] : step.params.items()) {
    text += fmt::format("{}{} {}", sep, key, value.is_string() ? value.get<std::string>() : value.dump());
    sep = ", ";
  }
  return text;
}

absl::StatusOr<Plan> PreparePlanForView(std::string_view steps_or_auto, const Image& image,
                                        const std::optional<TargetSpec>& target, const AnalysisReport* analysis) {
  Plan plan;
  if (steps_or_auto == "auto") {
    plan = analysis != nullptr ? Advise(*analysis) : Advise(Analyze(image, {target, false}));
  } else {
    absl::StatusOr<Plan> parsed = ParseSteps(steps_or_auto);
    if (!parsed.ok()) return parsed.status();
    plan = *std::move(parsed);
  }
  // TEMPORARY: the factor a target needs, as `acuity enhance` fills it, until
  // the `plan-vocab` branch gives the library's PreparePlan.
  std::vector<PlanStep> kept;
  for (PlanStep& s : plan.steps) {
    if (s.op == "upscale" && !s.params.contains("factor")) {
      if (!target) return absl::InvalidArgumentError("upscale without a factor needs a target (or write upscale:2)");
      const TargetFit fit = FitTarget(*target, image.pixels.cols, image.pixels.rows);
      if (fit.required_scale <= 1.0) continue;
      s.params["factor"] = fit.required_scale;
    }
    kept.push_back(s);
  }
  plan.steps = std::move(kept);
  return plan;
}

absl::StatusOr<EnhanceResult> RunForView(const Image& image, const Plan& plan, const EnhanceProgress& progress) {
  PipelineOptions options;
  options.progress = progress;
  absl::StatusOr<PipelineResult> result = RunPlan(image, plan, options);
  if (!result.ok()) return result.status();
  EnhanceResult out;
  out.pixels = std::move(result->pixels);
  for (const StepLog& log : result->log)
    out.log.push_back(fmt::format("{} — {:.1f} s, {}×{} px{}", log.step, log.seconds, log.width, log.height,
                                  log.note.empty() ? "" : " (" + log.note + ")"));
  out.encode_quality = result->encode_quality;
  return out;
}

absl::StatusOr<QaReport> QaForView(const Image& input, const Image& output) {
  return RunQa(input, output, nullptr, QaThresholds::Defaults());
}

absl::StatusOr<std::string> SaveForView(const std::string& path, const cv::Mat& pixels, const ImageInfo& source,
                                        std::optional<int> quality, const std::optional<TargetSpec>& target) {
  if (absl::Status s = CheckOutputPath(path, source.path); !s.ok()) return s;
  WriteOptions write;
  write.source = &source;
  write.quality = quality.value_or(kDefaultJpegQuality);
  if (target && target->kind == TargetSpec::Kind::kPrint) write.target_dpi = target->dpi;
  absl::StatusOr<WriteReport> written = WriteImage(path, pixels, write);
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

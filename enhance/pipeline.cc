#include "enhance/pipeline.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>
#include <variant>
#include <vector>

#include <fmt/format.h>
#include <opencv2/core.hpp>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "analysis/advice/plan_ops.h"
#include "analysis/advice/plan_time.h"
#include "analysis/io/color_space.h"
#include "analysis/io/guard.h"
#include "analysis/io/image_writer.h"
#include "analysis/measurements/image_ops.h"
#include "analysis/measurements/target_fit.h"
#include "analysis/measurements/compression.h"
#include "analysis/measurements/dither.h"
#include "analysis/measurements/noise.h"
#include "analysis/measurements/noise_levels.h"
#include "analysis/measurements/visible_part.h"
#include "enhance/alpha_bleed.h"
#include "enhance/deblock.h"
#include "enhance/device.h"
#include "enhance/denoise.h"
#include "enhance/resize.h"
#include "enhance/sharpen.h"
#include "enhance/undither.h"

namespace acuity {
namespace {

constexpr double kMinMeasurableNoiseSigma = 0.5;  // 8-bit units; below this denoise is skipped

// `s` with the step named in front of its message; payloads kept.
absl::Status Named(const std::string& step, const absl::Status& s) {
  if (step.empty()) return s;
  absl::Status named(s.code(), absl::StrCat(step, ": ", s.message()));
  s.ForEachPayload([&](absl::string_view url, const absl::Cord& payload) { named.SetPayload(url, payload); });
  return named;
}

absl::Status Cancelled() { return absl::CancelledError("cancelled"); }

// What every op's run function gets.
struct StepContext {
  const Image& image;  // the input as loaded (its JPEG tables)
  const PipelineOptions& options;
  bool pristine;       // the pixels are still the decoded file's
  // No step has changed the pixels yet: they are the file's, flattened onto
  // white or bled under their transparency at most (RunSteps).
  bool unstepped;
  StepLog& log;
  PipelineResult& result;                // encode steps say how to write
  std::function<bool(double)> progress;  // fraction of this step done; false = cancel

  // Names the step in the log and reports its start; false = cancelled.
  bool Begin(std::string step) {
    log.step = std::move(step);
    return progress(0);
  }
};

absl::StatusOr<cv::Mat> RunStep(const UpscaleStep& s, const cv::Mat& current, StepContext& c) {
  if (!s.factor) return absl::InvalidArgumentError("upscale needs a factor (upscale:2) or a --target");
  UpscaleOptions u = c.options.upscale;
  u.factor = *s.factor;
  if (!s.model.empty()) u.model = s.model;
  if (!c.Begin(fmt::format("upscale {:g}×", *s.factor))) return Cancelled();
  u.progress = c.progress;
  absl::StatusOr<UpscaleResult> up = Upscale(current, u);
  if (!up.ok()) return up.status();
  c.log.step += fmt::format(" ({})", up->model_used);
  c.result.model_load_seconds += up->load_seconds;
  for (const std::string& pass : up->passes) c.log.note += (c.log.note.empty() ? "" : ", ") + pass;
  return std::move(up->pixels);
}

absl::StatusOr<cv::Mat> RunStep(const DownscaleStep& s, const cv::Mat& current, StepContext& c) {
  int w = 0, h = 0;
  if (s.width_px) {
    w = *s.width_px;
    h = s.height_px.value_or(int(std::lround(double(current.rows) * w / current.cols)));
  } else if (s.factor && *s.factor > 0 && *s.factor <= 1) {
    w = std::max(1, int(std::lround(current.cols * *s.factor)));
    h = std::max(1, int(std::lround(current.rows * *s.factor)));
  } else {
    return absl::InvalidArgumentError("downscale needs a factor in (0, 1] or width_px/height_px");
  }
  if (!c.Begin(fmt::format("downscale to {}×{} px", w, h))) return Cancelled();
  return Resize(current, w, h);
}

absl::StatusOr<cv::Mat> RunStep(const ResizeStep& s, const cv::Mat& current, StepContext& c) {
  if (!s.width_px) return absl::InvalidArgumentError("resize needs a size (resize:451x300)");
  const cv::Size size = SizeAfter({s, ""}, current.size());
  if (!c.Begin(fmt::format("resize to {}×{} px", size.width, size.height))) return Cancelled();
  return Resize(current, size.width, size.height);
}

absl::StatusOr<cv::Mat> RunStep(const NearestStep& s, const cv::Mat& current, StepContext& c) {
  if (!s.width_px) return absl::InvalidArgumentError("nearest needs a size (nearest:512x384)");
  const cv::Size size = SizeAfter({s, ""}, current.size());
  if (!c.Begin(fmt::format("repeat pixels to {}×{} px", size.width, size.height))) return Cancelled();
  return RepeatPixels(current, size.width, size.height);
}

absl::StatusOr<cv::Mat> RunStep(const CropStep& s, const cv::Mat& current, StepContext& c) {
  if (!s.width_px || !s.height_px) return absl::InvalidArgumentError("crop without a size needs --target (or crop:WxH)");
  const cv::Size size = SizeAfter({s, ""}, current.size());
  cv::Point at;
  if (s.x_px || s.y_px) {  // a corner given alone leaves the other centred
    at = {std::clamp(s.x_px.value_or((current.cols - size.width) / 2), 0, current.cols - size.width),
          std::clamp(s.y_px.value_or((current.rows - size.height) / 2), 0, current.rows - size.height)};
  } else {
    at = DetailWindow(current, size);
    c.log.note = at == cv::Point((current.cols - size.width) / 2, (current.rows - size.height) / 2)
                     ? fmt::format("at ({}, {}), centred: no side holds clearly more detail", at.x, at.y)
                     : fmt::format("at ({}, {}), where the detail is", at.x, at.y);
  }
  if (!c.Begin(fmt::format("crop to {}×{} px", size.width, size.height))) return Cancelled();
  return current(cv::Rect(at, size)).clone();
}

absl::StatusOr<cv::Mat> RunStep(const PadStep& s, const cv::Mat& current, StepContext& c) {
  if (!s.width_px || !s.height_px) return absl::InvalidArgumentError("pad without a size needs --target (or pad:WxH)");
  const std::optional<Rgb8> color = ParseColor(s.color);
  if (!color) return absl::InvalidArgumentError(fmt::format("pad: unknown colour '{}'", s.color));
  const cv::Size size = SizeAfter({s, ""}, current.size());
  if (!c.Begin(fmt::format("pad to {}×{} px", size.width, size.height))) return Cancelled();
  const double white = WhiteLevel(current), k = white / 255.0;
  const cv::Scalar fill =
      current.channels() == 1 ? cv::Scalar(std::round((0.299 * color->r + 0.587 * color->g + 0.114 * color->b) * k))
                              : cv::Scalar(color->b * k, color->g * k, color->r * k, white);
  const int left = (size.width - current.cols) / 2, top = (size.height - current.rows) / 2;
  cv::Mat out;
  cv::copyMakeBorder(current, out, top, size.height - current.rows - top, left, size.width - current.cols - left,
                     cv::BORDER_CONSTANT, fill);
  return out;
}

absl::StatusOr<cv::Mat> RunStep(const SharpenStep& s, const cv::Mat& current, StepContext& c) {
  SharpenOptions o;
  o.amount = s.amount;
  o.radius_px = s.radius;
  if (!c.Begin(fmt::format("sharpen {:g} %, radius {:g} px", o.amount * 100, o.radius_px))) return Cancelled();
  return Sharpen(current, o);
}

absl::StatusOr<cv::Mat> RunStep(const DenoiseStep& s, const cv::Mat& current, StepContext& c) {
  DenoiseOptions o;
  bool unmeasured = false;  // no σ given, and none could be measured
  // Read on the pixels as they are now: σ when the step gives none, and the
  // luma's share of the noise either way (noise in the colour alone leaves
  // the luma's detail be).
  const NoiseResult noise = MeasureNoise(current).result;
  if (s.sigma) {
    o.sigma = *s.sigma;
  } else {
    o.sigma = noise.sigma.value_or(0);
    unmeasured = !noise.sigma;
    c.log.note = noise.sigma ? fmt::format("noise σ {:.2f} measured", *noise.sigma) : "noise not measurable";
  }
  o.luma_share = LumaShareOfNoise(noise);
  if (current.channels() >= 3 && o.luma_share < 1.0)
    c.log.note += fmt::format("{}luma at {:.0f} % of that strength: its noise is mostly in the colour",
                              c.log.note.empty() ? "" : "; ", 100 * std::max(o.luma_share, kMinLumaShare));
  if (!c.Begin(fmt::format("denoise σ {:.1f}", o.sigma))) return Cancelled();
  o.progress = c.progress;
  if (o.sigma >= kMinMeasurableNoiseSigma) return Denoise(current, o);
  c.log.note += unmeasured ? " (a picture too small to tell noise from detail): left as it is"
                           : ": too little to remove, left as it is";
  return current;
}

absl::StatusOr<cv::Mat> RunStep(const UnditherStep& s, const cv::Mat& current, StepContext& c) {
  // The dither is read on the pixels as they are now (dither.h), or before
  // any step as analyze reads the file (visible_part.h): a few-colour
  // picture flattened onto white gains the blends of its partly transparent
  // edge, which took a PNG8 over 256 colours and its reading to "not
  // measured" after analyze had said "dithered".
  const DitherResult dither = MeasureDither(c.unstepped ? FillUnderTransparency(c.image.pixels) : current).result;
  UnditherOptions o;
  o.screen = dither.screen_period_px.has_value();
  if (s.sigma) {
    o.sigma_px = *s.sigma;
    // As asked; said when the picture holds no dither (a photo's grain
    // alternates too, and is smoothed as a light denoise would).
    if (!dither.detected.value_or(false))
      c.log.note = "no dither found: smoothed anyway at the σ given, where the fine pattern alternates";
  } else {
    // A picture whose dots are not a dither's is left as it is.
    if (!dither.detected.value_or(false)) {
      if (!c.Begin("undither")) return Cancelled();
      c.log.note = dither.detected ? "no dither found: left as it is"
                                   : fmt::format("dither not measured ({}): left as it is",
                                                 dither.not_measured_reason.value_or("no reason"));
      return current;
    }
    o.sigma_px = *dither.undither_sigma_px;
    c.log.note = dither.screen_period_px
                     ? fmt::format("halftone screen measured, period {:.1f} px at {:.0f}°", *dither.screen_period_px,
                                   dither.screen_angle_deg.value_or(0))
                     : fmt::format("dither of {} colours measured, pattern σ {:.1f}", dither.colors.value_or(0),
                                   dither.pattern_sigma_8bit.value_or(0));
  }
  if (!c.Begin(fmt::format("undither σ {:.2f} px", o.sigma_px))) return Cancelled();
  return Undither(current, o);
}

// IJG's tables at `quality` on the grid the pixels show.
DeblockOptions IjgTablesOnGrid(double quality, const CompressionResult& c) {
  DeblockOptions o = DeblockOptionsForQuality(int(std::lround(quality)));
  o.grid_offset_x = c.grid_offset_x.value_or(0);
  o.grid_offset_y = c.grid_offset_y.value_or(0);
  return o;
}

// The quantizer steps to deblock with: the step's quality (IJG tables), else
// the file's own tables while the pixels are the decoded JPEG, else IJG
// tables of the quality estimated from the pixels; nullopt when the pixels
// show no JPEG compression. Says which in the log note.
std::optional<DeblockOptions> DeblockTables(const DeblockStep& s, const cv::Mat& current, StepContext& c) {
  if (s.quality) {
    c.log.note = fmt::format("IJG tables of quality {}", *s.quality);
    return IjgTablesOnGrid(*s.quality, MeasureCompression(current).result);
  }
  if (absl::StatusOr<DeblockOptions> file = DeblockOptionsFromJpeg(c.image.info); c.pristine && file.ok()) {
    c.log.note = "the file's own quantization tables";
    return *file;
  }
  const CompressionResult measured = MeasureCompression(current).result;
  if (!measured.jpeg_quality_estimate) {
    c.log.note = "no sign of JPEG compression: left as it is";
    return std::nullopt;
  }
  DeblockOptions o = IjgTablesOnGrid(*measured.jpeg_quality_estimate, measured);
  o.constrain_to_stored = c.pristine;
  c.log.note = fmt::format("JPEG quality {:.0f} estimated from the pixels", *measured.jpeg_quality_estimate);
  return o;
}

absl::StatusOr<cv::Mat> RunStep(const DeblockStep& s, const cv::Mat& current, StepContext& c) {
  std::optional<DeblockOptions> o = DeblockTables(s, current, c);
  if (!c.Begin("deblock")) return Cancelled();
  if (!o) return current;
  o->strength = s.strength;
  o->progress = c.progress;
  return Deblock(current, *o);
}

absl::StatusOr<cv::Mat> RunStep(const EncodeStep& s, const cv::Mat& current, StepContext& c) {
  c.result.encode_format = s.format;
  c.result.encode_quality = s.quality;
  c.result.encode_max_bytes = s.max_bytes;
  c.result.encode_png_level = s.png_level;
  c.log.step = fmt::format("encode {}{}{}", ImageFormatName(s.format), s.quality ? fmt::format(" q{}", *s.quality) : "",
                           s.png_level && s.format == ImageFormat::kPng ? fmt::format(" level {}", *s.png_level) : "");
  if (s.color_space.empty()) return current;
  if (s.color_space != "srgb")
    return absl::InvalidArgumentError(fmt::format("unknown color_space \"{}\" (srgb)", s.color_space));
  if (IsSrgb(c.image.info)) {
    c.log.note = c.image.info.cmyk ? "its CMYK ink was converted to sRGB when it was read" : "already sRGB";
    return current;
  }
  absl::StatusOr<cv::Mat> converted = ConvertToSrgb(current, c.image.info.icc_profile);
  if (!converted.ok()) return converted.status();
  c.result.icc_profile = SrgbIccProfile();
  c.log.note = fmt::format("converted from {} to sRGB", ColorSpaceName(c.image.info));
  return converted;
}

}  // namespace

WriteOptions ResultWriteOptions(const ImageInfo& source, std::optional<int> quality,
                                const std::optional<TargetSpec>& target) {
  WriteOptions write;
  write.source = &source;
  write.quality = quality.value_or(kDefaultJpegQuality);
  if (target && target->kind == TargetSpec::Kind::kPrint) write.target_dpi = target->dpi;
  return write;
}

WriteOptions ResultWriteOptions(const ImageInfo& source, const PipelineResult& result, std::optional<int> quality,
                                const std::optional<TargetSpec>& target) {
  WriteOptions write = ResultWriteOptions(source, quality ? quality : result.encode_quality, target);
  write.icc_profile = result.icc_profile;
  write.record = result.record;
  write.px_per_source_px = result.px_per_source_px;
  if (result.encode_max_bytes) write.max_bytes = std::uintmax_t(*result.encode_max_bytes);
  if (result.encode_png_level) write.png_level = *result.encode_png_level;
  return write;
}

namespace {

// The format the result is written in: the plan's last encode step's, else
// `output_format` (kUnknown when neither says: then nothing is flattened).
ImageFormat WrittenFormat(const Plan& plan, ImageFormat output_format) {
  const EncodeStep* encode = LastEncodeStep(plan);
  return encode != nullptr ? encode->format : output_format;
}

// RunPlan without its outer guard.
absl::StatusOr<PipelineResult> RunSteps(const Image& image, const Plan& plan, const PipelineOptions& options) {
  // Progress is weighted by each step's expected time.
  const std::vector<double> costs =
      EstimatedStepSeconds(plan, image.pixels, options.upscale.model, PlanDeviceKind(plan, options.upscale.device));
  double total_cost = 0;
  for (double cost : costs) total_cost += cost;
  double done_cost = 0;
  auto report = [&](double fraction_of_step, const std::string& name, size_t i) {
    if (options.step_progress) options.step_progress(std::clamp(fraction_of_step, 0.0, 1.0));
    if (!options.progress) return true;
    const double f = total_cost > 0 ? (done_cost + fraction_of_step * costs[i]) / total_cost : 1.0;
    return options.progress(std::clamp(f, 0.0, 1.0), name);
  };

  PipelineResult result;
  // The file's history goes on: this run's enlargement multiplies the
  // source's, and a sharpen counts until a later enlargement softens it.
  result.record = image.info.acuity_record.value_or(AcuityRecord{});
  std::vector<std::string> step_names;
  cv::Mat current = image.pixels;
  bool pristine = true;  // still the decoded file's pixels (for the JPEG tables)
  bool unstepped = true;  // no step has changed them yet (StepContext)
  // Said in the first step's note: the log keeps one entry per step.
  std::string flattened;
  if (current.channels() == 4 && !plan.steps.empty()) {
    const ImageFormat written = WrittenFormat(plan, options.output_format);
    if (written != ImageFormat::kUnknown && !WritesAlpha(written)) {
      current = FlattenOntoWhite(current);
      pristine = false;
      flattened = fmt::format("transparency flattened onto white first: a {} keeps none", ImageFormatName(written));
    } else {
      current = BleedUnderTransparency(current);  // its transparency is kept: no colour hidden under it leaks out
    }
  }
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    const auto start = std::chrono::steady_clock::now();
    StepLog log;
    StepContext context{image,  options, pristine, unstepped,
                        log,    result,  [&](double f) { return report(f, log.step, i); }};
    absl::StatusOr<cv::Mat> next = CatchToStatus("enhancing", [&] {
      return std::visit([&](const auto& step) { return RunStep(step, current, context); }, plan.steps[i].params);
    });
    if (!next.ok())
      return next.status().code() == absl::StatusCode::kCancelled ? next.status() : Named(log.step, next.status());
    if (next->data != current.data) pristine = unstepped = false;
    const StepParams& params = plan.steps[i].params;
    if (std::holds_alternative<UpscaleStep>(params) || std::holds_alternative<DownscaleStep>(params) ||
        std::holds_alternative<ResizeStep>(params) || std::holds_alternative<NearestStep>(params)) {
      result.px_per_source_px.x *= double(next->cols) / current.cols;
      result.px_per_source_px.y *= double(next->rows) / current.rows;
      const double by = std::sqrt(double(next->cols) * next->rows / (double(current.cols) * current.rows));
      result.record.enlargement = std::max(1.0, result.record.enlargement * by);
      if (by >= kRecordedEnlargementMin) result.record.sharpened = false;
    }
    if (std::holds_alternative<SharpenStep>(params)) result.record.sharpened = true;
    current = *std::move(next);
    log.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    log.width = current.cols;
    log.height = current.rows;
    if (i == 0 && !flattened.empty()) log.note = log.note.empty() ? flattened : flattened + "; " + log.note;
    if (!std::holds_alternative<EncodeStep>(params)) step_names.push_back(log.step);
    result.log.push_back(log);
    done_cost += costs[i];
    if (!report(0, log.step, i + 1 < plan.steps.size() ? i + 1 : i)) return Cancelled();
  }
  if (options.progress && !options.progress(1.0, "done")) return Cancelled();
  result.pixels = current.data == image.pixels.data ? current.clone() : current;
  result.record.steps = absl::StrJoin(step_names, ", ");
  return result;
}

}  // namespace

absl::StatusOr<PipelineResult> RunPlan(const Image& image, const Plan& plan, const PipelineOptions& options) {
  return CatchToStatus("enhancing", [&] { return RunSteps(image, plan, options); });
}

}  // namespace acuity

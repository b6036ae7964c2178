#include "enhance/pipeline.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "analysis/measurements/compression.h"
#include "analysis/measurements/noise.h"
#include "enhance/deblock.h"
#include "enhance/denoise.h"
#include "enhance/resize.h"
#include "enhance/sharpen.h"

namespace acuity {
namespace {

constexpr char kKnownOps[] = "deblock, denoise, upscale, downscale, sharpen, encode";
constexpr double kDefaultSharpenAmount = 0.4;
constexpr double kDefaultSharpenRadiusPx = 1.0;
constexpr double kMaxUpscaleFactor = 16;
constexpr double kMinMeasurableNoiseSigma = 0.5;  // 8-bit units; below this denoise is skipped

absl::Status StepError(const std::string& step, const std::string& message) {
  return absl::InvalidArgumentError(absl::StrCat("step '", step, "': ", message));
}

// A number, allowing the spellings people type: "x4", "4x", "40%".
std::optional<double> ParseNumber(std::string value, bool allow_percent, bool allow_x) {
  double scale = 1;
  if (allow_percent && !value.empty() && value.back() == '%') value.pop_back(), scale = 0.01;
  if (allow_x && !value.empty() && (value.front() == 'x' || value.front() == 'X')) value.erase(0, 1);
  if (allow_x && !value.empty() && (value.back() == 'x' || value.back() == 'X' || value.back() == '\xD7'))
    value.pop_back();
  double v = 0;
  if (!absl::SimpleAtod(value, &v) || !std::isfinite(v)) return std::nullopt;
  return v * scale;
}

struct OpSpec {
  std::vector<std::string> positional;  // param names in positional order
  std::vector<std::string> named;       // every accepted name
};

const std::map<std::string, OpSpec>& Ops() {
  static const auto* ops = new std::map<std::string, OpSpec>{
      {"upscale", {{"factor", "model"}, {"factor", "model"}}},
      {"downscale", {{"factor"}, {"factor", "width_px", "height_px"}}},
      {"sharpen", {{"amount", "radius"}, {"amount", "radius"}}},
      {"denoise", {{"sigma"}, {"sigma"}}},
      {"deblock", {{"quality"}, {"quality", "strength"}}},
      {"encode", {{"format", "quality"}, {"format", "quality"}}},
  };
  return *ops;
}

// Checks and converts one param of `op`; writes it into `params`.
absl::Status SetParam(const std::string& step, const std::string& op, const std::string& name,
                      const std::string& value, nlohmann::json& params) {
  if (name == "model") {
    if (value.empty()) return StepError(step, "model name is empty");
    params[name] = value;
    return absl::OkStatus();
  }
  if (name == "format") {
    std::string f = absl::AsciiStrToLower(value);
    if (f == "jpg") f = "jpeg";
    if (f == "tif") f = "tiff";
    if (f != "jpeg" && f != "png" && f != "tiff" && f != "webp")
      return StepError(step, absl::StrCat("unknown format '", value, "' (jpeg, png, tiff or webp)"));
    params[name] = f;
    return absl::OkStatus();
  }
  if (op == "downscale" && name == "factor" && value.find_first_of("xX") != std::string::npos &&
      value.front() != 'x' && value.front() != 'X') {  // WxH
    std::vector<std::string> wh = absl::StrSplit(absl::AsciiStrToLower(value), 'x');
    int w = 0, h = 0;
    if (wh.size() != 2 || !absl::SimpleAtoi(wh[0], &w) || !absl::SimpleAtoi(wh[1], &h) || w < 1 || h < 1)
      return StepError(step, absl::StrCat("'", value, "' is not a size like 1600x1200"));
    params["width_px"] = w;
    params["height_px"] = h;
    return absl::OkStatus();
  }
  const std::optional<double> v = ParseNumber(value, name == "amount", name == "factor");
  if (!v) return StepError(step, absl::StrCat(name, " '", value, "' is not a number"));
  auto out_of_range = [&](const char* range) {
    return StepError(step, absl::StrCat(name, " ", value, " is outside ", range));
  };
  if (op == "upscale" && !(*v >= 1 && *v <= kMaxUpscaleFactor)) return out_of_range("1–16");
  if (op == "downscale" && name == "factor" && !(*v > 0 && *v <= 1))
    return out_of_range("(0, 1] (use upscale to enlarge)");
  if ((name == "width_px" || name == "height_px") && !(*v >= 1 && *v == std::floor(*v)))
    return out_of_range("whole pixels ≥ 1");
  if (name == "amount" && !(*v >= 0 && *v <= 5)) return out_of_range("0–5 (0.4 = 40 %)");
  if (name == "radius" && !(*v >= 0.3 && *v <= 50)) return out_of_range("0.3–50 px");
  if (name == "sigma" && !(*v > 0 && *v <= 100)) return out_of_range("(0, 100] (8-bit units)");
  if (name == "quality" && !(*v >= 1 && *v <= 100)) return out_of_range("1–100");
  if (name == "strength" && !(*v >= 0 && *v <= 1)) return out_of_range("0–1");
  if (name == "width_px" || name == "height_px" || name == "quality") params[name] = int(std::lround(*v));
  else params[name] = *v;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Plan> ParseSteps(std::string_view steps) {
  Plan plan;
  const absl::string_view text(steps.data(), steps.size());
  if (absl::StripAsciiWhitespace(text).empty())
    return absl::InvalidArgumentError(absl::StrCat("no steps given (known: ", kKnownOps, ")"));
  for (absl::string_view raw : absl::StrSplit(text, ',')) {
    const std::string step(absl::StripAsciiWhitespace(raw));
    if (step.empty()) return absl::InvalidArgumentError("an empty step in the list (two commas?)");
    std::vector<std::string> parts = absl::StrSplit(step, ':');
    const std::string op = absl::AsciiStrToLower(absl::StripAsciiWhitespace(parts[0]));
    auto it = Ops().find(op);
    if (it == Ops().end())
      return StepError(step, absl::StrCat("unknown operation '", op, "' (known: ", kKnownOps, ")"));
    const OpSpec& spec = it->second;
    PlanStep out{op, nlohmann::json::object(), "given on the command line"};
    for (size_t i = 1; i < parts.size(); ++i) {
      const std::string arg(absl::StripAsciiWhitespace(parts[i]));
      std::string name, value;
      if (const size_t eq = arg.find('='); eq != std::string::npos) {
        name = absl::AsciiStrToLower(arg.substr(0, eq));
        value = arg.substr(eq + 1);
        if (std::find(spec.named.begin(), spec.named.end(), name) == spec.named.end())
          return StepError(step, absl::StrCat(op, " has no parameter '", name, "'"));
      } else {
        if (i - 1 >= spec.positional.size())
          return StepError(step, absl::StrCat("too many values for ", op));
        name = spec.positional[i - 1];
        value = arg;
      }
      if (value.empty()) return StepError(step, absl::StrCat(name, " is empty"));
      if (absl::Status s = SetParam(step, op, name, value, out.params); !s.ok()) return s;
    }
    if (op == "downscale" && !out.params.contains("factor") && !out.params.contains("width_px"))
      return StepError(step, "downscale needs a factor (downscale:0.5) or a size (downscale:1600x1200)");
    if (op == "encode" && !out.params.contains("format"))
      return StepError(step, "encode needs a format (encode:jpeg:85)");
    if (op == "sharpen") {
      if (!out.params.contains("amount")) out.params["amount"] = kDefaultSharpenAmount;
      if (!out.params.contains("radius")) out.params["radius"] = kDefaultSharpenRadiusPx;
    }
    plan.steps.push_back(std::move(out));
  }
  return plan;
}

namespace {

std::optional<double> Number(const nlohmann::json& params, const char* name) {
  auto it = params.find(name);
  if (it == params.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

std::string Text(const nlohmann::json& params, const char* name) {
  auto it = params.find(name);
  return it != params.end() && it->is_string() ? it->get<std::string>() : "";
}

// Size after a step (for progress weights) and its relative cost per pixel.
struct Estimate {
  int width, height;
  double cost;
};

Estimate EstimateStep(const PlanStep& s, int w, int h) {
  const double px = double(w) * h;
  if (s.op == "upscale") {
    const double f = Number(s.params, "factor").value_or(1);
    return {int(std::lround(w * f)), int(std::lround(h * f)), 60 * px * f * f};
  }
  if (s.op == "downscale") {
    if (auto wp = Number(s.params, "width_px")) return {int(*wp), int(Number(s.params, "height_px").value_or(h)), px};
    const double f = Number(s.params, "factor").value_or(1);
    return {int(std::lround(w * f)), int(std::lround(h * f)), px};
  }
  if (s.op == "denoise") return {w, h, 25 * px};
  if (s.op == "deblock") return {w, h, 10 * px};
  if (s.op == "sharpen") return {w, h, px};
  return {w, h, 0};
}

absl::StatusOr<ImageFormat> FormatFromName(const std::string& name) {
  if (name == "jpeg") return ImageFormat::kJpeg;
  if (name == "png") return ImageFormat::kPng;
  if (name == "tiff") return ImageFormat::kTiff;
  if (name == "webp") return ImageFormat::kWebp;
  return absl::InvalidArgumentError(absl::StrCat("encode: unknown format '", name, "'"));
}

absl::Status Named(const std::string& step, const absl::Status& s) {
  return absl::Status(s.code(), absl::StrCat(step, ": ", s.message()));
}

}  // namespace

absl::StatusOr<PipelineResult> RunPlan(const Image& image, const Plan& plan, const PipelineOptions& options) {
  std::vector<double> costs;
  double total_cost = 0;
  {
    int w = image.pixels.cols, h = image.pixels.rows;
    for (const PlanStep& s : plan.steps) {
      const Estimate e = EstimateStep(s, w, h);
      costs.push_back(e.cost);
      total_cost += e.cost;
      w = e.width, h = e.height;
    }
  }
  PipelineResult result;
  cv::Mat current = image.pixels;
  bool pristine = true;  // still the decoded file's pixels (for the JPEG tables)
  double done_cost = 0;
  auto report = [&](double fraction_of_step, const std::string& name, size_t i) {
    if (!options.progress) return true;
    const double f = total_cost > 0 ? (done_cost + fraction_of_step * costs[i]) / total_cost : 1.0;
    return options.progress(std::clamp(f, 0.0, 1.0), name);
  };

  for (size_t i = 0; i < plan.steps.size(); ++i) {
    const PlanStep& s = plan.steps[i];
    const auto start = std::chrono::steady_clock::now();
    StepLog log;
    absl::StatusOr<cv::Mat> next = current;
    if (s.op == "upscale") {
      const std::optional<double> factor = Number(s.params, "factor");
      if (!factor) return absl::InvalidArgumentError("upscale needs a factor (upscale:2) or a --target");
      UpscaleOptions u = options.upscale;
      u.factor = *factor;
      if (const std::string model = Text(s.params, "model"); !model.empty()) u.model = model;
      log.step = fmt::format("upscale {:g}×", *factor);
      if (!report(0, log.step, i)) return absl::CancelledError("cancelled");
      u.progress = [&](double f) { return report(f, log.step, i); };
      absl::StatusOr<UpscaleResult> up = Upscale(current, u);
      if (!up.ok()) return up.status().code() == absl::StatusCode::kCancelled ? up.status() : Named(log.step, up.status());
      log.step += fmt::format(" ({})", up->model_used);
      for (const std::string& pass : up->passes) log.note += (log.note.empty() ? "" : ", ") + pass;
      next = std::move(up->pixels);
    } else if (s.op == "downscale") {
      int w = 0, h = 0;
      if (auto wp = Number(s.params, "width_px")) {
        w = int(*wp);
        h = int(Number(s.params, "height_px").value_or(std::lround(current.rows * *wp / current.cols)));
      } else if (auto f = Number(s.params, "factor"); f && *f > 0 && *f <= 1) {
        w = std::max(1, int(std::lround(current.cols * *f)));
        h = std::max(1, int(std::lround(current.rows * *f)));
      } else {
        return absl::InvalidArgumentError("downscale needs a factor in (0, 1] or width_px/height_px");
      }
      log.step = fmt::format("downscale to {}×{} px", w, h);
      if (!report(0, log.step, i)) return absl::CancelledError("cancelled");
      next = Resize(current, w, h);
    } else if (s.op == "sharpen") {
      SharpenOptions o;
      o.amount = Number(s.params, "amount").value_or(kDefaultSharpenAmount);
      o.radius_px = Number(s.params, "radius").value_or(kDefaultSharpenRadiusPx);
      log.step = fmt::format("sharpen {:g} %, radius {:g} px", o.amount * 100, o.radius_px);
      if (!report(0, log.step, i)) return absl::CancelledError("cancelled");
      next = Sharpen(current, o);
    } else if (s.op == "denoise") {
      DenoiseOptions o;
      if (auto sigma = Number(s.params, "sigma")) {
        o.sigma = *sigma;
      } else {
        const std::optional<double> measured = MeasureNoise(current).result.sigma;
        o.sigma = measured.value_or(0);
        log.note = measured ? fmt::format("noise σ {:.2f} measured", *measured) : "noise not measurable";
      }
      log.step = fmt::format("denoise σ {:.1f}", o.sigma);
      if (!report(0, log.step, i)) return absl::CancelledError("cancelled");
      o.progress = [&](double f) { return report(f, log.step, i); };
      if (o.sigma < kMinMeasurableNoiseSigma) log.note += ": too little to remove, left as it is";
      else next = Denoise(current, o);
    } else if (s.op == "deblock") {
      std::optional<DeblockOptions> o;
      if (auto q = Number(s.params, "quality")) {
        o = DeblockOptionsForQuality(int(std::lround(*q)));
        const CompressionResult c = MeasureCompression(current).result;
        o->grid_offset_x = c.grid_offset_x.value_or(0);
        o->grid_offset_y = c.grid_offset_y.value_or(0);
        log.note = fmt::format("IJG tables of quality {:.0f}", *q);
      } else if (absl::StatusOr<DeblockOptions> file = DeblockOptionsFromJpeg(image.info); pristine && file.ok()) {
        o = *file;
        log.note = "the file's own quantization tables";
      } else {
        const CompressionResult c = MeasureCompression(current).result;
        if (c.jpeg_quality_estimate) {
          o = DeblockOptionsForQuality(int(std::lround(*c.jpeg_quality_estimate)));
          o->grid_offset_x = c.grid_offset_x.value_or(0);
          o->grid_offset_y = c.grid_offset_y.value_or(0);
          o->constrain_to_stored = pristine;
          log.note = fmt::format("JPEG quality {:.0f} estimated from the pixels", *c.jpeg_quality_estimate);
        } else {
          log.note = "no sign of JPEG compression: left as it is";
        }
      }
      log.step = "deblock";
      if (!report(0, log.step, i)) return absl::CancelledError("cancelled");
      if (o) {
        o->strength = Number(s.params, "strength").value_or(1.0);
        o->progress = [&](double f) { return report(f, log.step, i); };
        next = Deblock(current, *o);
      }
    } else if (s.op == "encode") {
      absl::StatusOr<ImageFormat> f = FormatFromName(Text(s.params, "format"));
      if (!f.ok()) return f.status();
      result.encode_format = *f;
      if (auto q = Number(s.params, "quality")) result.encode_quality = int(std::lround(*q));
      log.step = fmt::format("encode {}{}", Text(s.params, "format"),
                             result.encode_quality ? fmt::format(" q{}", *result.encode_quality) : "");
    } else {
      return absl::InvalidArgumentError(absl::StrCat("unknown operation '", s.op, "' (known: ", kKnownOps, ")"));
    }
    if (!next.ok())
      return next.status().code() == absl::StatusCode::kCancelled ? next.status() : Named(log.step, next.status());
    if (s.op != "encode" && next->data != current.data) pristine = false;
    current = *std::move(next);
    log.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    log.width = current.cols;
    log.height = current.rows;
    result.log.push_back(log);
    done_cost += costs[i];
    if (!report(0, log.step, i + 1 < plan.steps.size() ? i + 1 : i)) return absl::CancelledError("cancelled");
  }
  if (options.progress && !options.progress(1.0, "done")) return absl::CancelledError("cancelled");
  result.pixels = current.data == image.pixels.data ? current.clone() : current;
  return result;
}

}  // namespace acuity

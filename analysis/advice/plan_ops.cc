#include "analysis/advice/plan_ops.h"

#include <algorithm>
#include <cmath>
#include <type_traits>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "absl/strings/ascii.h"
#include "analysis/measurements/dither.h"
#include "analysis/measurements/target_spec.h"

namespace acuity {
namespace {

constexpr ImageFormat kStepFormats[] = {ImageFormat::kJpeg, ImageFormat::kPng, ImageFormat::kTiff,
                                        ImageFormat::kWebp};

// Reading and writing a typed field as a ParamValue.
std::optional<ParamValue> Read(double v) { return ParamValue(v); }
std::optional<ParamValue> Read(const std::optional<double>& v) {
  return v ? std::optional<ParamValue>(*v) : std::nullopt;
}
std::optional<ParamValue> Read(const std::optional<int>& v) {
  return v ? std::optional<ParamValue>(double(*v)) : std::nullopt;
}
std::optional<ParamValue> Read(const std::string& v) {
  return v.empty() ? std::nullopt : std::optional<ParamValue>(v);
}
std::optional<ParamValue> Read(ImageFormat v) { return ParamValue(std::string(ImageFormatName(v))); }

void Write(double& field, const ParamValue& v) { field = std::get<double>(v); }
void Write(std::optional<double>& field, const ParamValue& v) { field = std::get<double>(v); }
void Write(std::optional<int>& field, const ParamValue& v) { field = int(std::lround(std::get<double>(v))); }
void Write(std::string& field, const ParamValue& v) { field = std::get<std::string>(v); }
void Write(ImageFormat& field, const ParamValue& v) {
  field = ParseFormatName(std::get<std::string>(v)).value_or(ImageFormat::kUnknown);
}

// Builds one ParamSpec bound to a field of a step struct.
class Param {
 public:
  template <typename Step, typename T>
  Param(std::string_view name, T Step::*field) {
    spec_.name = name;
    if constexpr (std::is_same_v<T, std::string>) spec_.kind = ParamKind::kText;
    if constexpr (std::is_same_v<T, ImageFormat>) spec_.kind = ParamKind::kFormat;
    spec_.get = [field](const StepParams& s) { return Read(std::get<Step>(s).*field); };
    spec_.set = [field](StepParams& s, const ParamValue& v) { Write(std::get<Step>(s).*field, v); };
  }
  Param& Range(double min, double max, std::string range) {
    spec_.min = min, spec_.max = max, spec_.range = std::move(range);
    return *this;
  }
  Param& Values(std::string range) { return spec_.range = std::move(range), *this; }
  Param& Color() { return spec_.kind = ParamKind::kColor, *this; }
  Param& MinExclusive() { return spec_.min_exclusive = true, *this; }
  Param& Whole() { return spec_.whole = true, *this; }
  Param& Unit(std::string_view unit) { return spec_.unit = unit, *this; }
  Param& Note(std::string_view note) { return spec_.range_note = note, *this; }
  Param& Spell(Spelling spelling) { return spec_.spelling = spelling, *this; }
  Param& SizeInto(std::string_view width, std::string_view height) { return spec_.size_into = {width, height}, *this; }
  Param& Absent(std::string_view what) { return spec_.absent = what, *this; }
  Param& Positional() { return spec_.positional = true, *this; }
  Param& Doc(std::string_view doc) { return spec_.doc = doc, *this; }
  Param& Json(JsonNumber json) { return spec_.json = json, *this; }
  operator ParamSpec() const { return spec_; }

 private:
  ParamSpec spec_;
};

template <typename Step>
std::function<StepParams()> Make() {
  return [] { return StepParams(Step{}); };
}

template <typename Step>
std::function<std::string(const StepParams&)> Text(std::string (*text)(const Step&)) {
  return [text](const StepParams& s) { return text(std::get<Step>(s)); };
}

// The parameters of an op that reaches an exact size (resize, nearest):
// width_px, positional, also taking the size as WxH, and height_px, which
// keeps the aspect ratio when absent. `width_doc`: a literal (kept as a view).
template <typename Step>
std::vector<ParamSpec> SizeToReach(std::string_view width_doc) {
  return {Param("width_px", &Step::width_px)
              .Range(1, 1e9, "≥ 1").Whole().Unit("px").SizeInto("width_px", "height_px").Positional()
              .Json(JsonNumber::kInteger)
              .Doc(width_doc),
          Param("height_px", &Step::height_px)
              .Range(1, 1e9, "≥ 1").Whole().Unit("px").Json(JsonNumber::kInteger)
              .Absent("keeps the aspect ratio")
              .Doc("height to reach")};
}

// The text forms: the advisor's plan text (`acuity advise`) is made of these.
std::string DeblockText(const DeblockStep& s) { return fmt::format("deblock (strength {:.2f})", s.strength); }
std::string DenoiseText(const DenoiseStep& s) {
  return s.sigma ? fmt::format("denoise (σ {:g})", *s.sigma) : "denoise (σ measured)";
}
std::string UnditherText(const UnditherStep& s) {
  return s.sigma ? fmt::format("undither (σ {:g} px)", *s.sigma) : "undither (σ measured)";
}
std::string UpscaleText(const UpscaleStep& s) {
  const std::string model = s.model.empty() ? "auto" : s.model;
  return s.factor ? fmt::format("upscale ×{:g} ({})", *s.factor, model)
                  : fmt::format("upscale to the target ({})", model);
}
std::string DownscaleText(const DownscaleStep& s) {
  if (s.width_px && s.height_px) return fmt::format("downscale to {}×{} px (area)", *s.width_px, *s.height_px);
  if (s.width_px) return fmt::format("downscale to {} px wide (area)", *s.width_px);
  return fmt::format("downscale ×{:g} (area)", s.factor.value_or(1));
}
std::string CropText(const CropStep& s) {
  if (!s.width_px || !s.height_px) return "crop to the target's aspect";
  const std::string at = s.x_px || s.y_px ? fmt::format(" at ({}, {})", s.x_px.value_or(0), s.y_px.value_or(0))
                                          : " (where the detail is)";
  return fmt::format("crop to {}×{} px{}", *s.width_px, *s.height_px, at);
}
std::string ResizeText(const ResizeStep& s) {
  if (s.width_px && s.height_px) return fmt::format("resize to {}×{} px", *s.width_px, *s.height_px);
  return fmt::format("resize to {} px wide", s.width_px.value_or(0));
}
std::string NearestText(const NearestStep& s) {
  if (s.width_px && s.height_px) return fmt::format("repeat pixels to {}×{} px (nearest neighbour)", *s.width_px, *s.height_px);
  return fmt::format("repeat pixels to {} px wide (nearest neighbour)", s.width_px.value_or(0));
}
std::string PadText(const PadStep& s) {
  if (!s.width_px || !s.height_px) return fmt::format("pad to the target's size ({})", s.color);
  return fmt::format("pad to {}×{} px ({})", *s.width_px, *s.height_px, s.color);
}
std::string SharpenText(const SharpenStep& s) {
  return fmt::format("sharpen {:.0f} %, radius {:g} px", s.amount * 100, s.radius);
}
std::string EncodeText(const EncodeStep& s) {
  const char* format = ImageFormatName(s.format);
  std::string text =
      s.quality ? fmt::format("encode {} quality {}", format, *s.quality) : fmt::format("encode {}", format);
  if (s.max_bytes) text += fmt::format(", at most {:.2g} MB", *s.max_bytes / 1e6);
  if (s.png_level && s.format == ImageFormat::kPng) text += fmt::format(", zlib level {}", *s.png_level);
  if (!s.color_space.empty()) text += fmt::format(", in {}", s.color_space == "srgb" ? "sRGB" : s.color_space);
  return text;
}

// The table: the only place an op's parameters are declared. One entry per
// StepParams alternative, in its order (plan_ops_test checks); defaults
// without an `Absent` text are read from the structs in plan.h.
std::vector<OpSpec> BuildTable() {
  std::vector<OpSpec> ops;
  ops.push_back({"undither", "a few-colour picture's dither dots smoothed where they alternate (a light low-pass), "
                             "or a printed halftone screen's everywhere, before any upscale",
                 {Param("sigma", &UnditherStep::sigma)
                      .Range(kMinUnditherSigmaPx, kMaxUnditherSigmaPx, "0.3–5").Unit("px").Positional()
                      .Absent("measured")
                      .Doc("Gaussian σ of the low-pass")},
                 {}, "", Make<UnditherStep>(), Text(&UnditherText)});
  ops.push_back({"deblock", "JPEG blocking and ringing repair (shifted-grid re-quantization)",
                 {Param("quality", &DeblockStep::quality)
                      .Range(1, 100, "1–100").Positional()
                      .Absent("the file's own tables, else estimated from the pixels")
                      .Doc("the IJG quality whose tables the damage came from"),
                  Param("strength", &DeblockStep::strength)
                      .Range(0, 1, "0–1")
                      .Doc("blend from the input (0) to the full repair (1)")},
                 {}, "", Make<DeblockStep>(), Text(&DeblockText)});
  ops.push_back({"denoise", "non-local means, keeping texture the noise does not explain",
                 {Param("sigma", &DenoiseStep::sigma)
                      .Range(0, 100, "(0, 100]").MinExclusive().Unit("8-bit levels").Positional()
                      .Absent("measured")
                      .Doc("noise σ to remove")},
                 {}, "", Make<DenoiseStep>(), Text(&DenoiseText)});
  ops.push_back({"crop", "cut to a size (the target's aspect) before upscaling, so no cut pixel is upscaled",
                 {Param("width_px", &CropStep::width_px)
                      .Range(1, 1e9, "≥ 1").Whole().Unit("px").SizeInto("width_px", "height_px").Positional()
                      .Json(JsonNumber::kInteger).Absent("what --target keeps")
                      .Doc("size kept, as WxH (1600x1200)"),
                  Param("height_px", &CropStep::height_px)
                      .Range(1, 1e9, "≥ 1").Whole().Unit("px").Json(JsonNumber::kInteger)
                      .Absent("what --target keeps")
                      .Doc("height kept"),
                  Param("x_px", &CropStep::x_px)
                      .Range(0, 1e9, "≥ 0").Whole().Unit("px").Json(JsonNumber::kInteger)
                      .Absent("where the detail is")
                      .Doc("left edge of the window kept"),
                  Param("y_px", &CropStep::y_px)
                      .Range(0, 1e9, "≥ 0").Whole().Unit("px").Json(JsonNumber::kInteger)
                      .Absent("where the detail is")
                      .Doc("top edge of the window kept")},
                 {}, "", Make<CropStep>(), Text(&CropText)});
  ops.push_back({"upscale", "AI super-resolution; ≤ 4× per pass (esrgan-thick: its own ×8 for ×5–×8), fractional factors come back down by area averaging",
                 {Param("factor", &UpscaleStep::factor)
                      .Range(1, 16, "1–16").Unit("×").Spell(Spelling::kFactor).Positional()
                      .Absent("what --target needs").Json(JsonNumber::kIntegerWhenWhole)
                      .Doc("enlargement (2, 2.5, x4)"),
                  Param("model", &UpscaleStep::model)
                      .Values("NAME or FILE.pt").Positional()
                      .Absent("--model, else acuity picks")
                      .Doc("a built-in model (see --model) or a TorchScript file")},
                 {}, "", Make<UpscaleStep>(), Text(&UpscaleText)});
  ops.push_back({"downscale", "area-average down",
                 {Param("factor", &DownscaleStep::factor)
                      .Range(0, 1, "(0, 1]").MinExclusive().Unit("×").Note("(use upscale to enlarge)")
                      .Spell(Spelling::kFactor).SizeInto("width_px", "height_px").Positional()
                      .Doc("reduction, or the size as WxH (1600x1200)"),
                  Param("width_px", &DownscaleStep::width_px)
                      .Range(1, 1e9, "≥ 1").Whole().Unit("px").Json(JsonNumber::kInteger)
                      .Absent("from factor")
                      .Doc("width to reach"),
                  Param("height_px", &DownscaleStep::height_px)
                      .Range(1, 1e9, "≥ 1").Whole().Unit("px").Json(JsonNumber::kInteger)
                      .Absent("keeps the aspect ratio")
                      .Doc("height to reach")},
                 {"factor", "width_px"}, "downscale needs a factor (downscale:0.5) or a size (downscale:1600x1200)",
                 Make<DownscaleStep>(), Text(&DownscaleText)});
  ops.push_back({"resize", "resample to an exact size: area averaging down, Lanczos-4 up (small corrections; "
                 "upscale enlarges)",
                 SizeToReach<ResizeStep>("width to reach, or the size as WxH (451x300)"),
                 {"width_px"}, "resize needs a size (resize:451x300) or a width (resize:451)", Make<ResizeStep>(),
                 Text(&ResizeText)});
  ops.push_back({"nearest", "enlarge by repeating pixels (nearest neighbour): pixel art's exact enlargement, "
                            "squares of even sides at whole factors",
                 SizeToReach<NearestStep>("width to reach, or the size as WxH (512x384)"),
                 {"width_px"}, "nearest needs a size (nearest:512x384) or a width (nearest:512)", Make<NearestStep>(),
                 Text(&NearestText)});
  ops.push_back({"sharpen", "unsharp mask on luma with a halo guard",
                 {Param("amount", &SharpenStep::amount)
                      .Range(0, 5, "0–5").Note("(0.4 = 40 %)").Spell(Spelling::kPercent).Positional()
                      .Doc("detail added back: 0.4 = 40 % (40% also reads)"),
                  Param("radius", &SharpenStep::radius)
                      .Range(0.3, 50, "0.3–50").Unit("px").Positional()
                      .Doc("Gaussian σ of the mask")},
                 {}, "", Make<SharpenStep>(), Text(&SharpenText)});
  ops.push_back({"pad", "extend the canvas to a size, the image centred on a colour (after sharpening: no halo "
                 "at the border)",
                 {Param("width_px", &PadStep::width_px)
                      .Range(1, 1e9, "≥ 1").Whole().Unit("px").SizeInto("width_px", "height_px").Positional()
                      .Json(JsonNumber::kInteger).Absent("the --target's size")
                      .Doc("canvas size, as WxH (2000x2000)"),
                  Param("color", &PadStep::color)
                      .Color().Values("white, black, gray, #RRGGBB").Positional()
                      .Doc("the fill"),
                  Param("height_px", &PadStep::height_px)
                      .Range(1, 1e9, "≥ 1").Whole().Unit("px").Json(JsonNumber::kInteger)
                      .Absent("the --target's size")
                      .Doc("canvas height")},
                 {}, "", Make<PadStep>(), Text(&PadText)});
  ops.push_back({"encode", "how OUT is written; must agree with its extension",
                 {Param("format", &EncodeStep::format)
                      .Values("jpeg, png, tiff, webp").Positional()
                      .Doc("the file format (jpg and tif also read)"),
                  Param("quality", &EncodeStep::quality)
                      .Range(1, 100, "1–100").Positional()
                      .Absent("--quality, else the writer's default")
                      .Doc("JPEG/WebP quality"),
                  Param("max_bytes", &EncodeStep::max_bytes)
                      .Range(1000, 2e9, "1000–2e9").Whole().Unit("bytes").Json(JsonNumber::kInteger)
                      .Absent("no limit")
                      .Doc("largest file: JPEG/WebP quality is lowered until it fits"),
                  Param("color_space", &EncodeStep::color_space)
                      .Values("srgb")
                      .Absent("the input's colours, as they are")
                      .Doc("srgb: convert from the input's ICC profile to sRGB"),
                  Param("png_level", &EncodeStep::png_level)
                      .Range(0, 9, "0–9").Whole().Json(JsonNumber::kInteger)
                      .Absent("4")  // kDefaultPngLevel (image_writer.h; a test holds them equal)
                      .Doc("PNG zlib level: 4 is within ~3 % of 6's size and up to 2.7× faster; 2 faster still, ~12 % larger than 6; 9 smallest")},
                 {"format"}, "encode needs a format (encode:jpeg:85)", Make<EncodeStep>(), Text(&EncodeText)});
  return ops;
}

std::string Upper(std::string_view s) { return absl::AsciiStrToUpper(std::string(s)); }

bool Needed(const OpSpec& op, const ParamSpec& p) {
  return std::find(op.needs_one_of.begin(), op.needs_one_of.end(), p.name) != op.needs_one_of.end();
}

std::string FormatValue(const ParamValue& v) {
  if (const auto* text = std::get_if<std::string>(&v)) return *text;
  return fmt::format("{:g}", std::get<double>(v));
}

}  // namespace

std::string MarkdownCell(std::string_view text) {
  std::string out;
  for (char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

const std::vector<OpSpec>& PlanOps() {
  static const auto* const kOps = new std::vector<OpSpec>(BuildTable());
  return *kOps;
}

const OpSpec& OpOf(const StepParams& params) { return PlanOps()[params.index()]; }

const OpSpec* FindOp(std::string_view name) {
  for (const OpSpec& op : PlanOps())
    if (op.name == name) return &op;
  return nullptr;
}

std::string KnownOpNames() {
  std::vector<std::string_view> names;
  for (const OpSpec& op : PlanOps()) names.push_back(op.name);
  return fmt::format("{}", fmt::join(names, ", "));
}

std::string StepText(const PlanStep& step) { return OpOf(step).text(step.params); }

namespace {

cv::Size After(const CropStep& s, cv::Size in) {
  if (!s.width_px || !s.height_px) return in;
  return {std::min(*s.width_px, in.width), std::min(*s.height_px, in.height)};
}
cv::Size After(const UpscaleStep& s, cv::Size in) {
  const double f = std::max(1.0, s.factor.value_or(1));
  return {int(std::lround(in.width * f)), int(std::lround(in.height * f))};
}
cv::Size AfterSize(std::optional<int> w, std::optional<int> h, cv::Size in) {
  if (!w) return in;
  return {*w, h ? *h : std::max(1, int(std::lround(double(in.height) * *w / std::max(1, in.width))))};
}
cv::Size After(const DownscaleStep& s, cv::Size in) {
  if (s.width_px) return AfterSize(s.width_px, s.height_px, in);
  if (s.factor && *s.factor > 0 && *s.factor <= 1)
    return {std::max(1, int(std::lround(in.width * *s.factor))), std::max(1, int(std::lround(in.height * *s.factor)))};
  return in;
}
cv::Size After(const ResizeStep& s, cv::Size in) { return AfterSize(s.width_px, s.height_px, in); }
cv::Size After(const NearestStep& s, cv::Size in) { return AfterSize(s.width_px, s.height_px, in); }
cv::Size After(const PadStep& s, cv::Size in) {
  if (!s.width_px || !s.height_px) return in;
  return {std::max(*s.width_px, in.width), std::max(*s.height_px, in.height)};
}
template <typename Step>
cv::Size After(const Step&, cv::Size in) {
  return in;
}

}  // namespace

cv::Size SizeAfter(const PlanStep& step, cv::Size before) {
  return std::visit([&](const auto& s) { return After(s, before); }, step.params);
}

std::optional<ImageFormat> ParseFormatName(std::string_view name) {
  std::string f = absl::AsciiStrToLower(std::string(name));
  if (f == "jpg") f = "jpeg";
  if (f == "tif") f = "tiff";
  for (ImageFormat format : kStepFormats)
    if (f == ImageFormatName(format)) return format;
  return std::nullopt;
}

std::string StepSyntax(const OpSpec& op) {
  std::string out(op.name);
  int open = 0;
  for (const ParamSpec& p : op.params) {
    if (!p.positional) continue;
    std::string meta = Upper(p.name);
    if (!p.size_into.first.empty()) meta += "|WxH";
    if (Needed(op, p) && open == 0) {
      out += ":" + meta;
    } else {
      out += "[:" + meta;
      ++open;
    }
  }
  return out + std::string(open, ']');
}

std::string RangeText(const ParamSpec& p) {
  if (p.unit.empty()) return p.range;
  return p.unit == "×" ? p.range + "×" : fmt::format("{} {}", p.range, p.unit);  // × attaches, as in "4×"
}

std::string DefaultText(const OpSpec& op, const ParamSpec& param) {
  if (Needed(op, param)) {
    return op.needs_one_of.size() == 1 ? std::string("required")
                                       : fmt::format("{} required", fmt::join(op.needs_one_of, " or "));
  }
  if (!param.absent.empty()) return std::string(param.absent);
  const std::optional<ParamValue> v = param.get(op.make());
  return v ? FormatValue(*v) : "none";
}

std::string StepsHelpText() {
  std::string out;
  for (const OpSpec& op : PlanOps()) {
    out += fmt::format("  {:<28} {}\n", StepSyntax(op), op.doc);
    for (const ParamSpec& p : op.params) {
      out += fmt::format("    {:<10} {:<22} {}; default: {}\n", p.name, RangeText(p), p.doc, DefaultText(op, p));
    }
  }
  return out;
}

std::string StepsMarkdownTable() {
  std::string out =
      "| step | parameter | unit | range | default | meaning |\n"
      "|---|---|---|---|---|---|\n";
  for (const OpSpec& op : PlanOps()) {
    out += fmt::format("| `{}` | | | | | {} |\n", MarkdownCell(StepSyntax(op)), op.doc);
    int position = 0;
    for (const ParamSpec& p : op.params) {
      const std::string where = p.positional ? fmt::format(" (value {})", ++position) : "";
      out += fmt::format("| | `{}`{} | {} | {} | {} | {} |\n", p.name, where, p.unit, MarkdownCell(p.range),
                         MarkdownCell(DefaultText(op, p)), p.doc);
    }
  }
  return out;
}

bool PlanUpscales(const Plan& plan) {
  for (const PlanStep& step : plan.steps)
    if (std::holds_alternative<UpscaleStep>(step.params)) return true;
  return false;
}

const EncodeStep* LastEncodeStep(const Plan& plan) {
  for (auto s = plan.steps.rbegin(); s != plan.steps.rend(); ++s)
    if (const auto* encode = std::get_if<EncodeStep>(&s->params)) return encode;
  return nullptr;
}

}  // namespace acuity

// The plan vocabulary's one table (after libvips, where each operation
// declares its arguments once): per op its name and a one-line doc; per
// parameter its name (as in `--steps` and in JSON params), unit, range,
// default, positional order, one-line doc and where it lives in the typed
// step (plan.h). Everything else is driven by this table: ParseSteps and
// its validation (parse_steps.h), the text form of a step (StepText), the
// JSON form (analysis/json/plan_json.h), `acuity enhance --help`
// (StepsHelpText) and the steps table of docs/commands.md (StepsMarkdownTable).
//
//   for (const acuity::OpSpec& op : acuity::PlanOps()) {
//     std::cout << op.name << ": " << op.doc << "\n";
//     for (const acuity::ParamSpec& p : op.params) std::cout << "  " << p.name << " " << p.range << "\n";
//   }
//   const acuity::PlanStep step{acuity::SharpenStep{}, "given"};
//   acuity::OpOf(step).name;   // "sharpen"
//   acuity::StepText(step);    // "sharpen 40 %, radius 1 px"
//   acuity::OpOf(step).params[0].get(step.params);  // ParamValue 0.4
#ifndef ACUITY_ANALYSIS_ADVICE_PLAN_OPS_H_
#define ACUITY_ANALYSIS_ADVICE_PLAN_OPS_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "analysis/advice/plan.h"

namespace acuity {

// A parameter's value: a number, or text (a model name or path, a format name).
using ParamValue = std::variant<double, std::string>;

enum class ParamKind {
  kNumber,  // a number (stored rounded to a whole number when the field is an int)
  kText,    // free text, e.g. a model name or path
  kFormat,  // an image format name: jpeg (or jpg), png, tiff (or tif), webp
  kColor,   // a colour: white, black, gray, #RRGGBB (ParseColor, target_spec.h)
};

// Extra spellings a number accepts on the command line.
enum class Spelling {
  kPlain,
  kFactor,   // "x4", "4x", "4×"
  kPercent,  // "40%" = 0.4
};

// How a number is written in JSON params (the form `advise --json` has
// always written, so that scripts keep working).
enum class JsonNumber { kReal, kInteger, kIntegerWhenWhole };

struct ParamSpec {
  std::string_view name;  // in --steps (name=value) and in JSON params
  ParamKind kind = ParamKind::kNumber;
  std::string_view unit;  // e.g. "px", "×"; "" when none
  // Numbers: the accepted range and how it reads ("1–16", "(0, 1]").
  double min = 0, max = 0;
  bool min_exclusive = false;
  bool whole = false;         // only whole numbers (no rounding)
  std::string range;          // numbers: "1–16"; text: what it takes, e.g. "NAME or FILE.pt"
  std::string_view range_note;  // added to the out-of-range error, e.g. "(use upscale to enlarge)"
  Spelling spelling = Spelling::kPlain;
  // When set, "WxH" is also accepted here and sets these two parameters.
  std::pair<std::string_view, std::string_view> size_into;
  // Without it: "" = the step's default value (read from the struct in
  // plan.h), else what happens, e.g. "measured", "what --target needs".
  std::string_view absent;
  bool positional = false;  // may be given by position (in declaration order)
  std::string_view doc;     // one line
  JsonNumber json = JsonNumber::kReal;
  // Where the value lives in the typed step: nullopt when absent.
  std::function<std::optional<ParamValue>(const StepParams&)> get;
  std::function<void(StepParams&, const ParamValue&)> set;
};

struct OpSpec {
  std::string_view name;  // "upscale"
  std::string_view doc;   // one line
  std::vector<ParamSpec> params;  // positional ones first, in order
  // At least one of these must be given (empty = none needed), else this error.
  std::vector<std::string_view> needs_one_of;
  std::string_view needs_message;
  std::function<StepParams()> make;                       // the step with its defaults
  std::function<std::string(const StepParams&)> text;     // the step in words
};

// Every op, in the order of the StepParams alternatives (which is also the
// order a plan runs them in: repair, size, sharpen, encode).
const std::vector<OpSpec>& PlanOps();

// The op of a step; the op named `name` (lower case), or nullptr.
const OpSpec& OpOf(const StepParams& params);
inline const OpSpec& OpOf(const PlanStep& step) { return OpOf(step.params); }
const OpSpec* FindOp(std::string_view name);

// "deblock, denoise, crop, upscale, ...".
std::string KnownOpNames();

// One step in words: "upscale ×3 (esrgan-thick)", "sharpen 40 %, radius 1.2 px".
std::string StepText(const PlanStep& step);

// The size after `step` of an image of `before` px, as the pipeline makes
// it (steps whose size comes from the target, unresolved, keep the size).
cv::Size SizeAfter(const PlanStep& step, cv::Size before);

// The plan's last encode step (how its result is written); nullptr when it
// has none.
const EncodeStep* LastEncodeStep(const Plan& plan);

// Whether `plan` has an upscale step (each runs a model through LibTorch).
bool PlanUpscales(const Plan& plan);

// A format name as --steps accepts it (jpeg, jpg, png, tiff, tif, webp, any
// case); nullopt for anything else.
std::optional<ImageFormat> ParseFormatName(std::string_view name);

// The op's command-line form: "upscale[:FACTOR[:MODEL]]", "downscale:FACTOR|WxH".
std::string StepSyntax(const OpSpec& op);

// A parameter's range with its unit: "0.3–50 px", "1–16×", "NAME or FILE.pt".
std::string RangeText(const ParamSpec& param);

// A parameter's default as documented: "0.4", "measured", "required".
std::string DefaultText(const OpSpec& op, const ParamSpec& param);

// The steps section of `acuity enhance --help`, from the table.
std::string StepsHelpText();

// The Markdown table of ops and parameters of the command reference
// (docs/commands.md, generated by docgen/).
std::string StepsMarkdownTable();

// `text` for a Markdown table cell: '|' escaped.
std::string MarkdownCell(std::string_view text);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_ADVICE_PLAN_OPS_H_

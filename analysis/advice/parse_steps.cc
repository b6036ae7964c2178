#include "analysis/advice/parse_steps.h"

#include <cmath>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "analysis/advice/plan_ops.h"
#include "analysis/measurements/target_spec.h"

namespace acuity {
namespace {

constexpr char kGivenReason[] = "given on the command line";

absl::Status StepError(const std::string& step, const std::string& message) {
  return absl::InvalidArgumentError(absl::StrCat("step '", step, "': ", message));
}

// A number, allowing the spellings people type: "x4", "4x", "4×", "40%".
std::optional<double> ParseNumber(std::string value, Spelling spelling) {
  double scale = 1;
  if (spelling == Spelling::kPercent && !value.empty() && value.back() == '%') value.pop_back(), scale = 0.01;
  if (spelling == Spelling::kFactor) {
    if (!value.empty() && (value.front() == 'x' || value.front() == 'X')) value.erase(0, 1);
    if (absl::EndsWith(value, "×")) value.resize(value.size() - std::string("×").size());
    if (!value.empty() && (value.back() == 'x' || value.back() == 'X' || value.back() == '\xD7')) value.pop_back();
  }
  double v = 0;
  if (!absl::SimpleAtod(value, &v) || !std::isfinite(v)) return std::nullopt;
  return v * scale;
}

const ParamSpec* FindParam(const OpSpec& op, std::string_view name) {
  for (const ParamSpec& p : op.params)
    if (p.name == name) return &p;
  return nullptr;
}

// "1600x1200" where the param takes a size (not "x4", which is a factor).
bool LooksLikeSize(const ParamSpec& p, const std::string& value) {
  return !p.size_into.first.empty() && value.find_first_of("xX") != std::string::npos && value.front() != 'x' &&
         value.front() != 'X';
}

// Reads WxH into the two params the table names.
absl::Status SetSize(const std::string& step, const OpSpec& op, const ParamSpec& p, const std::string& value,
                     StepParams& out, std::set<std::string_view>& given) {
  std::vector<std::string> wh = absl::StrSplit(absl::AsciiStrToLower(value), 'x');
  int w = 0, h = 0;
  if (wh.size() != 2 || !absl::SimpleAtoi(wh[0], &w) || !absl::SimpleAtoi(wh[1], &h) || w < 1 || h < 1)
    return StepError(step, absl::StrCat("'", value, "' is not a size like 1600x1200"));
  FindParam(op, p.size_into.first)->set(out, double(w));
  FindParam(op, p.size_into.second)->set(out, double(h));
  given.insert(p.size_into.first);
  given.insert(p.size_into.second);
  return absl::OkStatus();
}

absl::StatusOr<ParamValue> ParseValue(const std::string& step, const ParamSpec& p, const std::string& value) {
  if (p.kind == ParamKind::kText) return ParamValue(value);
  if (p.kind == ParamKind::kColor) {
    if (!ParseColor(value)) return StepError(step, absl::StrCat("unknown colour '", value, "' (", p.range, ")"));
    return ParamValue(value);
  }
  if (p.kind == ParamKind::kFormat) {
    const std::optional<ImageFormat> f = ParseFormatName(value);
    if (!f) return StepError(step, absl::StrCat("unknown format '", value, "' (", p.range, ")"));
    return ParamValue(std::string(ImageFormatName(*f)));
  }
  const std::optional<double> v = ParseNumber(value, p.spelling);
  if (!v) return StepError(step, fmt::format("{} '{}' is not a number", p.name, value));
  const bool above_min = p.min_exclusive ? *v > p.min : *v >= p.min;
  if (!above_min || !(*v <= p.max) || (p.whole && *v != std::floor(*v))) {
    return StepError(step, fmt::format("{} {} is outside {}{}{}", p.name, value, RangeText(p),
                                       p.range_note.empty() ? "" : " ", p.range_note));
  }
  return ParamValue(*v);
}

// One "value" or "name=value" argument of `op`, the `index`-th (0-based).
absl::Status SetArgument(const std::string& step, const OpSpec& op, size_t index, const std::string& arg,
                         StepParams& out, std::set<std::string_view>& given) {
  const ParamSpec* p = nullptr;
  std::string value = arg;
  if (const size_t eq = arg.find('='); eq != std::string::npos) {
    const std::string name = absl::AsciiStrToLower(arg.substr(0, eq));
    value = arg.substr(eq + 1);
    p = FindParam(op, name);
    if (p == nullptr) return StepError(step, fmt::format("{} has no parameter '{}'", op.name, name));
  } else {
    if (index < op.params.size() && op.params[index].positional) p = &op.params[index];
    if (p == nullptr) return StepError(step, fmt::format("too many values for {}", op.name));
  }
  if (value.empty()) return StepError(step, fmt::format("{} is empty", p->name));
  if (LooksLikeSize(*p, value)) return SetSize(step, op, *p, value, out, given);
  absl::StatusOr<ParamValue> v = ParseValue(step, *p, value);
  if (!v.ok()) return v.status();
  p->set(out, *v);
  given.insert(p->name);
  return absl::OkStatus();
}

absl::StatusOr<PlanStep> ParseStep(const std::string& step) {
  std::vector<std::string> parts = absl::StrSplit(step, ':');
  const std::string name = absl::AsciiStrToLower(absl::StripAsciiWhitespace(parts[0]));
  const OpSpec* op = FindOp(name);
  if (op == nullptr)
    return StepError(step, absl::StrCat("unknown operation '", name, "' (known: ", KnownOpNames(), ")"));
  PlanStep out{op->make(), kGivenReason};
  std::set<std::string_view> given;
  for (size_t i = 1; i < parts.size(); ++i) {
    const std::string arg(absl::StripAsciiWhitespace(parts[i]));
    if (absl::Status s = SetArgument(step, *op, i - 1, arg, out.params, given); !s.ok()) return s;
  }
  if (!op->needs_one_of.empty()) {
    bool any = false;
    for (std::string_view needed : op->needs_one_of) any = any || given.count(needed) > 0;
    if (!any) return StepError(step, std::string(op->needs_message));
  }
  return out;
}

}  // namespace

absl::StatusOr<Plan> ParseSteps(std::string_view steps) {
  const absl::string_view text(steps.data(), steps.size());
  if (absl::StripAsciiWhitespace(text).empty())
    return absl::InvalidArgumentError(absl::StrCat("no steps given (known: ", KnownOpNames(), ")"));
  Plan plan;
  for (absl::string_view raw : absl::StrSplit(text, ',')) {
    const std::string step(absl::StripAsciiWhitespace(raw));
    if (step.empty()) return absl::InvalidArgumentError("an empty step in the list (two commas?)");
    absl::StatusOr<PlanStep> parsed = ParseStep(step);
    if (!parsed.ok()) return parsed.status();
    plan.steps.push_back(*std::move(parsed));
  }
  return plan;
}

}  // namespace acuity

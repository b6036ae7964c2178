#include "batch/summary.h"

#include <algorithm>

#include <fmt/format.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "analysis/advice/qa.h"
#include "analysis/json/batch_record_json.h"
#include "analysis/json/report_json.h"
#include "analysis/measurements/warning.h"

namespace acuity::batch {
namespace {

using nlohmann::json;

std::string Counts(const std::map<std::string, int>& counts) {
  std::string s;
  for (const auto& [name, n] : counts) s += fmt::format("{}{} {}", s.empty() ? "" : ", ", n, name);
  return s;
}

bool IsCode(absl::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// What of `f` fails the gate: "" when nothing does.
std::string GateReasons(const BatchRecordFindings& f, const FailOn& fail_on) {
  std::vector<std::string> reasons;
  const std::string verdict = f.qa_verdict.value_or("");
  const bool qa_fail = verdict == "fail", qa_warn = verdict == "warn";
  if ((fail_on.fail && qa_fail) || (fail_on.warn && (qa_fail || qa_warn))) reasons.push_back("qa " + verdict);
  for (const std::string& code : f.warnings)
    if (fail_on.warn || fail_on.codes.count(code)) reasons.push_back(code);
  for (const std::string& check : f.qa_not_passed)
    if (fail_on.codes.count(check)) reasons.push_back("qa check " + check);
  return absl::StrJoin(reasons, ", ");
}

json Pairs(const std::vector<std::pair<std::string, std::string>>& pairs, const char* second) {
  json out = json::array();
  for (const auto& [path, text] : pairs) out.push_back({{"path", path}, {second, text}});
  return out;
}

}  // namespace

absl::StatusOr<FailOn> ParseFailOn(const std::string& text) {
  FailOn fail_on;
  fail_on.text = text;
  for (absl::string_view item : absl::StrSplit(text, ',')) {
    item = absl::StripAsciiWhitespace(item);
    if (item == "warn") {
      fail_on.warn = true;
    } else if (item == "fail") {
      fail_on.fail = true;
    } else if (IsWarningCode(std::string_view(item.data(), item.size())) || IsQaCheckName(item)) {
      fail_on.codes.insert(std::string(item));
    } else if (IsCode(item)) {
      std::string codes;
      for (std::string_view code : kWarningCodes) codes += (codes.empty() ? "" : ", ") + std::string(code);
      return absl::InvalidArgumentError(fmt::format(
          "--fail-on {}: \"{}\" is neither a warning code ({}) nor a QA check name (docs/qa.md lists them)", text,
          std::string(item), codes));
    } else {
      return absl::InvalidArgumentError(fmt::format(
          "--fail-on {}: give warn, fail, or warning codes / QA check names (snake_case), comma-separated",
          text));
    }
  }
  return fail_on;
}

BatchSummary Summarize(const std::vector<json>& records, const FailOn& fail_on) {
  BatchSummary s;
  s.gate = fail_on.text;
  for (const json* record : LastRecordOfEachInput(records)) {
    const json& r = *record;
    absl::StatusOr<BatchRecordHeader> header = BatchRecordHeaderFromJson(r);
    if (!header.ok()) continue;
    const std::string& path = header->input.path;
    ++s.inputs;
    ++s.by_status[header->status.empty() ? "unknown" : header->status];
    if (!header->ok()) s.failures.emplace_back(path, header->error);
    s.exit_code = std::max(s.exit_code, header->exit_code);
    const BatchRecordFindings findings = BatchRecordFindingsFromJson(r);
    if (findings.qa_verdict) ++s.by_verdict[*findings.qa_verdict];
    for (const std::string& code : findings.warnings) ++s.by_warning[code];
    for (const std::string& check : findings.qa_not_passed) ++s.by_check[check];
    if (header->ok())
      if (std::string why = GateReasons(findings, fail_on); !why.empty()) s.gate_failures.emplace_back(path, why);
    for (const auto& [stage, seconds] : header->seconds) s.seconds_by_stage[stage] += seconds;
    if (header->memory_budget_mb)
      ++s.by_memory_budget[fmt::format("{:.0f} MB ({})", *header->memory_budget_mb, header->memory_budget_source)];
    if (!findings.steps) continue;
    const std::set<std::string> ops(findings.steps->begin(), findings.steps->end());
    for (const std::string& op : ops) ++s.by_step[op];
    if (ops.empty()) ++s.no_steps;
  }
  if (!s.gate_failures.empty()) s.exit_code = std::max(s.exit_code, 1);
  return s;
}

std::string FormatSummary(const BatchSummary& s, int max_failures) {
  std::string text = fmt::format("summary: {} input{}{}\n", s.inputs, s.inputs == 1 ? "" : "s",
                                 s.by_status.empty() ? "" : ": " + Counts(s.by_status));
  if (!s.by_verdict.empty()) text += fmt::format("  QA verdicts: {}\n", Counts(s.by_verdict));
  if (!s.by_check.empty()) text += fmt::format("  QA checks not passed: {}\n", Counts(s.by_check));
  if (!s.by_warning.empty()) text += fmt::format("  warnings: {}\n", Counts(s.by_warning));
  if (!s.by_step.empty() || s.no_steps > 0) {
    text += fmt::format("  plans with each step: {}{}{} with none\n", Counts(s.by_step),
                        s.by_step.empty() ? "" : ", ", s.no_steps);
  }
  if (const auto total = s.seconds_by_stage.find("total"); total != s.seconds_by_stage.end() && total->second > 0) {
    // Largest first; summed over inputs (jobs in parallel overlap: more than the run's wall-clock time).
    std::vector<std::pair<double, std::string>> stages;
    for (const auto& [stage, seconds] : s.seconds_by_stage)
      if (stage != "total") stages.emplace_back(seconds, stage);
    std::sort(stages.rbegin(), stages.rend());
    std::string parts;
    for (const auto& [seconds, stage] : stages)
      parts += fmt::format("{}{} {:.1f} s ({:.0f} %)", parts.empty() ? "" : ", ", stage, seconds,
                           100 * seconds / total->second);
    text += fmt::format("  time per stage, summed over the inputs: {}; {:.1f} s in all\n", parts, total->second);
  }
  for (const auto& [budget, n] : s.by_memory_budget)
    text += fmt::format("  memory budget beside the program: {} for {} input{}\n", budget, n, n == 1 ? "" : "s");
  for (size_t i = 0; i < s.failures.size() && int(i) < max_failures; ++i)
    text += fmt::format("  failed: {}: {}\n", s.failures[i].first, s.failures[i].second);
  if (int(s.failures.size()) > max_failures)
    text += fmt::format("  ... and {} more failures (status \"error\" in the results)\n",
                        s.failures.size() - size_t(max_failures));
  if (s.gate.empty()) return text;
  text += fmt::format("  gate --fail-on {}: {} of {} inputs fail it\n", s.gate, s.gate_failures.size(), s.inputs);
  for (size_t i = 0; i < s.gate_failures.size() && int(i) < max_failures; ++i)
    text += fmt::format("  gate failed: {}: {}\n", s.gate_failures[i].first, s.gate_failures[i].second);
  if (int(s.gate_failures.size()) > max_failures)
    text += fmt::format("  ... and {} more\n", s.gate_failures.size() - size_t(max_failures));
  return text;
}

namespace {

// Sums of the records' seconds, to the millisecond the records hold (a sum
// of 0.001 s steps printed 0.019000000000000003).
std::map<std::string, double> RoundedSeconds(const std::map<std::string, double>& seconds) {
  std::map<std::string, double> out;
  for (const auto& [stage, s] : seconds) out[stage] = RoundTo(s, 3);
  return out;
}

}  // namespace

json SummaryToJson(const BatchSummary& s) {
  return {{"inputs", s.inputs},
          {"by_status", s.by_status},
          {"by_verdict", s.by_verdict},
          {"by_warning", s.by_warning},
          {"by_check", s.by_check},
          {"by_step", s.by_step},
          {"no_steps", s.no_steps},
          {"failures", Pairs(s.failures, "error")},
          {"fail_on", s.gate.empty() ? json(nullptr) : json(s.gate)},
          {"gate_failures", Pairs(s.gate_failures, "reasons")},
          {"seconds_by_stage", RoundedSeconds(s.seconds_by_stage)},
          {"memory_budgets", s.by_memory_budget},
          {"exit_code", s.exit_code}};
}

}  // namespace acuity::batch

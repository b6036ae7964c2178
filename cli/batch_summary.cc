#include "cli/batch_summary.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

namespace acuity::cli {
namespace {

std::string StringAt(const nlohmann::json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}

std::string Counts(const std::map<std::string, int>& counts) {
  std::string s;
  for (const auto& [name, n] : counts) s += fmt::format("{}{} {}", s.empty() ? "" : ", ", n, name);
  return s;
}

}  // namespace

BatchSummary Summarize(const std::vector<nlohmann::json>& records) {
  std::map<std::string, const nlohmann::json*> last;  // path -> its last record
  for (const nlohmann::json& r : records) {
    const std::string path = StringAt(r.value("input", nlohmann::json::object()), "path");
    if (!path.empty()) last[path] = &r;
  }
  BatchSummary s;
  for (const auto& [path, record] : last) {
    const nlohmann::json& r = *record;
    ++s.inputs;
    const std::string status = StringAt(r, "status");
    ++s.by_status[status.empty() ? "unknown" : status];
    if (status != "ok") s.failures.emplace_back(path, StringAt(r, "error"));
    if (r.contains("exit_code") && r["exit_code"].is_number_integer())
      s.exit_code = std::max(s.exit_code, r["exit_code"].get<int>());
    if (r.contains("qa") && r["qa"].is_object()) ++s.by_verdict[StringAt(r["qa"], "verdict")];
    if (!r.contains("plan") || !r["plan"].is_object()) continue;
    const nlohmann::json& steps = r["plan"].value("steps", nlohmann::json::array());
    std::set<std::string> ops;
    for (const nlohmann::json& step : steps) ops.insert(StringAt(step, "op"));
    for (const std::string& op : ops) ++s.by_step[op];
    if (ops.empty()) ++s.no_steps;
  }
  return s;
}

std::string FormatSummary(const BatchSummary& s, int max_failures) {
  std::string text = fmt::format("summary: {} inputs: {}\n", s.inputs, Counts(s.by_status));
  if (!s.by_verdict.empty()) text += fmt::format("  QA verdicts: {}\n", Counts(s.by_verdict));
  if (!s.by_step.empty() || s.no_steps > 0) {
    text += fmt::format("  plans with each step: {}{}{} with none\n", Counts(s.by_step),
                        s.by_step.empty() ? "" : ", ", s.no_steps);
  }
  for (size_t i = 0; i < s.failures.size() && int(i) < max_failures; ++i)
    text += fmt::format("  failed: {}: {}\n", s.failures[i].first, s.failures[i].second);
  if (int(s.failures.size()) > max_failures)
    text += fmt::format("  ... and {} more failures (status \"error\" in the results)\n",
                        s.failures.size() - size_t(max_failures));
  return text;
}

}  // namespace acuity::cli

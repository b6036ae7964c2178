#include "analysis/json/batch_record_json.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "analysis/json/plan_json.h"
#include "analysis/json/qa_json.h"
#include "analysis/json/report_json.h"

namespace acuity {
namespace {

using nlohmann::json;

double Milliseconds(double seconds) { return std::round(seconds * 1000) / 1000; }

template <typename T>
T ValueOr(const json& object, const char* key, T fallback) {
  if (!object.is_object() || !object.contains(key)) return fallback;
  const json& v = object[key];
  if constexpr (std::is_same_v<T, std::string>) {
    return v.is_string() ? v.get<std::string>() : fallback;
  } else if constexpr (std::is_same_v<T, bool>) {
    return v.is_boolean() ? v.get<bool>() : fallback;
  } else {
    return v.is_number_integer() ? v.get<T>() : fallback;
  }
}

std::optional<int64_t> OptionalInteger(const json& object, const char* key) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_number_integer()) return std::nullopt;
  return object[key].get<int64_t>();
}

}  // namespace

json BatchRecordToJson(const BatchRecord& record) {
  const BatchRecordHeader& h = record.header;
  json input = {{"path", h.input.path}};
  if (h.input.size_bytes) input["size_bytes"] = *h.input.size_bytes;
  if (h.input.mtime_ns) input["mtime_ns"] = *h.input.mtime_ns;
  json j = {{"input", std::move(input)},
            {"do", h.action},
            {"status", h.status},
            {"error", h.ok() ? json(nullptr) : json(h.error)},
            {"exit_code", h.exit_code}};
  if (!h.ok()) j["retryable"] = h.retryable;
  if (h.memory_budget_mb)
    j["memory_budget"] = {{"mb", std::round(*h.memory_budget_mb)}, {"source", h.memory_budget_source}};
  json seconds = json::object();
  for (const auto& [stage, s] : h.seconds) seconds[stage] = Milliseconds(s);
  j["seconds"] = std::move(seconds);
  if (record.analysis) j["analysis"] = ReportToJson(*record.analysis);
  if (record.plan) j["plan"] = PlanToJson(*record.plan);
  if (record.output) j["output"] = *record.output;
  if (record.qa) j["qa"] = QaReportToJson(record.qa->report, record.qa->input, record.qa->output, nullptr);
  return j;
}

void AddEnhanceWorkJson(const std::optional<AnalysisReport>& before, const Plan& plan, json& object) {
  if (before) object["analysis"] = ReportToJson(*before);
  object["plan"] = PlanToJson(plan);
}

absl::StatusOr<BatchRecordHeader> BatchRecordHeaderFromJson(const json& record) {
  const json* input = record.is_object() && record.contains("input") ? &record["input"] : nullptr;
  if (!input || !input->is_object() || !input->contains("path") || !(*input)["path"].is_string())
    return absl::InvalidArgumentError("not a batch record: no input.path");
  BatchRecordHeader h;
  h.input.path = (*input)["path"].get<std::string>();
  h.input.size_bytes = OptionalInteger(*input, "size_bytes");
  h.input.mtime_ns = OptionalInteger(*input, "mtime_ns");
  h.action = ValueOr<std::string>(record, "do", "");
  h.status = ValueOr<std::string>(record, "status", "");
  h.error = ValueOr<std::string>(record, "error", "");
  h.exit_code = ValueOr<int>(record, "exit_code", 0);
  h.retryable = ValueOr<bool>(record, "retryable", false);
  if (record.contains("memory_budget") && record["memory_budget"].is_object()) {
    const json& budget = record["memory_budget"];
    if (budget.contains("mb") && budget["mb"].is_number()) h.memory_budget_mb = budget["mb"].get<double>();
    h.memory_budget_source = ValueOr<std::string>(budget, "source", "");
  }
  if (record.contains("seconds") && record["seconds"].is_object())
    for (const auto& [stage, s] : record["seconds"].items())
      if (s.is_number()) h.seconds.emplace_back(stage, s.get<double>());
  return h;
}

BatchRecordFindings BatchRecordFindingsFromJson(const json& record) {
  static const json* const kEmpty = new json(json::array());
  const auto part = [&](const char* key) -> const json* {
    return record.is_object() && record.contains(key) && record[key].is_object() ? &record[key] : nullptr;
  };
  const auto array = [&](const json* object, const char* key) -> const json& {
    return object && object->contains(key) && (*object)[key].is_array() ? (*object)[key] : *kEmpty;
  };
  BatchRecordFindings f;
  for (const char* key : {"analysis", "plan"})
    for (const json& w : array(part(key), "warnings")) {
      const std::string code = ValueOr<std::string>(w, "code", "");
      if (!code.empty() && std::find(f.warnings.begin(), f.warnings.end(), code) == f.warnings.end())
        f.warnings.push_back(code);
    }
  if (const json* qa = part("qa")) {
    f.qa_verdict = ValueOr<std::string>(*qa, "verdict", "");
    for (const json& c : array(qa, "checks")) {
      const std::string status = ValueOr<std::string>(c, "status", ""), name = ValueOr<std::string>(c, "name", "");
      if ((status == QaStatusName(QaStatus::kWarn) || status == QaStatusName(QaStatus::kFail)) &&
          std::find(f.qa_not_passed.begin(), f.qa_not_passed.end(), name) == f.qa_not_passed.end())
        f.qa_not_passed.push_back(name);
    }
  }
  if (const json* plan = part("plan")) {
    f.steps.emplace();
    for (const json& s : array(plan, "steps")) f.steps->push_back(ValueOr<std::string>(s, "op", ""));
  }
  return f;
}

std::vector<const json*> LastRecordOfEachInput(const std::vector<json>& records) {
  std::map<std::string, const json*> last;
  for (const json& r : records) {
    if (!r.is_object() || !r.contains("input") || !r["input"].is_object()) continue;
    const json& path = r["input"].value("path", json(nullptr));
    if (path.is_string()) last[path.get<std::string>()] = &r;
  }
  std::vector<const json*> out;
  out.reserve(last.size());
  for (const auto& [path, r] : last) out.push_back(r);
  return out;
}

}  // namespace acuity

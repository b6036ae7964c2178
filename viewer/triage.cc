#include "viewer/triage.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "analysis/advice/advisor.h"
#include "batch/manifest.h"
#include "batch/results.h"

namespace acuity::viewer {
namespace {

using batch::kCatalogueVerdicts;  // the verdict words a filter may name

std::optional<Decision> ParseDecision(const std::string& word) {
  if (word == "accepted") return Decision::kAccepted;
  if (word == "rejected") return Decision::kRejected;
  return std::nullopt;
}

std::string UtcNow() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

bool Has(const std::vector<std::string>& list, const std::string& code) {
  return std::find(list.begin(), list.end(), code) != list.end();
}

}  // namespace

std::string ResolveBatchPath(const std::string& dir, const std::string& path) {
  std::error_code ec;
  if (path.empty() || std::filesystem::path(path).is_absolute() ||
      std::filesystem::exists(path, ec))
    return path;
  const std::filesystem::path beside = std::filesystem::absolute(dir, ec).parent_path() / path;
  return !ec && std::filesystem::exists(beside, ec) ? beside.lexically_normal().string() : path;
}

const char* DecisionName(Decision decision) {
  return decision == Decision::kAccepted ? "accepted" : "rejected";
}

std::optional<TriageSort> ParseTriageSort(std::string_view word) {
  if (word == "severity") return TriageSort::kSeverity;
  if (word == "path") return TriageSort::kPath;
  if (word == "reading") return TriageSort::kReading;
  return std::nullopt;
}

const char* TriageSortName(TriageSort sort) {
  switch (sort) {
    case TriageSort::kSeverity:
      return "severity";
    case TriageSort::kPath:
      return "path";
    case TriageSort::kReading:
      return "reading";
  }
  return "severity";
}

WorstReading WorstReadingOf(const batch::CatalogueItem& item) {
  // Each reading over the advisor's bound for it (AdvisorThresholds), as a
  // ratio ≥ 1 when past it: the largest names the item's worst reading.
  const AdvisorThresholds t = AdvisorThresholds();
  WorstReading worst;
  auto consider = [&worst](std::optional<double> ratio, const std::string& text) {
    if (ratio && *ratio >= 1.0 && *ratio > worst.badness) worst = {text, *ratio};
  };
  if (item.blur_sigma_px)
    consider(*item.blur_sigma_px / t.sharpen_above_blur_px,
             fmt::format("blur σ {:.1f} px", *item.blur_sigma_px));
  if (item.noise_sigma_8bit)
    consider(*item.noise_sigma_8bit / t.denoise_above_sigma_8bit,
             fmt::format("noise σ {:.1f} (8-bit)", *item.noise_sigma_8bit));
  // A dither's dots weigh as noise of their σ would (the plan smooths both).
  if (item.dither_sigma_8bit)
    consider(std::max(1.0, *item.dither_sigma_8bit / t.denoise_above_sigma_8bit),
             fmt::format("dither dots σ {:.1f} (8-bit)", *item.dither_sigma_8bit));
  if (item.jpeg_quality && *item.jpeg_quality > 0)
    consider(t.deblock_below_quality / *item.jpeg_quality,
             fmt::format("JPEG q{:.0f}", *item.jpeg_quality));
  if (item.native_scale && *item.native_scale > 0)
    consider(t.upscaled_below_native_scale / *item.native_scale,
             fmt::format("native scale {:.2f}", *item.native_scale));
  return worst;
}

absl::StatusOr<std::unique_ptr<Triage>> Triage::Open(const std::string& dir) {
  const batch::ResultsContents results = batch::ReadResultsDir(dir);
  if (results.files.empty())
    return absl::NotFoundError(
        fmt::format("{}: no results*.jsonl (not the --out folder of acuity batch)", dir));
  std::unique_ptr<Triage> t(new Triage());
  t->dir_ = dir;
  t->items_ = batch::CatalogueItems(results.records);
  for (batch::CatalogueItem& item : t->items_) {
    item.source_path = ResolveBatchPath(dir, item.source_path);
    item.output = ResolveBatchPath(dir, item.output);
  }
  std::set<std::string> codes;
  for (const batch::CatalogueItem& item : t->items_) {
    t->readings_.push_back(WorstReadingOf(item));
    codes.insert(item.warnings.begin(), item.warnings.end());
    codes.insert(item.failed_checks.begin(), item.failed_checks.end());
  }
  t->codes_.assign(codes.begin(), codes.end());
  // The batch's target (batch.json, batch/manifest.h); none for a
  // folder of an acuity that kept no manifest, or an unreadable one.
  absl::StatusOr<std::optional<batch::BatchManifest>> m = batch::ReadManifest(dir);
  if (!m.ok()) {
    t->note_ =
        fmt::format("{}; items open without the batch's target", std::string(m.status().message()));
  } else if (*m) {
    if (const auto at = (*m)->options.find("target"); at != (*m)->options.end())
      t->target_ = at->second;
  }
  // The review so far: the last decision of each input (a torn line is skipped).
  batch::ResultsContents decisions;
  batch::ReadResultsFile((std::filesystem::path(dir) / kDecisionsFile).string(), decisions);
  for (const nlohmann::json& d : decisions.records) {
    if (!d.contains("path") || !d["path"].is_string() || !d.contains("decision") ||
        !d["decision"].is_string())
      continue;
    const std::optional<Decision> decision = ParseDecision(d["decision"].get<std::string>());
    if (!decision) continue;
    Recorded& r = t->decisions_[d["path"].get<std::string>()];
    r = {*decision, std::nullopt, std::nullopt};
    if (d.contains("size_bytes") && d["size_bytes"].is_number_integer())
      r.size_bytes = d["size_bytes"].get<int64_t>();
    if (d.contains("mtime_ns") && d["mtime_ns"].is_number_integer())
      r.mtime_ns = d["mtime_ns"].get<int64_t>();
  }
  t->Count();
  t->Relist();
  return t;
}

Triage::~Triage() = default;

absl::Status Triage::SetFilter(const std::string& filter) {
  const bool known =
      filter == "all" || filter == "undecided" || ParseDecision(filter) ||
      std::find(std::begin(kCatalogueVerdicts), std::end(kCatalogueVerdicts), filter) !=
          std::end(kCatalogueVerdicts) ||
      std::binary_search(codes_.begin(), codes_.end(), filter);
  if (!known) {
    return absl::InvalidArgumentError(
        fmt::format("filter: '{}' is not all|{}|undecided|accepted|rejected or a code of these results{}{}",
                    filter, fmt::join(kCatalogueVerdicts, "|"), codes_.empty() ? "" : " (",
                    codes_.empty() ? "" : fmt::format("{})", fmt::join(codes_, ", "))));
  }
  filter_ = filter;
  Relist();
  return absl::OkStatus();
}

void Triage::SetSort(TriageSort sort) {
  sort_ = sort;
  Relist();
}

void Triage::Relist(int fallback_row) {
  const std::optional<int> keep = selected_item();
  rows_.clear();
  const std::optional<Decision> wanted_decision = ParseDecision(filter_);
  for (int i = 0; i < int(items_.size()); ++i) {
    const batch::CatalogueItem& item = items_[i];
    const std::optional<Decision> decision = DecisionOf(i);
    bool listed = filter_ == "all";
    if (filter_ == "undecided")
      listed = !decision;
    else if (wanted_decision)
      listed = decision == wanted_decision;
    else if (!listed)
      listed = item.verdict == filter_ || Has(item.warnings, filter_) ||
               Has(item.failed_checks, filter_);
    if (listed) rows_.push_back(i);
  }
  // items_ is worst first already (CatalogueItems); the other orders are stable on it.
  if (sort_ == TriageSort::kPath) {
    std::stable_sort(rows_.begin(), rows_.end(),
                     [this](int a, int b) { return items_[a].path < items_[b].path; });
  } else if (sort_ == TriageSort::kReading) {
    std::stable_sort(rows_.begin(), rows_.end(),
                     [this](int a, int b) { return readings_[a].badness > readings_[b].badness; });
  }
  selected_ = rows_.empty() ? -1 : std::clamp(fallback_row, 0, int(rows_.size()) - 1);
  if (keep) {
    const auto at = std::find(rows_.begin(), rows_.end(), *keep);
    if (at != rows_.end()) selected_ = int(at - rows_.begin());
  }
}

std::optional<int> Triage::selected_item() const {
  if (selected_ < 0 || selected_ >= int(rows_.size())) return std::nullopt;
  return rows_[selected_];
}

absl::Status Triage::Move(int delta) {
  if (rows_.empty())
    return absl::OutOfRangeError(fmt::format("nothing listed (filter {})", filter_));
  selected_ = std::clamp(selected_ + delta, 0, int(rows_.size()) - 1);
  return absl::OkStatus();
}

absl::Status Triage::Select(int row) {
  if (row < 0 || row >= int(rows_.size()))
    return absl::OutOfRangeError(fmt::format("row {}: {} listed", row + 1, rows_.size()));
  selected_ = row;
  return absl::OkStatus();
}

absl::Status Triage::Decide(Decision decision) {
  const std::optional<int> item = selected_item();
  if (!item) return absl::FailedPreconditionError("nothing selected");
  if (!writer_) {
    absl::StatusOr<std::unique_ptr<batch::ResultsWriter>> w =
        batch::ResultsWriter::Open((std::filesystem::path(dir_) / kDecisionsFile).string());
    if (!w.ok()) {
      // The writer's own words speak of batches; here another review holds the file.
      if (w.status().code() == absl::StatusCode::kUnavailable)
        return absl::UnavailableError(
            fmt::format("{}/{}: another acuity-viewer is reviewing this batch; close it first",
                        dir_, kDecisionsFile));
      return w.status();
    }
    writer_ = *std::move(w);
  }
  const batch::CatalogueItem& it = items_[*item];
  nlohmann::json line = {{"path", it.path},
                         {"decision", DecisionName(decision)},
                         {"verdict", it.verdict},
                         {"time", UtcNow()}};
  if (it.input_size_bytes) line["size_bytes"] = *it.input_size_bytes;
  if (it.input_mtime_ns) line["mtime_ns"] = *it.input_mtime_ns;
  if (absl::Status s = writer_->Append(line); !s.ok()) return s;
  decisions_[it.path] = {decision, it.input_size_bytes, it.input_mtime_ns};
  Count();
  // Under a decision filter the item leaves (or joins) the list: the row
  // after it comes up, so that deciding down the list needs no `next`.
  if (filter_ == "undecided" || ParseDecision(filter_)) {
    const int row = selected_;
    selected_ = -1;  // not kept: the next listed item takes its row
    Relist(row);
  }
  return absl::OkStatus();
}

std::optional<Decision> Triage::DecisionOf(int item) const {
  const batch::CatalogueItem& it = items_[item];
  const auto at = decisions_.find(it.path);
  if (at == decisions_.end()) return std::nullopt;
  // Made on another version of the file (the batch ran again over a changed one)?
  const Recorded& r = at->second;
  if ((r.size_bytes && it.input_size_bytes && *r.size_bytes != *it.input_size_bytes) ||
      (r.mtime_ns && it.input_mtime_ns && *r.mtime_ns != *it.input_mtime_ns))
    return std::nullopt;
  return r.decision;
}

void Triage::Count() {
  accepted_ = rejected_ = 0;
  for (int i = 0; i < int(items_.size()); ++i) {
    if (const std::optional<Decision> d = DecisionOf(i))
      (*d == Decision::kAccepted ? accepted_ : rejected_)++;
  }
}

}  // namespace acuity::viewer

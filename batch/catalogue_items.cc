#include "batch/catalogue_items.h"

#include <algorithm>

#include "analysis/json/batch_record_json.h"

namespace acuity::batch {
namespace {

using nlohmann::json;

// j[a][b]... when every step is an object holding the key, else null.
const json& At(const json& j, std::initializer_list<const char*> keys) {
  static const json* const kNull = new json(nullptr);
  const json* at = &j;
  for (const char* key : keys) {
    if (!at->is_object() || !at->contains(key)) return *kNull;
    at = &(*at)[key];
  }
  return *at;
}

std::optional<double> Number(const json& j) {
  return j.is_number() ? std::optional<double>(j.get<double>()) : std::nullopt;
}
std::string Text(const json& j) { return j.is_string() ? j.get<std::string>() : ""; }

// {x_px, y_px, width_px, height_px} with a positive size, else nullopt.
std::optional<PixelRegion> Region(const json& j) {
  const std::optional<double> x = Number(At(j, {"x_px"})), y = Number(At(j, {"y_px"})),
                              w = Number(At(j, {"width_px"})), h = Number(At(j, {"height_px"}));
  if (!x || !y || !w || !h || *w <= 0 || *h <= 0) return std::nullopt;
  return PixelRegion{int(*x), int(*y), int(*w), int(*h)};
}

CatalogueItem ItemOf(const BatchRecordHeader& header, const json& r) {
  CatalogueItem item;
  item.path = header.input.path;
  const json& a = At(r, {"analysis"});
  // An analysis names the file it read; a batch of explicit --steps
  // analyses nothing, and its QA names the same file.
  item.source_path = Text(At(a, {"input", "path"}));
  if (item.source_path.empty()) item.source_path = Text(At(r, {"qa", "input", "path"}));
  item.output = Text(At(r, {"output"}));
  item.input_size_bytes = header.input.size_bytes;
  item.input_mtime_ns = header.input.mtime_ns;
  item.error = header.error;
  BatchRecordFindings findings = BatchRecordFindingsFromJson(r);
  item.warnings = std::move(findings.warnings);
  item.steps = findings.steps.value_or(std::vector<std::string>());
  item.failed_checks = std::move(findings.qa_not_passed);
  const std::string qa = findings.qa_verdict.value_or("");
  if (!header.ok()) {
    item.verdict = "error";
  } else if (!qa.empty()) {
    item.verdict = qa;
  } else if (!item.warnings.empty()) {
    item.verdict = "warn";
  } else {
    // Without a plan (`--do analyze`) nothing said whether it needs work: a
    // shot 4× too small for its target is not "nothing to do".
    item.verdict = !findings.steps ? "measured" : !item.steps.empty() ? "fix" : "pass";
  }
  item.blur_sigma_px = Number(At(a, {"sharpness", "in_focus_blur_sigma_px"}));
  if (!item.blur_sigma_px) item.blur_sigma_px = Number(At(a, {"sharpness", "blur_sigma_px"}));
  item.noise_sigma_8bit = Number(At(a, {"noise", "sigma"}));
  item.jpeg_quality = Number(At(a, {"compression", "jpeg_quality_estimate"}));
  item.effective_dpi = Number(At(a, {"target", "effective_dpi"}));
  item.native_scale = Number(At(a, {"resolution", "native_scale"}));
  if (const json& dithered = At(a, {"dither", "detected"}); dithered.is_boolean() && dithered.get<bool>()) {
    item.dither_sigma_8bit = Number(At(a, {"dither", "pattern_sigma_8bit"}));
    if (!item.dither_sigma_8bit) item.dither_sigma_8bit = Number(At(a, {"dither", "screen_rms_8bit"}));
  }
  item.qa_input_region_px = Region(At(r, {"qa", "metrics", "input_region"}));
  item.qa_output_region_px = Region(At(r, {"qa", "metrics", "output_region"}));
  const std::optional<double> turned = Number(At(r, {"qa", "metrics", "turned_deg"}));
  item.qa_turned_deg = turned ? int(*turned) : 0;
  const json& mirrored = At(r, {"qa", "metrics", "mirrored"});
  item.qa_mirrored = mirrored.is_boolean() && mirrored.get<bool>();
  return item;
}

}  // namespace

int CatalogueItem::Severity() const {
  if (verdict == "error") return 4;
  if (verdict == "fail") return 3;
  if (verdict == "warn") return 2;
  return verdict == "fix" || verdict == "measured" || !warnings.empty() ? 1 : 0;
}

std::vector<CatalogueItem> CatalogueItems(const std::vector<json>& records) {
  std::vector<CatalogueItem> items;
  for (const json* record : LastRecordOfEachInput(records))
    if (absl::StatusOr<BatchRecordHeader> header = BatchRecordHeaderFromJson(*record); header.ok())
      items.push_back(ItemOf(*header, *record));
  std::stable_sort(items.begin(), items.end(), [](const CatalogueItem& a, const CatalogueItem& b) {
    if (a.Severity() != b.Severity()) return a.Severity() > b.Severity();
    const size_t na = a.warnings.size() + a.failed_checks.size(), nb = b.warnings.size() + b.failed_checks.size();
    if (na != nb) return na > nb;
    return a.path < b.path;
  });
  return items;
}

}  // namespace acuity::batch

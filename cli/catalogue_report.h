// The catalogue report of a batch (`acuity report --batch DIR -o
// catalogue.html`): one self-contained page over DIR's results (every
// results*.jsonl, the last record of each input): counts by verdict and by
// warning, histograms of the readings (blur σ, noise σ, JPEG quality,
// effective dpi, native scale), and every item, worst first, in a table
// paged and filtered in the page's script, with thumbnails of the worst
// items (and before/after crops for an enhance batch) and each item's detail
// (readings, warnings, plan, QA checks, links to its input and output).
// Built for 10 000 records: the items are one compact JSON array, only the
// worst CatalogueOptions::thumbnails get thumbnails, which load as their
// rows scroll into view (docs/targets.md measures the size).
//
//   acuity::cli::CatalogueOptions options{.title = "shop photos"};
//   std::string page = acuity::cli::CatalogueHtml(ReadResultsDir("out").records, options);
#ifndef ACUITY_CLI_CATALOGUE_REPORT_H_
#define ACUITY_CLI_CATALOGUE_REPORT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace acuity::cli {

// One input of the catalogue, from its last record.
struct CatalogueItem {
  std::string path;         // input.path (relative to the batch's INPUT root)
  std::string source_path;  // analysis.input.path: the file as the batch read it (thumbnails)
  std::string output;       // --do enhance: the result's path, else ""
  // The input file as the batch read it (input.size_bytes, input.mtime_ns):
  // what resuming keys on; absent in records that lack them.
  std::optional<int64_t> input_size_bytes, input_mtime_ns;
  // "error" (not processed), then the QA verdict ("fail", "warn", "pass")
  // when the batch ran QA, else "warn" with any warning, "fix" when the plan
  // has steps (and no warning), "pass" when there is nothing to do.
  std::string verdict;
  std::vector<std::string> warnings;       // codes: analysis.warnings and plan.warnings
  std::vector<std::string> failed_checks;  // QA checks that warned or failed
  std::vector<std::string> steps;          // plan step ops
  std::string error;
  // Readings; absent when not measured.
  std::optional<double> blur_sigma_px, noise_sigma_8bit, jpeg_quality, effective_dpi, native_scale;
  int Severity() const;  // error 4, fail 3, warn 2, fix 1, pass 0 (1 with warnings)
};

// The items (the last record of each input), worst first: by Severity, then
// by the number of warnings and failed checks, then by path.
std::vector<CatalogueItem> CatalogueItems(const std::vector<nlohmann::json>& records);

struct CatalogueOptions {
  std::string title = "acuity catalogue";
  std::string dir;              // the batch's --out DIR, named on the page
  std::string report_dir = ".";  // where the page is written: links are relative to it
  int thumbnails = 200;         // the worst N items get a thumbnail
  int thumbnail_px = 120;       // long edge, px
  int crops = 40;               // the worst N enhanced items get before/after crops
  int crop_px = 96;             // side of a crop, px
};

// The whole page. Thumbnails read each item's source_path (and output);
// a file that cannot be read gets no thumbnail, never an error.
std::string CatalogueHtml(const std::vector<nlohmann::json>& records, const CatalogueOptions& options);

}  // namespace acuity::cli

#endif  // ACUITY_CLI_CATALOGUE_REPORT_H_

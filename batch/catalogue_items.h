// The items of a batch, one per input, from the last record of each (a
// results folder, batch/results.h): its verdict, warnings, failed QA
// checks, plan steps and key readings, worst first. What the catalogue
// report (report/catalogue_report.h) pages through and the viewer's triage
// (viewer/triage.h) lists.
//
//   std::vector<acuity::batch::CatalogueItem> items =
//       acuity::batch::CatalogueItems(acuity::batch::ReadResultsDir("out").records);
//   items.front().verdict;  // "error", "fail", ... the worst first
#ifndef ACUITY_BATCH_CATALOGUE_ITEMS_H_
#define ACUITY_BATCH_CATALOGUE_ITEMS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace acuity::batch {

// Every CatalogueItem::verdict, worst first.
inline constexpr const char* kCatalogueVerdicts[] = {"error", "fail", "warn", "fix", "measured", "pass"};

// A rectangle of an image, px.
struct PixelRegion {
  int x = 0, y = 0, width = 0, height = 0;
};

// One input of the catalogue, from its last record.
struct CatalogueItem {
  std::string path;         // input.path (relative to the batch's INPUT root)
  // The file as the batch read it (thumbnails, crops, opening it):
  // analysis.input.path, or qa.input.path where nothing was analysed
  // (--steps); "" when neither is recorded.
  std::string source_path;
  std::string output;       // --do enhance: the result's path, else ""
  // The input file as the batch read it (input.size_bytes, input.mtime_ns):
  // what resuming keys on; absent in records that lack them.
  std::optional<int64_t> input_size_bytes, input_mtime_ns;
  // "error" (not processed), then the QA verdict ("fail", "warn", "pass")
  // when the batch ran QA, else "warn" with any warning, "fix" when the plan
  // has steps (and no warning), "pass" when there is nothing to do,
  // "measured" when the record has no plan (`--do analyze`).
  std::string verdict;
  std::vector<std::string> warnings;       // codes: analysis.warnings and plan.warnings
  std::vector<std::string> failed_checks;  // QA checks that warned or failed
  std::vector<std::string> steps;          // plan step ops
  std::string error;
  // Readings; absent when not measured. The blur is the one the advice acts
  // on: the part in focus when the photo has a shallow depth of field.
  std::optional<double> blur_sigma_px, noise_sigma_8bit, jpeg_quality, effective_dpi, native_scale;
  // A dithered few-colour picture's dots, or a scanned print's halftone
  // screen (analysis.dither, when detected): their RMS, 8-bit levels
  // (pattern_sigma_8bit, or screen_rms_8bit); absent otherwise.
  std::optional<double> dither_sigma_8bit;
  // Which part of the input the output shows (input px) and where it lies
  // in the output (output px): QA's qa.metrics.input_region /
  // output_region, so that a padded or cropped result's crops match; absent
  // without QA.
  std::optional<PixelRegion> qa_input_region_px, qa_output_region_px;
  // How the output shows the input (QA's qa.metrics.mirrored and
  // turned_deg: mirrored left to right, then turned clockwise by degrees):
  // the input region is in the input so oriented.
  bool qa_mirrored = false;
  int qa_turned_deg = 0;
  int Severity() const;  // error 4, fail 3, warn 2, fix 1, pass 0 (1 with warnings)
};

// The items (the last record of each input), worst first: by Severity, then
// by the number of warnings and failed checks, then by path.
std::vector<CatalogueItem> CatalogueItems(const std::vector<nlohmann::json>& records);

}  // namespace acuity::batch

#endif  // ACUITY_BATCH_CATALOGUE_ITEMS_H_

// The accuracy benchmark's bookkeeping: what acuity and the peers read on each
// ladder file, and the Markdown report (datasets/RESULTS.md) that compares
// them with the ground-truth labels, measurement by measurement.
//
//   std::vector<acuity::datasets::Observation> obs = ...;  // one per labelled file
//   obs[i].ours = acuity::datasets::MeasuredFromReport(acuity::Analyze(image));
//   std::string md = acuity::datasets::ResultsMarkdown(obs, "build/datasets/evaluate ...");
#ifndef ACUITY_DATASETS_EVALUATION_H_
#define ACUITY_DATASETS_EVALUATION_H_

#include <optional>
#include <string>
#include <vector>

#include "analysis/measurements/analyze.h"
#include "datasets/ladder.h"

namespace acuity::datasets {

// The fields of an AnalysisReport that the benchmark scores (empty = null).
struct Measured {
  std::optional<double> noise_sigma_8bit;
  std::optional<double> blur_sigma_px;
  std::optional<double> jpeg_quality;
  std::string quality_source;  // "quant_tables" | "pixels" | "none"
  std::string jpeg_tables;     // compression.tables or .estimated_tables: "ijg" | "other" | ""
  std::optional<double> halo_score;
  std::optional<bool> oversharpening_detected;
  std::optional<double> native_scale;
};
Measured MeasuredFromReport(const AnalysisReport& report);

// The peers' readings of the same file.
struct PeerReadings {
  std::optional<double> estimate_sigma;  // scikit-image, 8-bit units
  std::optional<double> blur_effect;     // scikit-image, 0 sharp – 1 blurred
  std::optional<int> imagemagick_quality;  // `identify -format %Q`, JPEG files only
  double peer_seconds = 0;               // time inside estimate_sigma + blur_effect
};

struct Observation {
  Label label;
  bool loaded = false;  // false: acuity could not read the file (error says why)
  std::string error;
  Measured ours;
  PeerReadings peer;
  double analyze_ms = 0;  // LoadImage excluded
  int width = 0, height = 0;
};

// The whole report: per measurement a table of target, ours, peer and
// met/missed, details per photo, and the command that regenerates it.
// `speed_markdown`, when not empty, is the output of analyze_bench (the 12 MP
// speed benchmark), shown in its own section.
std::string ResultsMarkdown(const std::vector<Observation>& observations, const std::string& command,
                            const std::string& speed_markdown = "");

}  // namespace acuity::datasets

#endif  // ACUITY_DATASETS_EVALUATION_H_

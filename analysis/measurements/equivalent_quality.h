// The equivalent IJG quality of any JPEG quantization tables — a camera's,
// a phone's, Photoshop's, mozjpeg's — or of a luma table estimated from the
// pixels: one number on IJG's 1–100 scale for tables that no IJG quality
// writes.
//
// Definition. With M(T) the mean natural log of a table's 64 steps, a table
// set's weighted mean log quantization step is
//   M = w_Y · M(T_Y) + (1 − w_Y) · mean over the chroma tables of M(T_C),
// with w_Y = kEquivalentLumaWeight = 2/3 (a 4:2:0 MCU codes 4 luma blocks
// and 2 chroma blocks) and w_Y = 1 for a gray JPEG. The equivalent quality is
// the IJG quality Q whose own tables (libjpeg's scaling of Annex K, baseline,
// IjgQuantTable) have the same M: M falls with the integer qualities, and Q
// interpolates linearly between the two that bracket the file's M (1 below
// quality 1's M, 100 at quality 100's). IJG's own tables of quality q give
// exactly q. Equal M means equal geometric-mean step, which is the
// least-squares fit, in the log domain, of one scale factor between the
// file's tables and Annex K (clamping aside).
//
//   acuity::EquivalentQuality eq = acuity::EquivalentIjgQuality(info.jpeg->quant_tables,
//                                                              info.jpeg->component_table);
//   Print(eq.quality);                 // e.g. 24.9 for IJG q25 with 7th entries +2..3
//   double q = acuity::IjgQualityOfMeanLogStep(mean_log_luma_step, /*luma_weight=*/1.0);
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_EQUIVALENT_QUALITY_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_EQUIVALENT_QUALITY_H_

#include <array>
#include <cstdint>
#include <vector>

namespace acuity {

// Weight of the luma table in the weighted mean log step (the chroma tables
// share the rest): luma blocks per 4:2:0 MCU / all blocks.
inline constexpr double kEquivalentLumaWeight = 2.0 / 3.0;

struct EquivalentQuality {
  double quality = 0;  // IJG quality 1–100 (real)
  double mean_log_step = 0;  // the tables' weighted mean natural log step
  // RMS over every entry of ln(step) − ln(IJG step at round(quality)): 0 for
  // IJG's tables, ≈ 0.05–0.2 for tables with a few entries off, ≥ 0.4 for
  // tables shaped unlike Annex K (flat ones).
  double rms_log_deviation = 0;
};

// The weighted mean log step of IJG quality 1–100's own tables.
double IjgMeanLogStep(int quality, double luma_weight = kEquivalentLumaWeight);

// The IJG quality (real, 1–100) whose tables have this weighted mean log
// step, for the given luma weight (1: a luma table alone).
double IjgQualityOfMeanLogStep(double mean_log_step, double luma_weight = kEquivalentLumaWeight);

// The equivalent quality of a file's tables (slot order, natural order).
// `component_table`: the slot each component uses (Y first); empty = slot 0
// luma and every further slot chroma. One component (gray): luma weight 1.
// No tables: quality 0.
EquivalentQuality EquivalentIjgQuality(const std::vector<std::array<uint16_t, 64>>& tables,
                                       const std::vector<int>& component_table = {});

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_EQUIVALENT_QUALITY_H_

// Camera-like JPEG quantization tables for the evaluation ladders: shapes
// that no IJG quality writes, scaled so that their equivalent IJG quality
// (analysis/measurements/equivalent_quality.h: same weighted mean log step)
// is a chosen one. They stand for the tables of cameras, phones and editors.
//
//   std::vector<std::array<uint16_t, 64>> t =
//       acuity::datasets::ShapedTables(acuity::datasets::TableShape::kTilt, 40);
//   options.quant_tables = t;   // JpegEncodeOptions
#ifndef ACUITY_DATASETS_JPEG_TABLES_H_
#define ACUITY_DATASETS_JPEG_TABLES_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace acuity::datasets {

enum class TableShape {
  kTilt,        // Annex K × s × 2^(0.5 − (u + v)/14): flatter towards high frequencies
  kFlat,        // every luma step s, every chroma step 1.5·s
  kPerturbed,   // Annex K × s (rounded, clamped), then +2 / +3 on every 7th entry (k = 0, 7, 14, …)
  kChromaLuma,  // Annex K luma × s in both slots: chroma quantized like luma
};
inline constexpr TableShape kTableShapes[] = {TableShape::kTilt, TableShape::kFlat, TableShape::kPerturbed,
                                              TableShape::kChromaLuma};

// "tilt", "flat", "perturbed", "chroma_luma".
const char* TableShapeName(TableShape shape);
std::optional<TableShape> TableShapeFromName(const std::string& name);

// Luma (slot 0) and chroma (slot 1) tables of `shape`, entries 1–255, with
// s chosen (bisection) so that their equivalent IJG quality is as close to
// `equivalent_quality` (1–100) as integer steps allow — for a gray image
// (`gray`: only the luma table codes it) that of the luma table alone.
std::vector<std::array<uint16_t, 64>> ShapedTables(TableShape shape, double equivalent_quality, bool gray = false);

}  // namespace acuity::datasets

#endif  // ACUITY_DATASETS_JPEG_TABLES_H_

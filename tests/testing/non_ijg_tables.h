// Quantization tables that are not IJG's, as cameras and editors write them:
// IJG's tables of a quality with every 7th step (from the second) 3 finer,
// and the two examples of issue 17.
// ImageMagick's test (and so acuity's, analysis/measurements/
// compression_tables.h) still reads them as that quality, from the tables
// ("quant_tables"), not exactly IJG's. For tests of what acuity does with a
// file's own tables (write them with JpegEncodeOptions::quant_tables).
// Header-only; needs acuity_measurements.
//
//   acuity::JpegEncodeOptions options;
//   options.quant_tables = acuity::testing::NonIjgQuantTables(25);
//   std::string bytes = *acuity::EncodeJpeg(photo, options);
#ifndef ACUITY_TESTS_TESTING_NON_IJG_TABLES_H_
#define ACUITY_TESTS_TESTING_NON_IJG_TABLES_H_

#include <array>
#include <cstdint>
#include <vector>

#include "analysis/measurements/compression_tables.h"

namespace acuity::testing {

// Luma (slot 0) and chroma (slot 1) tables near IJG's of `quality` (10–100).
inline std::vector<std::array<uint16_t, 64>> NonIjgQuantTables(int quality) {
  std::vector<std::array<uint16_t, 64>> tables;
  for (bool chroma : {false, true}) {
    std::array<uint16_t, 64> t = IjgQuantTable(quality, chroma);
    for (int k = 1; k < 64; k += 7) t[k] = uint16_t(t[k] - 3);
    tables.push_back(t);
  }
  return tables;
}

// The issue-17 camera example: IJG's tables of `quality` with 2 or 3 added
// to every seventh entry (k = 0, 7, 14, …: +2, +3, +2, …) of both tables.
// ImageMagick reads quality 25's as 92.
inline std::vector<std::array<uint16_t, 64>> PerturbedIjgTables(int quality) {
  std::vector<std::array<uint16_t, 64>> tables;
  for (bool chroma : {false, true}) {
    std::array<uint16_t, 64> t = IjgQuantTable(quality, chroma);
    for (int k = 0; k < 64; k += 7) t[k] = uint16_t(t[k] + 2 + (k / 7) % 2);
    tables.push_back(t);
  }
  return tables;
}

// The issue-17 custom-encoder example: smooth, coarse tables, 60 at DC to
// 144 at the highest frequency (60 + 6·(u + v)), the same for luma and
// chroma. ImageMagick reads them as 92; their equivalent quality is ≈ 27.
inline std::vector<std::array<uint16_t, 64>> SmoothCoarseTables() {
  std::array<uint16_t, 64> t{};
  for (int k = 0; k < 64; ++k) t[k] = uint16_t(60 + 6 * (k / 8 + k % 8));
  return {t, t};
}

}  // namespace acuity::testing

#endif  // ACUITY_TESTS_TESTING_NON_IJG_TABLES_H_

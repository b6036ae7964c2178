// IJG (libjpeg) quantization tables and the JPEG quality they encode: the
// standard tables scaled by `quality` exactly as libjpeg's jpeg_set_quality()
// does (baseline: clamped to 1–255), whether a file's tables are exactly
// those, and ImageMagick's `identify -format %Q` estimate of the quality from
// any tables, reproduced as the reference acuity is compared with (its hash
// test reads most non-IJG tables as 92). acuity itself reports, for tables
// that are not IJG's, the equivalent quality (equivalent_quality.h).
//
//   std::array<uint16_t, 64> luma = acuity::IjgQuantTable(75, /*chroma=*/false);
//   acuity::QuantTableQuality q = acuity::QualityFromQuantTables(info.jpeg->quant_tables);
//   if (q.quality) Print(*q.quality);   // 75, as ImageMagick says
//   bool ijg = acuity::IjgQualityOfTables(info.jpeg->quant_tables).has_value();
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_COMPRESSION_TABLES_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_COMPRESSION_TABLES_H_

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace acuity {

// The standard luminance (chroma = false) or chrominance table scaled for
// IJG quality 1–100, in natural (row-major) order.
std::array<uint16_t, 64> IjgQuantTable(int quality, bool chroma);

// True when `tables` (slot order, natural order) are exactly the tables
// libjpeg's jpeg_set_quality(quality, TRUE) writes: slot 0 the scaled
// luminance table, every further slot the scaled chrominance table.
bool AreIjgTables(const std::vector<std::array<uint16_t, 64>>& tables, int quality);

// The IJG quality 1–100 whose tables `tables` are exactly (AreIjgTables);
// empty for any other table set (a camera's, Photoshop's, mozjpeg's) and for
// no tables. With `component_table` (JpegInfo::component_table: the slot of
// each component, Y first) the components must use the slots libjpeg gives
// them too: Y slot 0, chroma a chroma slot (IJG's luma table used for chroma
// as well is not IJG's table set); with 4 components (CMYK ink) slot 0 for
// all four (CMYK) or Y and K slot 0, Cb and Cr slot 1 (YCCK).
std::optional<int> IjgQualityOfTables(const std::vector<std::array<uint16_t, 64>>& tables,
                                      const std::vector<int>& component_table = {});

struct QuantTableQuality {
  // ImageMagick's %Q: the IJG quality whose tables match by ImageMagick's
  // hash/sum test; 92 (ImageMagick's default) when its test finds none.
  int quality = 92;
  // How the number was found: kExact when the tables are exactly the IJG
  // tables of `quality`; kHashMatch when ImageMagick's test matched (tables
  // close to IJG, e.g. a camera's); kApproximate when ImageMagick took the
  // nearest quality ≥ 51 without a match; kUndetermined when it gave up (92).
  enum class Match { kExact, kHashMatch, kApproximate, kUndetermined } match = Match::kUndetermined;
};

// ImageMagick's quality estimate (coders/jpeg.c) from the tables in slot
// order (slot 0 luma, 1 chroma, ...; natural order). Empty input: quality 92,
// kUndetermined.
QuantTableQuality QualityFromQuantTables(const std::vector<std::array<uint16_t, 64>>& tables);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_COMPRESSION_TABLES_H_

#include "analysis/measurements/compression_tables.h"

#include <algorithm>

#include "analysis/io/jpeg_codec.h"  // kAnnexKLumaTable, kAnnexKChromaTable

namespace acuity {
namespace {

int Sum(const std::array<uint16_t, 64>& t) {
  int s = 0;
  for (uint16_t v : t) s += v;
  return s;
}

// ImageMagick's two reference numbers for a table set: a "hash" of four
// (two with one table) table entries and the sum of all entries.
struct Signature {
  int hash = 0;
  int sum = 0;
};

Signature IjgSignature(int quality, bool two_tables) {
  const auto luma = IjgQuantTable(quality, false);
  Signature s{luma[2] + luma[53], Sum(luma)};
  if (two_tables) {
    const auto chroma = IjgQuantTable(quality, true);
    s.hash += chroma[0] + chroma[63];
    s.sum += Sum(chroma);
  }
  return s;
}

}  // namespace

std::array<uint16_t, 64> IjgQuantTable(int quality, bool chroma) {
  quality = std::clamp(quality, 1, 100);
  const int scale = quality < 50 ? 5000 / quality : 200 - 2 * quality;  // percent
  const std::array<uint16_t, 64>& base = chroma ? kAnnexKChromaTable : kAnnexKLumaTable;
  std::array<uint16_t, 64> t{};
  for (int k = 0; k < 64; ++k) t[k] = uint16_t(std::clamp((base[k] * scale + 50) / 100, 1, 255));
  return t;
}

bool AreIjgTables(const std::vector<std::array<uint16_t, 64>>& tables, int quality) {
  if (tables.empty()) return false;
  for (size_t slot = 0; slot < tables.size(); ++slot)
    if (tables[slot] != IjgQuantTable(quality, /*chroma=*/slot > 0)) return false;
  return true;
}

std::optional<int> IjgQualityOfTables(const std::vector<std::array<uint16_t, 64>>& tables,
                                      const std::vector<int>& component_table) {
  // libjpeg's slots by colour space: gray {0}, YCbCr {0, 1, 1}, CMYK
  // {0, 0, 0, 0}, YCCK {0, 1, 1, 0}.
  const bool cmyk = component_table == std::vector<int>{0, 0, 0, 0} || component_table == std::vector<int>{0, 1, 1, 0};
  if (!cmyk)
    for (size_t c = 0; c < component_table.size(); ++c)
      if ((component_table[c] == 0) != (c == 0)) return std::nullopt;
  for (int quality = 1; quality <= 100; ++quality)
    if (AreIjgTables(tables, quality)) return quality;
  return std::nullopt;
}

QuantTableQuality QualityFromQuantTables(const std::vector<std::array<uint16_t, 64>>& tables) {
  QuantTableQuality out;
  if (tables.empty()) return out;
  const bool two = tables.size() >= 2;
  // As ImageMagick: the sum runs over every table in the file (up to 4 slots),
  // the hash over luma[2] + luma[53] (+ chroma[0] + chroma[63]).
  Signature seen;
  for (size_t i = 0; i < std::min<size_t>(tables.size(), 4); ++i) seen.sum += Sum(tables[i]);
  seen.hash = tables[0][2] + tables[0][53];
  if (two) seen.hash += tables[1][0] + tables[1][63];
  // Walk from quality 1 upwards while the file's tables are finer than IJG's
  // on both numbers; the first quality where they are not decides.
  for (int quality = 1; quality <= 100; ++quality) {
    const Signature ref = IjgSignature(quality, two);
    if (seen.hash < ref.hash && seen.sum < ref.sum) continue;
    const bool match = seen.hash <= ref.hash && seen.sum <= ref.sum;
    if (match || quality > 50) {
      out.quality = quality;
      out.match = match ? QuantTableQuality::Match::kHashMatch : QuantTableQuality::Match::kApproximate;
      if (AreIjgTables(tables, quality)) out.match = QuantTableQuality::Match::kExact;
    }
    break;
  }
  return out;
}

}  // namespace acuity

#include "datasets/jpeg_tables.h"

#include <algorithm>
#include <cmath>

#include "analysis/io/jpeg_codec.h"
#include "analysis/measurements/equivalent_quality.h"

namespace acuity::datasets {
namespace {

uint16_t Step(double v) { return uint16_t(std::clamp(std::lround(v), 1L, 255L)); }

std::vector<std::array<uint16_t, 64>> TablesAtScale(TableShape shape, double s) {
  std::array<uint16_t, 64> luma{}, chroma{};
  for (int k = 0; k < 64; ++k) {
    const double t = (k / 8 + k % 8) / 14.0;
    switch (shape) {
      case TableShape::kTilt:
        luma[k] = Step(kAnnexKLumaTable[k] * s * std::exp2(0.5 - t));
        chroma[k] = Step(kAnnexKChromaTable[k] * s * std::exp2(0.5 - t));
        break;
      case TableShape::kFlat:
        luma[k] = Step(s * 40);
        chroma[k] = Step(s * 60);
        break;
      case TableShape::kPerturbed: {
        const int extra = k % 7 ? 0 : 2 + (k / 7) % 2;
        luma[k] = Step(Step(kAnnexKLumaTable[k] * s) + extra);
        chroma[k] = Step(Step(kAnnexKChromaTable[k] * s) + extra);
        break;
      }
      case TableShape::kChromaLuma:
        luma[k] = chroma[k] = Step(kAnnexKLumaTable[k] * s);
        break;
    }
  }
  return {luma, chroma};
}

}  // namespace

const char* TableShapeName(TableShape shape) {
  switch (shape) {
    case TableShape::kTilt: return "tilt";
    case TableShape::kFlat: return "flat";
    case TableShape::kPerturbed: return "perturbed";
    case TableShape::kChromaLuma: return "chroma_luma";
  }
  return "tilt";
}

std::optional<TableShape> TableShapeFromName(const std::string& name) {
  for (TableShape s : kTableShapes)
    if (name == TableShapeName(s)) return s;
  return std::nullopt;
}

std::vector<std::array<uint16_t, 64>> ShapedTables(TableShape shape, double equivalent_quality, bool gray) {
  const std::vector<int> components = gray ? std::vector<int>{0} : std::vector<int>{0, 1, 1};
  const auto equivalent = [&](double log_s) {
    return EquivalentIjgQuality(TablesAtScale(shape, std::exp(log_s)), components).quality;
  };
  // The equivalent quality falls as s grows: bisect ln s.
  double lo = std::log(1e-3), hi = std::log(20.0);
  for (int i = 0; i < 60; ++i) {
    const double mid = 0.5 * (lo + hi);
    (equivalent(mid) > equivalent_quality ? lo : hi) = mid;
  }
  const auto a = TablesAtScale(shape, std::exp(lo)), b = TablesAtScale(shape, std::exp(hi));
  const double ea = equivalent(lo), eb = equivalent(hi);
  return std::abs(ea - equivalent_quality) <= std::abs(eb - equivalent_quality) ? a : b;
}

}  // namespace acuity::datasets

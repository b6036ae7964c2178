#include "analysis/measurements/equivalent_quality.h"

#include <algorithm>
#include <cmath>

#include "analysis/measurements/compression_tables.h"

namespace acuity {
namespace {

double MeanLog(const std::array<uint16_t, 64>& t) {
  double s = 0;
  for (uint16_t v : t) s += std::log(double(std::max<uint16_t>(v, 1)));
  return s / 64;
}

double MeanSquaredLogDeviation(const std::array<uint16_t, 64>& t, const std::array<uint16_t, 64>& ref) {
  double s = 0;
  for (int k = 0; k < 64; ++k) {
    const double d = std::log(double(std::max<uint16_t>(t[k], 1))) - std::log(double(ref[k]));
    s += d * d;
  }
  return s / 64;
}

// The slots of the luma component and of the chroma components.
struct Roles {
  int luma = 0;
  std::vector<int> chroma;
};

Roles RolesOf(size_t slots, const std::vector<int>& component_table) {
  Roles r;
  if (component_table.empty()) {
    for (size_t s = 1; s < slots; ++s) r.chroma.push_back(int(s));
    return r;
  }
  r.luma = component_table[0];
  for (size_t c = 1; c < component_table.size(); ++c) r.chroma.push_back(component_table[c]);
  return r;
}

}  // namespace

double IjgMeanLogStep(int quality, double luma_weight) {
  const double luma = MeanLog(IjgQuantTable(quality, /*chroma=*/false));
  if (luma_weight >= 1.0) return luma;
  return luma_weight * luma + (1 - luma_weight) * MeanLog(IjgQuantTable(quality, /*chroma=*/true));
}

double IjgQualityOfMeanLogStep(double mean_log_step, double luma_weight) {
  double above = IjgMeanLogStep(1, luma_weight);  // M falls as the quality rises
  if (mean_log_step >= above) return 1.0;
  for (int q = 1; q < 100; ++q) {
    const double below = IjgMeanLogStep(q + 1, luma_weight);
    if (mean_log_step >= below) {
      // A plateau (equal M at q and q + 1) can only hold an exact match: its middle.
      return above > below ? q + (above - mean_log_step) / (above - below) : q + 0.5;
    }
    above = below;
  }
  return 100.0;
}

EquivalentQuality EquivalentIjgQuality(const std::vector<std::array<uint16_t, 64>>& tables,
                                       const std::vector<int>& component_table) {
  EquivalentQuality out;
  if (tables.empty()) return out;
  Roles roles = RolesOf(tables.size(), component_table);
  auto valid = [&](int slot) { return slot >= 0 && size_t(slot) < tables.size(); };
  if (!valid(roles.luma)) roles.luma = 0;
  roles.chroma.erase(std::remove_if(roles.chroma.begin(), roles.chroma.end(), [&](int s) { return !valid(s); }),
                     roles.chroma.end());
  const double w = roles.chroma.empty() ? 1.0 : kEquivalentLumaWeight;
  double chroma = 0;
  for (int s : roles.chroma) chroma += MeanLog(tables[s]) / roles.chroma.size();
  out.mean_log_step = w * MeanLog(tables[roles.luma]) + (1 - w) * chroma;
  out.quality = IjgQualityOfMeanLogStep(out.mean_log_step, w);

  const int q = int(std::lround(out.quality));
  double msd = w * MeanSquaredLogDeviation(tables[roles.luma], IjgQuantTable(q, false));
  for (int s : roles.chroma)
    msd += (1 - w) * MeanSquaredLogDeviation(tables[s], IjgQuantTable(q, true)) / roles.chroma.size();
  out.rms_log_deviation = std::sqrt(msd);
  return out;
}

}  // namespace acuity

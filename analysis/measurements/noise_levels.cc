#include "analysis/measurements/noise_levels.h"

#include <algorithm>
#include <cmath>

namespace acuity {

std::optional<std::array<float, 256>> LumaNoiseByLevel(const NoiseResult& noise) {
  if (!noise.sigma) return std::nullopt;
  const double global = *noise.sigma;
  bool stands_out = false;
  for (const NoiseLevelBin& bin : noise.level_function)
    stands_out |= bin.sigma && *bin.sigma > global && *bin.sigma >= kNoiseHotspotRatio * global;
  if (!stands_out) return std::nullopt;
  const double ratio =
      global >= 0.5 && noise.luma_sigma ? std::clamp(*noise.luma_sigma / global, 0.0, 1.0) : kLumaPerChannelSigma;
  std::array<float, 256> table;
  table.fill(float(ratio * global));
  for (const NoiseLevelBin& bin : noise.level_function) {
    if (!bin.sigma || *bin.sigma < kNoiseHotspotRatio * global) continue;
    const int from = std::clamp(int(std::ceil(bin.level_from_8bit)), 0, 255);
    // The top bin ends at 255: it holds level 255 too.
    const int to = bin.level_to_8bit >= 255.0 ? 256 : std::clamp(int(std::ceil(bin.level_to_8bit)), 0, 256);
    for (int v = from; v < to; ++v) table[size_t(v)] = float(ratio * std::max(*bin.sigma, global));
  }
  return table;
}

double LumaShareOfNoise(const NoiseResult& noise) {
  if (!noise.sigma || !noise.luma_sigma || !noise.chroma_sigma || *noise.sigma < 0.5 || *noise.chroma_sigma <= 0)
    return 1.0;
  const double share = *noise.luma_sigma / (kLumaPerChannelSigma * *noise.sigma);
  return share < kColourNoiseBelowLumaShare ? std::max(0.0, share) : 1.0;
}

}  // namespace acuity

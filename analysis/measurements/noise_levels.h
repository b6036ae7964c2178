// Noise that differs with brightness, as the other readings need it: a
// camera's noise lifted with the shadows of an exposure sits in the dark
// part of the picture only, and the global σ (noise.h NoiseResult::sigma),
// read on every flat patch at once, averages it away (σ 25 in the shadows
// of a photo otherwise clean read 0.0). The blur reading discounts noise
// where it is with this table: read with the global σ, a photo blurred by
// 2 px with noisy shadows read 0.86 px, "sharp".
//
//   if (auto table = acuity::LumaNoiseByLevel(noise.result)) options.noise_luma_sigma_by_level = *table;
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_NOISE_LEVELS_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_NOISE_LEVELS_H_

#include <array>
#include <optional>

#include "analysis/measurements/noise.h"

namespace acuity {

// A brightness range whose noise σ exceeds the global σ by this factor is
// where the noise is (the advice acts on its σ and names it: wild_readings.h).
inline constexpr double kNoiseHotspotRatio = 1.3;
// Luma σ over per-channel σ for noise independent and alike in R, G and B.
inline constexpr double kLumaPerChannelSigma = 0.668;

// Luma noise σ (8-bit units) at each 8-bit level: the level function's σ
// (NoiseResult::level_function, per channel, by the patches' level) where a
// bin is kNoiseHotspotRatio× the global σ or more, the global σ elsewhere;
// taken to luma by the picture's own luma/channel ratio (kLumaPerChannelSigma
// when the global σ is under 0.5). Empty when no bin stands out: the global
// luma σ holds for the whole picture.
std::optional<std::array<float, 256>> LumaNoiseByLevel(const NoiseResult& noise);

// Below this, the noise is mostly in the colour (LumaShareOfNoise).
inline constexpr double kColourNoiseBelowLumaShare = 0.75;

// The luma's share of a noise reading: its luma σ over the luma σ that
// noise alike in R, G and B of its per-channel σ gives (kLumaPerChannelSigma
// σ) when that is under kColourNoiseBelowLumaShare — noise mostly in the
// colour (a phone's chroma blotches), which neither a denoise nor a sharpen
// of the luma need weigh in full — else 1; 1 too when a figure is missing,
// σ is under 0.5 or the picture is gray (chroma σ 0).
double LumaShareOfNoise(const NoiseResult& noise);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_NOISE_LEVELS_H_

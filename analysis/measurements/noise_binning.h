// What binning removes of the noise: the variance of a picture's luma
// around its b×b block means where the picture is flat. With the σ of the
// block means (the noise reading on the binned pixels) it gives the pixels'
// own noise σ whatever its correlation — the law of total variance,
//   σ² = Var(b×b mean) + mean over the bin of (pixel − bin mean)²
// (noise.cc reads noise correlated over a pixel or more so: binned until it
// is white, where the reading is sound, then brought back).
//
//   std::optional<double> f = acuity::PixelSigmaFactor(pixels, 2, binned_luma_sigma);
//   if (f) sigma = *f * binned_sigma;  // the pixels' own σ
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_NOISE_BINNING_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_NOISE_BINNING_H_

#include <optional>

#include <opencv2/core.hpp>

namespace acuity {

// The mid-tone blocks must be this share of the picture at least (the
// Hubble deep field: 5 %, its black sky clipped) ...
inline constexpr double kMinFlatBlockShare = 0.10;
// ... and the flattest tenth's gradient energy at most this many times
// noise's (1.3–5.7 on photos under noise blurred by 1 px; a stained
// tissue's 11–20).
inline constexpr double kMaxFlatEnergyRatio = 8.0;
// Block means darker than this or brighter than 255 minus it (8-bit
// units) are left out: clipping cuts the noise near black and white.
inline constexpr double kFlatBlockMidToneLow = 48.0;
// Pixels read at most (a sample of blocks beyond).
inline constexpr double kMaxWithinBlockSamplePixels = 1.0e6;

// The mean squared difference (8-bit units²) between `pixels`' luma and its
// b×b block means, where the picture is flat: on the tenth of the mid-tone
// blocks whose means have the least gradient energy over 5×5 blocks, the
// median of that difference averaged over the same 5×5 blocks. `pixels`:
// 8- or 16-bit, 1–4 channels (read as BT.601 luma, 0–255); a picture over
// kMaxWithinBlockSamplePixels is read on an even sample of 128-px blocks
// (noise_sampling.h), so the floats held stay a few MB; a remainder under
// b px is left out. Not
// measured (nullopt) for fewer than 5×5 blocks, or where the flattest
// blocks are not flat: fewer than kMinFlatBlockShare of the blocks in the
// mid-tones, or their gradient energy above kMaxFlatEnergyRatio × what
// noise of σ `binned_sigma` on the block means gives (4σ², the central
// differences' pair) — texture there (galaxies on a black sky, a stained
// tissue) would be read as noise. White noise of σ gives σ²(1 − 1/b²).
std::optional<double> FlatWithinBlockVariance(const cv::Mat& pixels, int b, double binned_sigma);

// What turns a noise reading on `pixels` binned b×b into the pixels' own σ:
// sqrt(σ_b² + FlatWithinBlockVariance) / σ_b for the binned luma σ
// `binned_luma_sigma` (8-bit units), within [1, b] — b for white noise,
// less the more the noise is correlated within a bin. nullopt when
// σ_b ≤ 0 or the within-bin variance is not measured.
std::optional<double> PixelSigmaFactor(const cv::Mat& pixels, int b, double binned_luma_sigma);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_NOISE_BINNING_H_

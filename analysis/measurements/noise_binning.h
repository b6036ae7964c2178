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

#include <limits>
#include <optional>
#include <vector>

#include <opencv2/core.hpp>

#include "analysis/measurements/noise.h"

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

// A range of block means, 8-bit luma units: low ≤ mean ≤ high.
struct BlockLevels {
  double low = kFlatBlockMidToneLow;
  double high = 255.0 - kFlatBlockMidToneLow;
  // The share of the blocks that must lie there (and 25 blocks at least).
  double min_share = kMinFlatBlockShare;
};

// The mean squared difference (8-bit units²) between `pixels`' luma and its
// b×b block means, where the picture is flat: on the tenth of the mid-tone
// blocks whose means have the least gradient energy over 5×5 blocks, the
// median of that difference averaged over the same 5×5 blocks (`levels`:
// the blocks read, by their mean; the mid-tones by default). `pixels`:
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
std::optional<double> FlatWithinBlockVariance(const cv::Mat& pixels, int b, double binned_sigma,
                                              BlockLevels levels = {});

// What turns a noise reading on `pixels` binned b×b into the pixels' own σ:
// sqrt(σ_b² + FlatWithinBlockVariance) / σ_b for the binned luma σ
// `binned_luma_sigma` (8-bit units), within [1, b] — b for white noise,
// less the more the noise is correlated within a bin. nullopt when
// σ_b ≤ 0 or the within-bin variance is not measured. `levels`: where
// σ_b was read (noise that grows with brightness is read where it is).
std::optional<double> PixelSigmaFactor(const cv::Mat& pixels, int b, double binned_luma_sigma,
                                       BlockLevels levels = {});

// Correlated noise (MeasureNoise, ChooseBinnedReading): the reading on the pixels binned 2×2
// (times 2, as white noise's) counts when it is above kCorrelatedRatio ×
// the full scale's + kCorrelatedMargin8bit, on at least
// kMinCorrelatedWeakFraction of the
// binned patches, whose DifferenceRatio is at most kMaxWhiteDifferenceRatio
// (white again), where the full scale's patches had at least
// kMinCorrelatedDifferenceRatio (correlated). Measured on 13 scikit-image
// photos (docs/json.md, noise.correlated): white noise σ 10 blurred by
// 0.7 px read 2.6–4.4 at full scale, its patches' ratio 1.71–1.97, and
// 9.6–15.5 binned and doubled (8.9–12.5 brought back to the pixels' σ by
// PixelSigmaFactor), ratio 1.37–1.68 on 14–86 % of the patches (the Hubble
// field 2.68: not read there); white noise σ 10 read 10.1 at both scales,
// ratio 1.03–1.45 at full scale; gravel and grass with white noise 1.44–1.53
// at full scale, but grass under σ 5 1.85 (its patches collapse onto the
// grass), which reads 24.6 binned, and gravel sharpened by 250 % at 2 px
// reads 20 at full scale, 80 binned. So only a full-scale reading under
// kMaxCorrelatedFullSigma8bit is read again (correlated noise of σ 10 read
// at most 4.4 there; texture under noise, or sharpened, 5.8 and more):
// noise the full scale already reads that high is noisy there anyway.
inline constexpr double kMaxCorrelatedFullSigma8bit = 5.0;
inline constexpr double kCorrelatedRatio = 1.5;
inline constexpr double kCorrelatedMargin8bit = 1.0;
inline constexpr double kMinCorrelatedWeakFraction = 0.02;
inline constexpr double kMinCorrelatedDifferenceRatio = 1.65;
// Binned 2×2, noise blurred by 1 px still looks correlated (few flat
// patches, or their DifferenceRatio above kMaxWhiteDifferenceRatio): it is
// read binned 4×4, where its σ read at most 1.74× the 2×2 reading (six
// scikit-image photos with white noise blurred by 1 px); binning never
// raises noise, and texture everywhere does that (clean grass: 3.8×), so
// a reading above kMaxBinnedGrowth × the finer one is not noise.
inline constexpr int kMaxCorrelatedBinning = 4;
inline constexpr double kMaxBinnedGrowth = 2.0;
// A level bin's reading binned, brought back to the pixels' σ, at most this
// many times its full-scale reading: grain 3–5 % of the level blurred by
// 0.6–1 px on 8 scikit-image photos (and the walk's paper grain) read 1.5–
// 4.5 times its full-scale reading in the bin the binning chose, and noise
// blurred by 0.8 px read globally up to 7.5 times; the full scale reads
// almost nothing (0.02–0.09) of a clean photo enlarged by Lanczos or
// bicubic ×2, sharpened or not, whose interpolated detail the binning
// raised 54–117 times there.
inline constexpr double kMaxLevelHiddenRatio = 8.0;
// Patches whose two-pixel differences hold at most this many times the
// energy of their one-pixel differences look white (DifferenceRatio: 1 for
// white noise, 1.42 for noise correlated as by a demosaic; noise.cc).
inline constexpr double kMaxWhiteDifferenceRatio = 1.7;

// How white the noise a reading read looks: the mean over the planes of the
// DifferenceRatio of the patches each σ was read on (1 for white noise,
// noise_patches.h).
struct NoiseWhiteness {
  double global = 0;             // of the patches each plane's σ was read on
  std::vector<double> by_level;  // of each level bin's (0: not read)
};

// Where correlated noise is looked for, in order (-1: the global reading;
// 0–5: a bin of the level function): where the full scale `full` read
// little (under kMaxCorrelatedFullSigma8bit) on patches that look
// correlated (DifferenceRatio ≥ kMinCorrelatedDifferenceRatio) — the
// global reading, then the bins above it, loudest first. Noise that grows
// with brightness, as a film's grain or a paper's texture does, is read
// globally on the darks, where 8-bit rounding leaves it white, or too
// faint there to rise when binned. Empty: nowhere.
std::vector<int> CorrelatedProbes(const NoiseResult& full, const NoiseWhiteness& whiteness);

// What a reading `binned` of the pixels binned b×b says of the correlated
// noise the probes looked for.
struct BinnedChoice {
  int probe = -2;     // the probe whose binned reading stands; -2: none
  double factor = 0;  // what brings it back to the pixels' σ (PixelSigmaFactor)
  // The binning raised a probe before `probe` (or the global reading) but
  // left it correlated: read the next scale first, `probe` only when that
  // finds nothing.
  bool bin_again = false;
  // The global reading grew more than kMaxBinnedGrowth times from the last
  // scale: texture, not noise (binning never raises noise); nothing stands,
  // not even a finer scale's reading.
  bool texture = false;
};

// A probe's state from one scale to the next.
struct ProbeState {
  bool live = true;  // read at this scale: at 2×2, or raised but left correlated at the last
  double limit = std::numeric_limits<double>::infinity();  // kMaxBinnedGrowth × its last binned σ
};

// The first live probe the binning raised well above the full scale's
// reading (b·σ_b > kCorrelatedRatio·σ + kCorrelatedMargin8bit, and at most
// its state's limit) on flat patches enough that look white there, with
// its factor: a global reading's may be b where the within-bin variance is
// not read (white noise's, an upper bound) at 2×2; a level bin's must be
// read on the blocks of the bin's levels (clear of clipping), below b (a
// factor of b is white noise, which binning does not raise: the raise is
// texture), and may hide at most kMaxLevelHiddenRatio of its σ from the
// full scale. `states` (one per probe) is updated for the next scale.
BinnedChoice ChooseBinnedReading(const cv::Mat& pixels, int b, const NoiseResult& full, const NoiseResult& binned,
                                 const NoiseWhiteness& whiteness, const std::vector<int>& probes,
                                 std::vector<ProbeState>& states);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_NOISE_BINNING_H_

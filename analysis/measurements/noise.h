// Noise measurement: the std-dev of additive white Gaussian noise (AWGN) in an
// image, per RGB channel and in luma/chroma, robust to texture and clipping,
// plus a map of the local noise level.
//
// Method: PCA on weak-texture patches (Liu, Tanaka & Okutomi 2013, "Single-
// image noise level estimation for blind denoising"), with the noise variance
// read from the patch covariance's eigenvalues by the mean = median rule of
// Chen, Zhu & Heng 2015 ("An efficient statistical method for image noise
// level estimation"). Patches near clipping (0 or 255) are excluded, and so
// are patches whose exactly-zero neighbour differences no level of noise
// explains (a glyph or a border between two exactly flat areas): graphics
// whose flat areas are exactly flat read σ 0, not their text edges.
//
//   acuity::NoiseMeasurement m = acuity::MeasureNoise(image.pixels);
//   if (m.result.sigma) fmt::print("noise σ = {:.2f} (8-bit units)\n", *m.result.sigma);
//
// All σ values are in 8-bit units (0–255 whatever the source depth).
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_NOISE_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_NOISE_H_

#include <array>
#include <optional>
#include <vector>

#include <opencv2/core.hpp>

#include "analysis/measurements/measured.h"

namespace acuity {

// One brightness bin of the noise level function: the noise σ of the patches
// whose own channel level lies in [level_from_8bit, level_to_8bit).
struct NoiseLevelBin {
  double level_from_8bit = 0;  // channel level, 8-bit units
  double level_to_8bit = 0;
  // Std-dev of the noise at that level, the mean over the R, G, B channels
  // that had enough flat patches there (gray: the one plane), 8-bit units.
  // Empty ("not measured"): no channel had enough flat patches at that level
  // (at least 6 per dimension of the patch covariance: 294 for 7×7 patches).
  std::optional<double> sigma;
};

struct NoiseResult {
  // Std-dev of the noise per RGB channel, averaged over R, G and B; 8-bit
  // units. Each channel's σ is read on the covariance of all its weak-texture
  // (flat) patches at once, so for noise that varies with brightness (a
  // camera's shot noise) it is the root mean square of the local σ over the
  // image's flat areas: the noise at their typical level, not at mid-grey.
  // `level_function` says where the noise is.
  std::optional<double> sigma;
  // Std-dev of the noise in BT.601 luma Y = 0.299 R + 0.587 G + 0.114 B, 8-bit
  // units. For independent noise of σ per channel, luma_sigma = 0.668 σ.
  std::optional<double> luma_sigma;
  // Root mean square of the noise std-devs of the two full-range BT.601 (JPEG)
  // chroma channels Cb = −0.1687 R − 0.3313 G + 0.5 B and
  // Cr = 0.5 R − 0.4187 G − 0.0813 B, 8-bit units: √((σ_Cb² + σ_Cr²) / 2).
  // For independent noise of σ per channel, chroma_sigma = 0.640 σ; 0 for a
  // gray image.
  std::optional<double> chroma_sigma;
  // Per-channel std-devs in R, G, B order; 8-bit units.
  std::optional<std::array<double, 3>> channel_sigmas;
  // Share (0–1) of the image's patches smooth enough to measure noise on;
  // below about 0.02 the estimate rests on little and may include texture.
  std::optional<double> weak_texture_fraction;
  // The noise level function: σ as a function of brightness, in
  // NoiseOptions::level_bins equal bins over 0–255, darkest first; each
  // channel's flat patches binned by their own mean level and read apart
  // (the same weak-texture PCA as `sigma`), searched down from 2.5 × the
  // global σ + 1 and again from σ 30, whose reading counts when higher and
  // white (noise confined to the shadows of a lifted exposure, which the
  // global σ of a clean majority hides). Empty when `sigma` is.
  std::vector<NoiseLevelBin> level_function;
  // True when the noise is correlated over a pixel or more (a camera's
  // demosaicing and noise reduction leave it so): its pixel-to-pixel part,
  // which the patches' PCA reads, is a fraction of it (white noise of σ 10
  // blurred by 0.7 px read 3), so every figure here was read on the pixels
  // binned binned_px × binned_px, where it is nearly white again, and
  // brought back to the pixels' own σ (the binned σ and the variance within
  // a bin on the flattest tenth of the mid-tone bins: the law of total
  // variance, noise_binning.h).
  // False when read at the pixels' own scale; empty when nothing was read.
  std::optional<bool> correlated;
  // The bin's side, px (2 or 4: 4 when the noise still looked correlated
  // binned 2×2) when `correlated`; empty otherwise.
  std::optional<int> binned_px;
  // Share of the picture where the noise is all there is to see, %: the
  // luma's local σ (an SSIM window) at most 1.5 × luma_sigma + 1 level, and
  // not a plateau already (qa_measures.h NoisyFlatMask, the area QA's
  // painted_flat_pct reads). A model that repairs noise itself smooths such
  // areas to grainless plateaus: a painted look (the advisor's warning
  // painted_flats). Set by Analyze, not MeasureNoise; empty when luma_sigma
  // is under kPaintedFlatMinNoise8bit (2 levels) or not read.
  std::optional<double> noisy_flat_pct;
  // True when nothing was read because the picture has fewer than
  // kMinNoisePixels (every figure above empty, not measured); empty otherwise.
  std::optional<bool> too_small;
};

// The fewest pixels noise is read on: 96 × 64 px, a 3:2 thumbnail 96 px
// wide. A thumbnail smaller than that has no patch flat enough: its detail,
// packed as densely as noise, is read as noise. Lanczos thumbnails of eight
// clean scikit-image photos read σ 0.1–11.4 at 48 px wide, 0.4–4.8 at 64 px,
// 0.2–3.0 at 96 px and 0.0–1.2 at 128 px (true: about 0); with white noise of
// σ 3, 6 and 10 added, the 96-px ones read within 1.1 of it, the 48-px ones
// up to 8.4 off (noise_test.cc ThumbnailsTooSmallForNoiseAreNotMeasured).
inline constexpr int kMinNoisePixels = 96 * 64;

struct NoiseOptions {
  int patch_px = 7;              // side of the square patches (PCA dimension = side²)
  int max_patches = 15000;       // patches in the final covariance (more are subsampled)
  // The map: CV_32FC1, one cell per map_block_px × map_block_px block, the
  // local noise σ per channel in 8-bit units (fine texture raises it locally:
  // it is the local high-frequency energy read as noise).
  bool compute_map = false;
  int map_block_px = 16;         // side of one cell of the noise map, px
  int level_bins = 6;            // brightness bins of NoiseResult::level_function; 0 = none
  // Read noise correlated over a pixel or more on binned pixels (2×2 or 4×4)
  // (NoiseResult::correlated). false = always at the pixels' own scale: QA
  // compares the maps of an input and an output, which must be read alike.
  bool read_correlated = true;
  // Pixels whose patches the level function (NoiseResult::level_function)
  // does not read (CV_8U of the pixels' size, nonzero: left out; empty:
  // none). In lossy-coded pixels, the coding blocks a strong step crosses
  // (coded_blocks.h RingingBlockMask): their ripples beside the edge are the
  // coding's, not noise — a JPEG screenshot's text (q85) read σ 13 at the
  // grey level of its ringing, "heavy noise: denoise first", on a picture
  // whose flat areas read σ 0. A level is read on its own patches alone, a
  // few structured ones can make it; the global σ, read on every weak patch
  // at once, keeps them (a white document's JPEG, its page clipped at 255,
  // has few patches left outside its text's blocks). The map covers them.
  cv::Mat excluded;
};

// Figures plus the map when NoiseOptions::compute_map (measured.h).
using NoiseMeasurement = Measured<NoiseResult>;

// `pixels`: 8- or 16-bit, gray, BGR or BGRA (as Image::pixels). Empty fields
// when the image is too small to measure: fewer than kMinNoisePixels or
// under 16 px a side (NoiseResult::too_small either way; from 16×16 px on
// the map is still made when asked for: it shows where the detail is).
// Images above
// 0.3 MP are read on an evenly spread sample of 128-px blocks (the map, when
// asked for, still covers every pixel).
NoiseMeasurement MeasureNoise(const cv::Mat& pixels, const NoiseOptions& options = {});

// The noise std-dev (8-bit units) of one float plane (CV_32FC1, 8-bit units)
// by weak-texture PCA. `clip_low`/`clip_high`: patches whose mean is within
// 3σ of these levels are ignored (pass -inf/+inf for planes that do not clip).
// Returns nullopt when too few patches qualify. `weak_fraction`, when given,
// receives the share of patches that were used.
std::optional<double> EstimatePlaneNoiseSigma(const cv::Mat& plane, double clip_low, double clip_high,
                                              const NoiseOptions& options = {},
                                              double* weak_fraction = nullptr);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_NOISE_H_

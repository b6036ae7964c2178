// Upscaling by a super-resolution network (ESRGAN, Real-ESRGAN, RDN, …):
// the evidence that native_scale.h's interpolation test cannot see.
//
//   const cv::Mat luma = acuity::LumaF32(window);            // ≤ 512×512 px
//   std::optional<acuity::SrUpscaleEvidence> e = acuity::FindSrUpscale(luma);
//   if (e && e->factor) native_scale = 1.0 / *e->factor;
//
// Why a second test: an interpolation kernel leaves (almost) nothing above
// the source band 0.5/s cycle/px, and native_scale.h finds that stopband. A
// network fills the band above it with detail it invents, so the stopband is
// gone — but every network that works on the source pixels (nearest-neighbour
// upsampling + convolution, pixel shuffle) still images the source spectrum
// around the source's sampling frequency α = 1/s: the output at frequency
// α − ν is a fixed filter of the same source content as the output at ν.
// Along every row, the DFT bins ν and α − ν are therefore coherent with one
// phase (the source grid is the same on every row). The spectral coherence
//   C(α) = mean over ν in [0.05 α, α/2) of
//          |Σ_rows X(ν) X(α−ν)|² / (Σ_rows |X(ν)|² · Σ_rows |X(α−ν)|²)
// is ≈ 1/rows for a native photo (no fixed phase relation between bands,
// whatever its texture, noise, blur or downscaling history) and 0.1–0.9 at the
// source grid of an SR output, on both axes. The factor is 1/α of the lowest
// strong peak (a 4× output peaks at 1/4 and at its harmonic 1/2); a peak
// below 1/4 (a factor above 4) needs its harmonic 2α too, which the
// low-frequency hump of an axis-aligned texture (brick courses) lacks.
//
// A JPEG's 8×8 grid is periodic too: peaks at multiples of 1/8 (factors 2, 4,
// 8 and 8/3) count only when they clearly beat the grid's odd harmonics 1/8
// and 3/8 (3× their prominence and 5× their coherence), which an SR output
// of factor 2 or 4 does not make; factors 8 and 8/3 cannot be told from the
// grid and are not reported.
//
// A network that adds its detail over a smooth base without imaging
// (Real-ESRGAN's general-x4v3) still leaves a fixed pattern of its output
// phases (its 4× pixel shuffle): the 2-D spectrum's peaks at (k/s, l/s),
// s = 4 or 3, looked for next, against thresholds above what native photos
// reach (their JPEG grids and textures). In a JPEG file the 4×4 lattice must
// beat the block grid's odd eighths; the 3×3 one must show off the axes.
//
// Limits (datasets/RESULTS.md, "AI-upscaled files"): realesrgan-x4plus
// leaves neither (its nearest-neighbour upsampling and convolutions image
// nothing a 64-channel mix keeps coherent: 1 of 8 recognised; the learned
// test, sr_classifier.h, reads most of them, and some JPEG-saved outputs),
// general-x4v3 14 of 15, ×2 outputs image weakly (≈ 85 % recognised); an SR
// output saved as a JPEG of quality 90 loses most of it (44 % of the outputs
// recognised, 0–7 % of general-x4v3's and esrgan-thick's: the traces live
// in the high-frequency DCT coefficients the quantiser drops); a soft photo saved
// as a JPEG of quality ≤ 85 can still read 2× or 4× (its blocks image what
// little detail the blur left: 4 of 135 blurred scikit-image photos' JPEGs);
// a factor is read on a grid of 1/n cycle/px (n ≤ 512).
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_SR_UPSCALE_EVIDENCE_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_SR_UPSCALE_EVIDENCE_H_

#include <optional>
#include <vector>

#include <opencv2/core.hpp>

namespace acuity {

// A source grid on the JPEG grid (1/4, 1/2 cycle/px) counts only with at
// least this many times the coherence of the JPEG grid's odd harmonics 1/8
// and 3/8, which a JPEG's block boundaries image too (here and in
// native_scale.h's confirmation of a shallow stopband).
inline constexpr double kSourceGridOverJpegGrid = 5.0;

struct SrUpscaleEvidence {
  // The upscale factor s (the source grid's period, px, 2 … 8); unset when no
  // source grid shows.
  std::optional<double> factor;
  // C(1/s) on the weaker axis (0–1, dimensionless); without a factor, the
  // strongest C searched.
  double coherence = 0;
  double background = 0;  // median of C over the cycle frequencies searched
  // The factor came from the imaging coherence (else from a fixed pattern of
  // the output phases, which also tells nothing between f and f/(f−1)).
  bool from_imaging = false;
};

// `luma`: CV_32FC1, 8-bit units, at least 64×64 px (smaller: nullopt, not
// measured). `coding_block_px`: 8 when the pixels were decoded from a JPEG
// (NativeScaleOptions), whose block grid also makes a 4×4 pattern. Costs
// about 10–30 ms for 512×512 px on one core.
std::optional<SrUpscaleEvidence> FindSrUpscale(const cv::Mat& luma, int coding_block_px = 0);

// C(α) on the weaker axis at each cycle frequency α in `alphas` (cycle/px,
// 0 < α < 1; an f× resampling's source grid is α = 1/f, f > 1): how much of
// the band above the source's Nyquist is an image of the band below. Any
// interpolation images its source (0.15–0.9 at 1/f where the kernel's
// stopband still passes some of the image); a native photo, and a photo
// downscaled by a ratio that leaves a periodic pattern of filter phases
// (area ÷1.5: period 2 px), stay near the background (≈ 0.005–0.08).
// `luma`: CV_32FC1, 8-bit units; nullopt under 32×32 px.
std::optional<std::vector<double>> SourceGridCoherence(const cv::Mat& luma, const std::vector<double>& alphas);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_SR_UPSCALE_EVIDENCE_H_

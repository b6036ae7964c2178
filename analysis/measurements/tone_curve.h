// The global tone curve an output applies to its reference: the mean output
// level at each reference level, made monotone. QA's edge measures
// (qa_measures.h) read halos as the output leaving the local range of the
// plain enlargement; an output whose tones were only re-curved (a gamma of
// 0.7 or 1.4, a levels stretch) leaves that range near every edge by the
// curve alone, and read "halos 21 %" with a halo map lit over the whole
// picture. Mapping the reference through the output's own curve first leaves
// the edges' shape: a halo is local, a tone curve is not. (The colour checks
// still read the tone change: they compare the pictures as they are.)
//
//   const acuity::ToneCurve curve = acuity::FitToneCurve(plain_luma, output_luma);
//   if (curve.rms_departure_8bit >= acuity::kToneChange8bit) acuity::ApplyToneCurve(curve, plain_luma);
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_TONE_CURVE_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_TONE_CURVE_H_

#include <array>

#include <opencv2/core.hpp>

namespace acuity {

// A curve departing from the identity by less than this (RMS over the
// cells it is read on, 8-bit levels; ToneCurve::rms_departure_8bit) is no
// tone change: the plain ×2 enlargement itself, sharpened (amount 1, σ
// 1.5 px), blurred (σ 2 or 3 px) or taken as the denoised output of itself
// plus noise of σ 10–16 read 0.04–1.03 on nine scikit-image photos (fine
// textures included: gravel, grass, brick); a gamma of 0.8 or 1.25 read
// 12–21, of 0.7 or 1.4 18–32 (tone_curve_test.cc reads some of them).
inline constexpr double kToneChange8bit = 2.0;

struct ToneCurve {
  // The output's level (8-bit units) for each reference level 0–255,
  // non-decreasing; levels the reference does not hold are interpolated
  // between their neighbours (and carry the nearest one's offset past the
  // ends).
  std::array<float, 256> output_at{};
  // RMS of output_at − level over the cells the curve was read on, 8-bit
  // levels, the smaller of the two cell sizes (FitToneCurve).
  // 0 when nothing was read.
  double rms_departure_8bit = 0;
};

// The curve from `reference` to `output` (CV_32FC1, 8-bit units, the same
// size). Read on both averaged over cells of at least 8×8 px (at most about
// 250 000 cells), on the smoother half of them by the reference's variance:
// a cell's mean goes through a curve as its pixels do only where they are
// alike, and a blur or a sharpening moves the mean of such a cell little.
// Its departure is the smaller of that read on these cells and on cells of
// at least 32×32 px: on a fine texture (gravel, grass) even the smoother
// cells are textured, and a blur of σ 2–3 px pulled their extremes towards
// their surroundings as a compressing curve would (3.3–6.2 levels read on
// 8-px cells alone, 0.3–0.6 on the larger ones, where a gamma reads as much
// as on the smaller). `scale`: output px per source px; above 2 the cells
// grow with it (scale / 2), so that they hold as many of the source's
// pixels as at ×2. Levels are kept within 0–255, as an 8-bit output clips.
// The identity when either is empty or their sizes differ.
ToneCurve FitToneCurve(const cv::Mat& reference, const cv::Mat& output, double scale = 1.0);

// `luma` (CV_32FC1, 8-bit units) through `curve`, in place; linear between
// levels, the ends' offsets carried beyond 0 and 255.
void ApplyToneCurve(const ToneCurve& curve, cv::Mat& luma);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_TONE_CURVE_H_

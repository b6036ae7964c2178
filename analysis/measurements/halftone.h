// Halftone screens: a printed photo (a magazine page, a catalogue, a
// newspaper) scanned at a resolution that shows its dots. An amplitude
// screen prints each tone as a dot on a regular lattice, at one period and
// angle (45° for black ink; 15° and 75° for cyan and magenta): its dots are
// the print's, not the scene's detail. Read as noise (σ 7 "poor"), as
// halos, and as "already enlarged by an AI upscaler" until they are smoothed
// away; an upscale enlarges them and a sharpen makes them louder.
//
// Method: the power spectrum of the luma (the centred square of at most
// kHalftoneWindowPx, Hann-windowed): a lattice puts two sharp peaks at the
// same radius, 90° apart, where a photo's spectrum falls smoothly. Each
// frequency bin's power over 3×3 bins, against the median power of the
// bins at its radius (± 1.5 bins), is its peak ratio; the strongest bin
// whose period lies in kMinScreenPeriodPx–kMaxScreenPeriodPx, off the
// axes by kScreenOffAxisDeg at least, and the strongest within 2 bins of
// its turn by 90°, both at least kMinScreenPeakRatio, their lattice at
// least kMinScreenRms8bit, and the same period found in at least two of the
// picture's four quarters (a print is screened throughout; a photographed
// mesh fills a part) — on pictures of 256 px a side and more: a smaller
// one's quarters are too small to read, and its centre decides. Scikit-image's photos
// (clean, JPEG q70, enlarged ×3 by bicubic) read at most 21 for the pair
// (brick's courses, an enlargement's grid); screens of period 3–8 px at
// 15°, 45° and 75° on four photos, blurred 0.8 px, as PNG and JPEG q85,
// 1600–18000 (halftone_test.cc). Not found: a screen at 0° or 90° (a
// yellow plate alone; on the axes a JPEG's block grid and an enlargement's
// interpolation make peaks of their own), a stochastic (FM) screen, which
// has no lattice, and dots blurred away by the scan (then they are no
// longer there to enlarge).
//
//   std::optional<acuity::HalftoneScreen> s = acuity::FindHalftoneScreen(acuity::LumaF32(pixels));
//   if (s) Descreen(0.4 * s->period_px);
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_HALFTONE_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_HALFTONE_H_

#include <optional>

#include <opencv2/core.hpp>

namespace acuity {

inline constexpr double kMinScreenPeriodPx = 2.5;
inline constexpr double kMaxScreenPeriodPx = 12.0;
inline constexpr double kScreenOffAxisDeg = 8.0;
inline constexpr double kMinScreenPeakRatio = 100.0;
// ... and strong enough to see: the lattice's RMS, 8-bit levels, at least
// this. A peak ratio survives any smoothing (it lowers the peak and the
// spectrum around it alike): a screen of RMS 48 smoothed by the plan's
// undither (to 4 % of its amplitude) reads 2.
inline constexpr double kMinScreenRms8bit = 3.0;
inline constexpr int kHalftoneWindowPx = 512;
inline constexpr int kMinHalftoneWindowPx = 128;  // smaller pictures are not read

struct HalftoneScreen {
  double period_px = 0;   // the lattice's period, px
  double angle_deg = 0;   // its angle, degrees in [0, 90)
  double peak_ratio = 0;  // the weaker of the two peaks' ratios (dimensionless)
  double rms_8bit = 0;    // the lattice's RMS amplitude, 8-bit levels
};

// The screen of `luma` (CV_32FC1, 8-bit units: image_ops.h LumaF32), or
// nullopt when none is found or the picture is under
// kMinHalftoneWindowPx a side.
std::optional<HalftoneScreen> FindHalftoneScreen(const cv::Mat& luma);

// The Gaussian σ, px, that smooths a screen of `period_px` away (its
// fundamental to 4 % of its amplitude: exp(−2π²·0.4²)): 0.4 of the period,
// within the undither step's range (dither.h).
double DescreenSigmaPx(double period_px);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_HALFTONE_H_

#include "analysis/measurements/resampling_peaks.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace acuity::resampling {
namespace {

constexpr double kLargeFactorMinPhi = 1.0 / kMaxFactor - 0.006;  // cycles/px, the lowest fundamental searched
constexpr int kLargeFactorMinWindowPx = 256;  // a smaller window: too few periods of more than 6 px, a noisy spectrum
constexpr double kStrongFundamental = 100.0; // a low fundamental this strong needs one harmonic only
constexpr double kFundamentalShare = 0.1;   // a factor's fundamental at least this × the strongest peak
constexpr double kWeakPeakThreshold = 15.0; // a weaker peak than kPeakThreshold, confirmed by a deep stopband
constexpr double kWeakPeakProminence = 2.0; // ... which must also beat the runner-up peak by this ratio
constexpr double kJpegHalfRatio = 1.5;      // under a JPEG grid, a 1/2 peak must beat its odd harmonics by this
constexpr double kJpegQuarterRatio = 3.0;   // ... and a 1/4 peak (the grid's own 2nd harmonic) by this
constexpr double kSkirtWidth = 0.06;        // cycles/px around a strong peak ...
constexpr double kSkirtRatio = 5.0;         // ... where anything this many times weaker is its skirt

bool NearJpegHarmonic(double phi) { return std::abs(phi * 16 - std::round(phi * 16)) < kPhiTolerance * 16; }

// Does a factor f explain a cycle frequency (one of its first harmonics)?
bool Explains(double f, double phi) {
  for (int k = 1; k <= 8; ++k) {
    if (std::abs(Fold(k / f) - phi) < kPhiTolerance) return true;
  }
  return false;
}

// Local maxima of the cyclic spectrum in [min_phi, 0.5] (plateaus count
// once, at their middle), as cycle frequencies.
std::vector<double> LocalMaxima(const std::vector<double>& s, double min_phi = kSearchMinPhi) {
  std::vector<double> peaks;
  const int first = static_cast<int>(min_phi / kGridStep);
  for (int g = first; g < kGridSize;) {
    int e = g;
    while (e + 1 < kGridSize && s[e + 1] == s[g]) ++e;
    const bool left_ok = s[g] > s[g - 1], right_ok = e + 1 >= kGridSize || s[e + 1] < s[g];
    if (left_ok && right_ok) peaks.push_back(0.5 * (g + e) * kGridStep);
    g = e + 1;
  }
  return peaks;
}

bool Near(double phi, double target) { return std::abs(phi - target) < kPhiTolerance; }



void FindStrongest(Peaks* peaks) {
  peaks->strongest = 0;
  for (const auto& [phi, value] : peaks->list) {
    if (value > peaks->strongest) peaks->strongest = value, peaks->strongest_phi = phi;
  }
}

// A peak below kSearchMinPhi is a resampling's fundamental (an enlargement
// of more than 6×) only when it is strong and at least two of its 2nd–4th
// harmonics show too (not those a JPEG grid makes), or one behind a
// fundamental of kStrongFundamental: image structure (brick courses, a
// fence) has its own low cycle frequencies, which may meet one harmonic by
// chance; a JPEG's noise floor, whitened, can bury a large factor's
// harmonics but not its fundamental.
bool LowFundamental(const WindowReading& w, double phi) {
  const double value = CyclicAt(w.cyclic, phi);
  if (value < kPeakThreshold || std::min(w.window.width, w.window.height) < kLargeFactorMinWindowPx) return false;
  int harmonics = 0;
  for (int k = 2; k <= 4; ++k) {
    const double h = Fold(k * phi);
    harmonics += CyclicAt(w.cyclic, h) >= kWeakPeakThreshold && !(w.jpeg_grid && NearJpegHarmonic(h));
  }
  return harmonics >= 2 || (harmonics == 1 && value >= kStrongFundamental);
}

}  // namespace

bool InSkirt(const std::vector<double>& s, double phi) {
  const double value = CyclicAt(s, phi);
  const int g0 = static_cast<int>(std::lround((phi - kSkirtWidth) / kGridStep));
  const int g1 = static_cast<int>(std::lround((phi + kSkirtWidth) / kGridStep));
  for (int g = std::max(0, g0); g <= std::min(kGridSize - 1, g1); ++g) {
    if (s[g] > kSkirtRatio * value) return true;
  }
  return false;
}

Peaks FindPeaks(const WindowReading& w) {
  Peaks peaks;
  const std::vector<double>& s = w.cyclic;
  for (double phi : LocalMaxima(s, kLargeFactorMinPhi)) {
    const double value = CyclicAt(s, phi);
    if (InSkirt(s, phi)) continue;
    if (phi < kSearchMinPhi && !LowFundamental(w, phi)) continue;
    if (w.jpeg_grid && NearJpegHarmonic(phi)) {
      if (!Near(phi, 0.25) && !Near(phi, 0.5)) {  // an odd JPEG harmonic ...
        peaks.period8 |= Near(phi, 0.375) && value >= kPeakThreshold;  // ... or an 8/5× or 8/3× upscale
        continue;
      }
      const double ratio = Near(phi, 0.5) ? kJpegHalfRatio : kJpegQuarterRatio;
      if (CyclicAt(w.cyclic_floor, phi) < std::max(kPeakThreshold, ratio * w.jpeg_floor)) continue;
    } else if (value < kWeakPeakThreshold) {
      continue;
    }
    peaks.list.emplace_back(phi, value);
  }
  FindStrongest(&peaks);
  // Under a JPEG grid, a peak the grid cannot make (e.g. 1/3) says more than
  // the 1/4 and 1/2 ones it shares with the grid.
  if (w.jpeg_grid && !peaks.list.empty()) {
    std::vector<std::pair<double, double>> own;
    for (const auto& p : peaks.list) {
      if (!NearJpegHarmonic(p.first) && p.second >= kPeakThreshold) own.push_back(p);
    }
    if (!own.empty()) {
      peaks.list = own;
      FindStrongest(&peaks);
    }
  }
  return peaks;
}

// A weak peak must stand out: the runner-up local maximum elsewhere is at
// most half as strong (a soft native image has several weak ones).
bool StandsOut(const std::vector<double>& s, const Peaks& peaks) {
  double runner_up = 0;
  for (double phi : LocalMaxima(s)) {
    if (std::abs(phi - peaks.strongest_phi) > 2 * kPhiTolerance) runner_up = std::max(runner_up, CyclicAt(s, phi));
  }
  return peaks.strongest >= kPeakThreshold || peaks.strongest >= kWeakPeakProminence * runner_up;
}

// Candidate factors, ascending and distinct: each peak φ is fold(1/f) for
// f = 1/φ (≥ 2) or 1/(1−φ) (< 2). A candidate must explain every
// significant peak (its harmonics); side lobes far below the strongest peak
// do not count.
std::vector<double> ConsistentFactors(const WindowReading& w, const Peaks& peaks) {
  std::vector<double> candidates;
  for (const auto& [phi, value] : peaks.list) {
    if (1.0 / phi <= kMaxFactor + 0.5) candidates.push_back(1.0 / phi);
    if (phi < 0.5 - kPhiTolerance) candidates.push_back(1.0 / (1.0 - phi));
    // A large factor's fundamental is read less precisely than its
    // harmonics (the grid's step is a larger share of it): each peak as
    // the 2nd–4th harmonic of a factor of more than 4 too.
    for (int k = 2; k <= 4; ++k) {
      if (k / phi > 4.0 + kPhiTolerance && k / phi <= kMaxFactor + 0.5) candidates.push_back(k / phi);
    }
  }
  std::vector<double> consistent;
  for (double f : candidates) {
    bool all = true;
    for (const auto& [phi, value] : peaks.list) all = all && (value < 0.1 * peaks.strongest || Explains(f, phi));
    if (all) consistent.push_back(f);
  }
  if (consistent.empty()) {
    for (double f : candidates) {
      if (Explains(f, peaks.strongest_phi)) consistent.push_back(f);
    }
  }
  // Under a JPEG grid a 4× upscale's 1/4 peak cannot be told from the grid's
  // own; when 1/2 was accepted and 1/4 is strong, let the stopband decide 4×.
  if (w.jpeg_grid && CyclicAt(w.cyclic, 0.25) >= kPeakThreshold &&
      std::any_of(consistent.begin(), consistent.end(), [](double f) { return std::abs(f - 2.0) < 0.05; })) {
    consistent.push_back(4.0);
  }
  std::sort(consistent.begin(), consistent.end());
  consistent.erase(std::unique(consistent.begin(), consistent.end(),
                               [](double a, double b) { return std::abs(a - b) < 1e-3; }),
                   consistent.end());
  // A factor's resampling shows most at its own cycle frequency fold(1/f):
  // where the strongest peak is a factor's fundamental, a smaller factor
  // for which that peak is only a harmonic, and whose own fundamental is
  // far weaker, is not the one (a 5× upscale's peaks at 1/5 and 2/5 are
  // also those of 2.5×, whose fundamental 2/5 a 5× upscale leaves weak).
  // A factor above 4 needs its fundamental in any case (a 6× upscale's
  // peaks are harmonics of 12× too), among the peaks in a window under
  // kLargeFactorMinWindowPx, whose cyclic spectrum is coarse and noisy (a
  // native photo's 128-px crop saved at q95 read 6× on a harmonic's word).
  const auto fundamental = [&](double f) { return CyclicAt(w.cyclic, Fold(1.0 / f)); };
  const bool small_window = std::min(w.window.width, w.window.height) < kLargeFactorMinWindowPx;
  const auto fundamental_found = [&](double f) {
    return !small_window || std::any_of(peaks.list.begin(), peaks.list.end(),
                                        [&](const auto& p) { return Near(p.first, Fold(1.0 / f)); });
  };
  double largest_dominant = 0;
  for (double f : consistent) {
    if (Near(Fold(1.0 / f), peaks.strongest_phi)) largest_dominant = f;
  }
  // Where that factor is above 4, only the factors sharing its fundamental
  // remain (f and f/(f−1)): a bilinear 8× enlargement's peaks at 1/8, 1/4,
  // 3/8 and 1/2 are also 8/3×'s and 8/5×'s, whose own 3/8 it leaves weaker
  // than its 1/8 (it read 1.6×).
  const bool large_dominant = largest_dominant > 4.0 + kPhiTolerance;
  consistent.erase(std::remove_if(consistent.begin(), consistent.end(),
                                  [&](double f) {
                                    return (large_dominant && !Near(Fold(1.0 / f), peaks.strongest_phi)) ||
                                           (f < largest_dominant &&
                                            fundamental(f) < kFundamentalShare * peaks.strongest) ||
                                           (f > 4.0 + kPhiTolerance &&
                                            (!fundamental_found(f) ||
                                             fundamental(f) < kFundamentalShare * peaks.strongest));
                                  }),
                   consistent.end());
  return consistent;
}

}  // namespace acuity::resampling

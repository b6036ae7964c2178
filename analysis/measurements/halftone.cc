#include "analysis/measurements/halftone.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "analysis/measurements/dither.h"
#include "analysis/measurements/power_spectrum.h"

namespace acuity {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kRingHalfWidthBins = 1.5;  // the bins a radius's median is taken over
constexpr int kPartnerSearchBins = 2;       // how far from the 90° turn the partner peak may lie
constexpr double kScreenPeriodAgreement = 0.1;  // the quarters' periods within this share of the whole's

// The centred power spectrum of the window (CV_32FC1, n × n; DC at n/2, n/2)
// under a Hann window, and in *window_energy that window's Σ w².
cv::Mat CentredPower(const cv::Mat& window, double* window_energy) {
  const int n = window.rows;
  cv::Mat w;
  cv::createHanningWindow(w, window.size(), CV_32F);
  *window_energy = cv::sum(w.mul(w))[0];
  const cv::Mat power = HannPowerSpectrum(window, w);
  // Quadrants swapped: frequency (u, v) at (n/2 + u, n/2 + v).
  const int h = n / 2;
  cv::Mat out(power.size(), power.type());
  power(cv::Rect(h, h, h, h)).copyTo(out(cv::Rect(0, 0, h, h)));
  power(cv::Rect(0, 0, h, h)).copyTo(out(cv::Rect(h, h, h, h)));
  power(cv::Rect(h, 0, h, h)).copyTo(out(cv::Rect(0, h, h, h)));
  power(cv::Rect(0, h, h, h)).copyTo(out(cv::Rect(h, 0, h, h)));
  return out;
}

// The screen of one square window (n × n, n a power of two), or nullopt.
std::optional<HalftoneScreen> ScreenIn(const cv::Mat& window) {
  const int n = window.rows;
  double window_energy = 0;
  const cv::Mat power = CentredPower(window, &window_energy);
  cv::Mat summed;  // each bin's power over its 3×3 bins
  cv::boxFilter(power, summed, -1, cv::Size(3, 3), cv::Point(-1, -1), /*normalize=*/false, cv::BORDER_REFLECT);
  const int h = n / 2;
  const double r_min = n / kMaxScreenPeriodPx, r_max = n / kMinScreenPeriodPx;
  // The median power at each whole radius, over the bins within
  // kRingHalfWidthBins of it.
  const int k_lo = std::max(1, int(std::floor(r_min)) - 1), k_hi = std::min(h - 1, int(std::ceil(r_max)) + 1);
  std::vector<std::vector<float>> rings(size_t(k_hi + 1));
  for (int y = 0; y < n; ++y) {
    const float* p = power.ptr<float>(y);
    for (int x = 0; x < n; ++x) {
      const double r = std::hypot(x - h, y - h);
      for (int k = std::max(k_lo, int(std::ceil(r - kRingHalfWidthBins)));
           k <= std::min(k_hi, int(std::floor(r + kRingHalfWidthBins))); ++k)
        rings[size_t(k)].push_back(p[x]);
    }
  }
  std::vector<double> median(size_t(k_hi + 1), 0.0);
  for (int k = k_lo; k <= k_hi; ++k) {
    std::vector<float>& ring = rings[size_t(k)];
    if (ring.empty()) continue;
    std::nth_element(ring.begin(), ring.begin() + long(ring.size() / 2), ring.end());
    median[size_t(k)] = ring[ring.size() / 2];
  }
  // The peak ratio of frequency (u, v); 0 outside the screens' band.
  auto ratio = [&](int u, int v) {
    const double r = std::hypot(u, v);
    if (r < r_min || r > r_max || std::abs(u) >= h || std::abs(v) >= h) return 0.0;
    const double m = median[size_t(std::clamp(int(std::lround(r)), k_lo, k_hi))];
    return m > 0 ? summed.at<float>(v + h, u + h) / (9.0 * m) : 0.0;
  };
  auto off_axis = [](int u, int v) {
    const double a = std::fmod(std::atan2(double(v), double(u)) * 180.0 / kPi + 360.0, 90.0);
    return a >= kScreenOffAxisDeg && a <= 90.0 - kScreenOffAxisDeg;
  };
  // The strongest bin of the half plane (the spectrum of a real picture is
  // symmetric), off the axes.
  double best = 0;
  int best_u = 0, best_v = 0;
  for (int v = 0; v < h; ++v)
    for (int u = -h + 1; u < h; ++u) {
      if ((v == 0 && u <= 0) || !off_axis(u, v)) continue;
      const double q = ratio(u, v);
      if (q > best) best = q, best_u = u, best_v = v;
    }
  if (best < kMinScreenPeakRatio) return std::nullopt;
  // Its partner: the lattice's other direction, 90° on.
  double partner = 0;
  int partner_u = 0, partner_v = 0;
  for (int dv = -kPartnerSearchBins; dv <= kPartnerSearchBins; ++dv)
    for (int du = -kPartnerSearchBins; du <= kPartnerSearchBins; ++du) {
      const double q = ratio(-best_v + du, best_u + dv);
      if (q > partner) partner = q, partner_u = -best_v + du, partner_v = best_u + dv;
    }
  if (partner < kMinScreenPeakRatio) return std::nullopt;
  // The lattice's strength: the variance its two cosines carry (each peak's
  // 3×3 power, and its mirror's: Parseval under the window), as an RMS.
  const double peaks = summed.at<float>(best_v + h, best_u + h) + summed.at<float>(partner_v + h, partner_u + h);
  const double rms = std::sqrt(2.0 * peaks / (double(n) * n * window_energy));
  if (rms < kMinScreenRms8bit) return std::nullopt;
  // The peak's frequency to a fraction of a bin: its 3×3 bins' centroid of power.
  double su = 0, sv = 0, sp = 0;
  for (int dv = -1; dv <= 1; ++dv)
    for (int du = -1; du <= 1; ++du) {
      const int x = best_u + du + h, y = best_v + dv + h;
      if (x < 0 || y < 0 || x >= n || y >= n) continue;
      const double p = power.at<float>(y, x);
      su += p * (best_u + du), sv += p * (best_v + dv), sp += p;
    }
  const double fu = sp > 0 ? su / sp : best_u, fv = sp > 0 ? sv / sp : best_v;
  HalftoneScreen screen;
  screen.period_px = n / std::hypot(fu, fv);
  screen.angle_deg = std::fmod(std::atan2(fv, fu) * 180.0 / kPi + 360.0, 90.0);
  screen.peak_ratio = std::min(best, partner);
  screen.rms_8bit = rms;
  return screen;
}

// The largest power of two from kMinHalftoneWindowPx up to `limit`; 0 under it.
int WindowSide(int limit) {
  if (limit < kMinHalftoneWindowPx) return 0;
  int n = kMinHalftoneWindowPx;
  while (n * 2 <= std::min(limit, kHalftoneWindowPx)) n *= 2;
  return n;
}

// The n × n window centred on (cx, cy), inside the picture.
cv::Mat WindowAt(const cv::Mat& luma, int n, int cx, int cy) {
  const int x = std::clamp(cx - n / 2, 0, luma.cols - n), y = std::clamp(cy - n / 2, 0, luma.rows - n);
  return luma(cv::Rect(x, y, n, n));
}

}  // namespace

std::optional<HalftoneScreen> FindHalftoneScreen(const cv::Mat& luma) {
  CV_Assert(luma.empty() || luma.type() == CV_32FC1);
  const int n = WindowSide(std::min(luma.rows, luma.cols));
  if (n == 0) return std::nullopt;
  std::optional<HalftoneScreen> screen = ScreenIn(WindowAt(luma, n, luma.cols / 2, luma.rows / 2));
  if (!screen) return std::nullopt;
  // A print is screened throughout: the same period in at least half of
  // the picture's quarters (a photographed mesh or weave fills a part).
  const int q = WindowSide(std::min(luma.rows, luma.cols) / 2);
  if (q == 0) return screen;
  int agree = 0;
  for (int i = 0; i < 4; ++i) {
    const std::optional<HalftoneScreen> part =
        ScreenIn(WindowAt(luma, q, luma.cols * (1 + 2 * (i % 2)) / 4, luma.rows * (1 + 2 * (i / 2)) / 4));
    agree += part && std::abs(part->period_px - screen->period_px) <= kScreenPeriodAgreement * screen->period_px;
  }
  if (agree < 2) return std::nullopt;
  return screen;
}

double DescreenSigmaPx(double period_px) {
  return std::clamp(0.4 * period_px, kMinUnditherSigmaPx, kMaxUnditherSigmaPx);
}

}  // namespace acuity

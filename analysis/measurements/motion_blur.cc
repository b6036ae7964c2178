#include "analysis/measurements/motion_blur.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <optional>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "analysis/measurements/image_ops.h"
#include "analysis/measurements/motion_edges.h"
#include "analysis/measurements/power_spectrum.h"
#include "analysis/measurements/noise_sampling.h"
#include "analysis/measurements/percentile.h"
#include "analysis/measurements/visible_part.h"

namespace acuity {
namespace {

// Tiles of the power spectrum: 256 px (128 px on small images), at most
// kMaxTiles of them, half-overlapping on images small enough.
constexpr int kTilePx = 256;
constexpr int kSmallTilePx = kMotionBlurMinSidePx;
constexpr int kMaxTiles = 32;
// The spectrum's floor, as a share of its median power, keeps log() finite
// at the sinc zeros without hiding them.
constexpr double kPowerFloorShare = 1e-3;
// Lengths searched, px: below kMinLengthPx aliasing of hard edges and JPEG
// blocks (8 px, positive peaks) dominate; kMaxLengthPx keeps 2L inside the tile.
constexpr double kMinLengthPx = kMotionBlurMinLengthPx;
constexpr double kMaxLengthPx = 40.0;
// The robust spread of the cepstrum is read over radii kSpreadFromPx..max length.
constexpr double kSpreadFromPx = 3.0;
// Smoothing of the cepstrum, px: a dip between grid points is not split.
constexpr double kSmoothingPx = 0.7;
constexpr double kMadToSigma = 1.4826;
// The echo's shoulders: at (2 ± this) × the dip's offset.
constexpr double kEchoShoulder = 0.25;
// The shoulders of a shorter smear's own dip at half the offset found: at
// (1/2 ± this) × that offset.
constexpr double kHalfShoulder = 0.125;
constexpr float kHalfSharpShare = 0.5f;
// The falloff vote (SpectralFalloffRatio): power spectrum orientations in
// kOrientations bins over [0°, 180°); the high band (kHighFrom..kHighTo
// cycles/px, smoothed over 3 bins) over the low band (kLowFrom..kLowTo
// cycles/px, smoothed over 7 bins: few samples per bin that near the
// centre), after the noise floor (the least orientation's mean power over
// kFloorFrom..0.5 cycles/px). A smear of 6–40 px crushes the high band along
// its direction (sinc² ≤ 0.2 there) and keeps most of the low band.
constexpr int kOrientations = 36;
// A map cell shows the image's smear when its own dip points within this of it.
constexpr double kMapAngleToleranceDeg = 22.5;
// A smear read again without its busiest part (OutlivesItsBusiestPart)
// is the same one when its length is within this share of the first.
constexpr double kUnwitnessedLengthShare = 0.25;
constexpr double kHighFrom = 0.08, kHighTo = 0.3, kLowFrom = 0.008, kLowTo = 0.02, kFloorFrom = 0.4;
// A picture enlarged this much or more (native scale at most this) is read
// in its native pixels (ReadInNativePixels).
constexpr double kNativeReadFromScale = 1.0 / 1.5;

struct Dip {
  double length_px = 0, angle_deg = 0, score = 0, echo = 0;
  bool echo_of_shorter = false;  // the echo of a smear under kMinLengthPx (DeepestDip)
  bool under_min_length = false;  // its deepest point, read between samples, under kMinLengthPx
};

// Top-left corners of tiles of side `t` over `size`, evenly spread, at most kMaxTiles.
std::vector<cv::Point> TileCorners(cv::Size size, int t) {
  double step = t / 2.0;
  auto count = [&](int extent) { return extent <= t ? 1 : int(std::ceil((extent - t) / step)) + 1; };
  while (double(count(size.width)) * count(size.height) > kMaxTiles) step *= 1.15;
  const int nx = count(size.width), ny = count(size.height);
  std::vector<cv::Point> corners;
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i)
      corners.emplace_back(nx == 1 ? 0 : int(std::lround(double(size.width - t) * i / (nx - 1))),
                           ny == 1 ? 0 : int(std::lround(double(size.height - t) * j / (ny - 1))));
  return corners;
}

// A tile (or map cell) may be this share hidden by transparency at most
// (visible_part.h HiddenMask) to be read: the smooth fill under the rest
// has no detail in any direction but along the outline it continues, and
// a cut-out's filled corners read as a 5.6-px "smear" of a sharp product.
constexpr double kMaxHiddenTileShare = 0.25;

// The share of `tile` that `hidden` (empty: nothing) marks, 0–1.
double HiddenShare(const cv::Mat& hidden, const cv::Rect& tile) {
  return hidden.empty() ? 0.0 : cv::countNonZero(hidden(tile)) / double(tile.area());
}

// The corners of the tiles of side `t` that are read: at most
// kMaxHiddenTileShare hidden; when none is, the most visible one if it is
// mostly seen; none when even that is not.
std::vector<cv::Point> VisibleTiles(const std::vector<cv::Point>& corners, const cv::Mat& hidden, int t) {
  if (hidden.empty()) return corners;
  std::vector<cv::Point> kept;
  double least = 1.0;
  cv::Point most_visible;
  for (const cv::Point& c : corners) {
    const double share = HiddenShare(hidden, cv::Rect(c, cv::Size(t, t)));
    if (share <= kMaxHiddenTileShare) kept.push_back(c);
    if (share < least) least = share, most_visible = c;
  }
  if (kept.empty() && least < 0.5) kept.push_back(most_visible);
  return kept;
}

// The cepstrum of `power` centred (zero lag at (t/2, t/2)), its isotropic
// part (each ring's median) removed, lightly smoothed and divided by its
// robust std-dev over the searched radii. Empty when flat.
cv::Mat NormalisedCepstrum(const cv::Mat& power, double max_length_px) {
  const int t = power.rows, c = t / 2;
  std::vector<float> values(power.begin<float>(), power.end<float>());
  const double floor = kPowerFloorShare * NearestRank(values, 0.5) + 1e-9;
  cv::Mat log_power;
  cv::log(power + floor, log_power);
  cv::Mat complex, planes[2];
  cv::dft(log_power, complex, cv::DFT_COMPLEX_OUTPUT | cv::DFT_SCALE);  // real, even: = inverse
  cv::split(complex, planes);
  cv::Mat centred(t, t, CV_32F);
  for (int y = 0; y < t; ++y)
    for (int x = 0; x < t; ++x) centred.at<float>(y, x) = planes[0].at<float>((y + c) % t, (x + c) % t);
  std::vector<std::vector<float>> rings(c + 1);
  for (int y = 0; y < t; ++y)
    for (int x = 0; x < t; ++x) {
      const int r = int(std::lround(std::hypot(x - c, y - c)));
      if (r <= c) rings[r].push_back(centred.at<float>(y, x));
    }
  std::vector<float> ring_median(c + 1);
  for (int r = 0; r <= c; ++r) ring_median[r] = NearestRank(rings[r], 0.5);
  std::vector<float> spread;
  for (int y = 0; y < t; ++y)
    for (int x = 0; x < t; ++x) {
      const double rr = std::hypot(x - c, y - c);
      float& v = centred.at<float>(y, x);
      v = rr <= c ? v - ring_median[int(std::lround(rr))] : 0.f;
    }
  cv::GaussianBlur(centred, centred, cv::Size(), kSmoothingPx);
  for (int y = 0; y < t; ++y)
    for (int x = 0; x < t; ++x) {
      const double rr = std::hypot(x - c, y - c);
      if (rr >= kSpreadFromPx && rr <= max_length_px) spread.push_back(std::abs(centred.at<float>(y, x)));
    }
  const double sigma = kMadToSigma * NearestRank(spread, 0.5);
  if (!(sigma > 0)) return cv::Mat();
  return centred / sigma;
}

// Parabolic sub-pixel offset of an extremum from three samples.
double SubPixel(float a, float b, float c) {
  const double d = a - 2.0 * b + c;
  return d != 0 ? std::clamp(0.5 * (a - c) / d, -0.5, 0.5) : 0.0;
}

// The deepest dip of normalised cepstrum `z` in the upper half plane between
// kMinLengthPx and `max_length_px` from its centre, with its echo at twice the distance.
Dip DeepestDip(const cv::Mat& z, double max_length_px) {
  const int c = z.rows / 2;
  int best_x = -1, best_y = -1;
  float best = 0;
  const int reach = int(std::ceil(max_length_px));
  for (int y = c - reach; y <= c; ++y)
    for (int x = c - reach; x <= c + reach; ++x) {
      const double r = std::hypot(x - c, y - c);
      if (r < kMinLengthPx || r > max_length_px || (y == c && x < c)) continue;
      const float v = z.at<float>(y, x);
      if (best_x < 0 || v < best) best = v, best_x = x, best_y = y;
    }
  Dip dip;
  if (best_x < 0) return dip;
  const double dx = best_x - c + SubPixel(z.at<float>(best_y, best_x - 1), best, z.at<float>(best_y, best_x + 1));
  const double dy = c - best_y - SubPixel(z.at<float>(best_y - 1, best_x), best, z.at<float>(best_y + 1, best_x));
  // The cepstrum at `k` times the dip's offset, on the same line (nearest sample).
  auto at = [&](double k) {
    const int x = int(std::lround(c + k * dx)), y = int(std::lround(c - k * dy));
    return x >= 0 && y >= 0 && x < z.cols && y < z.rows ? std::optional<float>(z.at<float>(y, x)) : std::nullopt;
  };
  // A smear shorter than kMinLengthPx puts its own dip below the searched
  // radii and its echo, near twice its length, inside them: when the
  // cepstrum at half the offset holds a dip deeper than the one found and
  // sharp (deeper than its shoulders at 3/8 and 5/8 of the offset by at
  // least kHalfSharpShare of the found dip's depth), the dip found is such
  // an echo. Its length is not that of the smear (box smears of 3–5 px under
  // noise put it at 1.3–2 times theirs, and halving it misreads smooth photos'
  // centres), so it is not reported as motion blur. (Smooth photos — the
  // moon, retina — have a broad negative cepstrum near the centre: deep
  // there, not sharp.)
  // (Read between grid points: at these small offsets the nearest sample can
  // sit a third of a pixel off the line.)
  auto between = [&](double k) -> std::optional<float> {
    const double x = c + k * dx, y = c - k * dy;
    const int x0 = int(std::floor(x)), y0 = int(std::floor(y));
    if (x0 < 0 || y0 < 0 || x0 + 1 >= z.cols || y0 + 1 >= z.rows) return std::nullopt;
    const float fx = float(x - x0), fy = float(y - y0);
    return (1 - fy) * ((1 - fx) * z.at<float>(y0, x0) + fx * z.at<float>(y0, x0 + 1)) +
           fy * ((1 - fx) * z.at<float>(y0 + 1, x0) + fx * z.at<float>(y0 + 1, x0 + 1));
  };
  const std::optional<float> half = between(0.5), half_in = between(0.5 - kHalfShoulder),
                             half_out = between(0.5 + kHalfShoulder);
  dip.echo_of_shorter = half && half_in && half_out && *half <= best &&
                        0.5f * (*half_in + *half_out) - *half >= -kHalfSharpShare * best;
  dip.length_px = std::hypot(dx, dy);
  // The deepest sample may sit on the search's inner edge with the dip
  // still falling inwards: its deepest point, read between the samples,
  // then lies under kMinLengthPx, where no length is read (a bird 60 px wide
  // on a clear sky read "5.5 px" against the 6–40 px the reading covers).
  dip.under_min_length = dip.length_px < kMinLengthPx;
  dip.angle_deg = std::fmod(std::atan2(dy, dx) * 180.0 / CV_PI + 360.0, 180.0);
  dip.score = -best;
  // The echo: how much deeper the cepstrum is at twice the dip's offset than
  // on the same line just before and after it (a photo whose content runs
  // along the smear — towers, trunks — puts a broad ridge of its own there,
  // which hides the echo's depth but not its shape).
  const std::optional<float> echo = at(2.0), before = at(2.0 - kEchoShoulder), after = at(2.0 + kEchoShoulder);
  if (echo && (before || after))
    dip.echo = (before && after ? 0.5 * (*before + *after) : before ? *before : *after) - *echo;
  return dip;
}

// Neither vote for the echo of a smear too short to read, nor for a dip
// whose direction kept its high frequencies at least as well as the
// direction across it (falloff ratio ≥ kMotionBlurNeverSmearFalloffRatio,
// when read). The first vote: a deep cepstral dip with an echo. The second, when the
// falloff ratio was read: a shallower dip whose direction has lost its high
// frequencies (falloff ratio ≤ kMotionBlurMaxFalloffRatio) and whose echo is
// no positive peak.
bool IsMotionBlur(const Dip& dip, std::optional<double> falloff_ratio) {
  if (dip.echo_of_shorter || dip.under_min_length) return false;
  if (falloff_ratio && *falloff_ratio >= kMotionBlurNeverSmearFalloffRatio) return false;
  if (dip.score >= kMotionBlurDetectScore && dip.echo >= kMotionBlurMinEchoScore) return true;
  return falloff_ratio && dip.score >= kMotionBlurFalloffVoteScore && *falloff_ratio <= kMotionBlurMaxFalloffRatio &&
         dip.echo >= kMotionBlurFalloffVoteMinEcho;
}

// Orientation bin (of kOrientations over [0°, 180°)) of an angle in degrees.
int OrientationBin(double angle_deg) {
  return std::clamp(int(std::fmod(angle_deg + 360.0, 180.0) / (180.0 / kOrientations)), 0, kOrientations - 1);
}

// Mean of `sum`/`count` over bins b-reach..b+reach (circular).
double BinMean(const std::vector<double>& sum, const std::vector<double>& count, int b, int reach) {
  double s = 0, n = 0;
  for (int k = -reach; k <= reach; ++k) {
    const int i = (b + k + kOrientations) % kOrientations;
    s += sum[i], n += count[i];
  }
  return n > 0 ? s / n : 0.0;
}

// The falloff ratio of `power` (summed tile spectra, DFT layout) along
// `angle_deg` (y up): high- over low-band power (noise floor removed) along
// that direction, divided by the same across it. Empty when the
// perpendicular direction has no power above the noise.
std::optional<double> SpectralFalloffRatio(const cv::Mat& power, double angle_deg) {
  const int t = power.rows;
  std::vector<double> high(kOrientations), high_n(kOrientations), low(kOrientations), low_n(kOrientations),
      top(kOrientations), top_n(kOrientations);
  for (int y = 0; y < t; ++y)
    for (int x = 0; x < t; ++x) {
      const int u = x <= t / 2 ? x : x - t, v = y <= t / 2 ? y : y - t;  // cycles per tile
      const double f = std::hypot(u, v) / t;
      const int bin = OrientationBin(std::atan2(double(-v), double(u)) * 180.0 / CV_PI);
      const double p = power.at<float>(y, x);
      if (f >= kLowFrom && f <= kLowTo) low[bin] += p, low_n[bin] += 1;
      else if (f >= kHighFrom && f <= kHighTo) high[bin] += p, high_n[bin] += 1;
      else if (f >= kFloorFrom && f <= 0.5) top[bin] += p, top_n[bin] += 1;
    }
  double floor = -1;
  for (int b = 0; b < kOrientations; ++b)
    if (top_n[b] > 0 && (floor < 0 || top[b] / top_n[b] < floor)) floor = top[b] / top_n[b];
  auto falloff = [&](int b) {
    const double lo = BinMean(low, low_n, b, 3);
    return lo > 0 ? std::max(0.0, BinMean(high, high_n, b, 1) - std::max(0.0, floor)) / lo : 0.0;
  };
  const int along = OrientationBin(angle_deg), across = (along + kOrientations / 2) % kOrientations;
  const double perpendicular = falloff(across);
  if (!(perpendicular > 0)) return std::nullopt;
  return falloff(along) / perpendicular;
}

// Largest length searched in tiles of side t: its echo must stay inside.
double MaxLength(int t) { return std::min(kMaxLengthPx, (t / 2 - 2) / 2.0); }

// The dip of `power` (summed tile spectra), or none when the cepstrum is flat.
std::optional<Dip> ReadDip(const cv::Mat& power) {
  const double max_length = MaxLength(power.rows);
  const cv::Mat z = NormalisedCepstrum(power, max_length);
  if (z.empty()) return std::nullopt;
  return DeepestDip(z, max_length);
}

// The whole rule on one summed spectrum and the luma tiles it came from —
// the image's reading and each cell of the map alike, so that the map marks
// only what the verdict would call a smear: the spectral votes, then the
// edge witness (motion_edges.h) when they find one.
struct Judgement {
  bool smear = false;
  bool edges_unread = false;  // a smear by the spectrum, with too few edges to witness it
  std::optional<double> falloff_ratio, edge_softness_px;
};
Judgement Judge(const Dip& dip, const cv::Mat& power, const std::vector<cv::Mat>& luma_tiles) {
  Judgement j;
  j.falloff_ratio = SpectralFalloffRatio(power, dip.angle_deg);
  j.smear = IsMotionBlur(dip, j.falloff_ratio);
  if (j.smear) {
    j.edge_softness_px = EdgeSoftnessAcross(luma_tiles, dip.angle_deg);
    if (j.edge_softness_px) j.smear = *j.edge_softness_px >= kMotionBlurMinEdgeSoftnessPx;
    j.edges_unread = !j.edge_softness_px;
  }
  return j;
}

// Whether the smear `dip` of the tiles' summed power outlives the part of
// the picture that holds the most detail: read again on the tiles (side
// `t`, at `corners`; their luma `tiles` and power `powers`) clear of a
// square around the busiest spot of any tile (the most gradient energy over
// 15×15 px, under the tiles' Hann window `window`: as the spectra see it),
// twice the dip's length and the spot's box across and at least
// kMaxLengthPx, a smear along the same direction, of about the same length.
// One small shape on a plain ground (a bird on a clear sky) is all of its
// tiles' power above the noise, and a box across its width. Where no tile
// is clear of it, nothing can tell: the spectrum's vote stands.
bool OutlivesItsBusiestPart(const Dip& dip, const std::vector<cv::Mat>& tiles, const std::vector<cv::Mat>& powers,
                            const std::vector<cv::Point>& corners, int t, const cv::Mat& window) {
  constexpr int kSpotPx = 15;
  cv::Point busiest;
  double most = -1;
  for (size_t i = 0; i < tiles.size(); ++i) {
    cv::Mat gx, gy, energy;
    cv::Sobel(tiles[i], gx, CV_32F, 1, 0);
    cv::Sobel(tiles[i], gy, CV_32F, 0, 1);
    cv::boxFilter((gx.mul(gx) + gy.mul(gy)).mul(window), energy, CV_32F, cv::Size(kSpotPx, kSpotPx));
    double peak = 0;
    cv::Point at;
    cv::minMaxLoc(energy, nullptr, &peak, nullptr, &at);
    if (peak > most) most = peak, busiest = corners[i] + at;
  }
  const int side = std::max(int(std::ceil(kMaxLengthPx)), int(std::ceil(2 * dip.length_px)) + kSpotPx);
  const cv::Rect part(busiest - cv::Point(side / 2, side / 2), cv::Size(side, side));
  cv::Mat rest = cv::Mat::zeros(t, t, CV_32F);
  int kept = 0;
  for (size_t i = 0; i < powers.size(); ++i)
    if ((cv::Rect(corners[i], cv::Size(t, t)) & part).empty()) rest += powers[i], ++kept;
  if (kept == 0) return true;
  const std::optional<Dip> again = ReadDip(rest);
  return again && IsMotionBlur(*again, SpectralFalloffRatio(rest, again->angle_deg)) &&
         DirectionDifferenceDeg(again->angle_deg, dip.angle_deg) <= kMapAngleToleranceDeg &&
         std::abs(again->length_px - dip.length_px) <= kUnwitnessedLengthShare * dip.length_px;
}

// A dip of `length_px` shorter than kMinLengthPx native pixels of a picture
// enlarged by a kernel to 1 / `native_scale` (MotionBlurResult::shorter_than_native_pixels).
bool ShorterThanNativePixels(double length_px, double native_scale) {
  return native_scale > 0 && native_scale < 1 && length_px * native_scale < kMinLengthPx;
}

// Local motion-blur length per block (0 where none), one tile per block:
// where the image's smear (`image`, detected) shows — a cell counts when its
// own tile is a smear by the same rule and along the same direction
// (kMapAngleToleranceDeg). All 0 when the image is read as no smear.
cv::Mat MotionBlurMap(const cv::Mat& pixels, int block, const MotionBlurResult& image, double native_scale) {
  const int rows = std::max(1, pixels.rows / block), cols = std::max(1, pixels.cols / block);
  const int t = kSmallTilePx;
  cv::Mat map = cv::Mat::zeros(rows, cols, CV_32F);
  if (!image.detected.value_or(false) || !image.angle_deg) return map;
  cv::Mat window;
  cv::createHanningWindow(window, cv::Size(t, t), CV_32F);
  const cv::Mat hidden = HiddenMask(pixels);
  cv::parallel_for_(cv::Range(0, rows * cols), [&](const cv::Range& range) {
    for (int i = range.start; i < range.end; ++i) {
      const int br = i / cols, bc = i % cols;
      const int x = std::clamp(bc * block + block / 2 - t / 2, 0, pixels.cols - t);
      const int y = std::clamp(br * block + block / 2 - t / 2, 0, pixels.rows - t);
      if (HiddenShare(hidden, cv::Rect(x, y, t, t)) > kMaxHiddenTileShare) continue;
      const cv::Mat luma = LumaF32(pixels(cv::Rect(x, y, t, t)));
      const cv::Mat power = HannPowerSpectrum(luma, window);
      const std::optional<Dip> dip = ReadDip(power);
      if (dip && DirectionDifferenceDeg(dip->angle_deg, *image.angle_deg) <= kMapAngleToleranceDeg &&
          !ShorterThanNativePixels(dip->length_px, native_scale) && Judge(*dip, power, {luma}).smear)
        map.at<float>(br, bc) = float(dip->length_px);
    }
  });
  return map;
}

// An enlarged picture (native scale ≤ kNativeReadFromScale) read in its
// native pixels — brought back there by area — with the length, the edge
// softness and the map given back in its own px; empty when it is not
// enlarged, or too small at its native size. In its own px a smear of 12
// native px enlarged 4× is longer than the 40 px this reads, and the
// falloff's high band (0.08–0.3 cycles/px) lies above the native Nyquist
// frequency, where there is only what the enlarging made: a photo smeared
// 12 px and enlarged 4× by Lanczos read "as sharp along as across"
// (falloff ratio 6.5), no smear.
std::optional<MotionBlurMeasurement> ReadInNativePixels(const cv::Mat& pixels, const MotionBlurOptions& options) {
  if (!(options.native_scale > 0) || options.native_scale > kNativeReadFromScale) return std::nullopt;
  const double f = 1.0 / options.native_scale;
  const cv::Size native_size(int(std::lround(pixels.cols * options.native_scale)),
                             int(std::lround(pixels.rows * options.native_scale)));
  if (std::min(native_size.width, native_size.height) < kSmallTilePx) return std::nullopt;
  cv::Mat native;
  cv::resize(pixels, native, native_size, 0, 0, cv::INTER_AREA);
  MotionBlurOptions at_native = options;
  at_native.native_scale = 1.0;
  at_native.map_block_px = std::max(kSmallTilePx, int(std::lround(options.map_block_px * options.native_scale)));
  MotionBlurMeasurement m = MeasureMotionBlur(native, at_native);
  if (m.result.length_px) *m.result.length_px *= f;
  if (m.result.edge_softness_px) *m.result.edge_softness_px *= f;
  if (!m.map.empty()) {
    const int block = std::max(kSmallTilePx, options.map_block_px);
    cv::Mat own;
    cv::resize(m.map, own, cv::Size(std::max(1, pixels.cols / block), std::max(1, pixels.rows / block)), 0, 0,
               cv::INTER_NEAREST);
    m.map = own * f;
  }
  return m;
}

}  // namespace

double DirectionDifferenceDeg(double a_deg, double b_deg) {
  const double d = std::fmod(std::abs(a_deg - b_deg), 180.0);
  return std::min(d, 180.0 - d);
}

MotionBlurMeasurement MeasureMotionBlur(const cv::Mat& pixels, const MotionBlurOptions& options) {
  MotionBlurMeasurement m;
  const int side = std::min(pixels.rows, pixels.cols);
  if (pixels.empty()) return m;
  if (side < kSmallTilePx) {
    m.result.too_small = true;
    return m;
  }
  if (options.drawn_content) {
    m.result.drawn_content = true;
    if (options.compute_map) m.map = MotionBlurMap(pixels, std::max(kSmallTilePx, options.map_block_px), m.result, options.native_scale);
    return m;
  }
  if (std::optional<MotionBlurMeasurement> native = ReadInNativePixels(pixels, options)) return std::move(*native);
  const cv::Mat hidden = HiddenMask(pixels);
  int t = side >= kTilePx ? kTilePx : kSmallTilePx;
  const std::vector<cv::Point> all = TileCorners(pixels.size(), t);
  std::vector<cv::Point> corners = VisibleTiles(all, hidden, t);
  // A cut-out whose large tiles are partly hidden is read on small ones,
  // spread over more of what is seen: its few mostly seen large tiles read
  // a sharp cup's own lines as a 5.6-px smear (smears of up to 31 px are
  // read there, MaxLength).
  if (corners.size() < all.size()) {
    t = kSmallTilePx;
    corners = VisibleTiles(TileCorners(pixels.size(), t), hidden, t);
  }
  if (corners.empty()) return m;  // not measured: too little of it is seen
  cv::Mat window;
  cv::createHanningWindow(window, cv::Size(t, t), CV_32F);
  std::vector<cv::Mat> tiles(corners.size()), powers(corners.size());
  ParallelOver(int(corners.size()), [&](const cv::Range& range) {
    for (int i = range.start; i < range.end; ++i) {
      tiles[i] = LumaF32(pixels(cv::Rect(corners[i], cv::Size(t, t))));
      powers[i] = HannPowerSpectrum(tiles[i], window);
    }
  });
  cv::Mat power = cv::Mat::zeros(t, t, CV_32F);
  for (const cv::Mat& p : powers) power += p;
  const std::optional<Dip> dip = ReadDip(power);
  if (!dip) return m;
  MotionBlurResult& r = m.result;
  r.score = dip->score;
  r.echo_score = dip->echo;
  r.echo_of_shorter_smear = dip->echo_of_shorter;
  r.under_min_length = dip->under_min_length;
  Judgement j = Judge(*dip, power, tiles);
  // Without edges to witness it, a smear must be more than one tile's.
  r.unwitnessed = j.smear && j.edges_unread && !OutlivesItsBusiestPart(*dip, tiles, powers, corners, t, window);
  if (*r.unwitnessed) j.smear = false;
  r.shorter_than_native_pixels = j.smear && ShorterThanNativePixels(dip->length_px, options.native_scale);
  j.smear = j.smear && !*r.shorter_than_native_pixels;
  r.falloff_ratio = j.falloff_ratio;
  r.edge_softness_px = j.edge_softness_px;
  r.detected = j.smear;
  if (j.smear) {
    r.length_px = dip->length_px;
    r.angle_deg = dip->angle_deg;
  }
  if (options.compute_map) m.map = MotionBlurMap(pixels, std::max(kSmallTilePx, options.map_block_px), r, options.native_scale);
  return m;
}

}  // namespace acuity

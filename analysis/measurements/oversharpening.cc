#include "analysis/measurements/oversharpening.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <mutex>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "analysis/measurements/image_ops.h"
#include "analysis/measurements/noise.h"
#include "analysis/measurements/noise_sampling.h"
#include "analysis/measurements/oversharpening_evidence.h"
#include "analysis/measurements/percentile.h"

namespace acuity {
namespace {

// Profile geometry along the edge normal, sampled every half pixel at
// t = −kReachPx..kReachPx: the zone where halos live (unsharp masking with
// radius ≤ 2 px puts its lobes within ~5 px) and the plateaus further out.
constexpr int kReachPx = 10;
constexpr int kPerPx = 2;                      // samples per px
constexpr int kCenter = kReachPx * kPerPx;     // index of t = 0
constexpr int kSamples = 2 * kCenter + 1;
constexpr int kHaloTo = 5 * kPerPx;            // halo zone: 0 < |t| ≤ 5 px
constexpr int kPlateauFrom = 6 * kPerPx;       // plateau: 6 px ≤ |t| ≤ kReachPx
using ProfileArray = std::array<float, kSamples>;

// Edge selection: contrast between the plateaus (8-bit levels), flatness of
// each plateau (mean |deviation| from its median, as a fraction of contrast).
constexpr double kMinContrast = 20.0;
constexpr double kMaxPlateauSpread = 0.12;
constexpr int kMaxProfiles = 20000;
constexpr int kMaxSampledProfiles = 10000;  // over all the blocks of a sampled big image
// Images above kEdgeSampledPixels are read on an evenly spread sample of
// kEdgeBlockPx-px blocks (each with kReachPx + kTangentReach + 2 +
// kSmoothingReachPx px of context): kMaxSampledProfiles candidate edges
// are plenty for a median profile.
constexpr int kEdgeBlockPx = 256;
constexpr double kEdgeSampledPixels = 1.5e6;
constexpr int kSmoothingReachPx = 5;  // the σ = 1 px Gaussian (radius 4) and the 3×3 Sobel
constexpr int kMinProfiles = 25;
// Straightness: the gradient kTangentReach px along the edge must point
// within acos(kMinTangentCosine) of the centre's; the profile is averaged
// over those 2·kTangentReach + 1 parallel lines (Imatest's slanted edge,
// in short).
constexpr int kTangentReach = 2;
constexpr float kMinTangentCosine = 0.94f;  // ≈ 20°
// A plateau within kClipRoom·contrast (+ kClipLevel) of 0 or 255 cannot show
// its halo; that side is left out of the median.
constexpr float kClipRoom = 0.3f;
constexpr float kClipLevel = 2.f;
// Halos are antisymmetric (sharpening keeps the local mean), so the profile
// over the halo zone averages to 1/2 on a true edge; a line or texture beside
// the edge shifts it by more than this.
constexpr float kMaxAsymmetry = 0.06f;
constexpr float kMaxRebound = 0.1f;

// halo_score = max(0, kDetectScore + kScorePerDecade · (E − kDetectLevel)),
// E = kNarrowWeight·log10(narrow share) + kWideWeight·log10(wide share) +
// kProbeWeight·log10(probe share) (each share + kRatioFloor; the shares of
// analysis/oversharpening_evidence.h). With kProbeWeight < 0, E is mostly
// the opposition the test sharpening of the probe *fails* to add: a natural
// image, whatever its content, gains much from it; an image already
// sharpened (its halos at the range limits, its gradients already opposed)
// gains little. That is the content-aware normalisation that lets dense
// text and texture, which oppose themselves without any halo, read low.
//
// Calibration (issue #17; re-measure: datasets/oversharpening_calibration +
// datasets/fit_oversharpening.py, see datasets/README.md): the weights are
// the grid point (narrow 0–1 in steps of 0.05, wide = 1 − narrow, probe
// −0.9…−0.4) with the highest ROC AUC on the calibration half of the wild
// set (every other photo / crop of each content class, clean and
// unsharp-masked) among those keeping both ladder AUCs (amount ≥ 2 vs
// natural / ≤ 0.5, and vs every negative) ≥ 0.972 (their target 0.97 with a
// margin); kDetectLevel maximises the accuracy on that half plus that on the
// ladders. A spectral tilt term (0–0.3) added nothing and was dropped. The
// geometric mean of the two pairs (+ 0.1 · tilt) used before read a wild ROC
// AUC of 0.83 (text 0.72); this reads 0.92 (text 1.00), 0.945 on the
// held-out half, and 0.972 / 0.990 on the ladders (datasets/RESULTS.md).
constexpr double kRatioFloor = 1e-5;
constexpr double kNarrowWeight = 0.85;
constexpr double kWideWeight = 0.15;
constexpr double kProbeWeight = -0.75;
constexpr double kDetectLevel = -0.925;
constexpr double kScorePerDecade = 30.0;
constexpr double kDetectScore = kOversharpenedHaloScore;

// E (decades) from the opposing shares, with `log_share` (the map's local
// log10 geometric-mean share) in place of the two pairs' when given.
double HaloEvidenceDecades(const GradientOpposition& g, std::optional<double> log_share = std::nullopt) {
  const double pairs = log_share ? (kNarrowWeight + kWideWeight) * *log_share
                                 : kNarrowWeight * std::log10(*g.narrow_ratio + kRatioFloor) +
                                       kWideWeight * std::log10(*g.wide_ratio + kRatioFloor);
  return pairs + kProbeWeight * std::log10(*g.probe_narrow_ratio + kRatioFloor);
}

double HaloScore(double decades) {
  return std::max(0.0, kDetectScore + kScorePerDecade * (decades - kDetectLevel));
}

float Bilinear(const cv::Mat& m, float x, float y) {
  x = std::clamp(x, 0.f, float(m.cols - 1.001));
  y = std::clamp(y, 0.f, float(m.rows - 1.001));
  const int x0 = int(x), y0 = int(y);
  const float fx = x - x0, fy = y - y0;
  const float* r0 = m.ptr<float>(y0);
  const float* r1 = m.ptr<float>(y0 + 1);
  return (1 - fy) * ((1 - fx) * r0[x0] + fx * r0[x0 + 1]) + fy * ((1 - fx) * r1[x0] + fx * r1[x0 + 1]);
}

struct EdgePoint {
  int x, y;
};

// Edge centre pixels inside `area`: local maxima of the gradient magnitude
// along the gradient direction, strong enough to be an edge, away from the border.
std::vector<EdgePoint> FindEdges(const cv::Mat& mag, const cv::Mat& gx, const cv::Mat& gy, float threshold,
                                 const cv::Rect& area) {
  std::vector<EdgePoint> edges;
  std::mutex mu;
  const int margin = kReachPx + kTangentReach + 2;
  const int x0 = std::max(margin, area.x), x1 = std::min(mag.cols - margin, area.x + area.width);
  const int y0 = std::max(margin, area.y), y1 = std::min(mag.rows - margin, area.y + area.height);
  cv::parallel_for_(cv::Range(y0, std::max(y0, y1)), [&](const cv::Range& r) {
    std::vector<EdgePoint> local;
    for (int y = r.start; y < r.end; ++y) {
      const float* m = mag.ptr<float>(y);
      const float* up = mag.ptr<float>(y - 1);
      const float* down = mag.ptr<float>(y + 1);
      const float* px = gx.ptr<float>(y);
      const float* py = gy.ptr<float>(y);
      for (int x = x0; x < x1; ++x) {
        const float v = m[x];
        if (v < threshold) continue;
        const float ax = std::abs(px[x]), ay = std::abs(py[x]);
        float a, b;
        if (ax > 2.414f * ay) a = m[x - 1], b = m[x + 1];                    // horizontal gradient
        else if (ay > 2.414f * ax) a = up[x], b = down[x];                   // vertical gradient
        else if ((px[x] > 0) == (py[x] > 0)) a = up[x - 1], b = down[x + 1];  // diagonal ↘
        else a = up[x + 1], b = down[x - 1];                                 // diagonal ↙
        if (v > a && v >= b) local.push_back({x, y});
      }
    }
    std::lock_guard<std::mutex> lock(mu);
    edges.insert(edges.end(), local.begin(), local.end());
  });
  std::sort(edges.begin(), edges.end(), [](const EdgePoint& a, const EdgePoint& b) {
    return a.y != b.y ? a.y < b.y : a.x < b.x;
  });
  return edges;
}

// One measured edge: its profile normalised to 0 (dark plateau) and 1
// (bright plateau), t > 0 on the bright side, and whether each plateau has
// room below 0 / above full white for a halo to show (clipping hides it).
struct Profile {
  ProfileArray p;
  bool room_dark = false;
  bool room_bright = false;
};

// The edge-spread profile at `e`, averaged over kTangentReach px either side
// along the edge, or false when the edge is weak, short, curved, not
// isolated or its plateaus are not flat.
bool EdgeProfile(const cv::Mat& luma, const cv::Mat& mag, const cv::Mat& gx, const cv::Mat& gy,
                 const EdgePoint& e, Profile* out) {
  const float m0 = mag.at<float>(e.y, e.x);
  if (m0 <= 0) return false;
  const float nx = gx.at<float>(e.y, e.x) / m0, ny = gy.at<float>(e.y, e.x) / m0;  // towards bright
  const float tx = -ny, ty = nx;                                                   // along the edge
  for (int s : {-kTangentReach, kTangentReach}) {
    const int x = int(std::lround(e.x + s * tx)), y = int(std::lround(e.y + s * ty));
    const float m = mag.at<float>(y, x);
    if (m < 0.5f * m0) return false;
    if ((gx.at<float>(y, x) * nx + gy.at<float>(y, x) * ny) < kMinTangentCosine * m) return false;
  }
  // Sub-pixel centre: parabola through the gradient magnitude at −1, 0, +1.
  const float mm = Bilinear(mag, e.x - nx, e.y - ny), mp = Bilinear(mag, e.x + nx, e.y + ny);
  const float denom = mm - 2 * m0 + mp;
  const float delta = denom < 0 ? std::clamp(0.5f * (mm - mp) / denom, -0.5f, 0.5f) : 0.f;
  ProfileArray p{};
  for (int s = -kTangentReach; s <= kTangentReach; ++s) {
    const float cx = e.x + s * tx + delta * nx, cy = e.y + s * ty + delta * ny;
    for (int i = 0; i < kSamples; ++i) {
      const float t = float(i - kCenter) / kPerPx;
      p[i] += Bilinear(luma, cx + t * nx, cy + t * ny);
    }
  }
  for (float& v : p) v /= float(2 * kTangentReach + 1);
  std::vector<float> dark, bright;
  for (int i = kPlateauFrom; i <= kCenter; ++i) {
    dark.push_back(p[kCenter - i]);
    bright.push_back(p[kCenter + i]);
  }
  const float lo = NearestRank(dark, 0.5), hi = NearestRank(bright, 0.5);
  const float contrast = hi - lo;
  if (contrast < kMinContrast) return false;
  float spread_lo = 0, spread_hi = 0;
  for (int i = kPlateauFrom; i <= kCenter; ++i) {
    spread_lo += std::abs(p[kCenter - i] - lo);
    spread_hi += std::abs(p[kCenter + i] - hi);
  }
  const float n = float(kCenter - kPlateauFrom + 1);
  if (std::max(spread_lo, spread_hi) / n > kMaxPlateauSpread * contrast) return false;
  for (int i = 0; i < kSamples; ++i) out->p[i] = (p[i] - lo) / contrast;
  // Isolated: between the plateaus the profile crosses mid-level once (with
  // hysteresis), so a thin line or a second edge nearby is not taken.
  int crossings = 0;
  int state = out->p[0] > 0.5f ? 1 : -1;
  for (int i = 1; i < kSamples; ++i) {
    const float v = out->p[i];
    if (state < 0 && v > 0.65f) state = 1, ++crossings;
    else if (state > 0 && v < 0.35f) state = -1, ++crossings;
  }
  if (crossings != 1) return false;
  // A halo decays back to its plateau without passing it: beyond the peak
  // the bright side stays above 1 − kMaxRebound and the dark side below
  // kMaxRebound (a highlight-then-shadow relief or a line pair does not).
  int peak = 1, trough = 1;
  for (int i = 1; i <= kHaloTo; ++i) {
    if (out->p[kCenter + i] > out->p[kCenter + peak]) peak = i;
    if (out->p[kCenter - i] < out->p[kCenter - trough]) trough = i;
  }
  for (int i = peak; i < kPlateauFrom; ++i)
    if (out->p[kCenter + i] < 1 - kMaxRebound) return false;
  for (int i = trough; i < kPlateauFrom; ++i)
    if (out->p[kCenter - i] > kMaxRebound) return false;
  const float room = kClipRoom * contrast;
  out->room_dark = lo - room > kClipLevel;
  out->room_bright = hi + room < 255.f - kClipLevel;
  if (out->room_dark && out->room_bright) {
    float mean = 0;
    for (int i = -kHaloTo; i <= kHaloTo; ++i) mean += out->p[kCenter + i];
    mean /= float(2 * kHaloTo + 1);
    if (std::abs(mean - 0.5f) > kMaxAsymmetry) return false;
  }
  return out->room_dark || out->room_bright;
}

// One block's luma (with context), its gradients and its edge points in
// the block proper.
struct EdgeField {
  cv::Mat luma, gx, gy, mag;
  std::vector<EdgePoint> edges;
};

EdgeField FindBlockEdges(const cv::Mat& luma, const cv::Rect& area) {
  EdgeField f;
  const int margin = kReachPx + kTangentReach + 2;
  if (luma.cols < 3 * margin || luma.rows < 3 * margin) return f;
  f.luma = luma;
  cv::Mat smooth;
  cv::GaussianBlur(luma, smooth, cv::Size(), 1.0);
  cv::Sobel(smooth, f.gx, CV_32F, 1, 0, 3, 1.0 / 8);
  cv::Sobel(smooth, f.gy, CV_32F, 0, 1, 3, 1.0 / 8);
  cv::magnitude(f.gx, f.gy, f.mag);
  // An edge of kMinContrast levels blurred by the σ = 1 smoothing peaks at a
  // gradient of about contrast / (σ·√(2π)) ≈ 0.4·contrast per px.
  f.edges = FindEdges(f.mag, f.gx, f.gy, float(0.3 * kMinContrast), area);
  return f;
}

// overshoot_pct and edges_measured from the profiles of straight, isolated
// edges with flat plateaus (left empty when there are too few). Big images
// are read on an evenly spread sample of blocks, each with the context its
// profiles reach into; the edges of all blocks are thinned evenly together,
// so edge-rich blocks weigh as they would in a full read.
void MeasureEdgeOvershoot(const cv::Mat& pixels, OversharpeningResult* result_out) {
  OversharpeningResult& result = *result_out;
  const std::vector<cv::Rect> blocks = SampleBlocks(pixels.size(), kEdgeBlockPx, kEdgeSampledPixels);
  const int context = kReachPx + kTangentReach + 2 + kSmoothingReachPx;
  const cv::Rect whole(0, 0, pixels.cols, pixels.rows);
  // Blocks in parallel (each block's own loops then run on its thread).
  std::vector<EdgeField> fields(blocks.size());
  ParallelOver(int(blocks.size()), [&](const cv::Range& r) {
    for (int i = r.start; i < r.end; ++i) {
      const cv::Rect outer = (blocks[i] + cv::Size(2 * context, 2 * context) - cv::Point(context, context)) & whole;
      fields[i] = FindBlockEdges(LumaF32(pixels(outer)), blocks[i] - outer.tl());
    }
  });
  // Every edge in block order, then at most `cap` of them, evenly spread.
  std::vector<std::pair<int, int>> chosen;  // (block, edge)
  for (int b = 0; b < int(fields.size()); ++b)
    for (int e = 0; e < int(fields[b].edges.size()); ++e) chosen.emplace_back(b, e);
  const int cap = blocks.size() > 1 ? kMaxSampledProfiles : kMaxProfiles;
  if (int(chosen.size()) > cap) {
    std::vector<std::pair<int, int>> kept;
    const double step = double(chosen.size()) / cap;
    for (int i = 0; i < cap; ++i) kept.push_back(chosen[size_t(i * step)]);
    chosen.swap(kept);
  }
  std::vector<Profile> profiles(chosen.size());
  std::vector<uint8_t> ok(chosen.size(), 0);
  cv::parallel_for_(cv::Range(0, int(chosen.size())), [&](const cv::Range& r) {
    for (int i = r.start; i < r.end; ++i) {
      const EdgeField& f = fields[chosen[i].first];
      ok[i] = EdgeProfile(f.luma, f.mag, f.gx, f.gy, f.edges[chosen[i].second], &profiles[i]);
    }
  });
  // The typical edge: per offset t, the median over edges (noise averages
  // out, unusual edges are outvoted); each side over the edges whose plateau
  // there has room for a halo.
  std::vector<std::vector<float>> column(kSamples);
  int used = 0, bright_n = 0, dark_n = 0;
  for (size_t i = 0; i < profiles.size(); ++i) {
    if (!ok[i]) continue;
    ++used;
    bright_n += profiles[i].room_bright;
    dark_n += profiles[i].room_dark;
  }
  result.edges_measured = used;
  const bool has_bright = bright_n >= kMinProfiles, has_dark = dark_n >= kMinProfiles;
  if (!has_bright && !has_dark) return;
  for (size_t i = 0; i < profiles.size(); ++i) {
    if (!ok[i]) continue;
    const Profile& pr = profiles[i];
    for (int k = 0; k < kSamples; ++k) {
      const bool bright_side = k > kCenter;
      if (k == kCenter || (bright_side && pr.room_bright) || (!bright_side && pr.room_dark))
        column[k].push_back(pr.p[k]);
    }
  }
  ProfileArray typical{};
  for (int k = 0; k < kSamples; ++k) typical[k] = column[k].empty() ? 0.f : NearestRank(column[k], 0.5);
  // A side without enough room anywhere mirrors the other (halos are antisymmetric).
  for (int i = 1; i <= kCenter; ++i) {
    if (!has_bright) typical[kCenter + i] = 1 - typical[kCenter - i];
    if (!has_dark) typical[kCenter - i] = 1 - typical[kCenter + i];
  }
  float over = 0, under = 0;
  for (int i = 1; i <= kHaloTo; ++i) {
    over = std::max(over, typical[kCenter + i] - 1.f);
    under = std::max(under, -typical[kCenter - i]);
  }
  result.overshoot_pct = 100.0 * (over + under) / 2;
}

}  // namespace

OversharpeningMeasurement MeasureOversharpening(const cv::Mat& pixels, const OversharpeningOptions& options) {
  OversharpeningMeasurement measured;
  OversharpeningResult& result = measured.result;
  cv::Mat* halo_map = options.compute_map ? &measured.map : nullptr;
  if (pixels.empty()) return measured;
  if (options.drawn_content) {
    result.drawn_content = true;
    if (halo_map) *halo_map = cv::Mat::zeros(HaloMapCells(pixels.size()), CV_32F);
    return measured;
  }
  MeasureEdgeOvershoot(pixels, &result);
  if (pixels.total() < size_t(kMinHaloScorePixels)) {
    result.too_small = true;
    if (halo_map) *halo_map = cv::Mat::zeros(HaloMapCells(pixels.size()), CV_32F);
    return measured;
  }
  std::optional<double> noise_luma_sigma = options.noise_luma_sigma;
  if (!noise_luma_sigma) noise_luma_sigma = MeasureNoise(pixels).result.luma_sigma;
  cv::Mat opposing_permille;
  const GradientOpposition opposition =
      MeasureHaloEvidence(pixels, noise_luma_sigma.value_or(0.0), halo_map ? &opposing_permille : nullptr);
  if (halo_map) *halo_map = cv::Mat::zeros(opposing_permille.size(), CV_32F);
  if (!opposition.narrow_ratio) return measured;
  result.halo_score = HaloScore(HaloEvidenceDecades(opposition));
  result.detected = *result.halo_score >= kDetectScore;
  // The map shows where the halos that `detected` reports are: cells whose
  // local score reaches the detection line, on an image that is detected;
  // zero elsewhere (a local score above the line on an image whose verdict is
  // "no halos" is the spread of a local reading, not halos).
  if (halo_map && *result.detected) {
    for (int y = 0; y < opposing_permille.rows; ++y) {
      const float* in = opposing_permille.ptr<float>(y);
      float* out = halo_map->ptr<float>(y);
      for (int x = 0; x < opposing_permille.cols; ++x) {
        const double local = HaloScore(HaloEvidenceDecades(opposition, std::log10(in[x] / 1000.0 + kRatioFloor)));
        out[x] = local >= kDetectScore ? float(local) : 0.f;
      }
    }
  }
  return measured;
}

}  // namespace acuity

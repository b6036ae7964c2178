#include "analysis/measurements/compression_pixels.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "analysis/io/jpeg_codec.h"
#include "analysis/measurements/compression_tables.h"
#include "analysis/measurements/equivalent_quality.h"
#include "analysis/measurements/image_ops.h"

namespace acuity {
namespace {

// Lattice model: decoded coefficients sit at k·q with Gaussian noise of
// kLatticeSigma (8-bit rounding of the IDCT output and of the RGB values the
// luma is recomputed from: ≈ 0.35 measured); a fraction kOutlier lands
// anywhere (clipping, edits).
constexpr double kLatticeSigma = 0.5;
constexpr double kOutlier = 0.05;
constexpr int kMaxStep = 255;          // baseline JPEG steps are 1–255
constexpr int kLutPerUnit = 64;        // residual resolution of the LLR table
constexpr double kLutRange = 4.0 * kLatticeSigma;  // beyond: outlier floor

// First zigzag frequencies (row-major index v*8+u): DC, (0,1), (1,0), (2,0), (1,1), (0,2).
constexpr int kGridFrequencies[] = {0, 1, 8, 16, 9, 2};
// Grid offsets (of 64) scored on all the blocks after a quick first look.
constexpr int kGridFinalists = 8;

// Pixel estimate of any table: a frequency's step is taken when its
// evidence reaches kStepEvidence (nats); fewer than kMinStepsFound taken
// steps give no quality. IJG's table is preferred when its evidence is at
// least kIjgShareOfFreeEvidence of the free steps' (which always fit at
// least as well, chance included).
constexpr double kStepEvidence = 8.0;
constexpr int kMinStepsFound = 3;
constexpr double kIjgShareOfFreeEvidence = 0.9;
// An undetermined step is taken as the largest |coefficient| when that is
// at least kMinLatticeCoefficient (above the decoding noise) and at most
// kMaxSingleCoefficients stand so far off zero: a JPEG's coarse steps leave
// a frequency's few survivors at ±1 step, while many coefficients off zero
// with no lattice among them are a frequency whose lattice an edit after
// the decode erased (a deblock, a blur), whose largest coefficient says
// nothing of the step (a q40 photo deblocked at half strength read q29.5,
// "heavy damage", from such frequencies). Determined steps weigh at most
// kMaxFitWeight nats in the fit of the others; the tilt is fitted only when
// the determined frequencies spread over (u + v)/14 with variance ≥
// kMinTiltSpread.
constexpr float kMinLatticeCoefficient = 6.0f;
constexpr size_t kMaxSingleCoefficients = 4;
constexpr double kMaxFitWeight = 200.0;
constexpr double kMinTiltSpread = 0.005;
constexpr double kExtrapolationCap = 1.5;

// Log-likelihood ratio of one coefficient's residual r (|r| ≤ q/2) for a
// lattice of step q against a uniform position in the quantization cell.
class LatticeLlr {
 public:
  LatticeLlr() {
    const int n = int(kLutRange * kLutPerUnit) + 1;
    table_.assign(size_t(kMaxStep + 1) * n, 0.f);
    floor_.assign(kMaxStep + 1, 0.f);
    const double norm = 1.0 / (kLatticeSigma * std::sqrt(2 * M_PI));
    for (int q = 1; q <= kMaxStep; ++q) {
      floor_[q] = float(std::log(kOutlier));
      for (int i = 0; i < n; ++i) {
        const double r = double(i) / kLutPerUnit;
        const double phi = norm * std::exp(-0.5 * r * r / (kLatticeSigma * kLatticeSigma));
        table_[size_t(q) * n + i] = float(std::log((1 - kOutlier) * q * phi + kOutlier));
      }
    }
    n_ = n;
  }
  float operator()(int q, float abs_r) const {
    const int i = int(abs_r * kLutPerUnit + 0.5f);
    return i < n_ ? table_[size_t(q) * n_ + i] : floor_[q];
  }

 private:
  std::vector<float> table_;
  std::vector<float> floor_;
  int n_ = 0;
};

const LatticeLlr& Llr() {
  static const LatticeLlr* llr = new LatticeLlr();
  return *llr;
}

// Orthonormal 8-point DCT-II matrix: the same scale as JPEG's FDCT.
std::array<float, 64> DctMatrix() {
  std::array<float, 64> d{};
  for (int u = 0; u < 8; ++u) {
    const double c = u == 0 ? std::sqrt(1.0 / 8) : 0.5;
    for (int x = 0; x < 8; ++x) d[u * 8 + x] = float(c * std::cos((2 * x + 1) * u * M_PI / 16));
  }
  return d;
}

// 2-D DCT of the level-shifted (−128) block at (x0, y0); out[v*8+u].
void BlockDct(const cv::Mat& luma, int x0, int y0, const std::array<float, 64>& d, float* out) {
  float tmp[64];
  for (int y = 0; y < 8; ++y) {
    const float* row = luma.ptr<float>(y0 + y) + x0;
    for (int u = 0; u < 8; ++u) {
      float s = 0;
      for (int x = 0; x < 8; ++x) s += d[u * 8 + x] * (row[x] - 128.f);
      tmp[y * 8 + u] = s;
    }
  }
  for (int v = 0; v < 8; ++v)
    for (int u = 0; u < 8; ++u) {
      float s = 0;
      for (int y = 0; y < 8; ++y) s += d[v * 8 + y] * tmp[y * 8 + u];
      out[v * 8 + u] = s;
    }
}

// Picks whole blocks of usable pixels on any grid offset.
class BlockSampler {
 public:
  explicit BlockSampler(const cv::Mat& usable) : usable_(usable), size_(usable.size()) {}
  bool Usable(int x, int y) const {
    for (int j = 0; j < 8; ++j) {
      const uint8_t* row = usable_.ptr<uint8_t>(y + j) + x;
      for (int i = 0; i < 8; ++i)
        if (row[i] == 0) return false;
    }
    return true;
  }
  // Top-left corners of whole usable blocks of the grid (ox, oy), spread
  // evenly over the image, at most max_blocks.
  std::vector<cv::Point> Sample(int ox, int oy, int max_blocks) const {
    const int nx = (size_.width - ox) / 8, ny = (size_.height - oy) / 8;
    std::vector<cv::Point> all;
    if (nx <= 0 || ny <= 0) return all;
    const int stride = std::max(1, int(std::sqrt(double(nx) * ny / (1.3 * max_blocks))));
    for (int j = stride / 2; j < ny; j += stride)
      for (int i = stride / 2; i < nx; i += stride)
        if (Usable(ox + 8 * i, oy + 8 * j)) all.emplace_back(ox + 8 * i, oy + 8 * j);
    if (int(all.size()) <= max_blocks) return all;
    std::vector<cv::Point> kept;
    kept.reserve(max_blocks);
    const double step = double(all.size()) / max_blocks;
    for (int i = 0; i < max_blocks; ++i) kept.push_back(all[size_t(i * step)]);
    return kept;
  }

 private:
  cv::Mat usable_;
  cv::Size size_;
};

// |coefficients| of one frequency, sorted in decreasing order, so that the
// coefficients outside the zero cell of step q are a prefix.
struct FrequencySample {
  std::vector<float> abs_sorted;
};

// Summed LLR of the coefficients outside the zero cell (|c| > q/2).
double LatticeEvidence(const FrequencySample& s, int q) {
  if (q < 2) return 0;
  const LatticeLlr& llr = Llr();
  const float half = 0.5f * q, inverse = 1.0f / q, step = float(q);
  double sum = 0;
  for (float a : s.abs_sorted) {
    if (a <= half) break;
    const float r = std::abs(a - step * std::floor(a * inverse + 0.5f));
    sum += llr(q, r);
  }
  return sum;
}

std::vector<FrequencySample> Coefficients(const cv::Mat& luma, const std::vector<cv::Point>& blocks,
                                          const std::vector<int>& frequencies) {
  static const std::array<float, 64> d = DctMatrix();
  std::vector<FrequencySample> out(frequencies.size());
  for (auto& s : out) s.abs_sorted.resize(blocks.size());
  cv::parallel_for_(cv::Range(0, int(blocks.size())), [&](const cv::Range& r) {
    float coef[64];
    for (int b = r.start; b < r.end; ++b) {
      BlockDct(luma, blocks[b].x, blocks[b].y, d, coef);
      for (size_t f = 0; f < frequencies.size(); ++f) out[f].abs_sorted[b] = std::abs(coef[frequencies[f]]);
    }
  });
  cv::parallel_for_(cv::Range(0, int(out.size())), [&](const cv::Range& r) {
    for (int f = r.start; f < r.end; ++f) {
      // Only |c| > 1 can lie outside the zero cell of a step ≥ 2.
      std::vector<float>& v = out[f].abs_sorted;
      v.erase(std::partition(v.begin(), v.end(), [](float a) { return a > 1.f; }), v.end());
      std::sort(v.begin(), v.end(), std::greater<float>());
    }
  });
  return out;
}

// Lattice evidence of every step 1–255 (step 1: 0) at every frequency.
class StepEvidence {
 public:
  double at(int f, int q) const { return e_[size_t(f) * (kMaxStep + 1) + q]; }
  double& at(int f, int q) { return e_[size_t(f) * (kMaxStep + 1) + q]; }

 private:
  std::vector<double> e_ = std::vector<double>(64 * (kMaxStep + 1), 0.0);
};

StepEvidence EvidenceOfEverySteps(const std::vector<FrequencySample>& coef) {
  StepEvidence e;
  cv::parallel_for_(cv::Range(0, 64), [&](const cv::Range& r) {
    for (int f = r.start; f < r.end; ++f)
      for (int q = 2; q <= kMaxStep; ++q) e.at(f, q) = LatticeEvidence(coef[f], q);
  });
  return e;
}

// Each AC frequency's best step when its evidence reaches kStepEvidence;
// else the largest |coefficient| when a few stand off zero.
// The DC step is left to the fit (MeanLogOfCompletedTable).
struct FreeSteps {
  std::array<int, 64> steps{};       // 0 = not determined
  std::array<double, 64> single{};   // an undetermined step from its largest |coefficient| (0 = none)
  std::array<double, 64> weight{};   // evidence of a determined step (nats)
  int found = 0;
  double evidence = 0;  // summed evidence of the determined steps (nats)
};

FreeSteps BestStepOfEachFrequency(const StepEvidence& evidence, const std::vector<FrequencySample>& coef) {
  FreeSteps out;
  for (int f = 1; f < 64; ++f) {  // not DC: flat areas cluster it on arbitrary values
    int best = 0;
    double best_e = 0;
    for (int q = 2; q <= kMaxStep; ++q)
      if (evidence.at(f, q) > best_e) best_e = evidence.at(f, q), best = q;
    if (best_e >= kStepEvidence) {
      out.steps[f] = best;
      out.weight[f] = best_e;
      out.evidence += best_e;
      ++out.found;
    } else {
      // A few coefficients off zero: decoded, they sit on the lattice, and
      // at the highest frequencies mostly at ±1 step.
      const std::vector<float>& a = coef[f].abs_sorted;
      const size_t off_zero = size_t(
          std::find_if(a.begin(), a.end(), [](float c) { return c < kMinLatticeCoefficient; }) - a.begin());
      if (off_zero >= 1 && off_zero <= kMaxSingleCoefficients) out.single[f] = a[0];
    }
  }
  return out;
}

// The mean log step of the whole luma table: the determined steps as found;
// those with a few coefficients off zero from the largest; the others from
// a fit of ln(step / Annex K step) = a + b·(u + v)/14 to the determined ones
// (weighted by evidence: a scale and a frequency tilt), at most
// kExtrapolationCap × the largest determined step: Annex K's shape rises
// steeply at low frequencies and flattens at high ones, and the determined
// steps are the low ones.
double MeanLogOfCompletedTable(const FreeSteps& s) {
  double sw = 0, st = 0, sy = 0, stt = 0, sty = 0;
  for (int f = 0; f < 64; ++f) {
    if (!s.steps[f]) continue;
    const double w = std::min(s.weight[f], kMaxFitWeight), t = (f / 8 + f % 8) / 14.0;
    const double y = std::log(double(s.steps[f]) / kAnnexKLumaTable[f]);
    sw += w, st += w * t, sy += w * y, stt += w * t * t, sty += w * t * y;
  }
  const double var = stt * sw - st * st;
  const double b = var > kMinTiltSpread * sw * sw ? (sty * sw - st * sy) / var : 0.0;
  const double a = (sy - b * st) / sw;
  const double cap = kExtrapolationCap * *std::max_element(s.steps.begin(), s.steps.end());
  double sum = 0;
  for (int f = 0; f < 64; ++f) {
    double step = s.steps[f];
    if (!step) {
      step = s.single[f] > 0 ? s.single[f]
                             : std::min(cap, std::exp(a + b * (f / 8 + f % 8) / 14.0) * kAnnexKLumaTable[f]);
      step = std::clamp(step, 1.0, double(kMaxStep));
    }
    sum += std::log(step);
  }
  return sum / 64;
}

}  // namespace

cv::Mat UnclippedMask(const cv::Mat& pixels) {
  const cv::Mat p8 = To8Bit(pixels, /*keep_gray=*/true);
  cv::Mat ok(p8.size(), CV_8UC1);
  const int channels = p8.channels();
  cv::parallel_for_(cv::Range(0, p8.rows), [&](const cv::Range& r) {
    for (int y = r.start; y < r.end; ++y) {
      const uint8_t* in = p8.ptr<uint8_t>(y);
      uint8_t* out = ok.ptr<uint8_t>(y);
      for (int x = 0; x < p8.cols; ++x) {
        bool good = true;
        for (int c = 0; c < channels; ++c) good &= in[x * channels + c] != 0 && in[x * channels + c] != 255;
        out[x] = good ? 255 : 0;
      }
    }
  });
  return ok;
}

JpegGrid DetectJpegGrid(const cv::Mat& luma, const cv::Mat& usable, int max_blocks) {
  const std::vector<int> freqs(std::begin(kGridFrequencies), std::end(kGridFrequencies));
  const BlockSampler sampler(usable);
  // Lattice evidence of one grid offset (0–63) on at most `max` blocks, and
  // how many blocks that was.
  auto evidence = [&](int offset, int max) {
    const std::vector<cv::Point> blocks = sampler.Sample(offset % 8, offset / 8, max);
    const std::vector<FrequencySample> coef = Coefficients(luma, blocks, freqs);
    double total = 0;
    for (const FrequencySample& s : coef) {
      double best = 0;
      for (int q = 2; q <= 128; ++q) best = std::max(best, LatticeEvidence(s, q));
      total += best;
    }
    return std::make_pair(total, int(blocks.size()));
  };
  // A quick look at every offset on a quarter of the blocks, then the
  // kGridFinalists best of them on all: the evidence of a real grid stands
  // far above the rest either way.
  std::array<std::pair<double, int>, 64> quick{};
  cv::parallel_for_(cv::Range(0, 64), [&](const cv::Range& r) {
    for (int offset = r.start; offset < r.end; ++offset) quick[offset] = evidence(offset, max_blocks / 4);
  });
  std::array<int, 64> order;
  std::iota(order.begin(), order.end(), 0);
  std::partial_sort(order.begin(), order.begin() + kGridFinalists, order.end(),
                    [&](int a, int b) { return quick[a].first > quick[b].first; });
  std::array<std::pair<double, int>, kGridFinalists> score{};
  cv::parallel_for_(cv::Range(0, kGridFinalists), [&](const cv::Range& r) {
    for (int i = r.start; i < r.end; ++i) score[i] = evidence(order[i], max_blocks);
  });
  int best = 0;
  for (int i = 1; i < kGridFinalists; ++i)
    if (score[i].first > score[best].first) best = i;
  // The runner-up: the other finalists, and every other offset's quick
  // evidence scaled to as many blocks as the finalists were read on (evidence
  // adds up over blocks), so that the margin is never wider than a full
  // search would have found it.
  double second = 0;
  for (int i = 0; i < kGridFinalists; ++i)
    if (i != best) second = std::max(second, score[i].first);
  const double scale = quick[order[best]].second > 0 ? double(score[best].second) / quick[order[best]].second : 1.0;
  for (int i = kGridFinalists; i < 64; ++i) second = std::max(second, quick[order[i]].first * scale);
  JpegGrid grid;
  grid.offset_x = order[best] % 8;
  grid.offset_y = order[best] / 8;
  grid.evidence = score[best].first;
  grid.margin = score[best].first - second;
  return grid;
}

PixelQualityEstimate EstimateJpegQualityFromPixels(const cv::Mat& luma, const cv::Mat& usable,
                                                   const JpegGrid& grid, int max_blocks) {
  PixelQualityEstimate out;
  const std::vector<cv::Point> blocks = BlockSampler(usable).Sample(grid.offset_x, grid.offset_y, max_blocks);
  out.blocks_used = int(blocks.size());
  if (blocks.size() < 16) return out;
  std::vector<int> all(64);
  std::iota(all.begin(), all.end(), 0);
  const std::vector<FrequencySample> coef = Coefficients(luma, blocks, all);
  const StepEvidence evidence = EvidenceOfEverySteps(coef);

  // Hypothesis 1: IJG's luma table of some quality 1–99.
  std::vector<double> score(100, 0.0);
  for (int q = 1; q <= 99; ++q) {
    const std::array<uint16_t, 64> table = IjgQuantTable(q, /*chroma=*/false);
    for (int f = 0; f < 64; ++f) score[q] += evidence.at(f, table[f]);
  }
  const int best = int(std::max_element(score.begin() + 1, score.end()) - score.begin());
  // Hypothesis 2: any table — each frequency's own best step.
  const FreeSteps free = BestStepOfEachFrequency(evidence, coef);
  // Compared on the AC frequencies only: flat areas put the DC of many
  // blocks on one value, a lattice of any step the free search may find.
  const double ijg_ac = score[best] - evidence.at(0, IjgQuantTable(best, /*chroma=*/false)[0]);
  const bool ijg = score[best] > 0 && ijg_ac >= kIjgShareOfFreeEvidence * free.evidence;
  out.steps = free.steps;
  out.steps_found = free.found;
  out.ijg_tables = ijg;
  out.evidence = ijg ? score[best] : free.evidence;
  out.evidence_per_block = out.evidence / blocks.size();
  if (out.evidence <= 0) return out;
  if (ijg) {
    // Qualities with identical luma tables tie exactly: take the middle.
    int lo = best, hi = best;
    while (lo > 1 && score[lo - 1] == score[best]) --lo;
    while (hi < 99 && score[hi + 1] == score[best]) ++hi;
    out.quality = 0.5 * (lo + hi);
  } else if (free.found >= kMinStepsFound) {
    out.quality = std::round(IjgQualityOfMeanLogStep(MeanLogOfCompletedTable(free), /*luma_weight=*/1.0) * 10) / 10;
  }
  return out;
}

}  // namespace acuity

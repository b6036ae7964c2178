#include "analysis/measurements/tone_curve.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

namespace acuity {
namespace {

constexpr int kLevels = 256;
constexpr int kMinCellPx = 8;             // a side of the cells the curve is read on, px
constexpr int kCoarseCellPx = 32;         // ... and of the cells that confirm a tone change, px
constexpr double kMaxCells = 250000.0;    // ... at most about this many of them

// The identity curve.
ToneCurve Identity() {
  ToneCurve c;
  for (int v = 0; v < kLevels; ++v) c.output_at[size_t(v)] = float(v);
  return c;
}

// The non-decreasing sequence nearest `mean` in the `weight`-weighted least
// squares (pool adjacent violators), over the entries with weight.
void MakeMonotone(std::vector<double>& mean, const std::vector<double>& weight) {
  struct Block {
    double sum_w, mean;
    int first, last;
  };
  std::vector<Block> blocks;
  for (int v = 0; v < int(mean.size()); ++v) {
    if (weight[size_t(v)] <= 0) continue;
    blocks.push_back({weight[size_t(v)], mean[size_t(v)], v, v});
    while (blocks.size() > 1 && blocks[blocks.size() - 2].mean > blocks.back().mean) {
      const Block b = blocks.back();
      blocks.pop_back();
      Block& a = blocks.back();
      a.mean = (a.mean * a.sum_w + b.mean * b.sum_w) / (a.sum_w + b.sum_w);
      a.sum_w += b.sum_w;
      a.last = b.last;
    }
  }
  for (const Block& b : blocks)
    for (int v = b.first; v <= b.last; ++v)
      if (weight[size_t(v)] > 0) mean[size_t(v)] = b.mean;
}

// The curve read on cells of at least `min_cell_px` a side (FitToneCurve);
// `squares`: the reference's squared values, made once for both cell sizes.
ToneCurve FitOnCells(const cv::Mat& reference, const cv::Mat& squares, const cv::Mat& output, double min_cell_px) {
  ToneCurve curve = Identity();
  const double cells_at_min = double(reference.total()) / double(min_cell_px * min_cell_px);
  const double side = min_cell_px * std::max(1.0, std::sqrt(cells_at_min / kMaxCells));
  const cv::Size cells(std::max(1, int(reference.cols / side)), std::max(1, int(reference.rows / side)));
  cv::Mat ref_cells, ref_squares, out_cells;
  cv::resize(reference, ref_cells, cells, 0, 0, cv::INTER_AREA);
  cv::resize(squares, ref_squares, cells, 0, 0, cv::INTER_AREA);
  cv::resize(output, out_cells, cells, 0, 0, cv::INTER_AREA);
  // The smoother half of the cells (by the reference's variance in them):
  // there a cell's mean goes through a curve as its pixels do, and a blur or
  // a sharpening moves no mean.
  std::vector<float> variance;
  variance.reserve(ref_cells.total());
  for (int y = 0; y < ref_cells.rows; ++y) {
    const float *r = ref_cells.ptr<float>(y), *r2 = ref_squares.ptr<float>(y);
    for (int x = 0; x < ref_cells.cols; ++x)  // a cell with a value that is no number is read last
      variance.push_back(std::isfinite(r2[x] - r[x] * r[x]) ? r2[x] - r[x] * r[x] : INFINITY);
  }
  std::vector<float> sorted = variance;
  std::nth_element(sorted.begin(), sorted.begin() + long(sorted.size() / 2), sorted.end());
  const float smooth_below = sorted[sorted.size() / 2];
  std::vector<double> sum(kLevels, 0.0), weight(kLevels, 0.0);
  for (int y = 0; y < ref_cells.rows; ++y) {
    const float *r = ref_cells.ptr<float>(y), *o = out_cells.ptr<float>(y);
    for (int x = 0; x < ref_cells.cols; ++x) {
      if (variance[size_t(y) * size_t(ref_cells.cols) + size_t(x)] > smooth_below) continue;
      if (!std::isfinite(r[x]) || !std::isfinite(o[x])) continue;
      const int v = std::clamp(int(std::lround(r[x])), 0, kLevels - 1);
      sum[size_t(v)] += o[x];
      weight[size_t(v)] += 1.0;
    }
  }
  std::vector<double> mean(kLevels, 0.0);
  int first = -1, last = -1;
  for (int v = 0; v < kLevels; ++v) {
    if (weight[size_t(v)] <= 0) continue;
    mean[size_t(v)] = sum[size_t(v)] / weight[size_t(v)];
    if (first < 0) first = v;
    last = v;
  }
  if (first < 0) return curve;
  MakeMonotone(mean, weight);
  // Levels without a cell: between two read ones, linear; past the ends,
  // the end's offset.
  int prev = first;
  for (int v = 0; v < kLevels; ++v) {
    if (v < first) {
      curve.output_at[size_t(v)] = float(v + mean[size_t(first)] - first);
    } else if (v > last) {
      curve.output_at[size_t(v)] = float(v + mean[size_t(last)] - last);
    } else if (weight[size_t(v)] > 0) {
      curve.output_at[size_t(v)] = float(mean[size_t(v)]);
      prev = v;
    } else {
      int next = v + 1;
      while (weight[size_t(next)] <= 0) ++next;  // `last` has weight
      const double t = double(v - prev) / double(next - prev);
      curve.output_at[size_t(v)] = float(mean[size_t(prev)] + t * (mean[size_t(next)] - mean[size_t(prev)]));
    }
  }
  for (float& out : curve.output_at) out = std::clamp(out, 0.0f, float(kLevels - 1));  // as an 8-bit output clips
  double departure = 0, total = 0;
  for (int v = 0; v < kLevels; ++v) {
    const double d = curve.output_at[size_t(v)] - v;
    departure += weight[size_t(v)] * d * d;
    total += weight[size_t(v)];
  }
  curve.rms_departure_8bit = std::sqrt(departure / total);
  return curve;
}

}  // namespace

ToneCurve FitToneCurve(const cv::Mat& reference, const cv::Mat& output, double scale) {
  if (reference.empty() || output.empty() || reference.size() != output.size() || reference.type() != CV_32FC1 ||
      output.type() != CV_32FC1)
    return Identity();
  // Cells in the source's pixels: a blur of one source px is `scale` px
  // here (at ×8 it read 11.9 levels on 8-px cells, 3.2 on 32-px ones).
  const double grow = std::max(1.0, scale / 2.0);
  const cv::Mat squares = reference.mul(reference);
  ToneCurve curve = FitOnCells(reference, squares, output, kMinCellPx * grow);
  // A blur's apparent curve fades in larger cells (their means hold what
  // it moved between neighbours); a tone curve's does not.
  const ToneCurve coarse = FitOnCells(reference, squares, output, kCoarseCellPx * grow);
  curve.rms_departure_8bit = std::min(curve.rms_departure_8bit, coarse.rms_departure_8bit);
  return curve;
}

void ApplyToneCurve(const ToneCurve& curve, cv::Mat& luma) {
  CV_Assert(luma.type() == CV_32FC1);
  const auto& at = curve.output_at;
  for (int y = 0; y < luma.rows; ++y) {
    float* p = luma.ptr<float>(y);
    for (int x = 0; x < luma.cols; ++x) {
      const float v = p[x];
      if (!std::isfinite(v)) continue;
      if (v <= 0.0f) {
        p[x] = v + at[0];
      } else if (v >= float(kLevels - 1)) {
        p[x] = v - float(kLevels - 1) + at[kLevels - 1];
      } else {
        const int i = int(v);
        const float t = v - float(i);
        p[x] = at[size_t(i)] + t * (at[size_t(i) + 1] - at[size_t(i)]);
      }
    }
  }
}

}  // namespace acuity

#include "analysis/compression.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "analysis/compression_pixels.h"
#include "analysis/compression_tables.h"
#include "analysis/image_ops.h"

namespace acuity {
namespace {

// Lattice evidence (nats, summed over blocks) above which a lossless image
// is declared JPEG-compressed, and the least evidence per block used: a
// never-compressed image scores ≤ 0 (its coefficients are off every lattice).
constexpr double kMinEvidence = 40.0;
constexpr double kMinEvidencePerBlock = 0.05;
// A grid found in the pixels is trusted when its evidence beats every other
// offset's by this much (nats).
constexpr double kMinGridMargin = 20.0;

double ConfidenceFromTables(QuantTableQuality::Match match) {
  switch (match) {
    case QuantTableQuality::Match::kExact: return 1.0;
    case QuantTableQuality::Match::kHashMatch: return 0.9;
    case QuantTableQuality::Match::kApproximate: return 0.6;
    case QuantTableQuality::Match::kUndetermined: return 0.3;
  }
  return 0.3;
}

// Phase of a boundary between pixel i and i+1 on a grid of offset o: 0 on
// a block boundary, 1..7 further in.
int Phase(int i, int offset) { return ((i + 1 - offset) % 8 + 8) % 8; }

// Blocking as the excess step at block boundaries: with d(i) = |Y(i+1) − Y(i)|
// along a row (or column), e(i) = d(i) − (d(i−1) + d(i+1))/2 is the step
// beyond what the neighbouring steps predict; blockiness is the mean e on
// boundaries minus the mean e two or more pixels away from any boundary,
// averaged over both axes (8-bit levels). The map holds the mean e over each
// 8×8 cell's boundary pixels, clamped at 0.
double Blockiness(const cv::Mat& luma, int ox, int oy, cv::Mat* map) {
  const int w = luma.cols, h = luma.rows;
  const int cell_rows = (h + 7) / 8, cell_cols = (w + 7) / 8;
  cv::Mat cell_sum = cv::Mat::zeros(cell_rows, cell_cols, CV_64F);
  cv::Mat cell_n = cv::Mat::zeros(cell_rows, cell_cols, CV_64F);
  std::vector<double> col_sum(w, 0.0), row_sum(h, 0.0);
  std::mutex mu;
  cv::parallel_for_(cv::Range(0, cell_rows), [&](const cv::Range& r) {
    std::vector<double> local_col(w, 0.0);
    for (int y = r.start * 8; y < std::min(h, r.end * 8); ++y) {
      const float* p = luma.ptr<float>(y);
      double* cs = cell_sum.ptr<double>(y / 8);
      double* cn = cell_n.ptr<double>(y / 8);
      for (int x = 1; x + 2 < w; ++x) {
        const float e = std::abs(p[x + 1] - p[x]) -
                        0.5f * (std::abs(p[x] - p[x - 1]) + std::abs(p[x + 2] - p[x + 1]));
        local_col[x] += e;
        if (Phase(x, ox) == 0) cs[x / 8] += e, cn[x / 8] += 1;
      }
      if (y < 1 || y + 2 >= h) continue;
      const float *pm = luma.ptr<float>(y - 1), *p1 = luma.ptr<float>(y + 1), *p2 = luma.ptr<float>(y + 2);
      const bool boundary = Phase(y, oy) == 0;
      double sum = 0;
      for (int x = 0; x < w; ++x) {
        const float e = std::abs(p1[x] - p[x]) - 0.5f * (std::abs(p[x] - pm[x]) + std::abs(p2[x] - p1[x]));
        sum += e;
        if (boundary) cs[x / 8] += e, cn[x / 8] += 1;
      }
      row_sum[y] = sum / w;
    }
    std::lock_guard<std::mutex> lock(mu);
    for (int x = 0; x < w; ++x) col_sum[x] += local_col[x];
  });
  auto axis = [](const std::vector<double>& sums, int offset, double norm) {
    double boundary = 0, interior = 0;
    int nb = 0, ni = 0;
    for (int i = 1; i + 2 < int(sums.size()); ++i) {
      const int phase = Phase(i, offset);
      if (phase == 0) boundary += sums[i] / norm, ++nb;
      else if (phase >= 2 && phase <= 6) interior += sums[i] / norm, ++ni;
    }
    return nb && ni ? boundary / nb - interior / ni : 0.0;
  };
  const double b = 0.5 * (axis(col_sum, ox, h) + axis(row_sum, oy, 1.0));
  if (map) {
    cv::Mat m = cell_sum / cv::max(cell_n, 1.0);
    cv::max(m, 0.0, m);
    m.convertTo(*map, CV_32F);
  }
  return std::max(0.0, b);
}

}  // namespace

CompressionResult MeasureCompression(const cv::Mat& pixels, const std::optional<JpegInfo>& jpeg,
                                     cv::Mat* block_map) {
  CompressionResult result;
  if (pixels.empty() || pixels.cols < 16 || pixels.rows < 16) return result;
  const cv::Mat luma = LumaF32(pixels);
  const cv::Mat usable = UnclippedMask(pixels);
  const JpegGrid grid = DetectJpegGrid(luma, usable);
  const bool grid_found = grid.margin >= kMinGridMargin;
  int ox = 0, oy = 0;

  if (jpeg && !jpeg->quant_tables.empty()) {
    const QuantTableQuality q = QualityFromQuantTables(jpeg->quant_tables);
    result.jpeg_quality_estimate = q.quality;
    result.quality_source = "quant_tables";
    result.confidence = ConfidenceFromTables(q.match);
    if (grid_found) ox = grid.offset_x, oy = grid.offset_y;
  } else if (grid_found) {
    const PixelQualityEstimate q = EstimateJpegQualityFromPixels(luma, usable, grid);
    if (q.quality && q.evidence >= kMinEvidence && q.evidence_per_block >= kMinEvidencePerBlock) {
      result.jpeg_quality_estimate = *q.quality;
      result.quality_source = "pixels";
      result.confidence = 1.0 - std::exp(-q.evidence / (2 * kMinEvidence));
      ox = grid.offset_x, oy = grid.offset_y;
    }
  }
  if (result.quality_source != "none") {
    result.grid_offset_x = ox;
    result.grid_offset_y = oy;
  }

  result.blockiness = Blockiness(luma, ox, oy, block_map);
  return result;
}

}  // namespace acuity

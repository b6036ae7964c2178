#include "analysis/measurements/qa_local_detail.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

namespace acuity {
namespace {

constexpr double kMinEdgeShare = 0.02;  // of a cell's area near edges, to read it
constexpr double kMinEdgePixels = 16;
constexpr int kMinCells = 4;
// A cell is read when its detail's curvature energy in the enlargement is
// at least this share of its noise's: what a model did where it is less
// cannot be told from the noise it removed.
constexpr double kCellDetailOverNoise = 2.0;

// Sums of blocks (EdgeCells) over a part of the picture, and what they say.
struct Energies {
  double edge_pixels = 0, output = 0, plain = 0, noise = 0;

  void Add(const EdgeCells& cells, size_t i) {
    edge_pixels += cells.edge_pixels[i];
    output += cells.energy_output[i];
    plain += cells.energy_plain[i];
    noise += cells.noise_energy[i];
  }
  // The enlargement's detail less its noise's; 0 when the noise's is more
  // than 1/kCellDetailOverNoise of it.
  double PlainDetail() const {
    const double detail = plain - noise;
    return detail >= kCellDetailOverNoise * noise ? detail : 0.0;
  }
  double OutputDetail(double noise_share) const { return std::max(0.0, output - noise * noise_share); }
};

}  // namespace

LocalDetail MeasureLocalDetail(const EdgeCells& cells, cv::Size output_size, bool with_map) {
  LocalDetail out;
  const cv::Rect frame(cv::Point(0, 0), output_size);
  const int b = cells.block_px;
  auto block_rect = [&](int r, int c) { return cv::Rect(c * b, r * b, b, b) & frame; };
  // Cells of 2×2 blocks at every block (one block wide where the picture
  // is): half-overlapping, so that a soft tile whatever its place fills
  // whole cells (on a grid of whole cells, each cell a tile straddled kept
  // the detail of its other part: a blank 256-px tile of a ×2 output read
  // as a 96×192-px loss).
  const int span_r = std::min(2, cells.rows), span_c = std::min(2, cells.cols);
  const int rows = std::max(1, cells.rows - span_r + 1), cols = std::max(1, cells.cols - span_c + 1);
  auto cell_blocks = [&](int r, int c, const auto& each) {
    for (int br = r; br < r + span_r; ++br)
      for (int bc = c; bc < c + span_c; ++bc) each(br, bc);
  };
  // Per block: the summed loss (1 − ratio, 0 where sharper) of the cells
  // read over it, and how many there were.
  cv::Mat loss_sum = cv::Mat::zeros(std::max(1, cells.rows), std::max(1, cells.cols), CV_64FC1);
  cv::Mat over = cv::Mat::zeros(loss_sum.size(), CV_32SC1);
  for (int r = 0; r < rows && cells.rows > 0; ++r) {
    for (int c = 0; c < cols && cells.cols > 0; ++c) {
      Energies e;
      double area = 0;
      cell_blocks(r, c, [&](int br, int bc) {
        e.Add(cells, size_t(br) * cells.cols + bc);
        area += block_rect(br, bc).area();
      });
      const double plain = e.PlainDetail();
      if (e.edge_pixels < std::max(kMinEdgePixels, kMinEdgeShare * area) || plain <= 0) continue;
      const double ratio = std::sqrt(e.OutputDetail(cells.output_noise_share) / plain);
      cell_blocks(r, c, [&](int br, int bc) {
        loss_sum.at<double>(br, bc) += std::max(0.0, 1.0 - ratio);
        ++over.at<int>(br, bc);
      });
    }
  }
  // A block lost its detail when the cells over it did on average: inside a
  // soft part all of them, at its edge half of them straddle it (and read
  // about half its loss), just outside it half of them do.
  cv::Mat loss = cv::Mat::zeros(loss_sum.size(), CV_32FC1), lost = cv::Mat::zeros(loss_sum.size(), CV_8UC1);
  double read_area = 0;
  for (int br = 0; br < loss.rows; ++br) {
    for (int bc = 0; bc < loss.cols; ++bc) {
      const int n = over.at<int>(br, bc);
      // A block without edges of its own has no detail to lose, whatever
      // the cells over it read (the loss of a detailed neighbour spread into
      // a flat sky around it: a 20-px patch was named as a 96-px region).
      const double own = cells.edge_pixels[size_t(br) * cells.cols + bc];
      if (n == 0 || own < std::max(kMinEdgePixels / 4, kMinEdgeShare * block_rect(br, bc).area())) continue;
      const double mean = loss_sum.at<double>(br, bc) / n;
      loss.at<float>(br, bc) = static_cast<float>(mean);
      lost.at<uchar>(br, bc) = mean > 1.0 - kLostDetailRatio ? 255 : 0;
      read_area += block_rect(br, bc).area();
    }
  }
  if (with_map) {
    // Each block painted over its pixels, cut to the output.
    cv::resize(loss, out.loss_map, cv::Size(loss.cols * b, loss.rows * b), 0, 0, cv::INTER_NEAREST);
    out.loss_map = out.loss_map(frame & cv::Rect(cv::Point(0, 0), out.loss_map.size())).clone();
  }
  // At least kMinCells cells' worth of picture read (overlapping cells
  // count once: a single detailed block is under four cells of three
  // others).
  if (read_area < kMinCells * double(2 * b) * (2 * b)) return out;
  out.measured = true;
  cv::Mat labels;
  const int count = cv::connectedComponents(lost, labels, 8, CV_32S);
  std::vector<double> areas(count, 0.0);  // px
  for (int br = 0; br < labels.rows; ++br)
    for (int bc = 0; bc < labels.cols; ++bc) areas[labels.at<int>(br, bc)] += block_rect(br, bc).area();
  int best = 0;
  for (int label = 1; label < count; ++label)
    if (best == 0 || areas[label] > areas[best]) best = label;
  if (best == 0) return out;
  out.lost_area_pct = 100.0 * areas[best] / read_area;
  Energies region;
  for (int br = 0; br < labels.rows; ++br) {
    for (int bc = 0; bc < labels.cols; ++bc) {
      if (labels.at<int>(br, bc) != best) continue;
      out.lost_region |= block_rect(br, bc);
      region.Add(cells, size_t(br) * cells.cols + bc);
    }
  }
  const double plain = region.PlainDetail();
  out.lost_region_ratio = plain > 0 ? std::sqrt(region.OutputDetail(cells.output_noise_share) / plain) : 0.0;
  return out;
}

}  // namespace acuity

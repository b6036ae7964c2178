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

}  // namespace

LocalDetail MeasureLocalDetail(const EdgeCells& cells, cv::Size output_size, bool with_map) {
  LocalDetail out;
  const cv::Rect frame(cv::Point(0, 0), output_size);
  auto cell_rect = [&](int r, int c) {
    return cv::Rect(c * cells.cell_px, r * cells.cell_px, cells.cell_px, cells.cell_px) & frame;
  };
  cv::Mat loss = cv::Mat::zeros(std::max(1, cells.rows), std::max(1, cells.cols), CV_32FC1);
  cv::Mat lost = cv::Mat::zeros(loss.size(), CV_8UC1);
  int read = 0;
  double read_area = 0;
  for (int r = 0; r < cells.rows; ++r) {
    for (int c = 0; c < cells.cols; ++c) {
      const size_t i = size_t(r) * cells.cols + c;
      const double area = cell_rect(r, c).area();
      if (cells.edge_pixels[i] < std::max(kMinEdgePixels, kMinEdgeShare * area) || cells.energy_plain[i] <= 0) continue;
      const double ratio = std::sqrt(cells.energy_output[i] / cells.energy_plain[i]);
      ++read;
      read_area += area;
      loss.at<float>(r, c) = static_cast<float>(std::max(0.0, 1.0 - ratio));
      lost.at<uchar>(r, c) = ratio < kLostDetailRatio ? 255 : 0;
    }
  }
  if (with_map) {
    // Each cell painted over its pixels, cut to the output.
    cv::resize(loss, out.loss_map, cv::Size(loss.cols * cells.cell_px, loss.rows * cells.cell_px), 0, 0,
               cv::INTER_NEAREST);
    out.loss_map = out.loss_map(frame & cv::Rect(cv::Point(0, 0), out.loss_map.size())).clone();
  }
  if (read < kMinCells) return out;
  out.measured = true;
  cv::Mat labels;
  const int count = cv::connectedComponents(lost, labels, 8, CV_32S);
  // Each component's area (px), in one pass over the cells.
  std::vector<double> areas(count, 0.0);
  for (int r = 0; r < labels.rows; ++r) {
    for (int c = 0; c < labels.cols; ++c) areas[labels.at<int>(r, c)] += cell_rect(r, c).area();
  }
  int best = 0;
  for (int label = 1; label < count; ++label) {
    if (areas[label] > areas[best] || best == 0) best = label;
  }
  if (best == 0) return out;
  out.lost_area_pct = 100.0 * areas[best] / read_area;
  double energy_output = 0, energy_plain = 0;
  for (int r = 0; r < labels.rows; ++r) {
    for (int c = 0; c < labels.cols; ++c) {
      if (labels.at<int>(r, c) != best) continue;
      out.lost_region |= cell_rect(r, c);
      energy_output += cells.energy_output[size_t(r) * cells.cols + c];
      energy_plain += cells.energy_plain[size_t(r) * cells.cols + c];
    }
  }
  out.lost_region_ratio = std::sqrt(energy_output / energy_plain);
  return out;
}

}  // namespace acuity

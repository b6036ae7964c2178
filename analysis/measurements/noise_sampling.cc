#include "analysis/measurements/noise_sampling.h"

#include <algorithm>
#include <cmath>

namespace acuity {

std::vector<cv::Rect> SampleBlocks(cv::Size size, int block, double max_pixels, int align_px) {
  if (double(size.area()) <= max_pixels || size.width < block || size.height < block)
    return {cv::Rect(cv::Point(0, 0), size)};
  const double count = std::max(1.0, std::floor(max_pixels / (double(block) * block)));
  int across = std::clamp(int(std::lround(std::sqrt(count * size.width / size.height))), 1, size.width / block);
  const int down = std::clamp(int(std::lround(count / across)), 1, size.height / block);
  // A very wide (or tall) image: one row (column) of blocks, still about max_pixels.
  if (down == 1 && count < across) across = int(count);
  std::vector<cv::Rect> blocks;
  for (int j = 0; j < down; ++j) {
    int y = std::clamp(int((j + 0.5) * size.height / down - block / 2.0), 0, size.height - block);
    y -= y % align_px;
    for (int i = 0; i < across; ++i) {
      int x = std::clamp(int((i + 0.5) * size.width / across - block / 2.0), 0, size.width - block);
      x -= x % align_px;
      blocks.emplace_back(x, y, block, block);
    }
  }
  return blocks;
}

std::vector<cv::Rect> TileBlocks(cv::Size size, int block) {
  std::vector<cv::Rect> tiles;
  for (int y = 0; y < size.height; y += block)
    for (int x = 0; x < size.width; x += block)
      tiles.emplace_back(x, y, std::min(block, size.width - x), std::min(block, size.height - y));
  return tiles;
}

cv::Mat Mosaic(const cv::Mat& src, const std::vector<cv::Rect>& blocks) {
  if (blocks.size() == 1 && blocks[0] == cv::Rect(0, 0, src.cols, src.rows)) return src;
  const int block = blocks.front().width;
  const int per_row = int(std::ceil(std::sqrt(double(blocks.size()))));
  const int rows = int((blocks.size() + per_row - 1) / per_row);
  cv::Mat out = cv::Mat::zeros(rows * block, per_row * block, src.type());
  for (size_t i = 0; i < blocks.size(); ++i) {
    const cv::Rect dst(int(i % per_row) * block, int(i / per_row) * block, block, block);
    src(blocks[i]).copyTo(out(dst));
  }
  return out;
}

cv::Mat StackBlocks(const cv::Mat& src, const std::vector<cv::Rect>& blocks) {
  if (blocks.size() == 1 && blocks[0] == cv::Rect(0, 0, src.cols, src.rows)) return src;
  const int block = blocks.front().width;
  cv::Mat out(int(blocks.size()) * block, block, src.type());
  for (size_t i = 0; i < blocks.size(); ++i) src(blocks[i]).copyTo(out.rowRange(int(i) * block, int(i + 1) * block));
  return out;
}

void ParallelOver(int n, const std::function<void(const cv::Range&)>& body) {
  if (n == 1) body(cv::Range(0, 1));
  else if (n > 1) cv::parallel_for_(cv::Range(0, n), body);
}

}  // namespace acuity

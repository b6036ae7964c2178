#include "analysis/measurements/coded_blocks.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/core/utility.hpp>

namespace acuity {

// One pass over each row of blocks, its sums kept per block: the luma's
// sum, sum of squares and first moments about the block's centre (a whole
// square's constant, x and y terms are orthogonal, so the least-squares
// plane's residual follows from them), its range, and its codable pixels.
CodedBlocks ReadCodedBlocks(const cv::Mat& luma8, const cv::Mat& codable, const BlockGrid& grid) {
  CV_Assert(luma8.type() == CV_8U && codable.type() == CV_8U && codable.size() == luma8.size());
  CodedBlocks out{grid, cv::Mat::zeros(grid.rows, grid.cols, CV_8U), cv::Mat::zeros(grid.rows, grid.cols, CV_32F),
                  cv::Mat::zeros(grid.rows, grid.cols, CV_8U)};
  const int n = grid.px;
  const double centre = 0.5 * (n - 1);
  double moment = 0;  // Σ (x − centre)² over a whole square
  for (int i = 0; i < n; ++i) moment += n * (i - centre) * (i - centre);
  cv::parallel_for_(cv::Range(0, grid.rows), [&](const cv::Range& range) {
    struct Sums {
      double sum = 0, sum_sq = 0, sum_x = 0, sum_y = 0;
      int count = 0, codable = 0, lo = 255, hi = 0;
    };
    std::vector<Sums> sums(size_t(grid.cols));
    for (int row = range.start; row < range.end; ++row) {
      std::fill(sums.begin(), sums.end(), Sums{});
      const int top = std::max(0, row * n - grid.shift_y), bottom = std::min(luma8.rows, (row + 1) * n - grid.shift_y);
      for (int y = top; y < bottom; ++y) {
        const uchar* l = luma8.ptr<uchar>(y);
        const uchar* c = codable.ptr<uchar>(y);
        const double dy = (y + grid.shift_y) % n - centre;
        for (int x = 0; x < luma8.cols; ++x) {
          Sums& b = sums[size_t(grid.Col(x))];
          const double v = l[x];
          b.sum += v;
          b.sum_sq += v * v;
          b.sum_x += ((x + grid.shift_x) % n - centre) * v;
          b.sum_y += dy * v;
          b.count += 1;
          b.codable += c[x] != 0;
          b.lo = std::min<int>(b.lo, l[x]);
          b.hi = std::max<int>(b.hi, l[x]);
        }
      }
      for (int col = 0; col < grid.cols; ++col) {
        const Sums& b = sums[size_t(col)];
        if (b.count == 0) continue;
        out.mean_8bit.at<float>(row, col) = float(b.sum / b.count);
        out.range_8bit.at<uchar>(row, col) = uchar(b.hi - b.lo);
        if (b.count != n * n || b.codable != b.count || b.hi == b.lo) continue;
        const double residual =
            b.sum_sq - b.sum * b.sum / b.count - (b.sum_x * b.sum_x + b.sum_y * b.sum_y) / moment;
        if (std::sqrt(std::max(0.0, residual) / b.count) >= kTextureMinResidualRms8bit)
          out.texture.at<uchar>(row, col) = 255;
      }
    }
  });
  return out;
}

cv::Mat RingingBlockMask(const cv::Mat& strong, const BlockGrid& grid) {
  CV_Assert(strong.type() == CV_8U);
  cv::Mat crossed = cv::Mat::zeros(grid.rows, grid.cols, CV_8U);  // one flag per block, in one pass over the rows
  for (int y = 0; y < strong.rows; ++y) {
    const uchar* s = strong.ptr<uchar>(y);
    uchar* flags = crossed.ptr<uchar>(grid.Row(y));
    for (int x = 0; x < strong.cols; ++x) flags[grid.Col(x)] |= s[x];
  }
  cv::Mat blocks = crossed != 0;
  return BlocksToPixels(blocks, grid, strong.size());
}

cv::Mat BlocksToPixels(const cv::Mat& per_block, const BlockGrid& grid, cv::Size size) {
  CV_Assert(per_block.type() == CV_8U && per_block.rows == grid.rows && per_block.cols == grid.cols);
  cv::Mat out(size, CV_8U);
  for (int y = 0; y < size.height; ++y) {
    const uchar* b = per_block.ptr<uchar>(grid.Row(y));
    uchar* o = out.ptr<uchar>(y);
    for (int x = 0; x < size.width; ++x) o[x] = b[grid.Col(x)];
  }
  return out;
}

}  // namespace acuity

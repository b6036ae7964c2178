#include "analysis/measurements/drawn_fills.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include <opencv2/imgproc.hpp>

namespace acuity {

cv::Mat DrawnFillMask(const cv::Mat& luma8, const cv::Mat& flat, const cv::Mat& codable, const CodedBlocks* blocks) {
  CV_Assert(luma8.type() == CV_8U && flat.type() == CV_8U && luma8.size() == flat.size());
  CV_Assert(codable.empty() || (codable.type() == CV_8U && codable.size() == flat.size()));
  cv::Mat fills = cv::Mat::zeros(flat.size(), CV_8U);
  cv::Mat labels, stats, centroids;
  const int count = cv::connectedComponentsWithStats(flat, labels, stats, centroids, 8, CV_32S);
  if (count <= 1) return fills;
  auto area = [&](int label) { return stats.at<int>(label, cv::CC_STAT_AREA); };
  // Per area: its outline pixels, and those of its pixels with a flat pixel
  // of another area of at least kGradationMinNeighbourPx a gradation step
  // away along its row or column (each pixel read once, from its own side).
  std::vector<int64_t> outline(size_t(count), 0), touching(size_t(count), 0);
  const int rows = flat.rows, cols = flat.cols, d = kGradationStepPx;
  // A coded block of texture around the area's own level, whose pixel
  // (y1, x1) is: the area runs on into the photo's texture.
  auto runs_into_texture = [&](int y0, int x0, int y1, int x1) {
    const int row = blocks->grid.Row(y1), col = blocks->grid.Col(x1);
    return blocks->texture.at<uchar>(row, col) != 0 &&
           blocks->range_8bit.at<uchar>(row, col) <= kRunOnMaxRange8bit &&
           std::abs(blocks->mean_8bit.at<float>(row, col) - float(luma8.at<uchar>(y0, x0))) <= kGradationMaxStep8bit;
  };
  auto steps_to = [&](int y0, int x0, int y1, int x1) {
    if (y1 < 0 || y1 >= rows || x1 < 0 || x1 >= cols) return false;
    const int b = labels.at<int>(y1, x1);
    if (b == 0 && blocks) return runs_into_texture(y0, x0, y1, x1);
    if (b == 0 || area(b) < kGradationMinNeighbourPx || (!codable.empty() && !codable.at<uchar>(y1, x1))) return false;
    const int diff = std::abs(int(luma8.at<uchar>(y0, x0)) - int(luma8.at<uchar>(y1, x1)));
    return diff >= 1 && diff <= kGradationMaxStep8bit;
  };
  for (int y = 0; y < rows; ++y) {
    const int* l = labels.ptr<int>(y);
    const int* l_up = y >= d ? labels.ptr<int>(y - d) : nullptr;
    const int* l_down = y + d < rows ? labels.ptr<int>(y + d) : nullptr;
    const uchar* f = flat.ptr<uchar>(y);
    const uchar* up = y > 0 ? flat.ptr<uchar>(y - 1) : nullptr;
    const uchar* down = y + 1 < rows ? flat.ptr<uchar>(y + 1) : nullptr;
    const uchar* c = codable.empty() ? nullptr : codable.ptr<uchar>(y);
    for (int x = 0; x < cols; ++x) {
      const int k = l[x];
      if (k == 0 || area(k) < kMinFillPx) continue;  // (a smaller area is no fill whatever it touches)
      outline[size_t(k)] += (x > 0 && !f[x - 1]) || (x + 1 < cols && !f[x + 1]) || (up && !up[x]) || (down && !down[x]);
      if (c && !c[x]) continue;
      // (Inside the area on all four sides, as most of a large fill is:
      // nothing to step to.)
      if (x >= d && x + d < cols && l_up && l_down && l[x - d] == k && l[x + d] == k && l_up[x] == k && l_down[x] == k)
        continue;
      touching[size_t(k)] +=
          steps_to(y, x, y, x - d) || steps_to(y, x, y, x + d) || steps_to(y, x, y - d, x) || steps_to(y, x, y + d, x);
    }
  }
  std::vector<uchar> keep(size_t(count), 0);
  for (int k = 1; k < count; ++k) {
    const double edge = double(std::max<int64_t>(1, outline[size_t(k)]));
    keep[size_t(k)] = area(k) >= kMinFillPx && double(touching[size_t(k)]) < kGradationOutlineShare * edge ? 255 : 0;
  }
  for (int y = 0; y < rows; ++y) {
    const int* l = labels.ptr<int>(y);
    uchar* o = fills.ptr<uchar>(y);
    for (int x = 0; x < cols; ++x) o[x] = keep[size_t(l[x])];
  }
  return fills;
}

}  // namespace acuity

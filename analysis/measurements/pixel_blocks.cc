#include "analysis/measurements/pixel_blocks.h"

#include <cstring>
#include <numeric>
#include <vector>

namespace acuity {
namespace {

constexpr int kMaxSidePx = 64;

// [x] true when column x (x ≥ 1) equals column x − 1 exactly in every row.
std::vector<bool> EqualColumns(const cv::Mat& pixels) {
  const size_t px_bytes = pixels.elemSize();
  std::vector<bool> equal(size_t(pixels.cols), pixels.cols > 0);
  if (!equal.empty()) equal[0] = false;
  for (int y = 0; y < pixels.rows; ++y) {
    const uchar* row = pixels.ptr<uchar>(y);
    for (int x = 1; x < pixels.cols; ++x)
      if (equal[size_t(x)] && std::memcmp(row + size_t(x) * px_bytes, row + size_t(x - 1) * px_bytes, px_bytes) != 0)
        equal[size_t(x)] = false;
  }
  return equal;
}

// The side every interior run of equal columns is a multiple of (a flat
// margin or band of the art spans several squares), when at least
// kMinRuns interior runs, half of them that side exactly, give one of at
// least 2; else 0. The first and last run may be cut.
constexpr size_t kMinRuns = 4;

int RunSide(const std::vector<bool>& equal) {
  std::vector<int> runs;
  int run = 1;
  for (size_t x = 1; x < equal.size(); ++x) {
    if (equal[x]) {
      ++run;
    } else {
      runs.push_back(run);
      run = 1;
    }
  }
  runs.push_back(run);
  if (runs.size() < kMinRuns + 2) return 0;  // too few squares to tell
  int side = 0;
  for (size_t i = 1; i + 1 < runs.size(); ++i) side = std::gcd(side, runs[i]);
  if (side < 2 || side > kMaxSidePx) return 0;
  size_t exact = 0;
  for (size_t i = 1; i + 1 < runs.size(); ++i) exact += runs[i] == side;
  return 2 * exact >= runs.size() - 2 ? side : 0;
}

}  // namespace

std::optional<int> PixelBlockSide(const cv::Mat& pixels) {
  if (pixels.empty()) return std::nullopt;
  const int across = RunSide(EqualColumns(pixels));
  if (across == 0) return std::nullopt;
  const int down = RunSide(EqualColumns(pixels.t()));
  if (down != across) return std::nullopt;
  return across;
}

}  // namespace acuity

#include "analysis/measurements/visible_part.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "analysis/measurements/image_ops.h"

namespace acuity {

cv::Mat HiddenMask(const cv::Mat& pixels) {
  if (pixels.channels() != 4 || pixels.empty()) return cv::Mat();
  cv::Mat alpha;
  cv::extractChannel(pixels, alpha, 3);
  const cv::Mat hidden = alpha < kHiddenAlphaShare * WhiteLevel(pixels);
  return cv::countNonZero(hidden) > 0 ? hidden : cv::Mat();
}

namespace {

// Pull-push fill by `premultiplied` (CV_32FC3: each cell's shown colour
// times its `weight`) and `weight` (CV_32F: the share of each cell that
// shows, 0–1), where the weight is under 1. Pull: each level halves the
// last by area; push: from the coarsest level down, each level's own colour
// blended by its coverage with the coarser level's fill enlarged. Cells
// that show whole come back as they were; the fill is smooth and meets them
// without a step. Written in place, level by level (a 12 MP picture's
// half level is 36 MB a plane of three floats).
cv::Mat PullPush(const cv::Mat& premultiplied, const cv::Mat& weight) {
  std::vector<cv::Mat> sums{premultiplied}, weights{weight};
  while (std::max(weights.back().rows, weights.back().cols) > 1) {
    double lowest = 0;
    cv::minMaxLoc(weights.back(), &lowest);
    if (lowest > 0) break;  // every cell of this level holds some shown colour
    const cv::Size half((weights.back().cols + 1) / 2, (weights.back().rows + 1) / 2);
    cv::Mat p, w;
    cv::resize(sums.back(), p, half, 0, 0, cv::INTER_AREA);
    cv::resize(weights.back(), w, half, 0, 0, cv::INTER_AREA);
    sums.push_back(p);
    weights.push_back(w);
  }
  cv::Mat filled;  // the colour of the current level, from the top down
  for (int k = int(weights.size()) - 1; k >= 0; --k) {
    // The top level has nothing coarser: its own colour, whatever its coverage.
    const bool top = filled.empty();
    cv::Mat next;
    if (top) next = cv::Mat::zeros(weights[size_t(k)].size(), CV_32FC3);
    else cv::resize(filled, next, weights[size_t(k)].size(), 0, 0, cv::INTER_LINEAR);
    const cv::Mat& p = sums[size_t(k)];
    const cv::Mat& w = weights[size_t(k)];
    cv::parallel_for_(cv::Range(0, next.rows), [&](const cv::Range& range) {
      for (int y = range.start; y < range.end; ++y) {
        const cv::Vec3f* own = p.ptr<cv::Vec3f>(y);
        const float* share = w.ptr<float>(y);
        cv::Vec3f* out = next.ptr<cv::Vec3f>(y);
        for (int x = 0; x < next.cols; ++x) {
          if (share[x] <= 0) continue;
          const float covered = top ? 1.0f : std::min(share[x], 1.0f);
          out[x] = own[x] * (covered / share[x]) + out[x] * (1.0f - covered);
        }
      }
    });
    filled = next;
  }
  return filled;
}

// Level 1 of the pull-push, straight from the stored pixels (no full-size
// float copy: a 12 MP picture would need several of 144 MB): each cell of
// 2×2 pixels gets the sum of its shown pixels' colours over its pixels
// (`premultiplied`, CV_32FC3) and the share of them that show (`weight`,
// CV_32F).
template <typename T>
void HalfLevel(const cv::Mat& pixels, const cv::Mat& hidden, cv::Mat& premultiplied, cv::Mat& weight) {
  const cv::Size half((pixels.cols + 1) / 2, (pixels.rows + 1) / 2);
  premultiplied.create(half, CV_32FC3);
  weight.create(half, CV_32F);
  cv::parallel_for_(cv::Range(0, half.height), [&](const cv::Range& range) {
    for (int y = range.start; y < range.end; ++y) {
      cv::Vec3f* c = premultiplied.ptr<cv::Vec3f>(y);
      float* w = weight.ptr<float>(y);
      for (int x = 0; x < half.width; ++x) {
        cv::Vec3f sum(0, 0, 0);
        int shown = 0, cells = 0;
        for (int yy = 2 * y; yy < std::min(2 * y + 2, pixels.rows); ++yy)
          for (int xx = 2 * x; xx < std::min(2 * x + 2, pixels.cols); ++xx) {
            ++cells;
            if (hidden.ptr<uchar>(yy)[xx]) continue;
            const T* p = pixels.ptr<T>(yy) + 4 * xx;
            sum += cv::Vec3f(float(p[0]), float(p[1]), float(p[2]));
            ++shown;
          }
        c[x] = sum / float(cells);
        w[x] = float(shown) / float(cells);
      }
    }
  });
}

// Writes `fill` (BGR, the pixels' depth and size) into the colour of the
// hidden pixels of `out` (BGRA).
template <typename T>
void CopyUnder(const cv::Mat& fill, const cv::Mat& hidden, cv::Mat& out) {
  cv::parallel_for_(cv::Range(0, out.rows), [&](const cv::Range& range) {
    for (int y = range.start; y < range.end; ++y) {
      const uchar* h = hidden.ptr<uchar>(y);
      const T* f = fill.ptr<T>(y);
      T* o = out.ptr<T>(y);
      for (int x = 0; x < out.cols; ++x)
        if (h[x]) o[4 * x] = f[3 * x], o[4 * x + 1] = f[3 * x + 1], o[4 * x + 2] = f[3 * x + 2];
    }
  });
}

// The smooth fill (BGR, the pixels' depth and size) of 8/16-bit BGRA
// `pixels` where `hidden`, some pixels showing.
cv::Mat SmoothFill(const cv::Mat& pixels, const cv::Mat& hidden) {
  cv::Mat premultiplied, weight;
  if (pixels.depth() == CV_16U) HalfLevel<uint16_t>(pixels, hidden, premultiplied, weight);
  else HalfLevel<uint8_t>(pixels, hidden, premultiplied, weight);
  // The fill at half size, enlarged (bilinear), smoothed by
  // kFillSmoothingPx and only then rounded to the pixels' depth: a bilinear
  // 2× enlargement alone, or one of a fill rounded at half size, keeps the
  // period-2 trace that native_scale.h reads as an earlier upscale (cut-outs
  // read 'interpolated, 0.83–0.90'). It costs a float copy of the picture's
  // colour (144 MB at 12 MP) while it is made.
  constexpr double kFillSmoothingPx = 1.5;
  cv::Mat half_fill = PullPush(premultiplied, weight), fill;
  premultiplied.release();
  weight.release();
  cv::resize(half_fill, fill, pixels.size(), 0, 0, cv::INTER_LINEAR);
  half_fill.release();
  cv::GaussianBlur(fill, fill, cv::Size(), kFillSmoothingPx, kFillSmoothingPx, cv::BORDER_REFLECT);
  fill.convertTo(fill, pixels.depth());
  return fill;
}

}  // namespace

cv::Mat FillUnderTransparency(const cv::Mat& pixels) {
  const cv::Mat hidden = HiddenMask(pixels);
  if (hidden.empty()) return pixels;
  const bool deep = pixels.depth() == CV_16U;
  const bool some_shown = cv::countNonZero(hidden) < int(pixels.total());
  const cv::Mat fill = some_shown ? SmoothFill(pixels, hidden)
                                  : cv::Mat(cv::Mat::zeros(pixels.size(), CV_MAKETYPE(pixels.depth(), 3)));  // nothing shows: black
  cv::Mat out = pixels.clone();
  if (deep) CopyUnder<uint16_t>(fill, hidden, out);
  else CopyUnder<uint8_t>(fill, hidden, out);
  return out;
}

}  // namespace acuity

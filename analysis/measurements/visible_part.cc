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

// The fill is made at full size in bands of this many rows (with
// kBandContextRows more on each side for the smoothing to read), so that a
// float copy of the whole picture's colour (144 MB at 12 MP) is never held.
constexpr int kBandRows = 256;
// The smoothing after the enlargement (see WriteSmoothFill).
constexpr double kFillSmoothingPx = 1.5;
// Rows of context: OpenCV's float Gaussian of σ 1.5 px reaches 6 px.
constexpr int kBandContextRows = 8;
constexpr int kMaxBandsAtOnce = 4;

// Bilinear sampling positions of an enlargement from `from` to `to` px, as
// cv::resize's INTER_LINEAR places them: output x reads input x0 and x0 + 1
// (clamped) with weights 1 − f and f.
struct LinearTaps {
  std::vector<int> x0, x1;
  std::vector<float> f;
  LinearTaps(int from, int to) : x0(size_t(to)), x1(size_t(to)), f(size_t(to)) {
    const double scale = 1.0 / (double(to) / from);  // as cv::resize computes it
    for (int x = 0; x < to; ++x) {
      const float s = float((x + 0.5) * scale - 0.5);  // in float, as cv::resize rounds it
      int i = cvFloor(s);
      float w = s - float(i);
      if (i < 0) i = 0, w = 0;
      if (i >= from - 1) i = from - 1, w = 0;
      x0[size_t(x)] = i, x1[size_t(x)] = std::min(i + 1, from - 1), f[size_t(x)] = w;
    }
  }
};

// Rows [y0, y1) of `half` (CV_32FC3) enlarged bilinearly to `columns` ×
// `rows` px (as cv::resize INTER_LINEAR would enlarge the whole of it).
cv::Mat EnlargedRows(const cv::Mat& half, const LinearTaps& across, const LinearTaps& down, int y0, int y1) {
  cv::Mat out(y1 - y0, int(across.x0.size()), CV_32FC3);
  for (int y = y0; y < y1; ++y) {
    const cv::Vec3f* a = half.ptr<cv::Vec3f>(down.x0[size_t(y)]);
    const cv::Vec3f* b = half.ptr<cv::Vec3f>(down.x1[size_t(y)]);
    const float fy = down.f[size_t(y)];
    cv::Vec3f* o = out.ptr<cv::Vec3f>(y - y0);
    for (int x = 0; x < out.cols; ++x) {
      const int i = across.x0[size_t(x)], j = across.x1[size_t(x)];
      const float fx = across.f[size_t(x)];
      const cv::Vec3f top = a[i] * (1 - fx) + a[j] * fx, bottom = b[i] * (1 - fx) + b[j] * fx;
      o[x] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}

// Writes the smooth fill of 8/16-bit BGRA `pixels` (`half_fill`, its
// pull-push at half size) into the colour of the hidden pixels of `out`:
// enlarged (bilinear), smoothed by kFillSmoothingPx and only then rounded to
// the pixels' depth. A bilinear 2× enlargement alone, or one of a fill
// rounded at half size, keeps the period-2 trace that native_scale.h reads
// as an earlier upscale (cut-outs read 'interpolated, 0.83–0.90'). Band by
// band; a band with no hidden pixel is skipped.
template <typename T>
void WriteSmoothFill(const cv::Mat& half_fill, const cv::Mat& hidden, cv::Mat& out) {
  const LinearTaps across(half_fill.cols, out.cols), down(half_fill.rows, out.rows);
  const int bands = (out.rows + kBandRows - 1) / kBandRows;
  // At most kMaxBandsAtOnce bands in flight (each holds its float colour
  // and the smoothing's copy, 25 MB for a 4000-px-wide picture), however
  // many threads OpenCV has: split into that many stripes of bands.
  cv::parallel_for_(cv::Range(0, bands), [&](const cv::Range& range) {
    for (int band = range.start; band < range.end; ++band) {
      const int y0 = band * kBandRows, y1 = std::min(out.rows, y0 + kBandRows);
      if (cv::countNonZero(hidden.rowRange(y0, y1)) == 0) continue;
      // The smoothing reflects at the picture's top and bottom, as it would on
      // the whole picture; inside it, the context rows stand in for the rest.
      const int c0 = std::max(0, y0 - kBandContextRows), c1 = std::min(out.rows, y1 + kBandContextRows);
      cv::Mat fill = EnlargedRows(half_fill, across, down, c0, c1);
      cv::GaussianBlur(fill, fill, cv::Size(), kFillSmoothingPx, kFillSmoothingPx, cv::BORDER_REFLECT);
      for (int y = y0; y < y1; ++y) {
        const uchar* h = hidden.ptr<uchar>(y);
        const cv::Vec3f* f = fill.ptr<cv::Vec3f>(y - c0);
        T* o = out.ptr<T>(y);
        for (int x = 0; x < out.cols; ++x)
          if (h[x])
            for (int c = 0; c < 3; ++c) o[4 * x + c] = cv::saturate_cast<T>(f[x][c]);
      }
    }
  }, std::min(bands, kMaxBandsAtOnce));
}

// Writes the smooth fill of 8/16-bit BGRA `pixels` under its `hidden`
// pixels in `out` (a copy of `pixels`), some pixels showing.
void SmoothFill(const cv::Mat& pixels, const cv::Mat& hidden, cv::Mat& out) {
  cv::Mat premultiplied, weight;
  if (pixels.depth() == CV_16U) HalfLevel<uint16_t>(pixels, hidden, premultiplied, weight);
  else HalfLevel<uint8_t>(pixels, hidden, premultiplied, weight);
  const cv::Mat half_fill = PullPush(premultiplied, weight);
  premultiplied.release();
  weight.release();
  if (pixels.depth() == CV_16U) WriteSmoothFill<uint16_t>(half_fill, hidden, out);
  else WriteSmoothFill<uint8_t>(half_fill, hidden, out);
}

}  // namespace

namespace {

// `bgra` (8/16-bit BGRA) with its colour under `mask` (non-empty) filled.
cv::Mat FillBgra(const cv::Mat& bgra, const cv::Mat& mask) {
  cv::Mat out = bgra.clone();
  if (cv::countNonZero(mask) < int(bgra.total())) {
    SmoothFill(bgra, mask, out);
  } else {  // nothing is kept: black
    const int to[] = {0, 0, 0, 1, 0, 2};
    const cv::Mat black = cv::Mat::zeros(bgra.size(), CV_MAKETYPE(bgra.depth(), 1));
    cv::mixChannels(&black, 1, &out, 1, to, 3);
  }
  return out;
}

}  // namespace

cv::Mat FillUnderTransparency(const cv::Mat& pixels) {
  const cv::Mat hidden = HiddenMask(pixels);
  if (hidden.empty()) return pixels;
  return FillBgra(pixels, hidden);
}

cv::Mat FillSmoothlyWhere(const cv::Mat& pixels, const cv::Mat& mask) {
  if (pixels.empty() || mask.empty() || cv::countNonZero(mask) == 0) return pixels;
  if (pixels.channels() == 4) return FillBgra(pixels, mask);
  cv::Mat bgra, out;
  cv::cvtColor(pixels, bgra, pixels.channels() == 1 ? cv::COLOR_GRAY2BGRA : cv::COLOR_BGR2BGRA);
  cv::cvtColor(FillBgra(bgra, mask), out, pixels.channels() == 1 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGRA2BGR);
  if (pixels.channels() == 1) pixels.copyTo(out, mask == 0);  // the gray kept exactly (no round trip)
  return out;
}

}  // namespace acuity

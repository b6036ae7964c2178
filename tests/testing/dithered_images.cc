#include "tests/testing/dithered_images.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <opencv2/imgproc.hpp>

namespace acuity::testing {
namespace {

struct Tap {
  int dx, dy;
  double weight;
};

std::vector<Tap> Taps(Diffusion kernel) {
  switch (kernel) {
    case Diffusion::kFloydSteinberg:
      return {{1, 0, 7 / 16.}, {-1, 1, 3 / 16.}, {0, 1, 5 / 16.}, {1, 1, 1 / 16.}};
    case Diffusion::kAtkinson:  // passes on 6/8 of the error
      return {{1, 0, 1 / 8.}, {2, 0, 1 / 8.}, {-1, 1, 1 / 8.}, {0, 1, 1 / 8.}, {1, 1, 1 / 8.}, {0, 2, 1 / 8.}};
    case Diffusion::kJarvis:
      return {{1, 0, 7 / 48.},  {2, 0, 5 / 48.},  {-2, 1, 3 / 48.}, {-1, 1, 5 / 48.},
              {0, 1, 7 / 48.},  {1, 1, 5 / 48.},  {2, 1, 3 / 48.},  {-2, 2, 1 / 48.},
              {-1, 2, 3 / 48.}, {0, 2, 5 / 48.},  {1, 2, 3 / 48.},  {2, 2, 1 / 48.}};
    case Diffusion::kStucki:
      return {{1, 0, 8 / 42.},  {2, 0, 4 / 42.},  {-2, 1, 2 / 42.}, {-1, 1, 4 / 42.},
              {0, 1, 8 / 42.},  {1, 1, 4 / 42.},  {2, 1, 2 / 42.},  {-2, 2, 1 / 42.},
              {-1, 2, 2 / 42.}, {0, 2, 4 / 42.},  {1, 2, 2 / 42.},  {2, 2, 1 / 42.}};
    case Diffusion::kSierra:
      return {{1, 0, 5 / 32.},  {2, 0, 3 / 32.}, {-2, 1, 2 / 32.}, {-1, 1, 4 / 32.}, {0, 1, 5 / 32.},
              {1, 1, 4 / 32.},  {2, 1, 2 / 32.}, {-1, 2, 2 / 32.}, {0, 2, 3 / 32.},  {1, 2, 2 / 32.}};
  }
  return {};
}

int Nearest(const std::vector<cv::Vec3b>& palette, double b, double g, double r) {
  int best = 0;
  double best_d = std::numeric_limits<double>::max();
  for (size_t i = 0; i < palette.size(); ++i) {
    const double db = b - palette[i][0], dg = g - palette[i][1], dr = r - palette[i][2];
    const double d = db * db + dg * dg + dr * dr;
    if (d < best_d) best_d = d, best = int(i);
  }
  return best;
}

}  // namespace

const char* DiffusionName(Diffusion kernel) {
  switch (kernel) {
    case Diffusion::kFloydSteinberg: return "floyd-steinberg";
    case Diffusion::kAtkinson: return "atkinson";
    case Diffusion::kJarvis: return "jarvis";
    case Diffusion::kStucki: return "stucki";
    case Diffusion::kSierra: return "sierra";
  }
  return "";
}

cv::Mat CentreCrop(const cv::Mat& pixels, int side_px) {
  return pixels(cv::Rect((pixels.cols - side_px) / 2, (pixels.rows - side_px) / 2, side_px, side_px)).clone();
}

std::vector<cv::Vec3b> MedianCutPalette(const cv::Mat& bgr8, int colours) {
  std::vector<cv::Vec3b> all(bgr8.begin<cv::Vec3b>(), bgr8.end<cv::Vec3b>());
  std::vector<std::pair<size_t, size_t>> boxes = {{0, all.size()}};  // [begin, end) of `all`
  auto widest = [&](std::pair<size_t, size_t> box, int* channel) {
    int best = 0;
    for (int c = 0; c < 3; ++c) {
      uchar lo = 255, hi = 0;
      for (size_t i = box.first; i < box.second; ++i) lo = std::min(lo, all[i][c]), hi = std::max(hi, all[i][c]);
      if (hi - lo > best) best = hi - lo, *channel = c;
    }
    return best;
  };
  while (int(boxes.size()) < colours) {
    int pick = -1, range = 0, channel = 0;
    for (size_t b = 0; b < boxes.size(); ++b) {
      int c = 0;
      const int w = widest(boxes[b], &c);
      if (w > range && boxes[b].second - boxes[b].first > 1) range = w, pick = int(b), channel = c;
    }
    if (pick < 0) break;
    auto [begin, end] = boxes[size_t(pick)];
    const size_t mid = begin + (end - begin) / 2;
    std::nth_element(all.begin() + long(begin), all.begin() + long(mid), all.begin() + long(end),
                     [channel](const cv::Vec3b& a, const cv::Vec3b& b) { return a[channel] < b[channel]; });
    boxes[size_t(pick)] = {begin, mid};
    boxes.push_back({mid, end});
  }
  std::vector<cv::Vec3b> palette;
  for (auto [begin, end] : boxes) {
    std::array<double, 3> sum{};
    for (size_t i = begin; i < end; ++i)
      for (int c = 0; c < 3; ++c) sum[size_t(c)] += all[i][c];
    const double n = double(end - begin);
    palette.emplace_back(cv::saturate_cast<uchar>(sum[0] / n), cv::saturate_cast<uchar>(sum[1] / n),
                         cv::saturate_cast<uchar>(sum[2] / n));
  }
  return palette;
}

cv::Mat Posterize(const cv::Mat& bgr8, const std::vector<cv::Vec3b>& palette) {
  cv::Mat out(bgr8.size(), CV_8UC3);
  for (int y = 0; y < bgr8.rows; ++y)
    for (int x = 0; x < bgr8.cols; ++x) {
      const cv::Vec3b p = bgr8.at<cv::Vec3b>(y, x);
      out.at<cv::Vec3b>(y, x) = palette[size_t(Nearest(palette, p[0], p[1], p[2]))];
    }
  return out;
}

cv::Mat ErrorDiffuse(const cv::Mat& bgr8, const std::vector<cv::Vec3b>& palette, Diffusion kernel) {
  cv::Mat work;
  bgr8.convertTo(work, CV_64FC3);
  cv::Mat out(bgr8.size(), CV_8UC3);
  const std::vector<Tap> taps = Taps(kernel);
  for (int y = 0; y < work.rows; ++y) {
    const bool reverse = y % 2 == 1;
    for (int i = 0; i < work.cols; ++i) {
      const int x = reverse ? work.cols - 1 - i : i;
      const cv::Vec3d p = work.at<cv::Vec3d>(y, x);
      const cv::Vec3b q = palette[size_t(Nearest(palette, p[0], p[1], p[2]))];
      out.at<cv::Vec3b>(y, x) = q;
      const cv::Vec3d error = p - cv::Vec3d(q[0], q[1], q[2]);
      for (const Tap& t : taps) {
        const int xx = x + (reverse ? -t.dx : t.dx), yy = y + t.dy;
        if (xx >= 0 && xx < work.cols && yy < work.rows) work.at<cv::Vec3d>(yy, xx) += error * t.weight;
      }
    }
  }
  return out;
}

cv::Mat OrderedDither(const cv::Mat& bgr8, int levels, int matrix_px) {
  // The Bayer matrix of side n from that of n/2: M(2n) = [4M, 4M+2; 4M+3, 4M+1].
  std::vector<int> m = {0};
  for (int n = 1; n < matrix_px; n *= 2) {
    std::vector<int> next(size_t(4 * n * n));
    for (int y = 0; y < n; ++y)
      for (int x = 0; x < n; ++x) {
        const int v = 4 * m[size_t(y * n + x)];
        next[size_t(y * 2 * n + x)] = v;
        next[size_t(y * 2 * n + x + n)] = v + 2;
        next[size_t((y + n) * 2 * n + x)] = v + 3;
        next[size_t((y + n) * 2 * n + x + n)] = v + 1;
      }
    m = next;
  }
  const double cells = double(matrix_px * matrix_px), step = 255.0 / (levels - 1);
  cv::Mat out(bgr8.size(), CV_8UC3);
  for (int y = 0; y < bgr8.rows; ++y)
    for (int x = 0; x < bgr8.cols; ++x) {
      const double threshold = (m[size_t((y % matrix_px) * matrix_px + x % matrix_px)] + 0.5) / cells;
      for (int c = 0; c < 3; ++c) {
        const double v = bgr8.at<cv::Vec3b>(y, x)[c] / step;
        const double level = std::floor(v) + (v - std::floor(v) > threshold ? 1 : 0);
        out.at<cv::Vec3b>(y, x)[c] = cv::saturate_cast<uchar>(std::min(level, double(levels - 1)) * step);
      }
    }
  return out;
}

cv::Mat PixelArt(int cols, int rows, int colours, int block_px, int enlarge, uint64_t seed) {
  cv::RNG rng(seed);
  std::vector<cv::Vec3b> palette;
  for (int i = 0; i < colours; ++i) palette.emplace_back(uchar(rng.uniform(0, 256)), uchar(rng.uniform(0, 256)),
                                                           uchar(rng.uniform(0, 256)));
  cv::Mat blocks(rows, cols, CV_8UC3);
  for (int y = 0; y < rows; ++y)
    for (int x = 0; x < cols; ++x) blocks.at<cv::Vec3b>(y, x) = palette[size_t(rng.uniform(0, colours))];
  cv::Mat art;
  cv::resize(blocks, art, cv::Size(), block_px * enlarge, block_px * enlarge, cv::INTER_NEAREST);
  return art;
}

cv::Mat Halftone(const cv::Mat& bgr8, double period_px, double angle_deg, double scan_blur_px) {
  cv::Mat gray, tone;
  cv::cvtColor(bgr8, gray, cv::COLOR_BGR2GRAY);
  gray.convertTo(tone, CV_32F, 1.0 / 255.0);
  cv::GaussianBlur(tone, tone, cv::Size(), period_px / 3.0);
  const double t = angle_deg * CV_PI / 180.0, f = 2.0 * CV_PI / period_px;
  cv::Mat print(tone.size(), CV_32F);
  for (int y = 0; y < tone.rows; ++y)
    for (int x = 0; x < tone.cols; ++x) {
      const double u = x * std::cos(t) + y * std::sin(t), v = -x * std::sin(t) + y * std::cos(t);
      const double spot = (std::cos(f * u) + std::cos(f * v)) / 4.0 + 0.5;  // 0–1: the dot grows from its centre
      print.at<float>(y, x) = spot > tone.at<float>(y, x) ? 0.f : 255.f;
    }
  if (scan_blur_px > 0) cv::GaussianBlur(print, print, cv::Size(), scan_blur_px);
  cv::Mat out8, out;
  print.convertTo(out8, CV_8U);
  cv::cvtColor(out8, out, cv::COLOR_GRAY2BGR);
  return out;
}

}  // namespace acuity::testing

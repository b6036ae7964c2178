#include "analysis/measurements/picture_frame.h"

#include <algorithm>

#include <opencv2/core.hpp>

#include "analysis/measurements/image_ops.h"

namespace acuity {
namespace {

constexpr double kFrameTolerance8bit = 2.0;  // a frame: its colour, or its steps, within this (8-bit levels; JPEG rounding)

// The largest step, in any channel, between neighbouring pixels along
// `line` (a row or a column) and from each pixel to its neighbour in
// `previous` (the line beside it nearer the edge; empty: none), in 8-bit
// levels.
double LargestStep8bit(const cv::Mat& line, const cv::Mat& previous) {
  cv::Mat l, diff;
  line.convertTo(l, CV_32F, 255.0 / WhiteLevel(line));
  l = l.reshape(1, 1);  // every channel of every pixel in a row (a clone: continuous)
  const int n = int(l.total()), channels = line.channels();
  double largest = 0;
  if (n > channels) {
    cv::absdiff(l.colRange(0, n - channels), l.colRange(channels, n), diff);
    cv::minMaxLoc(diff, nullptr, &largest);
  }
  if (!previous.empty()) {
    cv::Mat p;
    previous.convertTo(p, CV_32F, 255.0 / WhiteLevel(previous));
    cv::absdiff(l, p.reshape(1, 1), diff);
    double across = 0;
    cv::minMaxLoc(diff, nullptr, &across);
    largest = std::max(largest, across);
  }
  return largest;
}

// Every pixel of the row (or column) `line` within kFrameTolerance8bit
// levels of `colour` in each channel (the pixels' own depth).
bool Uniform(const cv::Mat& line, const cv::Scalar& colour) {
  const double tolerance = kFrameTolerance8bit * WhiteLevel(line) / 255.0;
  cv::Scalar low = colour, high = colour;
  for (int c = 0; c < 4; ++c) low[c] -= tolerance, high[c] += tolerance;
  cv::Mat inside;
  cv::inRange(line, low, high, inside);
  return cv::countNonZero(inside) == int(line.total());
}

}  // namespace

cv::Rect PictureInsideFrame(const cv::Mat& pixels, bool gradients) {
  const cv::Scalar corner = cv::mean(pixels(cv::Rect(0, 0, 1, 1)));  // one pixel: its value in every channel
  int top = 0, bottom = pixels.rows, left = 0, right = pixels.cols;
  // Trims lines from one edge while they are frame; `line(i)` is the i-th.
  auto trim = [&](int& from, int to, int step, const auto& line) {
    cv::Mat previous;
    while (from != to) {
      const cv::Mat next = line(step > 0 ? from : from - 1);
      const bool frame =
          Uniform(next, corner) || (gradients && LargestStep8bit(next, previous) <= kFrameTolerance8bit);
      if (!frame) break;
      previous = next;
      from += step;
    }
  };
  trim(top, bottom, +1, [&](int y) { return pixels.row(y); });
  if (top == bottom) return cv::Rect(0, 0, pixels.cols, pixels.rows);
  trim(bottom, top, -1, [&](int y) { return pixels.row(y); });
  trim(left, right, +1, [&](int x) { return pixels(cv::Range(top, bottom), cv::Range(x, x + 1)); });
  trim(right, left, -1, [&](int x) { return pixels(cv::Range(top, bottom), cv::Range(x, x + 1)); });
  return cv::Rect(left, top, right - left, bottom - top);
}


}  // namespace acuity

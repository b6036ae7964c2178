#include "viewer/display_image.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace acuity::viewer {
namespace {

// 8-bit BGR or BGRA from any of the loaders' layouts (gray, BGR, BGRA; 8/16-bit).
cv::Mat ToDisplay8(const cv::Mat& pixels) {
  cv::Mat eight = pixels;
  if (pixels.depth() == CV_16U) pixels.convertTo(eight, CV_8U, 1.0 / 257.0);
  if (eight.channels() == 1) {
    cv::Mat bgr;
    cv::cvtColor(eight, bgr, cv::COLOR_GRAY2BGR);
    return bgr;
  }
  return eight;
}

cv::Mat Reduce(const cv::Mat& full, double* scale) {
  const int edge = std::max(full.cols, full.rows);
  if (edge <= kReducedEdgePx) {
    *scale = 1;
    return full;
  }
  *scale = double(kReducedEdgePx) / edge;
  cv::Mat reduced;
  cv::resize(full, reduced, cv::Size(std::max(1, int(std::lround(full.cols * *scale))),
                                     std::max(1, int(std::lround(full.rows * *scale)))),
             0, 0, cv::INTER_AREA);
  return reduced;
}

}  // namespace

std::shared_ptr<const DisplayImage> MakeDisplayImage(const cv::Mat& pixels) {
  auto d = std::make_shared<DisplayImage>();
  d->full = ToDisplay8(pixels);
  d->reduced = Reduce(d->full, &d->reduced_scale);
  return d;
}

ToneHistogram MakeHistogram(const cv::Mat& bgr8) {
  ToneHistogram h;
  if (bgr8.empty()) return h;
  cv::Mat bgr = bgr8;
  if (bgr8.channels() == 4) cv::cvtColor(bgr8, bgr, cv::COLOR_BGRA2BGR);
  std::vector<cv::Mat> planes;
  cv::split(bgr, planes);
  cv::Mat luma;
  cv::cvtColor(bgr, luma, cv::COLOR_BGR2GRAY);
  planes.push_back(luma);
  for (size_t c = 0; c < 4; ++c) {
    cv::Mat hist;
    const int channels[] = {0};
    const int bins[] = {64};
    const float range[] = {0, 256};
    const float* ranges[] = {range};
    cv::calcHist(&planes[c], 1, channels, cv::Mat(), hist, 1, bins, ranges);
    double peak = 1;
    cv::minMaxLoc(hist, nullptr, &peak);
    for (int i = 0; i < 64; ++i) h.bins[c][i] = float(hist.at<float>(i) / std::max(peak, 1.0));
  }
  h.valid = true;
  return h;
}

std::shared_ptr<const DisplayImage> MakeDifference(const cv::Mat& a_bgr8, const cv::Mat& b_bgr8, double gain) {
  auto to_bgr = [](const cv::Mat& m) {
    if (m.channels() == 3) return m;
    cv::Mat bgr;
    cv::cvtColor(m, bgr, cv::COLOR_BGRA2BGR);
    return bgr;
  };
  cv::Mat a = to_bgr(a_bgr8), b = to_bgr(b_bgr8);
  const bool a_larger = double(a.cols) * a.rows >= double(b.cols) * b.rows;
  cv::Mat& small = a_larger ? b : a;
  const cv::Size grid = a_larger ? a.size() : b.size();
  if (small.size() != grid) {
    cv::Mat resized;
    cv::resize(small, resized, grid, 0, 0, cv::INTER_LINEAR);
    small = resized;
  }
  auto d = std::make_shared<DisplayImage>();
  cv::absdiff(a, b, d->full);
  d->full.convertTo(d->full, CV_8U, gain);
  d->reduced = Reduce(d->full, &d->reduced_scale);
  return d;
}

}  // namespace acuity::viewer

#include "analysis/measurements/product_shot.h"

#include <algorithm>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "analysis/io/image_writer.h"

namespace acuity {
namespace {

// 8-bit BGR, at most 1024 px on the long side (returns the shrink factor).
cv::Mat SmallBgr8(const cv::Mat& pixels, double* shrink) {
  cv::Mat bgr;
  if (pixels.channels() == 1) {
    cv::cvtColor(pixels, bgr, cv::COLOR_GRAY2BGR);
  } else if (pixels.channels() == 4) {
    // A cut-out as a page shows it, and as the plan writes it for a white
    // background: on white (its colour under a transparent pixel is seen
    // nowhere; dropping alpha read a black background).
    bgr = FlattenOntoWhite(pixels);
  } else {
    bgr = pixels;
  }
  if (bgr.depth() != CV_8U) bgr.convertTo(bgr, CV_8U, bgr.depth() == CV_16U ? 1.0 / 257 : 255.0);
  *shrink = std::min(1.0, 1024.0 / std::max(bgr.cols, bgr.rows));
  cv::Mat small;
  if (*shrink < 1.0) {
    cv::resize(bgr, small, cv::Size(), *shrink, *shrink, cv::INTER_AREA);
  } else {
    small = bgr;
  }
  return small;
}

// 1 inside the border band, 0 elsewhere.
cv::Mat BorderBand(cv::Size size) {
  const int band = std::max(2, int(std::lround(kBorderBandFraction * std::min(size.width, size.height))));
  cv::Mat mask(size, CV_8U, cv::Scalar(1));
  const cv::Rect inner(band, band, std::max(0, size.width - 2 * band), std::max(0, size.height - 2 * band));
  mask(inner).setTo(0);
  return mask;
}

uchar Median(std::vector<uchar>& values) {
  if (values.empty()) return 255;
  std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
  return values[values.size() / 2];
}

}  // namespace

ProductShotReading MeasureProductShot(const cv::Mat& pixels) {
  ProductShotReading r;
  if (pixels.empty()) return r;
  double shrink = 1;
  // Into a new buffer: `small` may share the caller's pixels (8-bit BGR of at
  // most 1024 px), which a filter in place would change under every other
  // reading (noise, blur and halos read off the median-filtered photo).
  cv::Mat small;
  cv::medianBlur(SmallBgr8(pixels, &shrink), small, 3);
  const cv::Mat band = BorderBand(small.size());

  std::vector<uchar> channel[3];
  for (int y = 0; y < small.rows; ++y) {
    const cv::Vec3b* row = small.ptr<cv::Vec3b>(y);
    const uchar* in_band = band.ptr<uchar>(y);
    for (int x = 0; x < small.cols; ++x)
      if (in_band[x])
        for (int c = 0; c < 3; ++c) channel[c].push_back(row[x][c]);
  }
  for (int c = 0; c < 3; ++c) r.border_median_8bit[c] = Median(channel[c]);

  // The product: what differs from the border's colour; its box from the
  // rows and columns holding at least 2 such pixels (lone specks ignored).
  cv::Mat diff;
  cv::absdiff(small, cv::Scalar(r.border_median_8bit), diff);
  std::vector<cv::Mat> planes;
  cv::split(diff, planes);
  cv::Mat most = cv::max(planes[0], cv::max(planes[1], planes[2]));
  cv::Mat product = most > kProductDifference8bit;
  cv::Mat columns, rows;
  cv::reduce(product / 255, columns, 0, cv::REDUCE_SUM, CV_32S);
  cv::reduce(product / 255, rows, 1, cv::REDUCE_SUM, CV_32S);
  auto extent = [](const cv::Mat& counts, int* first, int* last) {
    const int n = int(counts.total());
    *first = -1, *last = -1;
    for (int i = 0; i < n; ++i) {
      if (counts.at<int>(i) < 2) continue;
      if (*first < 0) *first = i;
      *last = i;
    }
    return *first >= 0;
  };
  int x0 = 0, x1 = -1, y0 = 0, y1 = -1;
  if (extent(columns, &x0, &x1) && extent(rows, &y0, &y1)) {
    const double w = (x1 - x0 + 1.0) / small.cols, h = (y1 - y0 + 1.0) / small.rows;
    r.product_fill_pct = 100.0 * std::max(w, h);
    r.product_box_px = cv::Rect(int(std::lround(x0 / shrink)), int(std::lround(y0 / shrink)),
                                int(std::lround(w * pixels.cols)), int(std::lround(h * pixels.rows)));
  }

  // The background: the band outside the product's box (a product that
  // touches an edge is not background); none left = no background shows.
  long white = 0, total = 0;
  for (int y = 0; y < small.rows; ++y) {
    const cv::Vec3b* row = small.ptr<cv::Vec3b>(y);
    const uchar* in_band = band.ptr<uchar>(y);
    for (int x = 0; x < small.cols; ++x) {
      if (!in_band[x] || (x >= x0 && x <= x1 && y >= y0 && y <= y1)) continue;
      ++total;
      const cv::Vec3b p = row[x];
      if (p[0] >= kWhiteLevel8bit && p[1] >= kWhiteLevel8bit && p[2] >= kWhiteLevel8bit) ++white;
    }
  }
  r.border_white_pct = total > 0 ? 100.0 * white / total : 0;
  return r;
}

}  // namespace acuity

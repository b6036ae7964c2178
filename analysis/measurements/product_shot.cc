#include "analysis/measurements/product_shot.h"

#include <algorithm>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "analysis/io/image_writer.h"

namespace acuity {
namespace {

// 8-bit BGR at full size.
cv::Mat Bgr8(const cv::Mat& pixels) {
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
  return bgr;
}

// `bgr` at most 1024 px on the long side (returns the shrink factor).
cv::Mat Small(const cv::Mat& bgr, double* shrink) {
  *shrink = std::min(1.0, 1024.0 / std::max(bgr.cols, bgr.rows));
  if (*shrink >= 1.0) return bgr;
  cv::Mat small;
  cv::resize(bgr, small, cv::Size(), *shrink, *shrink, cv::INTER_AREA);
  return small;
}

// 255 where a pixel of `filtered` (8-bit BGR after a 3×3 median) differs
// from `colour` by more than kProductDifference8bit in a channel.
cv::Mat Differs(const cv::Mat& filtered, const cv::Vec3b& colour) {
  cv::Mat diff;
  cv::absdiff(filtered, cv::Scalar(colour), diff);
  std::vector<cv::Mat> planes;
  cv::split(diff, planes);
  return cv::max(planes[0], cv::max(planes[1], planes[2])) > kProductDifference8bit;
}

// The first and last index along `counts` with at least 2 (lone specks
// ignored); false when none.
bool Extent(const cv::Mat& counts, int* first, int* last) {
  const int n = int(counts.total());
  *first = -1, *last = -1;
  for (int i = 0; i < n; ++i) {
    if (counts.at<int>(i) < 2) continue;
    if (*first < 0) *first = i;
    *last = i;
  }
  return *first >= 0;
}

// The box found on a reduced copy, read again at full size where its edges
// are: within a few px of each edge scaled back, the first and last columns
// (rows) holding product pixels. The reduced copy blends an edge into its
// neighbours (a 200-px box on a 1200-px shot read 202 px).
cv::Rect RefinedBox(const cv::Mat& bgr, const cv::Vec3b& colour, const cv::Rect& scaled, double shrink) {
  const int margin = int(std::ceil(1.0 / shrink)) + 2;
  const cv::Rect image(0, 0, bgr.cols, bgr.rows);
  const cv::Rect around = cv::Rect(scaled.x - margin, scaled.y - margin, scaled.width + 2 * margin,
                                   scaled.height + 2 * margin) & image;
  int left = scaled.x, right = scaled.br().x - 1, top = scaled.y, bottom = scaled.br().y - 1;
  // One edge: the strip of columns (rows) around it, across the whole box.
  auto edge = [&](bool columns, int at, bool first) {
    const cv::Rect strip = (columns ? cv::Rect(at - margin, around.y, 2 * margin + 1, around.height)
                                    : cv::Rect(around.x, at - margin, around.width, 2 * margin + 1)) & image;
    if (strip.empty()) return at;
    cv::Mat counts;
    cv::Mat filtered;
    cv::medianBlur(bgr(strip), filtered, 3);
    cv::reduce(Differs(filtered, colour) / 255, counts, columns ? 0 : 1, cv::REDUCE_SUM, CV_32S);
    int lo = 0, hi = 0;
    if (!Extent(counts, &lo, &hi)) return at;
    return (columns ? strip.x : strip.y) + (first ? lo : hi);
  };
  left = edge(true, left, true);
  right = edge(true, right, false);
  top = edge(false, top, true);
  bottom = edge(false, bottom, false);
  if (right < left || bottom < top) return scaled;
  return cv::Rect(left, top, right - left + 1, bottom - top + 1);
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
  const cv::Mat bgr = Bgr8(pixels);
  cv::Mat small;
  cv::medianBlur(Small(bgr, &shrink), small, 3);
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
  const cv::Mat product = Differs(small, r.border_median_8bit);
  cv::Mat columns, rows;
  cv::reduce(product / 255, columns, 0, cv::REDUCE_SUM, CV_32S);
  cv::reduce(product / 255, rows, 1, cv::REDUCE_SUM, CV_32S);
  int x0 = 0, x1 = -1, y0 = 0, y1 = -1;
  if (Extent(columns, &x0, &x1) && Extent(rows, &y0, &y1)) {
    const double w = (x1 - x0 + 1.0) / small.cols, h = (y1 - y0 + 1.0) / small.rows;
    cv::Rect box(int(std::lround(x0 / shrink)), int(std::lround(y0 / shrink)), int(std::lround(w * pixels.cols)),
                 int(std::lround(h * pixels.rows)));
    if (shrink < 1.0) box = RefinedBox(bgr, r.border_median_8bit, box, shrink);
    r.product_box_px = box;
    r.product_fill_pct = 100.0 * std::max(double(box.width) / pixels.cols, double(box.height) / pixels.rows);
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

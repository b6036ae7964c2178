#include "analysis/measurements/clipped_plateaus.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include <opencv2/imgproc.hpp>

namespace acuity {
namespace {

constexpr int kColours = 3;  // BGR; a gray pixel has one
constexpr int kTopFrom = 255 - kClipLevelSpread, kBottomTo = kClipLevelSpread;  // 8-bit levels
constexpr int kCorners = 1 << kColours;  // every colour channel at one end or the other

// The clipped colour of each corner: bit c of `corner` set, channel c at
// 255; clear, at 0.
inline uchar CornerLevel(int corner, int c) { return (corner >> c) & 1 ? 255 : 0; }

// Rows of the label image are read with their reach in bands of this many
// (a band's float copy, not one of the whole picture: on 12 MP a picture-
// sized buffer's first touch cost more than the reading itself).
constexpr int kBandRows = 64;

// The clipped plateaus at `corner` (CV_8U `at`: where every colour channel
// is within kClipLevelSpread of the corner's level), added to `mask` (CV_8U,
// created on the first one). `labels`: a buffer for the plateaus' labels
// (CV_32S, reused between corners). A pixel of the rims counts for the
// highest and the lowest label in its reach (two plateaus a few px apart
// each keep their rim; a third between them is not counted there), in the
// nearer rim of each. `picture_px`: the pixels of the whole picture that
// show (`px8` may be the part of it a corner lies in).
void AddClippedAt(const cv::Mat& px8, const cv::Mat& flat, const cv::Mat& hidden, const cv::Mat& at, int corner,
                  int64_t picture_px, cv::Mat* labels, cv::Mat* mask) {
  const int step = px8.channels(), colours = std::min(step, kColours);
  int level[kColours];
  for (int c = 0; c < colours; ++c) level[c] = CornerLevel(corner, c);
  const int count = cv::connectedComponents(at, *labels, 8, CV_32S);
  // Per plateau and rim (touching, then 2 px out): its pixels, and those that ramp.
  std::vector<int64_t> rim[2] = {std::vector<int64_t>(size_t(count), 0), std::vector<int64_t>(size_t(count), 0)};
  std::vector<int64_t> ramps[2] = {rim[0], rim[0]};
  std::vector<uchar> has_flat(size_t(count), 0);
  std::vector<int64_t> area(size_t(count), 0);  // px
  const int near_levels = int(kClipRampLevels * colours);
  const cv::Mat square3 = cv::getStructuringElement(cv::MORPH_RECT, cv::Size(3, 3));
  const cv::Mat reach = cv::getStructuringElement(cv::MORPH_RECT, cv::Size(2 * kClipRimPx + 1, 2 * kClipRimPx + 1));
  const double none = double(count);  // above every label: no plateau, for the lowest label in reach
  // CV_64F: a band's labels with their reach ("none" where no plateau is,
  // for the lowest), and its rows' highest and lowest label touching and in
  // reach.
  cv::Mat band, band_low, high1, low1, high2, low2;
  for (int y0 = 0; y0 < px8.rows; y0 += kBandRows) {
    const int y1 = std::min(px8.rows, y0 + kBandRows);
    const int from = std::max(0, y0 - kClipRimPx), to = std::min(px8.rows, y1 + kClipRimPx);
    labels->rowRange(from, to).convertTo(band, CV_64F);  // exact (a float is not past 2^24 labels)
    band_low = band.clone();
    band_low.setTo(none, band == 0);
    cv::dilate(band, high1, square3);
    cv::dilate(band, high2, reach);
    cv::erode(band_low, low1, square3);
    cv::erode(band_low, low2, reach);
    for (int y = y0; y < y1; ++y) {
      const uchar *p = px8.ptr<uchar>(y), *a = at.ptr<uchar>(y), *f = flat.ptr<uchar>(y);
      const uchar* h = hidden.empty() ? nullptr : hidden.ptr<uchar>(y);
      const int* l = labels->ptr<int>(y);
      const double *h1 = high1.ptr<double>(y - from), *l1 = low1.ptr<double>(y - from);
      const double *h2 = high2.ptr<double>(y - from), *l2 = low2.ptr<double>(y - from);
      for (int x = 0; x < px8.cols; ++x, p += step) {
        if (a[x]) {
          has_flat[size_t(l[x])] |= f[x];
          ++area[size_t(l[x])];
          continue;
        }
        if (h2[x] == 0 || (h && h[x])) continue;  // no plateau in reach, or hidden
        // A flat rim pixel is another fill beside it (a light panel by a
        // white page), no ramp.
        int off = 0;  // summed over the colour channels
        for (int c = 0; c < colours; ++c) off += std::abs(int(p[c]) - level[c]);
        const bool ramp = !f[x] && off <= near_levels;
        const size_t high_touching = size_t(h1[x]), low_touching = l1[x] < none ? size_t(l1[x]) : 0;
        for (const size_t k : {size_t(h2[x]), size_t(l2[x])}) {
          const int ring = k == high_touching || k == low_touching ? 0 : 1;
          ++rim[ring][k];
          ramps[ring][k] += ramp;
          if (size_t(h2[x]) == size_t(l2[x])) break;  // one plateau in reach
        }
      }
    }
  }
  std::vector<uchar> clipped(size_t(count), 0);
  for (size_t k = 1; k < size_t(count); ++k) {
    const bool touching = rim[0][k] > 0 && double(ramps[0][k]) >= kClipTouchingShare * double(rim[0][k]);
    // A plateau with no pixel 2 px out (hemmed in by hidden ones) is judged
    // by the pixels touching it alone.
    const bool beyond = rim[1][k] == 0 || double(ramps[1][k]) >= kClipBeyondShare * double(rim[1][k]);
    clipped[k] = has_flat[k] && touching && beyond ? 255 : 0;
  }
  // A picture clipped at this corner (kClippedPictureShare): its other
  // plateaus there are clipping too.
  int64_t clipped_area = 0;
  for (size_t k = 1; k < size_t(count); ++k) clipped_area += clipped[k] ? area[k] : 0;
  if (double(clipped_area) >= kClippedPictureShare * double(picture_px))
    for (size_t k = 1; k < size_t(count); ++k) clipped[k] = has_flat[k] ? 255 : 0;
  bool found = false;
  for (size_t k = 1; k < size_t(count); ++k) found |= clipped[k] != 0;
  if (!found) return;
  if (mask->empty()) *mask = cv::Mat::zeros(px8.size(), CV_8U);
  for (int y = 0; y < px8.rows; ++y) {
    const uchar *f = flat.ptr<uchar>(y), *a = at.ptr<uchar>(y);
    const int* l = labels->ptr<int>(y);
    uchar* m = mask->ptr<uchar>(y);
    for (int x = 0; x < px8.cols; ++x) m[x] |= f[x] & a[x] & clipped[size_t(l[x])];
  }
}

// Bit k set: some pixel of `flat` lies at corner k (every colour channel of
// `px8` within kClipLevelSpread of 0 or of 255, as the corner says).
// Without one there is nothing to judge, and no picture-sized mask is made
// (on 12 MP their first touch cost more than the pass).
unsigned FlatCorners(const cv::Mat& px8, const cv::Mat& flat) {
  const int step = px8.channels(), colours = std::min(step, kColours);
  unsigned found = 0;
  for (int y = 0; y < px8.rows; ++y) {
    const uchar *p = px8.ptr<uchar>(y), *f = flat.ptr<uchar>(y);
    for (int x = 0; x < px8.cols; ++x, p += step) {
      if (!f[x]) continue;
      int corner = 0;
      bool at_ends = true;
      for (int c = 0; c < colours; ++c) {
        at_ends &= p[c] >= kTopFrom || p[c] <= kBottomTo;
        corner |= (p[c] >= kTopFrom) << c;
      }
      if (at_ends) found |= 1u << corner;
    }
  }
  return found;
}

}  // namespace

cv::Mat ClippedPlateauMask(const cv::Mat& px8, const cv::Mat& flat, const cv::Mat& hidden) {
  cv::Mat mask;
  if (px8.empty() || px8.depth() != CV_8U || flat.size() != px8.size() ||
      (px8.channels() != 1 && px8.channels() != 3 && px8.channels() != 4))
    return mask;
  const unsigned corners = FlatCorners(px8, flat);
  const int colours = std::min(px8.channels(), kColours);
  const int64_t shown_px = int64_t(px8.total()) - (hidden.empty() ? 0 : cv::countNonZero(hidden));
  cv::Mat at, labels;
  for (int corner = 0; corner < (colours == 1 ? 2 : kCorners); ++corner) {
    if (!(corners & (1u << corner))) continue;
    // Where every colour channel is at the corner's end, within
    // kClipLevelSpread (alpha not read).
    cv::Scalar from(0, 0, 0, 0), to(255, 255, 255, 255);
    for (int c = 0; c < colours; ++c) {
      from[c] = CornerLevel(corner, c) ? kTopFrom : 0;
      to[c] = CornerLevel(corner, c) ? 255 : kBottomTo;
    }
    cv::inRange(px8, from, to, at);
    // A hidden pixel is at no level: the white or black stored under a
    // cut-out's transparency would join a shown plateau to the whole margin.
    if (!hidden.empty()) at.setTo(0, hidden);
    if (cv::countNonZero(at) == 0) continue;  // its flat pixels were all hidden
    // Each corner is read within the box of its pixels grown by the rim: a
    // photo's clipped areas often lie in one part of it (labels for the
    // whole of a 12 MP picture cost more than the reading).
    const cv::Rect box = cv::boundingRect(at), image(0, 0, px8.cols, px8.rows);
    const cv::Rect read = cv::Rect(box.x - kClipRimPx, box.y - kClipRimPx, box.width + 2 * kClipRimPx,
                                   box.height + 2 * kClipRimPx) & image;
    cv::Mat part_mask;
    AddClippedAt(px8(read), flat(read), hidden.empty() ? hidden : hidden(read), at(read), corner,
                 shown_px, &labels, &part_mask);
    if (part_mask.empty()) continue;
    if (mask.empty()) mask = cv::Mat::zeros(px8.size(), CV_8U);
    cv::Mat mask_part = mask(read);
    cv::bitwise_or(mask_part, part_mask, mask_part);
  }
  return mask;
}

}  // namespace acuity

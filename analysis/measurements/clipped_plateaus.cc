#include "analysis/measurements/clipped_plateaus.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <tuple>
#include <vector>

#include <opencv2/imgproc.hpp>

namespace acuity {
namespace {

constexpr int kColours = 3;  // BGR; a gray pixel has one

// Luma of an 8-bit pixel (BT.601, the weights of cv::COLOR_BGR2GRAY), in
// 1/256 levels; `colours`: 1 (gray) or 3 (BGR).
inline int Luma256(const uchar* p, int colours) {
  return colours == 1 ? 256 * p[0] : 29 * p[0] + 150 * p[1] + 77 * p[2];
}

// Rows of the label image are read with their reach in bands of this many
// (a band's float copy, not one of the whole picture: on 12 MP a picture-
// sized buffer's first touch cost more than the reading itself).
constexpr int kBandRows = 64;

// The clipped plateaus at `level` (CV_8U `at`: where every colour channel is
// at it), added to `mask` (CV_8U, created on the first one). `labels`: a
// buffer for the plateaus' labels (CV_32S, reused between levels). Each rim
// pixel counts for one plateau within kClipRimPx: the last in label order.
void AddClippedAt(const cv::Mat& px8, const cv::Mat& flat, const cv::Mat& hidden, const cv::Mat& at, uchar level,
                  cv::Mat* labels, cv::Mat* mask) {
  const int side = 2 * kClipRimPx + 1, step = px8.channels(), colours = std::min(step, kColours);
  const int count = cv::connectedComponents(at, *labels, 8, CV_32S);
  std::vector<int64_t> rim(size_t(count), 0), ramps(size_t(count), 0);
  std::vector<uchar> has_flat(size_t(count), 0);
  const int near_levels = int(kClipRampLevels * 256.0);
  const cv::Mat square = cv::getStructuringElement(cv::MORPH_RECT, cv::Size(side, side));
  cv::Mat band, near;  // CV_64F: a band's labels with their reach, and its rows' nearest label
  for (int y0 = 0; y0 < px8.rows; y0 += kBandRows) {
    const int y1 = std::min(px8.rows, y0 + kBandRows);
    const int from = std::max(0, y0 - kClipRimPx), to = std::min(px8.rows, y1 + kClipRimPx);
    labels->rowRange(from, to).convertTo(band, CV_64F);  // exact (a float is not past 2^24 labels)
    cv::dilate(band, near, square);
    for (int y = y0; y < y1; ++y) {
      const uchar *p = px8.ptr<uchar>(y), *a = at.ptr<uchar>(y), *f = flat.ptr<uchar>(y);
      const uchar* h = hidden.empty() ? nullptr : hidden.ptr<uchar>(y);
      const int* l = labels->ptr<int>(y);
      const double* n = near.ptr<double>(y - from);
      for (int x = 0; x < px8.cols; ++x, p += step) {
        if (a[x]) {
          has_flat[size_t(l[x])] |= f[x];
          continue;
        }
        const size_t k = size_t(n[x]);
        if (k == 0 || (h && h[x])) continue;
        ++rim[k];
        // A flat rim pixel is another fill beside it (a light panel by a
        // white page), no ramp.
        ramps[k] += !f[x] && std::abs(Luma256(p, colours) - 256 * level) <= near_levels;
      }
    }
  }
  std::vector<uchar> clipped(size_t(count), 0);
  bool found = false;
  for (size_t k = 1; k < size_t(count); ++k) {
    clipped[k] = has_flat[k] && rim[k] > 0 && double(ramps[k]) >= kClippedRimShare * double(rim[k]) ? 255 : 0;
    found |= clipped[k] != 0;
  }
  if (!found) return;
  if (mask->empty()) *mask = cv::Mat::zeros(px8.size(), CV_8U);
  for (int y = 0; y < px8.rows; ++y) {
    const uchar *f = flat.ptr<uchar>(y), *a = at.ptr<uchar>(y);
    const int* l = labels->ptr<int>(y);
    uchar* m = mask->ptr<uchar>(y);
    for (int x = 0; x < px8.cols; ++x) m[x] |= f[x] & a[x] & clipped[size_t(l[x])];
  }
}

// Whether some pixel of `flat` has every colour channel of `px8` at 255
// (`white`) or at 0 (`black`): without one there is nothing to judge, and
// no picture-sized mask is made (on 12 MP their first touch cost more than
// the pass).
void FlatAtLevels(const cv::Mat& px8, const cv::Mat& flat, bool* white, bool* black) {
  const int step = px8.channels(), colours = std::min(step, kColours);
  *white = *black = false;
  for (int y = 0; y < px8.rows && !(*white && *black); ++y) {
    const uchar *p = px8.ptr<uchar>(y), *f = flat.ptr<uchar>(y);
    for (int x = 0; x < px8.cols; ++x, p += step) {
      if (!f[x]) continue;
      bool all_white = true, all_black = true;
      for (int c = 0; c < colours; ++c) all_white &= p[c] == 255, all_black &= p[c] == 0;
      *white |= all_white;
      *black |= all_black;
    }
  }
}

}  // namespace

cv::Mat ClippedPlateauMask(const cv::Mat& px8, const cv::Mat& flat, const cv::Mat& hidden) {
  cv::Mat mask;
  if (px8.empty() || px8.depth() != CV_8U || flat.size() != px8.size() ||
      (px8.channels() != 1 && px8.channels() != 3 && px8.channels() != 4))
    return mask;
  bool flat_white = false, flat_black = false;
  FlatAtLevels(px8, flat, &flat_white, &flat_black);
  if (!flat_white && !flat_black) return mask;
  // Where every colour channel is at full white, and at black (alpha not
  // read).
  const int colours = std::min(px8.channels(), kColours);
  cv::Scalar white_from(0, 0, 0, 0), black_to(255, 255, 255, 255);
  for (int c = 0; c < colours; ++c) white_from[c] = 255, black_to[c] = 0;
  cv::Mat white, black;
  if (flat_white) cv::inRange(px8, white_from, cv::Scalar::all(255), white);
  if (flat_black) cv::inRange(px8, cv::Scalar::all(0), black_to, black);
  // A hidden pixel is at no level: the white or black stored under a cut-
  // out's transparency would join a shown plateau to the whole margin.
  if (!hidden.empty()) {
    if (flat_white) white.setTo(0, hidden);
    if (flat_black) black.setTo(0, hidden);
  }
  // Each level is read within the box of its pixels grown by the rim: a
  // photo's clipped areas often lie in one part of it (labels for the whole
  // of a 12 MP picture cost more than the reading).
  cv::Mat labels;
  for (const auto& [flat_at, at, level] :
       {std::tuple(flat_white, white, uchar(255)), std::tuple(flat_black, black, uchar(0))}) {
    if (!flat_at) continue;
    const cv::Rect box = cv::boundingRect(at), image(0, 0, px8.cols, px8.rows);
    const cv::Rect read = cv::Rect(box.x - kClipRimPx, box.y - kClipRimPx, box.width + 2 * kClipRimPx,
                                   box.height + 2 * kClipRimPx) & image;
    cv::Mat part_mask;
    AddClippedAt(px8(read), flat(read), hidden.empty() ? hidden : hidden(read), at(read), level, &labels, &part_mask);
    if (part_mask.empty()) continue;
    if (mask.empty()) mask = cv::Mat::zeros(px8.size(), CV_8U);
    cv::Mat mask_part = mask(read);
    cv::bitwise_or(mask_part, part_mask, mask_part);
  }
  return mask;
}

}  // namespace acuity

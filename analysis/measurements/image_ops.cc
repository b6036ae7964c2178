#include "analysis/measurements/image_ops.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include <opencv2/imgproc.hpp>

namespace acuity {

double WhiteLevel(const cv::Mat& pixels) { return pixels.depth() == CV_16U ? 65535.0 : 255.0; }

namespace {

template <typename T>
bool IsBilevelOf(const cv::Mat& pixels, T top) {
  // Stops at the first (1 − kBilevelShare) share of in-between samples: a
  // photo is done within its first rows, only a two-level image is read whole.
  const int64_t samples_per_row = int64_t(pixels.cols) * pixels.channels();
  const int64_t allowed = int64_t((1 - kBilevelShare) * double(samples_per_row) * pixels.rows);
  int64_t between = 0;
  for (int y = 0; y < pixels.rows; ++y) {
    const T* p = pixels.ptr<T>(y);
    for (int64_t i = 0; i < samples_per_row; ++i) between += p[i] != 0 && p[i] != top;
    if (between > allowed) return false;
  }
  return true;
}

}  // namespace

int DistinctColours(const cv::Mat& px8, const cv::Mat& hidden, int stop_above) {
  const int channels = px8.channels();
  std::vector<uint64_t> seen(channels == 1 ? 4 : (1u << 24) / 64, 0);
  int count = 0;
  for (int r = 0; r < px8.rows; ++r) {
    const uchar* p = px8.ptr<uchar>(r);
    const uchar* h = hidden.empty() ? nullptr : hidden.ptr<uchar>(r);
    for (int c = 0; c < px8.cols; ++c, p += channels) {
      if (h && h[c]) continue;
      const uint32_t key = channels == 1 ? p[0] : uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16;
      uint64_t& word = seen[key >> 6];
      const uint64_t bit = uint64_t(1) << (key & 63);
      count += (word & bit) == 0;
      word |= bit;
    }
    if (count > stop_above) return count;
  }
  return count;
}

std::optional<int> PaletteColours(const cv::Mat& pixels, const cv::Mat& hidden) {
  if (pixels.depth() != CV_8U || pixels.empty()) return std::nullopt;
  const int n = DistinctColours(pixels, hidden, kMaxPaletteColours);  // BGRA: its first three channels
  return n <= kMaxPaletteColours ? std::optional<int>(n) : std::nullopt;
}

bool IsBilevel(const cv::Mat& pixels) {
  if (pixels.depth() == CV_8U) return IsBilevelOf<uint8_t>(pixels, 255);
  if (pixels.depth() == CV_16U) return IsBilevelOf<uint16_t>(pixels, 65535);
  return false;
}

cv::Mat BgrF32(const cv::Mat& pixels) {
  cv::Mat f;
  pixels.convertTo(f, CV_32F, 255.0 / WhiteLevel(pixels));
  if (f.channels() == 1) cv::cvtColor(f, f, cv::COLOR_GRAY2BGR);
  else if (f.channels() == 4) cv::cvtColor(f, f, cv::COLOR_BGRA2BGR);
  return f;
}

namespace {

// One row of BT.601 luma (kLumaWeightsBgr) × scale, straight from the source
// row (gray: the value × scale).
template <typename T>
void LumaRowOf(const cv::Mat& pixels, int row, float scale, float* out) {
  const int channels = pixels.channels();
  const T* in = pixels.ptr<T>(row);
  if (channels == 1) {
    for (int x = 0; x < pixels.cols; ++x) out[x] = float(in[x]) * scale;
    return;
  }
  const float wb = kLumaWeightsBgr[0], wg = kLumaWeightsBgr[1], wr = kLumaWeightsBgr[2];
  for (int x = 0; x < pixels.cols; ++x, in += channels)
    out[x] = wb * (float(in[0]) * scale) + wg * (float(in[1]) * scale) + wr * (float(in[2]) * scale);
}

float LumaScale(const cv::Mat& pixels) { return float(255.0 / WhiteLevel(pixels)); }

// y = LumaRowOf of every row, in parallel, without a full-size float copy of
// all channels (12 MP photos).
template <typename T>
void LumaRows(const cv::Mat& pixels, cv::Mat* y) {
  const float scale = LumaScale(pixels);
  cv::parallel_for_(cv::Range(0, pixels.rows), [&](const cv::Range& r) {
    for (int row = r.start; row < r.end; ++row) LumaRowOf<T>(pixels, row, scale, y->ptr<float>(row));
  });
}

}  // namespace

void LumaRowF32(const cv::Mat& pixels, int row, float* out) {
  if (pixels.depth() == CV_8U) LumaRowOf<uint8_t>(pixels, row, LumaScale(pixels), out);
  else LumaRowOf<uint16_t>(pixels, row, LumaScale(pixels), out);
}

cv::Mat LumaF32(const cv::Mat& pixels) {
  const int depth = pixels.depth();
  if ((depth == CV_8U || depth == CV_16U) && pixels.channels() >= 3) {
    cv::Mat y(pixels.size(), CV_32F);
    if (depth == CV_8U) LumaRows<uint8_t>(pixels, &y);
    else LumaRows<uint16_t>(pixels, &y);
    return y;
  }
  cv::Mat f;
  pixels.convertTo(f, CV_32F, 255.0 / WhiteLevel(pixels));
  if (f.channels() == 1) return f;
  if (f.channels() == 4) cv::cvtColor(f, f, cv::COLOR_BGRA2BGR);
  cv::Mat y;
  cv::transform(f, y, cv::Matx13f(kLumaWeightsBgr));
  return y;
}

cv::Mat TurnedClockwise(const cv::Mat& pixels, int degrees) {
  if (degrees == 0) return pixels;
  cv::Mat turned;
  cv::rotate(pixels, turned,
             degrees == 90 ? cv::ROTATE_90_CLOCKWISE : degrees == 180 ? cv::ROTATE_180 : cv::ROTATE_90_COUNTERCLOCKWISE);
  return turned;
}

cv::Mat Oriented(const cv::Mat& pixels, bool mirrored, int degrees) {
  if (!mirrored) return TurnedClockwise(pixels, degrees);
  cv::Mat flipped;
  cv::flip(pixels, flipped, 1);
  return TurnedClockwise(flipped, degrees);
}

cv::Mat To8Bit(const cv::Mat& pixels, bool keep_gray) {
  cv::Mat out;
  if (pixels.depth() == CV_8U) out = pixels;
  else pixels.convertTo(out, CV_8U, 255.0 / WhiteLevel(pixels));
  // Into a new Mat: cv::cvtColor with the same Mat as source and destination
  // first copies the source (48 MB more for a 12 MP BGRA picture).
  cv::Mat converted;
  if (out.channels() == 4) cv::cvtColor(out, converted, cv::COLOR_BGRA2BGR);
  else if (out.channels() == 1 && !keep_gray) cv::cvtColor(out, converted, cv::COLOR_GRAY2BGR);
  else converted = out;
  return converted;
}

std::optional<double> TransparentPct(const cv::Mat& pixels) {
  if (pixels.channels() != 4 || pixels.empty()) return std::nullopt;
  cv::Mat alpha;
  cv::extractChannel(pixels, alpha, 3);
  // Clamped: the mean of an opaque alpha can come out a rounding above its
  // white level (an opaque 800×500 chart read −0.0 %).
  return std::clamp(100.0 * (1.0 - cv::mean(alpha)[0] / WhiteLevel(pixels)), 0.0, 100.0);
}

cv::Rect FlatSurroundBox(const cv::Mat& pixels) {
  const cv::Rect whole(cv::Point(0, 0), pixels.size());
  if (pixels.empty()) return whole;
  const cv::Scalar colour = cv::mean(pixels(cv::Rect(0, 0, 1, 1)));
  // Band by band (a mask of one band at a time, not of the image: an
  // intermediate of an ×8 upscale can have hundreds of megapixels).
  constexpr int kBandRows = 256;
  int top = pixels.rows, bottom = -1, left = pixels.cols, right = -1;
  cv::Mat same, columns;
  for (int y = 0; y < pixels.rows; y += kBandRows) {
    const int rows = std::min(kBandRows, pixels.rows - y);
    cv::inRange(pixels.rowRange(y, y + rows), colour, colour, same);
    for (int r = 0; r < rows; ++r) {
      const uchar* s = same.ptr<uchar>(r);
      int first = 0, last = pixels.cols - 1;
      while (first < pixels.cols && s[first]) ++first;
      if (first == pixels.cols) continue;  // the whole row is the surround
      while (s[last]) --last;
      top = std::min(top, y + r);
      bottom = y + r;
      left = std::min(left, first);
      right = std::max(right, last);
    }
  }
  if (bottom < 0) return cv::Rect();
  return cv::Rect(left, top, right - left + 1, bottom - top + 1);
}

namespace {

// `box` grown by the margin, inside the image of `size`.
cv::Rect GrownInside(const cv::Rect& box, cv::Size size, int margin_px) {
  const cv::Rect whole(cv::Point(0, 0), size);
  if (box.empty() || box == whole) return box & whole;
  const int m = std::max(0, margin_px);
  return cv::Rect(box.x - m, box.y - m, box.width + 2 * m, box.height + 2 * m) & whole;
}

}  // namespace

cv::Rect NetworkRegion(const cv::Mat& pixels, int margin_px) {
  return GrownInside(FlatSurroundBox(pixels), pixels.size(), margin_px);
}

double NetworkAreaShare(const cv::Mat& pixels, int margin_px) {
  if (pixels.empty()) return 1.0;
  return double(NetworkRegion(pixels, margin_px).area()) / double(pixels.total());
}

std::optional<cv::Rect> DetailBoxAfterCrop(const cv::Rect& detail_box, const cv::Rect& kept, cv::Size image) {
  if (kept == cv::Rect(cv::Point(0, 0), image)) return detail_box;
  if (detail_box.empty() || (detail_box & kept) != detail_box || detail_box.contains(kept.tl())) return std::nullopt;
  return detail_box - kept.tl();
}

double NetworkAreaShare(const cv::Rect& detail_box, cv::Size image, int margin_px) {
  if (image.area() <= 0) return 1.0;
  return double(GrownInside(detail_box, image, margin_px).area()) / double(image.area());
}

}  // namespace acuity

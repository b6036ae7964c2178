#include "enhance/deblock.h"

#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "analysis/measurements/compression_tables.h"
#include "analysis/measurements/image_ops.h"

namespace acuity {
namespace {

constexpr int kBlock = 8;
constexpr float kLevelShift = 128.0f;  // JPEG subtracts 128 before the DCT
// Strips start on multiples of the tallest MCU (8 × chroma subsampling ≤ 4),
// so every grid lies the same way in a strip as in the whole image, and
// carry a margin wider than what the padding at a strip's edge disturbs
// (one block, or a subsampled chroma block plus interpolation).
constexpr int kStripAlignPx = 32;
constexpr int kStripMarginPx = 64;

// The orthonormal 8-point DCT-II matrix D (and Dᵀ): JPEG's FDCT of a block B
// is D · B · Dᵀ, its inverse Dᵀ · C · D.
struct DctMatrix {
  float d[kBlock][kBlock], t[kBlock][kBlock];
  DctMatrix() {
    for (int u = 0; u < kBlock; ++u)
      for (int x = 0; x < kBlock; ++x) {
        d[u][x] = float((u == 0 ? std::sqrt(1.0 / 8) : std::sqrt(2.0 / 8)) *
                        std::cos((2 * x + 1) * u * M_PI / 16));
        t[x][u] = d[u][x];
      }
  }
};

// out = a · b for 8×8 row-major blocks, written as row updates (out[i] +=
// a[i][k] · b[k]) so that the compiler vectorises the inner loop.
inline void Multiply8(const float a[8][8], const float* b, float* out) {
  for (int i = 0; i < 8; ++i) {
    float row[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    for (int k = 0; k < 8; ++k) {
      const float f = a[i][k];
      for (int j = 0; j < 8; ++j) row[j] += f * b[k * 8 + j];
    }
    for (int j = 0; j < 8; ++j) out[i * 8 + j] = row[j];
  }
}
inline void MultiplyBy8(const float* a, const float b[8][8], float* out) {
  for (int i = 0; i < 8; ++i) {
    float row[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    for (int k = 0; k < 8; ++k) {
      const float f = a[i * 8 + k];
      for (int j = 0; j < 8; ++j) row[j] += f * b[k][j];
    }
    for (int j = 0; j < 8; ++j) out[i * 8 + j] = row[j];
  }
}

void Forward(const DctMatrix& m, const float in[64], float out[64]) {
  float tmp[64];
  Multiply8(m.d, in, tmp);       // D · B
  MultiplyBy8(tmp, m.t, out);    // · Dᵀ
}

void Inverse(const DctMatrix& m, const float in[64], float out[64]) {
  float tmp[64];
  Multiply8(m.t, in, tmp);       // Dᵀ · C
  MultiplyBy8(tmp, m.d, out);    // · D
}

// Pads a plane so that every 8×8 block of a grid starting anywhere in
// [offset − 8, offset] lies inside; returns the padding on the top-left.
cv::Mat Padded(const cv::Mat& plane) {
  cv::Mat padded;
  cv::copyMakeBorder(plane, padded, kBlock, 2 * kBlock, kBlock, 2 * kBlock, cv::BORDER_REFLECT);
  return padded;
}

// Re-application of JPEG on shifted grids, averaged (plane: CV_32F, 8-bit units).
// With fewer than 8 shifts per axis the grids start from the original one (ox, oy).
cv::Mat AverageOfShiftedRequantisations(const cv::Mat& plane, const std::array<uint16_t, 64>& q, int ox,
                                        int oy, int shifts_per_axis, double threshold_per_step) {
  static const DctMatrix m;
  const cv::Mat padded = Padded(plane);
  cv::Mat acc = cv::Mat::zeros(padded.size(), CV_32F);
  const int step = kBlock / shifts_per_axis;
  float block[64], coef[64];
  for (int sy = oy % step; sy < kBlock; sy += step)
    for (int sx = ox % step; sx < kBlock; sx += step)
      for (int by = sy; by + kBlock <= plane.rows + 2 * kBlock; by += kBlock)
        for (int bx = sx; bx + kBlock <= plane.cols + 2 * kBlock; bx += kBlock) {
          for (int y = 0; y < 8; ++y) {
            const float* row = padded.ptr<float>(by + y) + bx;
            for (int x = 0; x < 8; ++x) block[y * 8 + x] = row[x] - kLevelShift;
          }
          Forward(m, block, coef);
          if (threshold_per_step > 0) {
            for (int i = 1; i < 64; ++i)
              if (std::fabs(coef[i]) < threshold_per_step * q[i]) coef[i] = 0;
          } else {
            for (int i = 0; i < 64; ++i) coef[i] = q[i] * std::nearbyint(coef[i] / q[i]);
          }
          Inverse(m, coef, block);
          for (int y = 0; y < 8; ++y) {
            float* row = acc.ptr<float>(by + y) + bx;
            for (int x = 0; x < 8; ++x) row[x] += block[y * 8 + x] + kLevelShift;
          }
        }
  const int grids = shifts_per_axis * shifts_per_axis;
  return acc(cv::Rect(kBlock, kBlock, plane.cols, plane.rows)) / grids;
}

// Holds `estimate` within half a quantizer step of `stored`'s coefficients on
// the grid at (ox, oy). Partial blocks at the borders are left as they are.
void ConstrainToStored(const cv::Mat& stored, const std::array<uint16_t, 64>& q, int ox, int oy,
                       cv::Mat& estimate) {
  static const DctMatrix m;
  float block[64], c0[64], c1[64];
  for (int by = oy; by + kBlock <= stored.rows; by += kBlock)
    for (int bx = ox; bx + kBlock <= stored.cols; bx += kBlock) {
      for (int y = 0; y < 8; ++y)
        for (int x = 0; x < 8; ++x) block[y * 8 + x] = stored.at<float>(by + y, bx + x) - kLevelShift;
      Forward(m, block, c0);
      for (int y = 0; y < 8; ++y)
        for (int x = 0; x < 8; ++x) block[y * 8 + x] = estimate.at<float>(by + y, bx + x) - kLevelShift;
      Forward(m, block, c1);
      for (int i = 0; i < 64; ++i) {
        // The stored coefficient is the nearest lattice point to the decoded one.
        const float centre = q[i] * std::nearbyint(c0[i] / q[i]);
        c1[i] = std::min(std::max(c1[i], centre - 0.5f * q[i]), centre + 0.5f * q[i]);
      }
      Inverse(m, c1, block);
      for (int y = 0; y < 8; ++y)
        for (int x = 0; x < 8; ++x) estimate.at<float>(by + y, bx + x) = block[y * 8 + x] + kLevelShift;
    }
}

cv::Mat DeblockPlane(const cv::Mat& plane, const std::array<uint16_t, 64>& q, int ox, int oy,
                     const DeblockOptions& options) {
  cv::Mat out = AverageOfShiftedRequantisations(plane, q, ox, oy, options.shifts_per_axis,
                                                options.threshold_per_step);
  if (options.constrain_to_stored) ConstrainToStored(plane, q, ox % kBlock, oy % kBlock, out);
  return out;
}

// A chroma plane at the resolution the file stored it, repaired there; the
// change is brought back to full resolution.
cv::Mat DeblockChroma(const cv::Mat& plane, const DeblockOptions& o) {
  const int sx = o.chroma_subsample_x, sy = o.chroma_subsample_y;
  if (sx == 1 && sy == 1) return DeblockPlane(plane, o.chroma_table, o.grid_offset_x, o.grid_offset_y, o);
  // Whole multiples of the subsampling, so that the reduction is an exact box
  // average (as the encoder's) and the same in a strip as in the image.
  cv::Mat whole, small;
  cv::copyMakeBorder(plane, whole, 0, (sy - plane.rows % sy) % sy, 0, (sx - plane.cols % sx) % sx,
                     cv::BORDER_REPLICATE);
  cv::resize(whole, small, cv::Size(whole.cols / sx, whole.rows / sy), 0, 0, cv::INTER_AREA);
  const int ox = (o.grid_offset_x % (kBlock * sx) + sx / 2) / sx;
  const int oy = (o.grid_offset_y % (kBlock * sy) + sy / 2) / sy;
  cv::Mat change = DeblockPlane(small, o.chroma_table, ox, oy, o) - small;
  cv::resize(change, change, whole.size(), 0, 0, cv::INTER_LINEAR);
  return plane + change(cv::Rect(0, 0, plane.cols, plane.rows));
}

// The repair of a whole strip (or image), options already checked.
cv::Mat DeblockPiece(const cv::Mat& pixels, const DeblockOptions& options);

bool ValidTable(const std::array<uint16_t, 64>& t) {
  for (uint16_t v : t)
    if (v == 0) return false;
  return true;
}

std::array<uint16_t, 64> Transposed(const std::array<uint16_t, 64>& t) {
  std::array<uint16_t, 64> out;
  for (int y = 0; y < 8; ++y)
    for (int x = 0; x < 8; ++x) out[x * 8 + y] = t[y * 8 + x];
  return out;
}

}  // namespace

DeblockOptions DeblockOptionsForQuality(int quality) {
  DeblockOptions o;
  o.luma_table = IjgQuantTable(quality, /*chroma=*/false);
  o.chroma_table = IjgQuantTable(quality, /*chroma=*/true);
  return o;
}

absl::StatusOr<DeblockOptions> DeblockOptionsFromJpeg(const ImageInfo& info) {
  if (!info.jpeg || info.jpeg->quant_tables.empty() || info.jpeg->component_table.empty())
    return absl::FailedPreconditionError("not a JPEG file: its quantization tables are unknown");
  const JpegInfo& j = *info.jpeg;
  auto table = [&](size_t component) {
    const int slot = j.component_table[std::min(component, j.component_table.size() - 1)];
    return j.quant_tables[std::min<size_t>(size_t(std::max(slot, 0)), j.quant_tables.size() - 1)];
  };
  DeblockOptions o;
  o.luma_table = table(0);
  o.chroma_table = table(1);
  const std::string& s = j.subsampling;
  o.chroma_subsample_x = (s == "4:2:0" || s == "4:2:2") ? 2 : s == "4:1:1" ? 4 : 1;
  o.chroma_subsample_y = (s == "4:2:0" || s == "4:4:0") ? 2 : 1;
  // The grid starts at 0 in the stored picture; follow the EXIF orientation.
  const int r = info.exif_orientation;
  const bool transposed = r >= 5 && r <= 8;
  if (transposed) {
    o.luma_table = Transposed(o.luma_table);
    o.chroma_table = Transposed(o.chroma_table);
    std::swap(o.chroma_subsample_x, o.chroma_subsample_y);
  }
  const int mcu_x = kBlock * o.chroma_subsample_x, mcu_y = kBlock * o.chroma_subsample_y;
  if (r == 2 || r == 3 || r == 6 || r == 7) o.grid_offset_x = (mcu_x - info.width % mcu_x) % mcu_x;
  if (r == 3 || r == 4 || r == 7 || r == 8) o.grid_offset_y = (mcu_y - info.height % mcu_y) % mcu_y;
  return o;
}

absl::StatusOr<cv::Mat> Deblock(const cv::Mat& pixels, const DeblockOptions& options) {
  const int channels = pixels.channels();
  if (pixels.empty() || (pixels.depth() != CV_8U && pixels.depth() != CV_16U) ||
      (channels != 1 && channels != 3 && channels != 4))
    return absl::InvalidArgumentError("deblock needs an 8/16-bit gray, BGR or BGRA image");
  if (!ValidTable(options.luma_table) || (channels > 1 && !ValidTable(options.chroma_table)))
    return absl::InvalidArgumentError("deblock needs quantization tables with steps ≥ 1");
  if (options.shifts_per_axis != 1 && options.shifts_per_axis != 2 && options.shifts_per_axis != 4 &&
      options.shifts_per_axis != 8)
    return absl::InvalidArgumentError("deblock shifts per axis must be 1, 2, 4 or 8");
  for (int s : {options.chroma_subsample_x, options.chroma_subsample_y})
    if (s != 1 && s != 2 && s != 4) return absl::InvalidArgumentError("chroma subsampling must be 1, 2 or 4");
  if (!(options.strength >= 0 && options.strength <= 1))
    return absl::InvalidArgumentError("deblock strength must be within 0–1");

  const int rows = pixels.rows;
  const int strip = options.strip_rows > 0
                        ? (options.strip_rows + kStripAlignPx - 1) / kStripAlignPx * kStripAlignPx
                        : rows;
  cv::Mat out(pixels.size(), pixels.type());
  const int strips = (rows + strip - 1) / strip;
  // Strips are independent: a batch of them runs on OpenCV's threads, and
  // progress is reported between batches.
  const int batch = std::max(1, cv::getNumThreads());
  for (int first = 0; first < strips; first += batch) {
    const int last = std::min(strips, first + batch);
    cv::parallel_for_(cv::Range(first, last), [&](const cv::Range& range) {
      for (int k = range.start; k < range.end; ++k) {
        const int y0 = k * strip, y1 = std::min(rows, y0 + strip);
        const int r0 = std::max(0, y0 - kStripMarginPx), r1 = std::min(rows, y1 + kStripMarginPx);
        const cv::Mat piece = DeblockPiece(pixels.rowRange(r0, r1), options);
        piece.rowRange(y0 - r0, y1 - r0).copyTo(out.rowRange(y0, y1));
      }
    });
    if (options.progress && !options.progress(double(std::min(rows, last * strip)) / rows))
      return absl::CancelledError("deblocking cancelled");
  }
  return out;
}

namespace {

cv::Mat DeblockPiece(const cv::Mat& pixels, const DeblockOptions& options) {
  const int channels = pixels.channels();
  const double to8 = pixels.depth() == CV_16U ? 1.0 / 257.0 : 1.0;
  std::vector<cv::Mat> planes;
  cv::split(pixels, planes);
  cv::Mat colour;
  if (channels == 1) {
    planes[0].convertTo(colour, CV_32F, to8);
  } else {
    cv::merge(std::vector<cv::Mat>(planes.begin(), planes.begin() + 3), colour);
    colour.convertTo(colour, CV_32F, to8);
  }

  cv::Mat repaired;
  if (channels == 1) {
    repaired = DeblockPlane(colour, options.luma_table, options.grid_offset_x, options.grid_offset_y, options);
  } else {
    // JPEG's full-range YCbCr (JFIF), in 8-bit units.
    const cv::Matx34f to_ycc(kLumaWeightsBgr[0], kLumaWeightsBgr[1], kLumaWeightsBgr[2], 0.f,  //
                             0.5f, -0.331264f, -0.168736f, 128.f,          //
                             -0.081312f, -0.418688f, 0.5f, 128.f);
    const cv::Matx34f to_bgr(1.f, 1.772f, 0.f, -1.772f * 128.f,            //
                             1.f, -0.344136f, -0.714136f, (0.344136f + 0.714136f) * 128.f,  //
                             1.f, 0.f, 1.402f, -1.402f * 128.f);
    cv::Mat ycc;
    cv::transform(colour, ycc, to_ycc);
    std::vector<cv::Mat> yc;
    cv::split(ycc, yc);
    yc[0] = DeblockPlane(yc[0], options.luma_table, options.grid_offset_x, options.grid_offset_y, options);
    yc[1] = DeblockChroma(yc[1], options);
    yc[2] = DeblockChroma(yc[2], options);
    cv::merge(yc, ycc);
    cv::transform(ycc, repaired, to_bgr);
  }
  if (options.strength < 1) repaired = colour + options.strength * (repaired - colour);

  cv::Mat out;
  repaired.convertTo(out, pixels.depth(), 1.0 / to8);  // rounds and saturates
  if (channels == 4) {
    std::vector<cv::Mat> result;
    cv::split(out, result);
    result.push_back(planes[3]);
    cv::merge(result, out);
  }
  return out;
}

}  // namespace
}  // namespace acuity

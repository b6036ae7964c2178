// JPEG compression repair: removes 8×8 blocking and ringing by re-applying
// the image's own JPEG quantization on shifted grids (after Nosratinia 2001,
// "Enhancement of JPEG-compressed images by re-application of JPEG"): the
// picture is cut into 8×8 blocks at every one of the 64 grid offsets, each
// block is transformed (DCT), the coefficients smaller than a fraction of
// their quantizer step are zeroed (Nosratinia re-quantizes them instead;
// thresholding measured slightly better), and the 64 reconstructions are
// averaged. Block edges and ringing differ from one grid to the next and
// average out; detail that the quantization kept survives in all of them. The result is then made
// consistent with what the file really stored: on the original grid each
// DCT coefficient is held within half a quantizer step of the decoded one
// (projection onto the quantization constraint set).
//
// The quantizer steps come from the file's own tables when the pixels are
// still the decoded JPEG, otherwise from IJG's tables at a quality (given, or
// estimated from the pixels by analysis/compression.h).
//
//   acuity::DeblockOptions options = acuity::DeblockOptionsForQuality(30);
//   absl::StatusOr<cv::Mat> out = acuity::Deblock(image.pixels, options);
//
//   // A JPEG decoded as is: its tables, its chroma subsampling.
//   absl::StatusOr<acuity::DeblockOptions> o = acuity::DeblockOptionsFromJpeg(image.info);
#ifndef ACUITY_ENHANCE_DEBLOCK_H_
#define ACUITY_ENHANCE_DEBLOCK_H_

#include <array>
#include <cstdint>
#include <functional>

#include <opencv2/core.hpp>

#include "absl/status/statusor.h"
#include "analysis/io/image.h"

namespace acuity {

struct DeblockOptions {
  // Quantizer steps in natural (row-major) order, as in JpegInfo.
  std::array<uint16_t, 64> luma_table{};
  std::array<uint16_t, 64> chroma_table{};
  // Chroma resolution the file stored, as a divisor of the luma resolution
  // (2, 2 for 4:2:0; 2, 1 for 4:2:2; 1, 1 for 4:4:4; 4, 1 for 4:1:1).
  int chroma_subsample_x = 2;
  int chroma_subsample_y = 2;
  // Where the 8×8 grid starts, px (0–7): 0 for a JPEG decoded as is.
  int grid_offset_x = 0;
  int grid_offset_y = 0;
  // Shifted grids per axis: 8 = all 64 (best), 4 = 16 (4× faster), 2 = 4.
  int shifts_per_axis = 8;
  // > 0: instead of re-quantizing, zero the AC coefficients smaller than
  // this many quantizer steps (hard thresholding) on every shifted grid;
  // 0: re-quantize as Nosratinia does. 0.35 measured best (deblock_bench:
  // +0.1 dB over re-quantization at quality 10–30).
  double threshold_per_step = 0.35;
  // Hold the result within half a quantizer step of the stored coefficients
  // on the original grid. Right when the tables and grid are the file's.
  bool constrain_to_stored = true;
  // 0–1: blend between the input (0) and the full repair (1).
  double strength = 1.0;
  // Called with the fraction done (0–1) as strips finish; return false to
  // cancel (Deblock then returns Cancelled). May be empty.
  std::function<bool(double)> progress;
  // Rows per strip (rounded up to a multiple of 32; each strip is repaired
  // with a 64-row margin, so the result equals the unstripped one); ≤ 0 =
  // the whole image at once.
  int strip_rows = 256;
};

// IJG's tables at `quality` (1–100), 4:2:0 chroma, grid at 0.
DeblockOptions DeblockOptionsForQuality(int quality);

// The file's own tables and subsampling, with the tables and grid turned to
// follow the EXIF orientation the loader applied. FailedPrecondition when
// `info` is not a JPEG's.
absl::StatusOr<DeblockOptions> DeblockOptionsFromJpeg(const ImageInfo& info);

// CV_8U/CV_16U, 1, 3 or 4 channels in; the same type out (alpha untouched).
// InvalidArgument for an unsupported layout or options out of range.
absl::StatusOr<cv::Mat> Deblock(const cv::Mat& pixels, const DeblockOptions& options);

}  // namespace acuity

#endif  // ACUITY_ENHANCE_DEBLOCK_H_

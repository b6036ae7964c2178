// Traces of past JPEG compression in decoded pixels (a PNG re-save of a
// JPEG, a screenshot of one): where the 8×8 block grid lies, and which IJG
// quality's luma quantization table best explains the lattice on which the
// blockwise DCT coefficients of the luma sit.
//
// JPEG stores each 8×8 block's DCT coefficient F(u,v) as an integer multiple
// of the table's step Q(u,v); decoding and rounding to 8 bits only blur this
// lattice by ≈ 0.4 (coefficient units), so, on the right grid, coefficients
// cluster at k·Q(u,v). For a candidate step q a coefficient's evidence is the
// log-likelihood ratio of "on a lattice of step q, Gaussian noise σ" versus
// "anywhere in its quantization cell", over coefficients outside the zero
// cell. Candidate IJG qualities are scored by the summed evidence of their
// steps; a never-compressed image has no positive evidence anywhere.
//
//   cv::Mat luma = acuity::LumaF32(pixels);
//   cv::Mat usable = acuity::UnclippedMask(pixels);
//   acuity::JpegGrid grid = acuity::DetectJpegGrid(luma, usable);
//   acuity::PixelQualityEstimate q = acuity::EstimateJpegQualityFromPixels(luma, usable, grid);
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_COMPRESSION_PIXELS_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_COMPRESSION_PIXELS_H_

#include <optional>

#include <opencv2/core.hpp>

namespace acuity {

// CV_8UC1, 255 where no channel is clipped (at 0 or full white): clipping
// after the colour conversion moves luma off the DCT lattice.
cv::Mat UnclippedMask(const cv::Mat& pixels);

struct JpegGrid {
  int offset_x = 0;  // px: block columns start at x ≡ offset_x (mod 8)
  int offset_y = 0;  // px
  // Lattice evidence (nats) of the best offset and the margin over the
  // runner-up offset; a real grid has a large margin.
  double evidence = 0;
  double margin = 0;
};

// The 8×8 grid offset with the strongest DCT-lattice evidence, from a sample
// of at most `max_blocks` blocks per offset.
JpegGrid DetectJpegGrid(const cv::Mat& luma, const cv::Mat& usable, int max_blocks = 400);

struct PixelQualityEstimate {
  std::optional<double> quality;  // IJG quality 1–100; empty when no lattice
  double evidence = 0;            // summed lattice evidence of the best quality (nats)
  double evidence_per_block = 0;  // evidence / number of blocks used
  int blocks_used = 0;
};

// Scores IJG qualities 1–99 on the blocks of `grid` (at most `max_blocks`,
// evenly spread, whole blocks with every pixel usable).
PixelQualityEstimate EstimateJpegQualityFromPixels(const cv::Mat& luma, const cv::Mat& usable,
                                                   const JpegGrid& grid, int max_blocks = 12000);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_COMPRESSION_PIXELS_H_

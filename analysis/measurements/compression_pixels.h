// Traces of past JPEG compression in decoded pixels (a PNG re-save of a
// JPEG, a screenshot of one): where the 8×8 block grid lies, and the luma
// quantization table — IJG's of some quality, or any other shape read step
// by step — that explains the lattice on which the blockwise DCT
// coefficients of the luma sit.
//
// JPEG stores each 8×8 block's DCT coefficient F(u,v) as an integer multiple
// of the table's step Q(u,v); decoding and rounding to 8 bits only blur this
// lattice by ≈ 0.4 (coefficient units), so, on the right grid, coefficients
// cluster at k·Q(u,v). For a candidate step q a coefficient's evidence is the
// log-likelihood ratio of "on a lattice of step q, Gaussian noise σ" versus
// "anywhere in its quantization cell", over coefficients outside the zero
// cell. Each frequency's step is the one with the most evidence (the
// standard forensic reading of the coefficient histogram's period); IJG
// qualities are scored by the summed evidence of their steps and kept when
// they explain nearly all of it; a never-compressed image has no strong
// evidence anywhere.
//
//   cv::Mat luma = acuity::LumaF32(pixels);
//   cv::Mat usable = acuity::UnclippedMask(pixels);
//   acuity::JpegGrid grid = acuity::DetectJpegGrid(luma, usable);
//   acuity::PixelQualityEstimate q = acuity::EstimateJpegQualityFromPixels(luma, usable, grid);
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_COMPRESSION_PIXELS_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_COMPRESSION_PIXELS_H_

#include <array>
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
  // IJG quality 1–100; empty when no lattice. When `ijg_tables`, the quality
  // whose IJG luma table the lattice fits best (0.5 steps); otherwise the
  // equivalent IJG quality (equivalent_quality.h, luma weight 1) of the luma
  // table estimated step by step (`steps`, the others completed by a fit).
  std::optional<double> quality;
  bool ijg_tables = false;
  // The luma step of each DCT frequency (natural order) that the lattice
  // shows; 0 where it does not (too few coefficients outside the zero cell).
  std::array<int, 64> steps{};
  int steps_found = 0;
  double evidence = 0;            // summed lattice evidence of the chosen table (nats)
  double evidence_per_block = 0;  // evidence / number of blocks used
  int blocks_used = 0;
};

// Reads the luma quantization table from the DCT lattice of the blocks of
// `grid` (at most `max_blocks`, evenly spread, whole blocks with every pixel
// usable): each frequency's step is the one with the most lattice evidence
// (the coefficient histogram's period); IJG's table of the best quality 1–99
// is kept when it explains nearly as much, any table shape otherwise.
PixelQualityEstimate EstimateJpegQualityFromPixels(const cv::Mat& luma, const cv::Mat& usable,
                                                   const JpegGrid& grid, int max_blocks = 12000);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_COMPRESSION_PIXELS_H_

// Private helper of native_scale.cc: drawn content (screenshots, UI,
// charts) read on its pixel grid, where the resampling periodicity cannot be:
// its exactly flat runs make column-repeat shares meaningless (a flat panel
// repeats every column) and its text rows and glyph pitch make cyclic peaks.
// Three exact facts replace them:
//  * a nearest-neighbour upscale by an integer f changes value only at the
//    source pixels' borders, so the boundaries where a line changes at all
//    lie on a lattice of period f (gaps that are multiples of f, never 1);
//  * interpolation (bilinear, bicubic, Lanczos) spreads every step over
//    more than one pixel, so a step that leaves an exactly flat run and
//    lands in another one pixel later, or a 1-px line between two exactly
//    flat runs, exists only at native resolution (or after a nearest-
//    neighbour upscale, which the lattice and the repeats tell).
//  * a nearest-neighbour upscale by f repeats a column at most ⌈f⌉ − 1
//    times in a row, where a drawn page repeats its margins for dozens.
//
//   acuity::PixelGrid g = acuity::ReadPixelGrid(luma, 0.985);
//   if (g.lattice_factor) return 1.0 / *g.lattice_factor;   // nearest-neighbour f×
//   if (acuity::PixelExact(g)) return 1.0;                   // native drawn content
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_PIXEL_GRID_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_PIXEL_GRID_H_

#include <optional>
#include <vector>

#include <opencv2/core.hpp>

namespace acuity {

struct PixelGrid {
  std::optional<double> lattice_factor;  // nearest-neighbour factor from the change lattice
  int exact_steps = 0;                   // strong steps out of a flat run into one, or a 1-px line
  int flat_steps = 0;                    // strong steps out of a flat run
  std::vector<int> repeat_runs;          // lengths of the runs of repeated columns (rows), both axes
};


// Both axes of `luma` (CV_32FC1, 8-bit units; the analysed window). A
// boundary between two columns (rows) is a repeat when the two are equal in
// at least `dup_row_share` of the rows.
PixelGrid ReadPixelGrid(const cv::Mat& luma, double dup_row_share);

// Do the repeated columns come in the runs a nearest-neighbour upscale by f
// makes (at most ⌈f⌉ − 1 long), rather than a drawn page's margins?
bool RepeatsFit(const PixelGrid& grid, double f);

// Native drawn content: many exact steps, and few short runs of repeats
// (a nearest-neighbour upscale keeps exact steps but makes such runs).
bool PixelExact(const PixelGrid& grid);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_PIXEL_GRID_H_

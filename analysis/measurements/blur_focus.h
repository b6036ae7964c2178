// The blur of a photo's sharpest part, for photos sharp in one part and much
// softer elsewhere: a shallow depth of field (a portrait against a blurred
// background, a bird against the sky, a product shot at f/1.8). A photographer
// judges such a photo by its focused subject; the whole-frame blur reading
// (blur.h) averages in the background and calls it soft, and a sharpen would
// only add halos to the subject. The sharpest part is taken as the intended
// focus: a photo whose subject missed focus while the background is crisp
// reads sharp.
//
// Method: the step-model edge σ readings (blur.h) are pooled in cells of
// kFocusCellPx; each cell with kFocusMinCellEdges edges gets their median,
// then the median of its 3×3 neighbourhood (at least 5 measured cells: a
// lone crisp cell in a soft photo is noise, a focused subject spans several).
// The photo has a shallow depth of field when the value the sharpest
// kFocusShare of the frame's cells reach is at most kFocusRatio of the cells'
// median and kFocusGapPx below it; the part in focus is then the cells
// nearer that value than the median, and its σ the median of their edges. On generated
// ladders (8 scikit-image photos; an ellipse of 5–20 % of the frame kept
// sharp or blurred 1.5 px, the rest blurred 2.5 or 5 px; and the same
// photos blurred evenly by 0–3 px) no evenly blurred photo is read as
// shallow and 32 of 48 sharp subjects are found (the rest fall on flat
// areas or are silhouettes, with too few edges to read); on held-out photos
// (blur_focus_test.cc) none of 16 evenly blurred, 20 of 24 sharp subjects
// read sharp; docs/advice.md.
//
//   std::optional<acuity::FocusReading> f = acuity::ReadFocus(edges, {cv::Rect(0, 0, w, h)});
//   if (f) fmt::print("σ {:.2f} px in focus over {:.0f} %\n", f->in_focus_sigma_px, f->in_focus_area_pct);
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_BLUR_FOCUS_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_BLUR_FOCUS_H_

#include <optional>
#include <vector>

#include <opencv2/core.hpp>

namespace acuity {

inline constexpr int kFocusCellPx = 32;        // side of a cell, px
inline constexpr int kFocusMinCellEdges = 3;   // edge readings a cell needs
inline constexpr double kFocusShare = 0.02;    // share of the frame's cells the focus must cover
inline constexpr double kFocusRatio = 0.5;     // in-focus σ ≤ this × the cells' median σ
inline constexpr double kFocusGapPx = 1.0;     // ... and at least this far below it, px

// One edge's blur reading: where (image px) and its σ (px).
struct FocusEdge {
  int row = 0, col = 0;
  float sigma_px = 0;
};

struct FocusReading {
  double in_focus_sigma_px = 0;      // the sharpest part's blur σ, px
  double out_of_focus_sigma_px = 0;  // the cells' median blur σ, px
  // Share of the read frame whose cells are nearer the first than the
  // second, %: where detail in focus was seen (flat parts of the subject
  // have no edges to read, so this is a lower bound of the focused area).
  double in_focus_area_pct = 0;
};

// `edges`: step-model edge readings (any order) inside `regions`, the parts
// of the image that were read (the whole frame, or blur.h's sample of
// blocks; cells never span two regions). Empty unless the photo is sharp
// in one part and much softer elsewhere. `px_per_native_px`: how much the
// picture was enlarged (1 / native_scale.h's reading; 1 when native): the
// gap is of the picture's native px (kFocusGapPx times it), since an
// enlargement makes every σ, and their spread, that much larger — a
// Lanczos ×3 of an evenly sharp photo read "14 % in focus, the rest blurred
// 2 px as by a shallow depth of field".
std::optional<FocusReading> ReadFocus(const std::vector<FocusEdge>& edges, const std::vector<cv::Rect>& regions,
                                      double px_per_native_px = 1.0);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_BLUR_FOCUS_H_

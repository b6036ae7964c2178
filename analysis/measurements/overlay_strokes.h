// Drawn overlays (text, a logo, a date stamp) on a photo whose pixels were
// coded with loss (a JPEG, lossy WebP, HEIF, AVIF): content_kind.h finds
// them in lossless pixels by their exactly flat fills, which such a coding
// does not keep. What it keeps is the glyphs' crisp strokes: along a row or
// a column, a few pixels of one level (within kStrokeFlat8bit) between two
// strong steps of opposite sign. On a soft photo nothing else is so crisp:
// the photo's own strong edges ramp over its blur. A cluster of such
// strokes is an overlay when its strokes hold one or two levels (the
// glyphs' fill and the ground between them: kStrokeLevelsShare), are
// clearly crisper than the photo's own crispest edges
// (kOverlayCrispnessMargin), and the picture around it has next to no
// stroke (kMaxStrokesAroundPct): a photo sharp throughout, or its part in
// focus, has strokes of every level everywhere in it, and its readings are
// not misled by crisp text anyway.
//
//   double pct = 0;
//   cv::Mat blocks = acuity::LossyOverlayBlocks(luma8, hidden, &pct);  // one cell per kOverlayBlockPx block
//
// Found on DejaVu text (a date stamp, a watermark, a caption, a logo) over
// scikit-image photos blurred by 1.5 and 3 px at JPEG q75 and q90: none on
// the same photos without text, sharp or soft, nor on photos sharp in one
// part only; text of strokes a pixel wide (a 13-px caption) is mostly not
// found. Tests: content_kind_test.cc, analyze_test.cc.
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_OVERLAY_STROKES_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_OVERLAY_STROKES_H_

#include <opencv2/core.hpp>

namespace acuity {

// A stroke's width, px, at most (a 40-px bold glyph's stem is 6–7 px).
inline constexpr int kStrokeMaxPx = 8;
// Its pixels' range of luma, 8-bit levels, at most (a JPEG's ringing).
inline constexpr int kStrokeFlat8bit = 12;
// A stroke's steps are made in one pixel: each at least this share of the
// change from the level kStrokeGroundPx px beyond it. A drawn glyph's edge,
// antialiased and through a JPEG, changes level mostly within a pixel; a
// soft photo's own high-contrast edge ramps over several (a cup's clipped
// rim blurred by σ 1 px: its largest step is 38 % of its span), and read
// as a drawn overlay on coffee blurred 0.8–1.2 px.
inline constexpr double kStrokeStepShare = 0.5;
inline constexpr int kStrokeGroundPx = 3;
// A cluster's stroke pixels within ±kStrokeFlat8bit of its two commonest
// levels, at least this share.
inline constexpr double kStrokeLevelsShare = 0.7;
// Stroke pixels a cluster needs, at least.
inline constexpr int kMinClusterStrokePx = 40;
// A cluster's strokes, the median of their crispness (their weaker step's
// share of the change across it, read over kStrokeGroundPx px of ground),
// at least this much above the photo's own crispest edges: the 90th
// percentile of that share over its strong steps (kStrongStep8bit) that
// change monotonically over kStrokeGroundPx px on either side, away from
// any stroke (a block around) and from hidden pixels — read when there are
// at least kMinReferenceEdges of them; with fewer there is too little of the
// photo to compare with (a soft photo, or one the strokes' blocks cover),
// and the cluster is kept. A photo blurred by 0.6–0.9 px keeps strokes of
// its own (rocket's lit gantry beams, camera's tripod and coat), no crisper
// than its edges: 9 of 152 such JPEG files read an overlay without this
// test, 1 with it; drawn DejaVu text on photos blurred 0.8–3 px is found as
// often as before, but for 2 of 240 files (datasets/overlay_crisp_photos.py,
// the set the margin was chosen on; datasets/RESULTS.md, "Photos nearly as
// crisp as text"), and on the held-out set of datasets/overlay_jpeg.sh more
// often (59 % of the blurred files with text, 55 % before); so is OpenCV's
// softer Hershey text on photos blurred 2 px (content_kind_test.cc).
inline constexpr double kOverlayCrispnessMargin = 0.2;
inline constexpr int kMinReferenceEdges = 50;
// Stroke pixels outside the clusters (and 2 blocks around them), % of the
// shown pixels, at most.
inline constexpr double kMaxStrokesAroundPct = 0.05;

// CV_8U, non-zero on the interior pixels of strokes of `luma8` (CV_8U):
// runs of 1–kStrokeMaxPx pixels along a row or a column, between two steps
// of at least `strong_step_8bit` levels of opposite sign, whose levels span
// at most kStrokeFlat8bit. The value is the stroke's crispness, 1–255 for
// 0–1: its weaker step's share of the change across it (kStrokeStepShare
// and up; the crisper of a row's and a column's stroke through the pixel).
cv::Mat StrokeInteriors(const cv::Mat& luma8, int strong_step_8bit);

// The overlay's kOverlayBlockPx blocks (CV_8U, 255; content_kind.h
// ContentResult::overlay_blocks) found by their strokes in `luma8`, and in
// *overlay_pct the share of the picture they cover, %; an empty Mat and 0
// when none (or over kMaxOverlayPct). `hidden` (CV_8U, may be empty): the
// pixels that do not show.
cv::Mat LossyOverlayBlocks(const cv::Mat& luma8, const cv::Mat& hidden, double* overlay_pct);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_OVERLAY_STROKES_H_

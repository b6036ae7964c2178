// Where an output's pixels come from in its input, for QA (analysis/advice/
// qa.h): an enhancement that also reconciles the aspect ratio with a target
// (`--fit crop`, `--fit pad`, a `crop:WxH` step) shows only part of the input,
// or the whole input on a wider canvas. Comparing such an output with the
// whole input stretched to its size counts the crop or the border as damage;
// QA compares the part of the input the output shows with the part of the
// output that shows it. Found from the pixels (the output need not come from
// acuity): each geometry the enhancer can produce is tried at a working
// resolution and the one that matches best is kept.
//
//   acuity::QaAlignment a = acuity::AlignForQa(input.pixels, output.pixels);
//   if (a.geometry == acuity::QaGeometry::kCrop) {
//     cv::Mat kept = input.pixels(a.input_rect), shown = output.pixels(a.output_rect);
//   }
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_QA_ALIGNMENT_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_QA_ALIGNMENT_H_

#include <opencv2/core.hpp>

namespace acuity {

enum class QaGeometry {
  kSame,     // the output shows the whole input, same aspect (up to a pixel's rounding)
  kCrop,     // the output shows part of the input (a band, or a window at 1:1)
  kPad,      // the output shows the whole input on a larger canvas (a border)
  kStretch,  // the output shows the whole input with another aspect: distorted
};
const char* QaGeometryName(QaGeometry geometry);  // "same" | "crop" | "pad" | "stretch"

struct QaAlignment {
  QaGeometry geometry = QaGeometry::kSame;
  cv::Rect input_rect;   // input px: the part of the input the output shows
  cv::Rect output_rect;  // output px: where that part lies in the output
  // How far the output's aspect departs from that of what it shows, % of
  // the input part's aspect (|(w_o/h_o) / (w_i/h_i) − 1| × 100): a pixel's
  // rounding for kSame, kCrop and kPad; the distortion for kStretch.
  double aspect_change_pct = 0;
  // Luma RMSE, 8-bit levels, of the kept geometry at the working resolution
  // (the input's long side at most kQaAlignWorkingPx); and that of the plain
  // stretch, which the kept geometry had to beat. Both 0 when kSame was
  // decided from the sizes alone.
  double match_rmse_8bit = 0;
  double stretch_rmse_8bit = 0;
};

// Long side, px, of the input at the resolution the geometries are tried at.
inline constexpr int kQaAlignWorkingPx = 512;
// Long side, px, of the input at which the best geometry's placement is
// refined (a few pixels around the working resolution's).
inline constexpr int kQaAlignFinePx = 2048;

// `input` and `output`: CV_8U or CV_16U, 1, 3 or 4 channels. Never throws
// past OpenCV's own allocation failures.
QaAlignment AlignForQa(const cv::Mat& input, const cv::Mat& output);

// A turned or mirrored output (an EXIF orientation lost by a program that
// kept the stored pixels, or applied twice; a flip on the way): the input
// so oriented matches the output stretched to it with at most this share of
// the upright input's luma RMSE…
inline constexpr double kQaTurnMustBeatUpright = 0.5;
// …and the upright input differs from it by at least this much, 8-bit
// levels (below it the picture looks alike either way: flat, symmetric).
inline constexpr double kQaTurnMinUprightRmse8bit = 4.0;

// How the output shows the input: mirrored left to right or not, then
// turned clockwise by 0, 90, 180 or 270 degrees (image_ops.h Oriented) —
// the eight EXIF orientations: 2 is a mirror, 4 a mirror turned 180° (a
// flip top to bottom), 5 a mirror turned 270° (the transpose), 7 a mirror
// turned 90° (the transverse). Upright and unmirrored when none matches
// clearly better.
struct QaOrientation {
  bool mirrored = false;
  int turned_deg = 0;
};

// Compared at the working resolution, each stretched to the other's frame.
// Same inputs as AlignForQa.
QaOrientation FindOrientationForQa(const cv::Mat& input, const cv::Mat& output);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_QA_ALIGNMENT_H_

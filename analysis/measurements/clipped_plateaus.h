// Clipped highlights and shadows of a photo, told apart from fills drawn on
// it. Both are exactly flat areas at full white (or full black) with strong
// steps at their edge, so the content kind (content_kind.h) read an
// overexposed photo's blown-out sky or rocket as a drawn fill: a colour
// photo brightened ×2 read "drawn on it 13 %", a grass texture ×2.5
// "synthetic". What sets clipping apart is the plateau's rim: a photo runs
// on towards the level it clipped at, through pixels whose luma is close to
// it, except where an object's own edge bounds the plateau. A fill drawn on
// a photo steps down to the photo all round: its anti-aliased rim is a
// blend, a pixel wide, of the fill and whatever lies beside it.
//
//   const cv::Mat flat = acuity::ExactlyFlatMask(px8);
//   const cv::Mat clipped = acuity::ClippedPlateauMask(px8, flat, hidden);
//   const cv::Mat fill = clipped.empty() ? flat : cv::Mat(flat & ~clipped);
//
// Not told apart: a caption that touches a clipped area joins its plateau,
// and one drawn mostly over areas close to its own level (white over a
// white shirt, black over a shadow) ramps as clipping does; both are read
// as clipped (their steps to those areas are small).
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_CLIPPED_PLATEAUS_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_CLIPPED_PLATEAUS_H_

#include <opencv2/core.hpp>

namespace acuity {

// The rim of a plateau: the pixels within this many px of it that are not
// at its level.
inline constexpr int kClipRimPx = 3;
// A rim pixel ramps on towards the level when its luma is within this many
// 8-bit levels of it and it is not exactly flat itself (a light panel
// beside a white page is another fill). A channel clipped alone is no
// sign: a saturated red (R at 255) is as often a photo's as a caption's
// background.
inline constexpr double kClipRampLevels = 48.0;
// A plateau is clipped when at least this share of its rim ramps.
// Calibrated on scikit-image photos brightened ×1.5–2.5 and darkened
// ×1.5–2 against white and black captions and logos drawn on them:
// datasets/clipped_plateaus.py, which prints the figures.
inline constexpr double kClippedRimShare = 0.4;

// CV_8U, the size of `px8`: 255 on the pixels of `flat` (ExactlyFlatMask of
// `px8`) that lie in clipped plateaus — the 8-connected areas where every
// colour channel is at 0 (or every one at 255) with at least
// kClippedRimShare of their rim (kClipRimPx) ramping on towards that level.
// `px8`: 8-bit gray, BGR or BGRA (alpha not read); `hidden` (CV_8U, may be
// empty): pixels that do not show, in no plateau and no rim whatever colour
// they store. Empty when no flat pixel lies at either level, no plateau is
// clipped, or `px8` is of another kind.
cv::Mat ClippedPlateauMask(const cv::Mat& px8, const cv::Mat& flat, const cv::Mat& hidden = cv::Mat());

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_CLIPPED_PLATEAUS_H_

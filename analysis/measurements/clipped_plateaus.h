// Clipped highlights and shadows of a photo, told apart from fills drawn on
// it. Both are exactly flat areas at an end of the range — full white, full
// black, or a colour with every channel at one end (a red clipped to
// (255,0,0)) — with strong steps at their edge, so the content kind
// (content_kind.h) read an overexposed photo's blown-out sky or rocket as a
// drawn fill: a colour photo brightened ×2 read "drawn on it 13 %", a grass
// texture ×2.5 "synthetic". What sets clipping apart is the plateau's rim:
// a photo runs on towards the colour it clipped at, through pixels close to
// it, except where an object's own edge bounds the plateau. A fill drawn on
// a photo steps down to the photo all round: its anti-aliased rim is a
// blend, a pixel wide, of the fill and whatever lies beside it.
//
//   const cv::Mat flat = acuity::ExactlyFlatMask(px8);
//   const cv::Mat clipped = acuity::ClippedPlateauMask(px8, flat, hidden);
//   const cv::Mat fill = clipped.empty() ? flat : cv::Mat(flat & ~clipped);
//
// Not told apart: a caption that touches a clipped area joins its plateau,
// and one drawn mostly over areas close to its own colour (white over a
// white shirt, black over a shadow) ramps as clipping does; both are read
// as clipped (their steps to those areas are small).
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_CLIPPED_PLATEAUS_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_CLIPPED_PLATEAUS_H_

#include <opencv2/core.hpp>

namespace acuity {

// A plateau is at an end of a channel's range when it is within this many
// 8-bit levels of 255 (or of 0). A photo's tone curve or colour conversion
// often maps its sensor's clipping point below 255: the scikit-image
// astronaut's helmet highlights are flat at 254, with 255 only in specks
// among them (read at 255 alone, they seeded a "drawn on it 10 %").
inline constexpr int kClipLevelSpread = 2;
// The rims of a plateau: the pixels that touch it and are not at its
// corner, and those 2 px out (kClipRimPx, the reach of both).
inline constexpr int kClipRimPx = 2;
// A rim pixel ramps on towards the plateau's colour when its channels
// differ from it by at most this many 8-bit levels on average and it is not
// exactly flat itself (a light panel beside a white page is another fill).
// Towards white or black that is a brightness close to it, whatever the hue
// (a red object's shadow ramps to black through dark reds); towards a
// colour corner it is that hue.
inline constexpr double kClipRampLevels = 48.0;
// A plateau is clipped when at least this share of the pixels that touch
// it ramp ...
inline constexpr double kClipTouchingShare = 0.4;
// ... and at least this share of those 2 px out. The pixels right beside a
// clipped area ramp on towards it more surely than those farther out,
// which an object's own detail often holds; the blend beside an anti-aliased
// stroke is a pixel wide, and beyond it lies the photo the stroke was drawn
// on. Measured once, with a prototype, over the plateaus at white and black
// in the pictures datasets/clipped_plateaus.py writes (20 photos plain and
// exposed, the held-out ones too, and the glyphs and logos drawn on them;
// the script itself prints file counts only): this rule left 506 of the
// photos' 3210 plateaus unclipped where one share of a 3-px rim (0.4) left
// 1272, and judged as many of the 248 drawn pieces clipped, 22; the pixels
// touching alone left 252 and judged 33, and most of a thick anti-aliased
// caption's pieces (clipped_plateaus_test.cc).
inline constexpr double kClipBeyondShare = 0.1;
// A picture whose clipped plateaus at one corner cover at least this share
// of the pixels that show is clipped there, and every plateau at that
// corner is read as clipping: its small specular spots and its highlights
// bounded by an object's dark edge, which no rim tells from a drawn fill,
// seeded most of the overlays read on exposed photos
// (datasets/clipped_plateaus.py, the 120 exposed files of its 20 photos,
// held-out ones included: 27 with an overlay without this share, 10 with
// it; 10 at 1 %, 12 at 5 %). A caption or logo in that colour is then read
// as clipping too (a black one on the astronaut, whose backdrop is crushed
// to black over 9 % of it); one in another colour is not.
inline constexpr double kClippedPictureShare = 0.02;

// CV_8U, the size of `px8`: 255 on the pixels of `flat` (ExactlyFlatMask of
// `px8`) that lie in clipped plateaus — the 8-connected areas at one corner
// of the colour cube (every colour channel within kClipLevelSpread of 0 or
// of 255: black, white, and the six colours between) whose rims ramp on
// towards that corner (kClipTouchingShare, kClipBeyondShare). `px8`: 8-bit
// gray (two corners), BGR or BGRA (alpha not read); `hidden` (CV_8U, may be empty): pixels that do not show, in no plateau and
// no rim whatever colour they store. Empty when no flat pixel lies at a
// corner, no plateau is clipped, or `px8` is of another kind.
cv::Mat ClippedPlateauMask(const cv::Mat& px8, const cv::Mat& flat, const cv::Mat& hidden = cv::Mat());

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_CLIPPED_PLATEAUS_H_

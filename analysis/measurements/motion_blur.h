// Motion blur: the length and direction of a straight camera or subject
// movement during the exposure, which smears every edge along one direction.
// Upscaling and sharpening cannot undo it (they enlarge or steepen the smear);
// the advisor warns about it.
//
// Method: the power cepstrum (the Fourier transform of the log power
// spectrum). A box blur of L px along θ multiplies the spectrum by
// sinc²(π L f·θ), whose evenly spaced zeros make the log spectrum periodic:
// its cepstrum has a sharp negative peak at distance L in direction θ (and a
// weaker one at 2L) — the classic blind motion-blur estimator (Cannon 1976;
// Rom 1975). Periodic structure (fences, brick, text lines) gives positive
// cepstral peaks instead, and a Gaussian or out-of-focus blur an isotropic
// bump that is removed (the median of each ring of the cepstrum is
// subtracted). The power spectrum is averaged over up to 32 Hann-windowed
// 256-px tiles of luma spread over the image (128-px tiles for images under
// 256 px). A second vote reads the same spectrum along the dip's direction:
// a smear crushes the high frequencies along it (and keeps the low ones),
// while content that merely lacks detail in one direction (brick, text,
// fences) lacks its low frequencies there too — the falloff ratio.
//
//   acuity::MotionBlurOptions options;
//   options.compute_map = true;                 // per-cell length, px
//   acuity::MotionBlurMeasurement m = acuity::MeasureMotionBlur(image.pixels, options);
//   if (m.result.detected.value_or(false))
//     fmt::print("motion blur {:.0f} px at {:.0f}°\n", *m.result.length_px, *m.result.angle_deg);
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_MOTION_BLUR_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_MOTION_BLUR_H_

#include <optional>

#include <opencv2/core.hpp>

#include "analysis/measurements/measured.h"

namespace acuity {

// The detection rule (MotionBlurResult::detected): a dip of at least
// kMotionBlurDetectScore robust std-devs whose echo at twice the length is at
// least kMotionBlurMinEchoScore deep (a periodic pattern of period 2L has a
// strong positive peak there). Calibrated on the motion-blur ladder
// (datasets/wild_evaluate.cc; RESULTS.md "Motion blur").
// The shortest smear read, px: a shorter one's own dip is not searched (hard
// edges' aliasing and JPEG blocks dominate there); its echo is recognised
// (MotionBlurResult::echo_of_shorter_smear).
inline constexpr double kMotionBlurMinLengthPx = 6.0;
inline constexpr double kMotionBlurDetectScore = 12.0;
inline constexpr double kMotionBlurMinEchoScore = 0.5;
// The second vote (calibrated on the calibration half of the same ladder): a
// dip of at least kMotionBlurFalloffVoteScore whose falloff ratio is at most
// kMotionBlurMaxFalloffRatio and whose echo is at least
// kMotionBlurFalloffVoteMinEcho (not a periodic pattern's positive peak).
inline constexpr double kMotionBlurFalloffVoteScore = 6.0;
inline constexpr double kMotionBlurMaxFalloffRatio = 0.1;
inline constexpr double kMotionBlurFalloffVoteMinEcho = 0.0;
// Neither vote counts when the falloff ratio is at least this: a smear along
// θ crushes the high band along it (sinc² has its first zero at 1/L), so the
// direction of a smear cannot keep its high frequencies as well as the
// direction across it. Every smear the ladder's votes find reads 0.007–0.77
// (202 files of length ≥ 7 px, and scikit-image's clock_motion 0.007); the
// right half of coffee (a shallow-focus wood grain, sharp cup) read a 20.0
// dip with an echo at 2.09: "smeared by motion" on a sharp photo.
inline constexpr double kMotionBlurNeverSmearFalloffRatio = 1.0;

// The edge witness (motion_edges.h): a smear along θ leaves the edges
// across θ soft; flat graphics (logos, charts, products drawn in flat
// colours) have a smear's cepstrum — a rectangle of width W has the
// spectrum of a box blur of W — but step edges. A detection needs the
// softer edges across θ to read at least kMotionBlurMinEdgeSoftnessPx.
// Calibrated on the motion-blur ladder (smears the spectral votes find read
// 1.49 px and more: the two-scale ratio saturates on long smears) and the
// flat graphics of datasets/wild_evaluate.cc (0.75–1.12 px); RESULTS.md
// "Motion blur".
inline constexpr double kMotionBlurMinEdgeSoftnessPx = 1.3;

// The shortest side read, px: the side of the smallest spectrum tile, which
// holds a smear of up to 31 px and its echo.
inline constexpr int kMotionBlurMinSidePx = 128;

struct MotionBlurResult {
  // True when the image is blurred along one direction by a movement of at
  // least about 6 px: score ≥ 12 and the echo at twice the length is also a
  // dip, not a periodic pattern's peak; or score ≥ 6, echo ≥ 0 and
  // falloff_ratio ≤ 0.1 — and the edges across that direction are soft
  // (edge_softness_px, when measured; when not, the smear is more than one
  // tile's: unwitnessed), and the dip is not the echo of a
  // shorter smear (echo_of_shorter_smear). Empty: image too small (under
  // kMotionBlurMinSidePx on a side: too_small) or flat.
  std::optional<bool> detected;
  // Length of the smear, px (the span of the box that blurred it); empty
  // when not detected. Read between 6 and 40 px (31 px on images under 256 px).
  std::optional<double> length_px;
  // Direction of the movement, degrees in [0, 180): 0 = horizontal, 90 =
  // vertical, counter-clockwise as seen on screen (y up); empty when not detected.
  std::optional<double> angle_deg;
  // Depth of the strongest directional cepstral dip in robust standard
  // deviations of the cepstrum (dimensionless): sharp photos, brick and text
  // mostly read 3–11, motion blur of 7–25 px mostly 12–80 (smooth,
  // low-contrast photos such as the moon less). Fences can read 10–25 but
  // have a peak, not a dip, at twice the length (echo_score < 0).
  std::optional<double> score;
  // The dip's echo at twice the length, robust std-devs: how much deeper the
  // cepstrum is there than at 1.75 and 2.25 times the length on the same
  // line (a photo whose lines run along the smear lays a broad ridge there
  // that hides the echo's depth, not its shape; a periodic pattern puts a
  // peak). Set whenever score is. A dip reaching kMotionBlurDetectScore with
  // an echo under kMotionBlurMinEchoScore is not reported as motion blur.
  std::optional<double> echo_score;
  // Along the dip's direction, the power at 0.08–0.3 cycles/px (noise floor
  // removed) over the power at 0.008–0.02 cycles/px, divided by the same
  // ratio across that direction (dimensionless, ≥ 0): smears of 7–25 px
  // mostly read 0.001–0.1, sharp and Gaussian-blurred photos mostly 0.15–4
  // (fences can read 0, but their echo is a peak). Set whenever score is,
  // unless the perpendicular direction holds no power above the noise.
  std::optional<double> falloff_ratio;
  // How soft the edges across the dip's direction are: the Gaussian σ, px,
  // of the softer fifth of the strong edges whose normal lies within 45° of it
  // (motion_edges.h). Measured when the spectral votes find a smear: the
  // ladder's smears of 7–25 px read 1.32 px and more, flat graphics 0.75–1.1.
  // Empty when not measured (no smear voted, or too few edges).
  std::optional<double> edge_softness_px;
  // True when the strongest dip is the echo of a sharper, deeper one at half
  // its offset: a smear shorter than kMotionBlurMinLengthPx (3–5 px), whose
  // length this method cannot read (the echo of one under noise sits at 1.3–2
  // times its length). Not reported as motion blur, so that no length is
  // made up. Set whenever score is.
  std::optional<bool> echo_of_shorter_smear;
  // True when the dip would be reported as a smear but the image was
  // enlarged (MotionBlurOptions::native_scale under 1) and the dip is
  // shorter than kMotionBlurMinLengthPx of its native pixels: an
  // interpolated upscale puts its kernel's nulls and its source band's edge
  // at a few native pixels along both axes, and the cepstrum reads them as a
  // short smear (coffee enlarged 3× by bicubic read a 6-px smear). Not
  // reported as motion blur; the map's cells follow the same rule. Set
  // whenever score is.
  std::optional<bool> shorter_than_native_pixels;
  // True when not measured because the picture is drawn content
  // (MotionBlurOptions::drawn_content): every other field is then empty,
  // the map zero. Empty otherwise.
  std::optional<bool> drawn_content;
  // True when the spectral votes found a smear but too few edges cross its
  // direction to witness it (edge_softness_px empty), and the tiles without
  // the one that holds the most power show no such smear: one small shape
  // on a plain ground — a bird 24–40 px wide on a clear sky, whose width
  // its box-like spectrum reads as a smear's length (walk 42: "smeared by
  // motion, 39.9 px"). Not reported as motion blur; long smears whose edges
  // go unread (rocket or chelsea smeared 36 px) are in every tile. Set
  // whenever score is.
  std::optional<bool> unwitnessed;
  // True when the deepest point of the dip, read between the cepstrum's
  // samples, lies under kMotionBlurMinLengthPx: the deepest sample sat on
  // the search's inner edge with the dip still falling inwards — a smear
  // shorter than the lengths this reads, or a small shape's edge (a bird
  // 60 px wide on a clear sky read "smeared by motion, 5.5 px"). Not
  // reported as motion blur, so that no length outside 6–40 px is given.
  // Set whenever score is.
  std::optional<bool> under_min_length;
  // True when not measured because the picture is under
  // kMotionBlurMinSidePx on a side (a thumbnail): every other field is then
  // empty. Empty otherwise.
  std::optional<bool> too_small;
};

struct MotionBlurOptions {
  // The map: CV_32FC1, one cell per map_block_px × map_block_px block, the
  // local motion-blur length in px read on that block alone, where the
  // image's smear shows: the block's own reading is a smear by the same rule
  // as `detected` (the spectral votes and the edge witness) along the
  // image's direction (±22.5°). 0 elsewhere, and everywhere when the image
  // is read as no smear — the map shows where the verdict comes from.
  // Coarser and noisier than the global reading.
  bool compute_map = false;
  int map_block_px = 128;  // side of one cell of the map, px (≥ 128)
  // The image's native scale (native_scale.h ResolutionResult::native_scale:
  // 1 native, ≈ 1/f after an f× upscale): a smear is read in native pixels
  // (MotionBlurResult::shorter_than_native_pixels). Whatever enlarged the
  // picture — a kernel, or a network (whose upsampling images the source
  // grid too; a bicubic ×3 of brick reads "ai") —, detail under a few native
  // pixels is the enlargement's, and this method cannot read a smear that
  // short in any picture.
  double native_scale = 1.0;
  // Drawn content (content_kind.h kSynthetic: a screenshot, UI, a chart):
  // nothing was photographed, so no movement is read (MotionBlurResult::
  // drawn_content; a JPEG of a UI screenshot, whose rows of text and
  // subsampled colour edges pass every vote, read "34 px at 90°").
  bool drawn_content = false;
};

// Figures plus the map when MotionBlurOptions::compute_map (measured.h).
using MotionBlurMeasurement = Measured<MotionBlurResult>;

// Degrees between two directions of [0°, 180°) (a movement's angle has no
// sign): 0–90.
double DirectionDifferenceDeg(double a_deg, double b_deg);

// `pixels`: 8- or 16-bit, gray, BGR or BGRA (as Image::pixels). With
// transparency (BGRA as visible_part.h's FillUnderTransparency leaves it),
// only the tiles and map cells at most a quarter hidden are read — the
// smooth fill under the rest reads as a smear along the cut-out's outline —,
// small ones (128 px: smears of up to 31 px) when any large one is more
// hidden than that, and nothing is measured when no tile is mostly seen.
MotionBlurMeasurement MeasureMotionBlur(const cv::Mat& pixels, const MotionBlurOptions& options = {});

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_MOTION_BLUR_H_

// Conversions every measurement starts from, written once: pixels of any
// supported layout (8/16-bit; gray, BGR, BGRA) to float planes in 8-bit units
// (0–255 whatever the source depth), so that σ values are comparable.
//
//   cv::Mat y = acuity::LumaF32(image.pixels);      // CV_32FC1, BT.601 luma, 0–255
//   cv::Mat bgr = acuity::BgrF32(image.pixels);     // CV_32FC3, 0–255
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_IMAGE_OPS_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_IMAGE_OPS_H_

#include <optional>

#include <opencv2/core.hpp>

namespace acuity {

// The box holding every pixel whose colour differs (in any channel) from
// the top-left pixel's: what a product shot on white, a screenshot's
// margins or a letterbox frame leave once their flat surround is taken
// away. An image of one colour gives an empty rect; a photo, the whole
// image. Any depth, 1–4 channels (compared exactly, at the pixels' depth).
cv::Rect FlatSurroundBox(const cv::Mat& pixels);

// Where an upscaling network with a context margin of `margin_px` has to
// run over `pixels` (enhance/tiled_pass.h): the FlatSurroundBox grown by
// the margin, inside the image — beyond it the network sees the flat colour
// alone. Empty for one colour; the whole image for a photo.
cv::Rect NetworkRegion(const cv::Mat& pixels, int margin_px);

// NetworkRegion's share of the image, [0, 1]: 1 for a photo, 0 for one colour.
double NetworkAreaShare(const cv::Mat& pixels, int margin_px);
// The same from the FlatSurroundBox `detail_box` of an image of `image` px,
// without the pixels (the advisor's model choice, from the analysis).
double NetworkAreaShare(const cv::Rect& detail_box, cv::Size image, int margin_px);

// The FlatSurroundBox of an image's crop to `kept`, from the image's own
// `detail_box` (image of `image` px): the box itself when nothing is cut;
// the box in the crop's coordinates when it lies inside the crop and the
// crop's corner is still the surround (whose colour then stays the crop's);
// nullopt when unknown (the box cut, or the corner inside it).
std::optional<cv::Rect> DetailBoxAfterCrop(const cv::Rect& detail_box, const cv::Rect& kept, cv::Size image);

// 255 for 8-bit pixels, 65535 for 16-bit: the value of full white.
double WhiteLevel(const cv::Mat& pixels);

// Share of the samples at the lowest or highest code (0 or full white,
// every channel) from which an image is two-level (IsBilevel).
inline constexpr double kBilevelShare = 0.99;

// True for a two-level image: at least kBilevelShare of its samples black
// or white — black-and-white text and line art, a 1-bit scan, an ordered
// dither or halftone screen. Such an image cannot show a halo (an unsharp
// mask of any amount clips back to the very same pixels) nor a JPEG's
// blocks (a JPEG decode makes levels in between at every edge). Reads a
// photo's first rows only; 8/16-bit pixels (false for others).
bool IsBilevel(const cv::Mat& pixels);

// Distinct colours of 8-bit gray, BGR or BGRA (alpha left out) pixels, those under `hidden` (CV_8U;
// empty: none) left out; the count stops being exact once above
// `stop_above` (the rows are read until then).
int DistinctColours(const cv::Mat& px8, const cv::Mat& hidden, int stop_above = 1 << 30);

// At most this many exact colours make a palette picture: drawn content that
// holds no noise (analyze.h ReconcileReadings) and, when it is not a JPEG
// file, no JPEG blocks (compression.h) — a JPEG decode or noise spreads each
// colour over dozens of values.
inline constexpr int kMaxPaletteColours = 64;

// The count of an 8-bit picture's exact colours (alpha left out; the
// pixels under `hidden`, CV_8U, too: visible_part.h HiddenMask) when it is
// at most kMaxPaletteColours; nullopt otherwise and for other depths. A
// photo is done within its first row.
std::optional<int> PaletteColours(const cv::Mat& pixels, const cv::Mat& hidden = cv::Mat());

// BGR float in 8-bit units; alpha dropped; gray replicated to 3 channels.
cv::Mat BgrF32(const cv::Mat& pixels);

// BT.601 luma weights in OpenCV's channel order: Y = 0.114 B + 0.587 G +
// 0.299 R. The one table every luma in acuity uses (measurements, sharpen,
// deblock's YCbCr).
inline constexpr float kLumaWeightsBgr[3] = {0.114f, 0.587f, 0.299f};

// BT.601 luma (kLumaWeightsBgr) as float in 8-bit units.
cv::Mat LumaF32(const cv::Mat& pixels);

// Row `row` of LumaF32(pixels) for 8/16-bit gray, BGR or BGRA pixels, into
// `out` (pixels.cols floats, 8-bit units): for passes that need the luma of a
// few rows at a time rather than an image-sized buffer.
void LumaRowF32(const cv::Mat& pixels, int row, float* out);

// `pixels` turned clockwise by `degrees` (0, 90, 180 or 270; 0: the same
// pixels), into new pixels (never the caller's buffer).
cv::Mat TurnedClockwise(const cv::Mat& pixels, int degrees);
// `pixels` mirrored left to right when `mirrored`, then turned clockwise by
// `degrees` (TurnedClockwise): any of the eight EXIF orientations.
cv::Mat Oriented(const cv::Mat& pixels, bool mirrored, int degrees);

// 8-bit BGR (or gray stays gray when keep_gray); 16-bit rounded to 8 bits, alpha dropped.
cv::Mat To8Bit(const cv::Mat& pixels, bool keep_gray = false);

// How transparent the picture is, % of its area weighted by transparency
// (a half-transparent pixel counts half): 100 × mean(1 − α). nullopt without
// an alpha channel (opaque by format); 0 for an alpha channel that is opaque
// everywhere.
std::optional<double> TransparentPct(const cv::Mat& pixels);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_IMAGE_OPS_H_

// The part of a picture with transparency that is seen, for measurements.
// Under a transparent pixel a file stores some colour — black, white, the
// photo the product was cut from, or leftovers — that no viewer shows, yet
// every measurement read it: a cut-out of a photo blurred by 2 px read blur
// 1.0–1.3 px with black or white stored under its transparency (the cut's
// outline read as a crisp edge), 2.2 px with the photo kept there, no blur
// at all and noise σ 57 with noise stored there. A measurement reads the
// picture as FillUnderTransparency makes it — the hidden colour replaced by
// a smooth continuation of the visible one, with no edge, no block and no
// step at the outline — and a measurement that picks patches or pixels
// (noise, content kind) leaves out those that HiddenMask marks: a smooth
// fill has no noise to read and is no flat area of the picture.
//
//   const cv::Mat seen = acuity::FillUnderTransparency(image.pixels);
//   cv::Mat hidden = acuity::HiddenMask(seen);   // empty: nothing hidden
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_VISIBLE_PART_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_VISIBLE_PART_H_

#include <opencv2/core.hpp>

namespace acuity {

// A pixel is hidden when its alpha is under half of full (8-bit: under 128):
// mostly the background shows there. Its stored colour is what a viewer
// shows least, and what editors store there varies most.
inline constexpr double kHiddenAlphaShare = 0.5;

// CV_8U, 255 at the hidden pixels of 8/16-bit BGRA `pixels`; an empty Mat
// when there is no alpha channel or no hidden pixel.
cv::Mat HiddenMask(const cv::Mat& pixels);

// `pixels` (8/16-bit; gray, BGR or BGRA) with the colour of each hidden
// pixel replaced by a smooth fill of the visible colour (pull-push: the
// visible pixels' average over ever larger neighbourhoods, blended back
// down), rounded to the pixels' depth; alpha and every visible pixel are
// kept. Returned as it is (the same Mat) without an alpha channel or without
// hidden pixels; when nothing shows, every colour is black (flat: no reading
// finds anything to read).
cv::Mat FillUnderTransparency(const cv::Mat& pixels);

// `pixels` (8/16-bit; gray, BGR or BGRA) with the colour under `mask`
// (CV_8U, the pixels' size; non-zero: replaced) filled as hidden pixels are
// above — a smooth continuation of the rest, no edge at the mask's outline;
// alpha kept. The same Mat when the mask is empty or marks nothing; all
// black when it marks everything. Used for what is drawn on a photo
// (content_kind.h, overlays) as for what transparency hides.
cv::Mat FillSmoothlyWhere(const cv::Mat& pixels, const cv::Mat& mask);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_VISIBLE_PART_H_

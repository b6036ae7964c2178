// The colour under fully transparent pixels, replaced by the colour of the
// nearest visible pixel ("alpha bleeding", as texture pipelines pad sprite
// edges). That colour is seen nowhere — but an upscale, a sharpen or a
// denoise reads it across the edge of a cut-out, and the soft edge that the
// enlarged alpha then has shows it: black stored under transparency (as
// many editors store it) became a dark fringe around the product, white a
// light one. Bled, the edge takes the product's own colour.
//
//   cv::Mat ready = acuity::BleedUnderTransparency(bgra);  // before the steps
#ifndef ACUITY_ENHANCE_ALPHA_BLEED_H_
#define ACUITY_ENHANCE_ALPHA_BLEED_H_

#include <opencv2/core.hpp>

namespace acuity {

// `pixels`: 8- or 16-bit BGRA. Each pixel with alpha 0 gets the colour of
// the nearest pixel (Euclidean) with alpha > 0; alpha and every visible
// pixel are kept. Returned as it is when there is no alpha channel, nothing
// transparent or nothing visible.
cv::Mat BleedUnderTransparency(const cv::Mat& pixels);

}  // namespace acuity

#endif  // ACUITY_ENHANCE_ALPHA_BLEED_H_

// The picture inside a plain frame, for the prior-upscale reading
// (native_scale.h): a frame has no resampling history of its own, and its
// straight borders with the picture image like a source grid.
//
//   const cv::Rect picture = acuity::PictureInsideFrame(pixels, /*gradients=*/true);
//   Read(pixels(picture));   // the whole image when there is no frame
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_PICTURE_FRAME_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_PICTURE_FRAME_H_

#include <opencv2/core.hpp>

namespace acuity {

// The picture inside a frame with no detail of its own: the rows and
// columns at the edges that hold the colour of the top-left pixel only (a
// product pasted on a canvas, a letterbox, acuity's own pad step) — and,
// with `gradients` (a lossless file), that are any smooth gradient, every step
// along them and to the next line at most 2 levels (8-bit; JPEG rounding) (a
// clear, noiseless sky; a backdrop's sweep). A canvas has no resampling
// history, and its straight borders with the picture image like a source
// grid (a native photo on a white canvas read 4× "ai"); a gradient's 8-bit
// rounding steps come at a regular spacing, a period like a resampling's,
// where nothing dithers them (a PNG landscape under a clear sky read native
// scale 0.14–0.18, "the detail of about 130×90 px"; in a JPEG file the
// coding's noise breaks them up, and what a trim leaves of a smooth JPEG
// reads its blocks' harmonics). Left out, trimmed once. The whole image
// when all of it is so (a blank canvas: no picture).
cv::Rect PictureInsideFrame(const cv::Mat& pixels, bool gradients);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_PICTURE_FRAME_H_

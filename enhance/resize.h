// Resizing with the kernels acuity uses everywhere: area averaging to go
// down (no aliasing), Lanczos-4 to go up; and repeating pixels, pixel art's
// enlargement. Works on 8/16-bit, 1–4 channels.
//
//   cv::Mat half = acuity::Resize(image, image.cols / 2, image.rows / 2);
//   cv::Mat sprite = acuity::RepeatPixels(art, art.cols * 4, art.rows * 4);  // each pixel a 4×4 square
#ifndef ACUITY_ENHANCE_RESIZE_H_
#define ACUITY_ENHANCE_RESIZE_H_

#include <opencv2/core.hpp>

namespace acuity {

// Area averaging when the target is smaller on both axes, Lanczos-4 otherwise.
cv::Mat Resize(const cv::Mat& image, int width_px, int height_px);

// Nearest neighbour, each output pixel the input pixel its centre falls in
// (OpenCV's INTER_NEAREST_EXACT): a whole factor repeats every pixel into
// a square of that side, exactly; a fraction makes squares of two sides.
cv::Mat RepeatPixels(const cv::Mat& image, int width_px, int height_px);

}  // namespace acuity

#endif  // ACUITY_ENHANCE_RESIZE_H_

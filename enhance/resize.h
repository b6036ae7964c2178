// Resizing with the kernels acuity uses everywhere: area averaging to go
// down (no aliasing), Lanczos-4 to go up. Works on 8/16-bit, 1–4 channels.
//
//   cv::Mat half = acuity::Resize(image, image.cols / 2, image.rows / 2);
#ifndef ACUITY_ENHANCE_RESIZE_H_
#define ACUITY_ENHANCE_RESIZE_H_

#include <opencv2/core.hpp>

namespace acuity {

// Area averaging when the target is smaller on both axes, Lanczos-4 otherwise.
cv::Mat Resize(const cv::Mat& image, int width_px, int height_px);

}  // namespace acuity

#endif  // ACUITY_ENHANCE_RESIZE_H_

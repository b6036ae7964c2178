// Private helper of the noise and blur measurements: on big images they read
// an evenly spread sample of blocks (about a megapixel or two, plenty for a
// statistic) rather than every pixel, to stay fast on 12+ MP photos.
//
//   std::vector<cv::Rect> blocks = acuity::SampleBlocks(image.size(), 128, 1.5e6);
//   cv::Mat mosaic = acuity::Mosaic(image, blocks, 128);   // blocks side by side
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_NOISE_SAMPLING_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_NOISE_SAMPLING_H_

#include <functional>
#include <vector>

#include <opencv2/core.hpp>

namespace acuity {

// Non-overlapping `block`×`block` rectangles spread evenly over an image of
// `size`, about `max_pixels` in total. An image no bigger than `max_pixels`
// gives one rectangle: the whole image. Block corners are multiples of
// `align_px` (e.g. 16 keeps the phase of a JPEG's 8×8 grid and 2×2 chroma MCU).
std::vector<cv::Rect> SampleBlocks(cv::Size size, int block, double max_pixels, int align_px = 1);

// Rectangles of at most `block`×`block` tiling an image of `size` exactly
// (the last column and row narrower), in row order: for maps that read
// every pixel in pieces that are cheap to hold and read in parallel.
std::vector<cv::Rect> TileBlocks(cv::Size size, int block);

// The blocks stacked top to bottom into one `block`-wide column, same type as
// `src` (no empty cells, unlike Mosaic). One whole-image block returns `src`.
cv::Mat StackBlocks(const cv::Mat& src, const std::vector<cv::Rect>& blocks);

// The blocks copied side by side into one image (as many per row as make it
// roughly square), same type as `src`. One whole-image block returns `src`.
cv::Mat Mosaic(const cv::Mat& src, const std::vector<cv::Rect>& blocks);

// cv::parallel_for_ over [0, n), or the body called directly when n == 1.
// OpenCV runs a parallel loop that starts inside another one (on any
// thread: the flag is process-wide) serially, so a one-item outer loop would
// otherwise serialise that item's own parallel loops.
void ParallelOver(int n, const std::function<void(const cv::Range&)>& body);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_NOISE_SAMPLING_H_

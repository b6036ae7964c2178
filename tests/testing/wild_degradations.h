// Degradations of photos "from the wild", with known parameters: the ground
// truth of the motion-blur and noise-level-function tests and of the wild
// ladders in datasets/ (wild_evaluate). OpenCV only, like add_noise.h.
//
//   cv::Mat smeared = acuity::testing::MotionBlur(photo, /*length_px=*/12, /*angle_deg=*/30);
//   cv::Mat noisy = acuity::testing::AddSignalDependentNoise(photo, /*a=*/0.5, /*b=*/4, /*seed=*/1);
//   cv::Mat fence = acuity::testing::Fence(cv::Size(384, 384), /*period_px=*/14, /*angle_deg=*/0, 0.5);
//   cv::Mat halos = acuity::testing::UnsharpMask(photo, /*amount=*/3, /*radius_px=*/1.5);
//   cv::Mat portrait = acuity::testing::ShallowDepthOfField(photo, 0.1, {0.5, 0.4}, /*background_sigma_px=*/5);
//   cv::Mat lifted = acuity::testing::ShadowNoise(photo, /*sigma=*/12, /*seed=*/1);
//   cv::Mat grain = acuity::testing::FilmGrain(photo, /*share=*/0.04, /*blur_px=*/0.8, /*seed=*/1);
//   cv::Mat sketch = acuity::testing::ScannedDrawing(photo, /*seed=*/1);
//   cv::Mat saved = acuity::testing::JpegRoundTrip(photo, /*quality=*/75);
#ifndef ACUITY_TESTS_TESTING_WILD_DEGRADATIONS_H_
#define ACUITY_TESTS_TESTING_WILD_DEGRADATIONS_H_

#include <cstdint>

#include <opencv2/core.hpp>

namespace acuity::testing {

// The kernel of a straight movement of `length_px` px in direction
// `angle_deg` (0 = horizontal, 90 = vertical, counter-clockwise on screen):
// a line segment of that length, anti-aliased (splatted bilinearly from 8
// samples per px), summing to 1; CV_32F, odd side.
cv::Mat MotionBlurKernel(double length_px, double angle_deg);

// `image` (8-bit, any channel count) convolved with MotionBlurKernel
// (borders reflected), rounded back to 8 bits.
cv::Mat MotionBlur(const cv::Mat& image, double length_px, double angle_deg);

// An unsharp mask as image editors apply it: out = in + amount·(in − G * in),
// G a Gaussian of `radius_px` px (σ; kernel ±⌈4σ⌉, borders reflected),
// computed in float and rounded and clipped back to 8 bits. amount ≤ 0 or
// radius_px ≤ 0: a copy. The over-sharpening ground truth of the ladders,
// the wild evaluation and the QA tests.
cv::Mat UnsharpMask(const cv::Mat& image, double amount, double radius_px);

// Signal-dependent (shot + read) noise as a camera makes it: per pixel and
// channel a Gaussian of variance a·I + b (I the clean value, 8-bit units),
// drawn by cv::RNG(seed), rounded and clipped to 8 bits.
cv::Mat AddSignalDependentNoise(const cv::Mat& image, double a, double b, uint64_t seed);

// Film grain or a paper's texture: every channel times (1 + g), g one
// Gaussian field blurred by `blur_px` and scaled to std-dev `share` (0.04:
// 4 % of the level), drawn by cv::RNG(seed), rounded and clipped to 8 bits.
cv::Mat FilmGrain(const cv::Mat& image, double share, double blur_px, uint64_t seed);

// A demosaic-like spatial correlation of noise: each channel smoothed by a
// 3×3 kernel [1 2 1]ᵀ[1 2 1]/16 blended with the identity (share `mix` of
// the smoothed image), as the interpolation of a Bayer mosaic does.
cv::Mat DemosaicLikeCorrelation(const cv::Mat& image, double mix);

// A sharp, anti-aliased fence of bars (8-bit gray, levels 40 and 220):
// period `period_px` px across bars running at `angle_deg`, bar share `duty`,
// rendered 4× larger and area-averaged, then a Gaussian of 0.5 px (a lens).
cv::Mat Fence(cv::Size size, double period_px, double angle_deg, double duty);

// A shallow depth of field: `image` (8-bit, any channel count) blurred by a
// Gaussian of `subject_sigma_px` inside an ellipse covering `subject_share`
// of the frame (centred at `centre`, fractions of the width and height;
// 1.3× as tall as wide) and of `background_sigma_px` outside it, blended
// across the ellipse's rim by a Gaussian feather of 3 px (a lens's focus
// falls off smoothly); rounded back to 8 bits.
cv::Mat ShallowDepthOfField(const cv::Mat& image, double subject_share, cv::Point2d centre,
                            double background_sigma_px, double subject_sigma_px = 0);

// Noise that lives in the shadows, as lifting an underexposed photo's
// shadows leaves it: per pixel and channel a Gaussian of `sigma` (8-bit
// units) where the clean BT.601 luma is at most 50, fading linearly to none
// at 90, drawn by cv::RNG(seed), rounded and clipped to 8 bits. `image`:
// 8-bit BGR.
cv::Mat ShadowNoise(const cv::Mat& image, double sigma, uint64_t seed);

// A line drawing of `photo` (8-bit gray, BGR or BGRA) as a scanner leaves it: the photo's
// edges (Canny's, on its luma blurred by 1.5 px, thickened to 2–3 px) as
// strokes 130 levels dark on white paper (level 236, a grain of σ 2 levels
// drawn by cv::RNG(seed), ruled lines 60 levels dark every 28 px), the
// scanner's blur of 0.8 px over it; 8-bit BGR of the photo's size. Soft
// strokes on a flat ground, which a network's output also is.
cv::Mat ScannedDrawing(const cv::Mat& photo, uint64_t seed);

// `image` (8-bit, 1 or 3 channels) saved as a JPEG of IJG `quality` (1–100)
// by OpenCV's libjpeg (colour at 4:2:0) and decoded back: the pixels of a
// file a phone, a web site or an editor saved; the same channel count.
cv::Mat JpegRoundTrip(const cv::Mat& image, int quality);

}  // namespace acuity::testing

#endif  // ACUITY_TESTS_TESTING_WILD_DEGRADATIONS_H_

// Few-colour pictures made from a photo, as GIF encoders and printers make
// them: a median-cut palette, the picture posterized to it (each pixel its
// nearest colour, no dither), error-diffused to it (Floyd–Steinberg,
// Atkinson, Jarvis–Judice–Ninke, Stucki, Sierra; serpentine rows), or
// dithered by an ordered Bayer matrix to a few levels per channel; and
// pixel art (random colour blocks). For the tests of the dither reading and
// the undither step, and datasets/dither_evaluate.cc.
//
//   std::vector<cv::Vec3b> palette = acuity::testing::MedianCutPalette(photo, 32);
//   cv::Mat gif = acuity::testing::ErrorDiffuse(photo, palette, acuity::testing::Diffusion::kFloydSteinberg);
//   cv::Mat bands = acuity::testing::Posterize(photo, palette);
//   cv::Mat bayer = acuity::testing::OrderedDither(photo, /*levels=*/3, /*matrix_px=*/8);
#ifndef ACUITY_TESTS_TESTING_DITHERED_IMAGES_H_
#define ACUITY_TESTS_TESTING_DITHERED_IMAGES_H_

#include <cstdint>
#include <vector>

#include <opencv2/core.hpp>

namespace acuity::testing {

enum class Diffusion { kFloydSteinberg, kAtkinson, kJarvis, kStucki, kSierra };
const char* DiffusionName(Diffusion kernel);  // "floyd-steinberg", "atkinson", ...
inline constexpr Diffusion kAllDiffusions[] = {Diffusion::kFloydSteinberg, Diffusion::kAtkinson,
                                               Diffusion::kJarvis, Diffusion::kStucki, Diffusion::kSierra};

// The centre `side_px` × `side_px` of `pixels` (a copy): the size of a
// small GIF cut from a photo.
cv::Mat CentreCrop(const cv::Mat& pixels, int side_px);

// Up to `colours` colours (≥ 2) that split 8-bit BGR `bgr8`'s colours by
// median cut (the box of the widest channel range split at its median),
// each its box's mean. Gray pictures (B = G = R) get gray colours.
std::vector<cv::Vec3b> MedianCutPalette(const cv::Mat& bgr8, int colours);

// Each pixel the nearest palette colour (squared RGB distance): banding.
cv::Mat Posterize(const cv::Mat& bgr8, const std::vector<cv::Vec3b>& palette);

// Error diffusion of 8-bit BGR to `palette` with `kernel`, rows serpentine.
cv::Mat ErrorDiffuse(const cv::Mat& bgr8, const std::vector<cv::Vec3b>& palette, Diffusion kernel);

// An ordered dither to `levels` (≥ 2) evenly spaced levels per channel
// with a Bayer matrix of `matrix_px` (2, 4 or 8) px.
cv::Mat OrderedDither(const cv::Mat& bgr8, int levels, int matrix_px);

// Pixel art: `colours` random colours in blocks of `block_px`, cols × rows
// blocks, then enlarged `enlarge`× by repeating pixels (nearest neighbour).
cv::Mat PixelArt(int cols, int rows, int colours, int block_px, int enlarge, uint64_t seed);

// A printed halftone, scanned: `bgr8`'s luma (its tones over a Gaussian of
// a third of the period) printed in black as round dots on a lattice of
// `period_px` at `angle_deg`, ink or paper (0 or 255) per pixel, then
// blurred by the scan's Gaussian of `scan_blur_px`; 8-bit BGR, gray.
cv::Mat Halftone(const cv::Mat& bgr8, double period_px, double angle_deg, double scan_blur_px);

}  // namespace acuity::testing

#endif  // ACUITY_TESTS_TESTING_DITHERED_IMAGES_H_

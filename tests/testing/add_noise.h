// Additive white Gaussian noise (AWGN) of a known σ, reproducibly: the
// ground truth of the noise and denoise tests, the benchmarks and the
// evaluation ladders (datasets/). OpenCV only (no GoogleTest), so that the
// evaluation tools link it too.
//
//   cv::Mat noisy = acuity::testing::AddNoise(clean, /*sigma=*/10.0, /*seed=*/1);
#ifndef ACUITY_TESTS_TESTING_ADD_NOISE_H_
#define ACUITY_TESTS_TESTING_ADD_NOISE_H_

#include <cstdint>

#include <opencv2/core.hpp>

namespace acuity::testing {

// Independent Gaussian noise of std-dev `sigma` (in the image's own units:
// 8-bit units for 8-bit images) on every channel, drawn by cv::RNG(seed) as
// a float image, added in float, then rounded and saturated back to the
// image's depth as a real file would be. Same seed, same noise. σ ≤ 0: an
// unchanged copy.
cv::Mat AddNoise(const cv::Mat& image, double sigma, uint64_t seed);

}  // namespace acuity::testing

#endif  // ACUITY_TESTS_TESTING_ADD_NOISE_H_

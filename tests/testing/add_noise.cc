#include "tests/testing/add_noise.h"

namespace acuity::testing {

cv::Mat AddNoise(const cv::Mat& image, double sigma, uint64_t seed) {
  if (sigma <= 0) return image.clone();
  cv::Mat f, noise(image.size(), CV_32FC(image.channels())), out;
  image.convertTo(f, CV_32F);
  cv::RNG rng(seed);
  rng.fill(noise, cv::RNG::NORMAL, 0.0, sigma);
  f += noise;
  f.convertTo(out, image.depth());  // rounds and saturates
  return out;
}

}  // namespace acuity::testing

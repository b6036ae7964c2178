// Test-only helpers shared by noise_test.cc and blur_test.cc: clean crops of
// real photos and known degradations (header only; not part of the library).
//
//   cv::Mat clean = acuity::testing::CleanCrop("coffee");        // 256×256 BGR
//   cv::Mat noisy = acuity::testing::AddNoise(clean, 10.0, 1);   // σ = 10, seed 1 (add_noise.h)
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_NOISE_TEST_PHOTOS_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_NOISE_TEST_PHOTOS_H_

#include <string>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "tests/testing/add_noise.h"  // AddNoise
#include "tests/testing/test_images.h"

namespace acuity::testing {

// The photo halved with area averaging (which removes most of its own noise
// and JPEG damage, so that added degradations are the ground truth), then its
// centre `side`×`side` crop; 8-bit BGR (or gray with keep_gray).
inline cv::Mat CleanCrop(const std::string& name, int side = 256, bool keep_gray = false) {
  cv::Mat photo = LoadPhoto(name, keep_gray);
  if (photo.empty()) return photo;
  cv::Mat half;
  cv::resize(photo, half, cv::Size(photo.cols / 2, photo.rows / 2), 0, 0, cv::INTER_AREA);
  side = std::min({side, half.cols, half.rows});
  return half(cv::Rect((half.cols - side) / 2, (half.rows - side) / 2, side, side)).clone();
}

// Gaussian blur of std-dev `sigma_px`, rounded back to 8 bits.
inline cv::Mat AddBlur(const cv::Mat& image8, double sigma_px) {
  if (sigma_px <= 0) return image8.clone();
  cv::Mat f, out;
  image8.convertTo(f, CV_32F);
  cv::GaussianBlur(f, f, cv::Size(), sigma_px, sigma_px, cv::BORDER_REFLECT);
  f.convertTo(out, CV_8U);
  return out;
}

}  // namespace acuity::testing

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_NOISE_TEST_PHOTOS_H_

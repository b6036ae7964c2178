// Pictures and files the image writer's tests share (image_writer_test.cc,
// write_metadata_test.cc): photo crops, alpha and 16-bit copies, the real
// ICC profile of a scikit-image photo and a camera-like JPEG.
//
//   testing::WriteBytes(dir.Path("in.jpg"), acuity::writer_test::SourceJpeg(acuity::writer_test::PhotoCrop()));
#ifndef ACUITY_ANALYSIS_IO_IMAGE_WRITER_TEST_UTIL_H_
#define ACUITY_ANALYSIS_IO_IMAGE_WRITER_TEST_UTIL_H_

#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>

#include "analysis/io/image_io.h"
#include "analysis/io/jpeg_codec.h"
#include "tests/testing/camera_exif.h"
#include "tests/testing/test_images.h"

namespace acuity::writer_test {

inline cv::Mat PhotoCrop(int width = 96, int height = 64) {
  return testing::LoadPhoto("coffee")(cv::Rect(200, 120, width, height)).clone();
}

inline cv::Mat WithAlpha(const cv::Mat& bgr) {
  cv::Mat alpha(bgr.size(), CV_MAKETYPE(bgr.depth(), 1));
  const double white = bgr.depth() == CV_16U ? 65535 : 255;
  for (int y = 0; y < alpha.rows; ++y)
    for (int x = 0; x < alpha.cols; ++x) {
      const double a = white * ((x * 13 + y * 7) % 101) / 100.0;
      if (bgr.depth() == CV_16U) alpha.at<uint16_t>(y, x) = uint16_t(a);
      else alpha.at<uint8_t>(y, x) = uint8_t(a);
    }
  cv::Mat out;
  cv::merge(std::vector<cv::Mat>{bgr, alpha}, out);
  return out;
}

inline cv::Mat To16(const cv::Mat& m8) {
  cv::Mat m16;
  m8.convertTo(m16, CV_16U, 257.0);
  // Low bits that 8-bit data cannot hold, so that a lost 16-bit depth shows.
  m16 += cv::Scalar::all(37);
  return m16;
}

inline std::set<std::string> Listing(const std::string& dir) {
  std::set<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}

// The ICC profile scikit-image's astronaut.png carries (real bytes from a file).
inline std::vector<uint8_t> RealIccProfile() {
  auto image = LoadImage(testing::PhotoPath("astronaut"));
  EXPECT_TRUE(image.ok() && !image->info.icc_profile.empty());
  return image.ok() ? image->info.icc_profile : std::vector<uint8_t>();
}

// A camera-like JPEG: stored sideways (EXIF orientation 6), 72 dpi in EXIF,
// a maker, a thumbnail-free EXIF block, and the real ICC profile.
inline std::string SourceJpeg(const cv::Mat& stored) {
  JpegEncodeOptions jpeg;
  jpeg.quality = 95;
  jpeg.icc_profile = RealIccProfile();
  auto bytes = EncodeJpeg(stored, jpeg);
  EXPECT_TRUE(bytes.ok());
  testing::CameraExif exif;
  exif.orientation = 6;
  exif.pixel_width = uint32_t(stored.cols);
  exif.pixel_height = uint32_t(stored.rows);
  return testing::WithCameraExif(bytes.ok() ? *bytes : std::string(), exif);
}

}  // namespace acuity::writer_test

#endif  // ACUITY_ANALYSIS_IO_IMAGE_WRITER_TEST_UTIL_H_
